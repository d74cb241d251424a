CREATE TABLE `shop_connections` (
	`site_id` integer PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`shop_address` text NOT NULL,
	`secret_sealed` text NOT NULL,
	`previous_sealed` text,
	`previous_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `shop_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` integer NOT NULL,
	`platform` text NOT NULL,
	`delivery_id` text,
	`topic` text NOT NULL,
	`outcome` text NOT NULL,
	`reason` text,
	`subject` text,
	`received_at` integer NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shop_deliveries_once` ON `shop_deliveries` (`site_id`,`platform`,`delivery_id`);--> statement-breakpoint
CREATE INDEX `shop_deliveries_newest` ON `shop_deliveries` (`site_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `shop_deliveries_time` ON `shop_deliveries` (`received_at`);--> statement-breakpoint
CREATE TABLE `shop_products` (
	`site_id` integer NOT NULL,
	`platform` text NOT NULL,
	`product_id` text NOT NULL,
	`target_id` text NOT NULL,
	`deleted_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `platform`, `product_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
