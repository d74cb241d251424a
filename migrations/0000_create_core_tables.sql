CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_site` ON `api_keys` (`site_id`);--> statement-breakpoint
CREATE TABLE `mentions` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`target_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`source_url` text,
	`source_host` text,
	`title` text,
	`excerpt` text,
	`author_name` text,
	`author_url` text,
	`author_photo` text,
	`blog_name` text,
	`rating` integer,
	`sentiment` text,
	`disclosure` text,
	`verified_purchase` integer DEFAULT false NOT NULL,
	`received_at` integer NOT NULL,
	`verified_at` integer,
	`updated_at` integer NOT NULL,
	`published_at` integer,
	`first_response_at` integer,
	`responses_json` text DEFAULT '[]' NOT NULL,
	`rev` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mentions_target_source` ON `mentions` (`site_id`,`target_id`,`source_url`);--> statement-breakpoint
CREATE INDEX `mentions_source_host` ON `mentions` (`site_id`,`source_host`,`received_at`);--> statement-breakpoint
CREATE INDEX `mentions_site_status` ON `mentions` (`site_id`,`status`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `feed_site` ON `mentions` (`site_id`,`published_at`,`id`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `feed_target` ON `mentions` (`site_id`,`target_id`,`published_at`,`id`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `feed_kind` ON `mentions` (`site_id`,`kind`,`published_at`,`id`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `feed_sentiment` ON `mentions` (`site_id`,`sentiment`,`published_at`,`id`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `feed_target_kind` ON `mentions` (`site_id`,`target_id`,`kind`,`published_at`,`id`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `feed_target_sentiment` ON `mentions` (`site_id`,`target_id`,`sentiment`,`published_at`,`id`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `feed_kind_sentiment` ON `mentions` (`site_id`,`kind`,`sentiment`,`published_at`,`id`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `feed_target_kind_sentiment` ON `mentions` (`site_id`,`target_id`,`kind`,`sentiment`,`published_at`,`id`) WHERE status = 'published';--> statement-breakpoint
CREATE TABLE `moderation_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`mention_id` text NOT NULL,
	`action` text NOT NULL,
	`category` text NOT NULL,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mention_id`) REFERENCES `mentions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `moderation_site` ON `moderation_events` (`site_id`,`id`);--> statement-breakpoint
CREATE INDEX `moderation_mention` ON `moderation_events` (`mention_id`,`id`);--> statement-breakpoint
CREATE TABLE `responses` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`mention_id` text NOT NULL,
	`stage` text NOT NULL,
	`body` text NOT NULL,
	`author_name` text NOT NULL,
	`author_role` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mention_id`) REFERENCES `mentions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `responses_mention` ON `responses` (`mention_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`origins` text NOT NULL,
	`embed_origins` text NOT NULL,
	`settings` text NOT NULL,
	`data_version` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sites_slug_unique` ON `sites` (`slug`);--> statement-breakpoint
CREATE TABLE `stats` (
	`site_id` integer NOT NULL,
	`target_id` text NOT NULL,
	`published` integer DEFAULT 0 NOT NULL,
	`positive` integer DEFAULT 0 NOT NULL,
	`neutral` integer DEFAULT 0 NOT NULL,
	`negative` integer DEFAULT 0 NOT NULL,
	`unclassified` integer DEFAULT 0 NOT NULL,
	`responded` integer DEFAULT 0 NOT NULL,
	`response_time_histogram` text DEFAULT '[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]' NOT NULL,
	`removed` integer DEFAULT 0 NOT NULL,
	`spam` integer DEFAULT 0 NOT NULL,
	`restored` integer DEFAULT 0 NOT NULL,
	`gone` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`site_id`, `target_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `targets` (
	`site_id` integer NOT NULL,
	`id` text NOT NULL,
	`url` text NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `targets_site_url` ON `targets` (`site_id`,`url`);