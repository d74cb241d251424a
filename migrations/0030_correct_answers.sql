CREATE TABLE `response_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`response_id` text NOT NULL,
	`site_id` integer NOT NULL,
	`version` integer NOT NULL,
	`stage` text NOT NULL,
	`body` text NOT NULL,
	`author_name` text NOT NULL,
	`author_role` text,
	`written_at` integer NOT NULL,
	`replaced_at` integer NOT NULL,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `response_revisions_version` ON `response_revisions` (`response_id`,`version`);--> statement-breakpoint
CREATE INDEX `response_revisions_site` ON `response_revisions` (`site_id`);--> statement-breakpoint
ALTER TABLE `responses` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `responses` ADD `edited_at` integer;--> statement-breakpoint
ALTER TABLE `responses` ADD `withdrawn_at` integer;--> statement-breakpoint
ALTER TABLE `responses` ADD `withdrawn_reason` text;