DROP INDEX `api_keys_site`;--> statement-breakpoint
CREATE INDEX `api_keys_site` ON `api_keys` (`site_id`,`created_at`,`id`);--> statement-breakpoint
DROP INDEX `conversions_site`;--> statement-breakpoint
CREATE INDEX `conversions_partner_time` ON `conversions` (`partner_id`,`occurred_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversions_site` ON `conversions` (`site_id`,`occurred_at`,`id`);--> statement-breakpoint
DROP INDEX `partners_site`;--> statement-breakpoint
CREATE INDEX `partners_site_applied` ON `partners` (`site_id`,`applied_at`,`id`);--> statement-breakpoint
CREATE INDEX `partners_site` ON `partners` (`site_id`,`state`,`applied_at`,`id`);--> statement-breakpoint
CREATE INDEX `coupon_codes_invitation` ON `coupon_codes` (`invitation_id`) WHERE invitation_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX `targets_site_automatic` ON `targets` (`site_id`,`automatic`,`id`);