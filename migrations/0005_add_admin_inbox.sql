CREATE TABLE `admin_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`key_id` text,
	`site_id` integer,
	`csrf` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inbox_unanswered` ON `mentions` (`site_id`,`sentiment`,`published_at`,`id`) WHERE status = 'published' AND first_response_at IS NULL;--> statement-breakpoint
CREATE INDEX `inbox_unresolved` ON `mentions` (`site_id`,`apologized_at`,`id`) WHERE status = 'published' AND apologized_at IS NOT NULL AND resolved_at IS NULL;