ALTER TABLE `responses` ADD `webmention_state` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `webmention_detail` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `webmention_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `responses` ADD `webmention_at` integer;