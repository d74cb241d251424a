CREATE INDEX `list_site` ON `mentions` (`site_id`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `list_target` ON `mentions` (`site_id`,`target_id`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `list_kind` ON `mentions` (`site_id`,`kind`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `list_sentiment` ON `mentions` (`site_id`,`sentiment`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `list_unanswered` ON `mentions` (`site_id`,`sentiment`,`received_at`,`id`) WHERE first_response_at IS NULL;--> statement-breakpoint
CREATE INDEX `inbox_unanswered_other` ON `mentions` (`site_id`,`published_at`,`id`) WHERE status = 'published' AND first_response_at IS NULL AND sentiment IS NOT 'negative';--> statement-breakpoint
CREATE INDEX `inbox_target` ON `mentions` (`site_id`,`target_id`,`published_at`,`id`) WHERE status = 'published' AND first_response_at IS NULL;