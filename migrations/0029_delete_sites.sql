ALTER TABLE `sites` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `sites` ADD `purge_step` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `purge_rows` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `sites_deleted` ON `sites` (`deleted_at`,`id`) WHERE deleted_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX `affiliate_links_site` ON `affiliate_links` (`site_id`);--> statement-breakpoint
CREATE INDEX `outbox_site` ON `outbox` (`site_id`);--> statement-breakpoint
CREATE INDEX `responses_site` ON `responses` (`site_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_site` ON `webhook_deliveries` (`site_id`);