ALTER TABLE `mentions` ADD `pub_seq` integer;--> statement-breakpoint
-- Every voice ever published (published_at is set when a voice is first published and kept after a
-- take-down) gets its number, per site in the feed's order: by publication time, then id. Numbered
-- before the indexes are built, so each is built once.
UPDATE `mentions` SET `pub_seq` = `numbered`.`n`
FROM (
  SELECT `id`, ROW_NUMBER() OVER (PARTITION BY `site_id` ORDER BY `published_at`, `id`) AS `n`
  FROM `mentions` WHERE `published_at` IS NOT NULL
) AS `numbered`
WHERE `mentions`.`id` = `numbered`.`id`;--> statement-breakpoint
CREATE INDEX `feed_pub_seq` ON `mentions` (`site_id`,`pub_seq`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `feed_target_pub_seq` ON `mentions` (`site_id`,`target_id`,`pub_seq`) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX `mentions_pub_seq_hidden` ON `mentions` (`site_id`,`pub_seq`) WHERE pub_seq IS NOT NULL AND status <> 'published';--> statement-breakpoint
CREATE INDEX `mentions_unnumbered` ON `mentions` (`published_at`,`id`) WHERE pub_seq IS NULL AND published_at IS NOT NULL;