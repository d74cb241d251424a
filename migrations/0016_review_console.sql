CREATE TABLE `erasure_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`by_email` integer NOT NULL,
	`order_id` text,
	`remove_reviews` integer NOT NULL,
	`invitations` integer NOT NULL,
	`reviews` integer NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `erasure_requests_site` ON `erasure_requests` (`site_id`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `invitations` ADD `opened_at` integer;--> statement-breakpoint
CREATE INDEX `invitations_site_due` ON `invitations` (`site_id`,`due_at`,`id`);--> statement-breakpoint
CREATE INDEX `invitations_site_state` ON `invitations` (`site_id`,`state`,`due_at`,`id`);