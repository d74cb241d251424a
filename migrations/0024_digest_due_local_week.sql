DROP INDEX `sites_digest_week`;--> statement-breakpoint
ALTER TABLE `sites` ADD `digest_due` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A site whose digest of a week (starting digest_week, a Monday 00:00 UTC) was sent has its next due the Monday after that week ended.
UPDATE `sites` SET `digest_due` = `digest_week` + 1209600000 WHERE `digest_week` > 0;--> statement-breakpoint
ALTER TABLE `sites` DROP COLUMN `digest_week`;--> statement-breakpoint
CREATE INDEX `sites_digest_due` ON `sites` (`digest_due`,`id`);
