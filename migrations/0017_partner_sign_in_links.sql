CREATE TABLE `partner_sign_in_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`partner_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partner_sign_in_links_partner` ON `partner_sign_in_links` (`partner_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `partners` ADD `lang` text DEFAULT 'en' NOT NULL;