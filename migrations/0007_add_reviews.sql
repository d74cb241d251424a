CREATE TABLE `coupon_codes` (
	`site_id` integer NOT NULL,
	`code` text NOT NULL,
	`invitation_id` text,
	`issued_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `code`)
);
--> statement-breakpoint
CREATE INDEX `coupon_codes_free` ON `coupon_codes` (`site_id`,`created_at`) WHERE invitation_id IS NULL;--> statement-breakpoint
CREATE TABLE `inbound_receipts` (
	`site_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`nonce` text NOT NULL,
	PRIMARY KEY(`site_id`, `message_id`)
);
--> statement-breakpoint
CREATE INDEX `inbound_receipts_time` ON `inbound_receipts` (`received_at`);--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`order_id` text NOT NULL,
	`items` text NOT NULL,
	`customer_name` text,
	`email_sealed` text,
	`email_hash` text,
	`lang` text NOT NULL,
	`coupon_offered` integer NOT NULL,
	`delivered_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`state` text NOT NULL,
	`sent_at` integer,
	`used_at` integer,
	`edit_until` integer,
	`claim` text,
	`coupon_code` text,
	`erased_at` integer,
	`hub_origin` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_order` ON `invitations` (`site_id`,`order_id`);--> statement-breakpoint
CREATE INDEX `invitations_due` ON `invitations` (`due_at`) WHERE state = 'scheduled';--> statement-breakpoint
CREATE INDEX `invitations_open` ON `invitations` (`expires_at`) WHERE state IN ('scheduled', 'sent');--> statement-breakpoint
CREATE INDEX `invitations_email` ON `invitations` (`site_id`,`email_hash`);--> statement-breakpoint
CREATE TABLE `review_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mention_id` text NOT NULL,
	`rating` integer,
	`title` text,
	`body` text,
	`written_at` integer NOT NULL,
	`replaced_at` integer NOT NULL,
	FOREIGN KEY (`mention_id`) REFERENCES `mentions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_revisions_mention` ON `review_revisions` (`mention_id`,`id`);--> statement-breakpoint
ALTER TABLE `mentions` ADD `invitation_id` text;--> statement-breakpoint
ALTER TABLE `mentions` ADD `author_verdict` text;--> statement-breakpoint
ALTER TABLE `mentions` ADD `author_verdict_at` integer;--> statement-breakpoint
ALTER TABLE `mentions` ADD `edited_at` integer;--> statement-breakpoint
ALTER TABLE `mentions` ADD `photos` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
CREATE INDEX `mentions_invitation` ON `mentions` (`invitation_id`) WHERE invitation_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `inbound_secret_sealed` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `inbound_previous_sealed` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `inbound_previous_until` integer;--> statement-breakpoint
ALTER TABLE `stats` ADD `rating_1` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats` ADD `rating_2` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats` ADD `rating_3` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats` ADD `rating_4` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats` ADD `rating_5` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill the rating histograms from the published reviews already stored (the site row counts every target).
UPDATE `stats` SET
	`rating_1` = (SELECT count(*) FROM `mentions` m WHERE m.site_id = stats.site_id AND (stats.target_id = '' OR m.target_id = stats.target_id) AND m.status = 'published' AND m.kind = 'review' AND m.rating = 1),
	`rating_2` = (SELECT count(*) FROM `mentions` m WHERE m.site_id = stats.site_id AND (stats.target_id = '' OR m.target_id = stats.target_id) AND m.status = 'published' AND m.kind = 'review' AND m.rating = 2),
	`rating_3` = (SELECT count(*) FROM `mentions` m WHERE m.site_id = stats.site_id AND (stats.target_id = '' OR m.target_id = stats.target_id) AND m.status = 'published' AND m.kind = 'review' AND m.rating = 3),
	`rating_4` = (SELECT count(*) FROM `mentions` m WHERE m.site_id = stats.site_id AND (stats.target_id = '' OR m.target_id = stats.target_id) AND m.status = 'published' AND m.kind = 'review' AND m.rating = 4),
	`rating_5` = (SELECT count(*) FROM `mentions` m WHERE m.site_id = stats.site_id AND (stats.target_id = '' OR m.target_id = stats.target_id) AND m.status = 'published' AND m.kind = 'review' AND m.rating = 5);
