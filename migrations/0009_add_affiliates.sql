CREATE TABLE `affiliate_links` (
	`code` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`partner_id` text NOT NULL,
	`target_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled_at` integer,
	`clicks` integer DEFAULT 0 NOT NULL,
	`unique_clicks` integer DEFAULT 0 NOT NULL,
	`bot_clicks` integer DEFAULT 0 NOT NULL,
	`reported_clicks` integer DEFAULT 0 NOT NULL,
	`reported_unique_clicks` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	`commission` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `affiliate_links_partner` ON `affiliate_links` (`partner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `affiliate_links_unreported` ON `affiliate_links` (`code`) WHERE clicks > reported_clicks;--> statement-breakpoint
CREATE TABLE `clicks` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`link_code` text NOT NULL,
	`partner_id` text NOT NULL,
	`at` integer NOT NULL,
	`referrer_host` text,
	`country` text,
	`ua_class` text NOT NULL,
	`bot` integer NOT NULL,
	`visitor` text NOT NULL,
	`is_unique` integer NOT NULL,
	`nonce` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `clicks_link_visitor` ON `clicks` (`link_code`,`visitor`,`at`);--> statement-breakpoint
CREATE INDEX `clicks_site_time` ON `clicks` (`site_id`,`at`);--> statement-breakpoint
CREATE TABLE `conversions` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`order_id` text NOT NULL,
	`event` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`click_id` text,
	`partner_id` text,
	`link_code` text,
	`commission` integer NOT NULL,
	`state` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`approved_at` integer,
	`paid_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversions_order_event` ON `conversions` (`site_id`,`order_id`,`event`);--> statement-breakpoint
CREATE INDEX `conversions_partner` ON `conversions` (`partner_id`,`state`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `conversions_site` ON `conversions` (`site_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `partner_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`csrf` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `partners` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`blog_url` text NOT NULL,
	`state` text NOT NULL,
	`key_hash` text,
	`key_prefix` text,
	`applied_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` text,
	`note` text,
	`clicks` integer DEFAULT 0 NOT NULL,
	`unique_clicks` integer DEFAULT 0 NOT NULL,
	`conversions` integer DEFAULT 0 NOT NULL,
	`revenue` integer DEFAULT 0 NOT NULL,
	`commission_pending` integer DEFAULT 0 NOT NULL,
	`commission_approved` integer DEFAULT 0 NOT NULL,
	`commission_paid` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partners_site` ON `partners` (`site_id`,`state`,`applied_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `partners_key` ON `partners` (`key_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `partners_site_email` ON `partners` (`site_id`,`email`);--> statement-breakpoint
ALTER TABLE `mentions` ADD `partner_id` text;