CREATE TABLE `digests` (
	`site_id` integer NOT NULL,
	`week_start` integer NOT NULL,
	`made_at` integer NOT NULL,
	`body` text NOT NULL,
	PRIMARY KEY(`site_id`, `week_start`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
