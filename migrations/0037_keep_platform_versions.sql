CREATE TABLE `shop_orders` (
	`site_id` integer NOT NULL,
	`platform` text NOT NULL,
	`order_id` text NOT NULL,
	`changed_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `platform`, `order_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `shop_orders_time` ON `shop_orders` (`updated_at`);--> statement-breakpoint
ALTER TABLE `shop_products` ADD `changed_at` integer;