CREATE TABLE `sentiment_examples` (
	`site_id` integer NOT NULL,
	`mention_id` text NOT NULL,
	`sentiment` text NOT NULL,
	`words` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `mention_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sentiment_examples_newest` ON `sentiment_examples` (`site_id`,`at`);--> statement-breakpoint
CREATE TABLE `sentiment_learning` (
	`site_id` integer PRIMARY KEY NOT NULL,
	`phrases` text NOT NULL,
	`examples` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
