ALTER TABLE `sites` ADD `digest_week` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `sites_digest_week` ON `sites` (`digest_week`,`id`);