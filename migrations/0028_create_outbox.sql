CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`site_id` integer NOT NULL,
	`body` text NOT NULL,
	`state` text NOT NULL,
	`due_at` integer NOT NULL,
	`lease_until` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_failure` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message` ON `outbox` (`kind`,`ref`);--> statement-breakpoint
CREATE INDEX `outbox_waiting` ON `outbox` (`lease_until`) WHERE state = 'waiting';