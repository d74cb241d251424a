ALTER TABLE `mentions` ADD `apologized_at` integer;--> statement-breakpoint
ALTER TABLE `mentions` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `moderation_events` ADD `sentiment` text;--> statement-breakpoint
ALTER TABLE `moderation_events` ADD `rating` integer;--> statement-breakpoint
ALTER TABLE `moderation_events` ADD `prev_hash` text;--> statement-breakpoint
ALTER TABLE `moderation_events` ADD `hash` text;--> statement-breakpoint
ALTER TABLE `sites` ADD `ledger_head` text;--> statement-breakpoint
ALTER TABLE `stats` ADD `negative_responded` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats` ADD `apologized` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats` ADD `resolved` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stats` ADD `hidden_negative` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill (one-off scans at migration time): first apology and resolution of each voice from its responses,
UPDATE `mentions` SET
  `apologized_at` = (SELECT min(`created_at`) FROM `responses` WHERE `responses`.`mention_id` = `mentions`.`id` AND `stage` = 'apology'),
  `resolved_at` = (SELECT min(`created_at`) FROM `responses` WHERE `responses`.`mention_id` = `mentions`.`id` AND `stage` = 'resolution')
WHERE `first_response_at` IS NOT NULL;--> statement-breakpoint
-- the moderated voice's sentiment and rating on earlier ledger entries (as they are now: the best record there is),
UPDATE `moderation_events` SET
  `sentiment` = (SELECT `sentiment` FROM `mentions` WHERE `mentions`.`id` = `moderation_events`.`mention_id`),
  `rating` = (SELECT `rating` FROM `mentions` WHERE `mentions`.`id` = `moderation_events`.`mention_id`);--> statement-breakpoint
-- and the new counters, per site ('' row) and per target, counted as src/stats/counters.ts counts them.
UPDATE `stats` SET
  `negative_responded` = (SELECT count(*) FROM `mentions` m WHERE m.`site_id` = `stats`.`site_id` AND (`stats`.`target_id` = '' OR m.`target_id` = `stats`.`target_id`)
    AND m.`status` = 'published' AND m.`sentiment` = 'negative' AND m.`first_response_at` IS NOT NULL),
  `apologized` = (SELECT count(*) FROM `mentions` m WHERE m.`site_id` = `stats`.`site_id` AND (`stats`.`target_id` = '' OR m.`target_id` = `stats`.`target_id`)
    AND m.`status` = 'published' AND m.`apologized_at` IS NOT NULL),
  `resolved` = (SELECT count(*) FROM `mentions` m WHERE m.`site_id` = `stats`.`site_id` AND (`stats`.`target_id` = '' OR m.`target_id` = `stats`.`target_id`)
    AND m.`status` = 'published' AND m.`apologized_at` IS NOT NULL AND m.`resolved_at` IS NOT NULL),
  `hidden_negative` = (SELECT count(*) FROM `moderation_events` e JOIN `mentions` m ON m.`id` = e.`mention_id`
    WHERE e.`site_id` = `stats`.`site_id` AND (`stats`.`target_id` = '' OR m.`target_id` = `stats`.`target_id`)
    AND e.`action` IN ('spam', 'remove') AND e.`from_status` = 'published' AND e.`sentiment` = 'negative');
