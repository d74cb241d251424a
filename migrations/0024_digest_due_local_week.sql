DROP INDEX `sites_digest_week`;--> statement-breakpoint
ALTER TABLE `sites` ADD `digest_due` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- A site whose digest of a UTC week (starting digest_week) was sent has its next digest due after the
-- week that follows: 14 days on, plus 12 hours, past that Monday's midnight in every zone from UTC+14
-- to UTC-12 (at UTC midnight a shop west of UTC would still be in the week it was sent). digest_week
-- stays, unused, for the Worker of the release before; a later release drops it.
UPDATE `sites` SET `digest_due` = `digest_week` + 1209600000 + 43200000 WHERE `digest_week` > 0;--> statement-breakpoint
CREATE INDEX `sites_digest_due` ON `sites` (`digest_due`,`id`);
