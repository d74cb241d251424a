CREATE TABLE `watches` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`feed_url` text NOT NULL,
	`keywords` text NOT NULL,
	`created_at` integer NOT NULL,
	`next_fetch_at` integer NOT NULL,
	`etag` text,
	`last_modified` text,
	`last_fetched_at` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `watches_site_feed` ON `watches` (`site_id`,`feed_url`);--> statement-breakpoint
CREATE INDEX `watches_site` ON `watches` (`site_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `watches_due` ON `watches` (`next_fetch_at`);