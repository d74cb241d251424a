CREATE TABLE `import_lines` (
	`import_id` text NOT NULL,
	`site_id` integer NOT NULL,
	`line` integer NOT NULL,
	`outcome` text NOT NULL,
	`reason` text,
	`place` text NOT NULL,
	`subject` text,
	`ref` text,
	PRIMARY KEY(`import_id`, `line`)
);
--> statement-breakpoint
CREATE INDEX `import_lines_outcome` ON `import_lines` (`import_id`,`outcome`,`line`);--> statement-breakpoint
CREATE INDEX `import_lines_site` ON `import_lines` (`site_id`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`format` text NOT NULL,
	`state` text NOT NULL,
	`file_name` text NOT NULL,
	`file_bytes` integer NOT NULL,
	`origin` text,
	`options` text NOT NULL,
	`cursor` text,
	`steps` integer DEFAULT 0 NOT NULL,
	`lines` integer DEFAULT 0 NOT NULL,
	`counts` text NOT NULL,
	`requested_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	`error` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `imports_site` ON `imports` (`site_id`,`created_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `imports_site_running` ON `imports` (`site_id`) WHERE state IN ('queued', 'running');--> statement-breakpoint
-- The ledger may hold entries about an import (no voice): mention_id becomes nullable. No table refers to this one.
CREATE TABLE `__new_moderation_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` integer NOT NULL,
	`mention_id` text,
	`import_id` text,
	`action` text NOT NULL,
	`category` text NOT NULL,
	`reason` text NOT NULL,
	`actor` text NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`created_at` integer NOT NULL,
	`sentiment` text,
	`rating` integer,
	`prev_hash` text,
	`hash` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mention_id`) REFERENCES `mentions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_moderation_events`("id", "site_id", "mention_id", "import_id", "action", "category", "reason", "actor", "from_status", "to_status", "created_at", "sentiment", "rating", "prev_hash", "hash") SELECT "id", "site_id", "mention_id", NULL, "action", "category", "reason", "actor", "from_status", "to_status", "created_at", "sentiment", "rating", "prev_hash", "hash" FROM `moderation_events`;--> statement-breakpoint
DROP TABLE `moderation_events`;--> statement-breakpoint
ALTER TABLE `__new_moderation_events` RENAME TO `moderation_events`;--> statement-breakpoint
CREATE INDEX `moderation_site` ON `moderation_events` (`site_id`,`id`);--> statement-breakpoint
CREATE INDEX `moderation_mention` ON `moderation_events` (`mention_id`,`id`);--> statement-breakpoint
ALTER TABLE `mentions` ADD `import_id` text;--> statement-breakpoint
ALTER TABLE `mentions` ADD `import_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `mentions_import_key` ON `mentions` (`site_id`,`import_key`) WHERE import_key IS NOT NULL;