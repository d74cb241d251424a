CREATE TABLE `exports` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`state` text NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`cursor` text,
	`batches` integer DEFAULT 0 NOT NULL,
	`files` text NOT NULL,
	`hub_origin` text NOT NULL,
	`requested_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer,
	`expires_at` integer,
	`error` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exports_site` ON `exports` (`site_id`,`created_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `exports_site_running` ON `exports` (`site_id`) WHERE state IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX `exports_expiring` ON `exports` (`expires_at`) WHERE state IN ('done', 'failed');