CREATE TABLE `listening_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`at` integer NOT NULL,
	`fetched` integer NOT NULL,
	`unchanged` integer NOT NULL,
	`failed` integer NOT NULL,
	`added` integer NOT NULL,
	`errors` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `listening_runs_site` ON `listening_runs` (`site_id`,`at`);--> statement-breakpoint
CREATE INDEX `mentions_site_source` ON `mentions` (`site_id`,`source_url`);--> statement-breakpoint
CREATE INDEX `mentions_recheck` ON `mentions` (`verify_requested_at`,`id`) WHERE status = 'published' AND verify_state = 'verified';