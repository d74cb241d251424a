CREATE TABLE `admin_flashes` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`sealed` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `admin_flashes_expires` ON `admin_flashes` (`expires_at`);