CREATE TABLE `target_urls` (
	`site_id` integer NOT NULL,
	`url` text NOT NULL,
	`target_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `url`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `target_urls_target` ON `target_urls` (`site_id`,`target_id`);