ALTER TABLE `mentions` ADD `source_url_sent` text;--> statement-breakpoint
ALTER TABLE `mentions` ADD `verify_state` text;--> statement-breakpoint
ALTER TABLE `mentions` ADD `verify_reason` text;--> statement-breakpoint
ALTER TABLE `mentions` ADD `verify_requested_at` integer;--> statement-breakpoint
ALTER TABLE `mentions` ADD `verify_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `mentions` ADD `mention_type` text;--> statement-breakpoint
ALTER TABLE `mentions` ADD `source_published` text;--> statement-breakpoint
CREATE INDEX `mentions_check_queued` ON `mentions` (`verify_requested_at`) WHERE verify_state = 'queued';