ALTER TABLE `mentions` ADD `target_pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `targets` ADD `automatic` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Targets the hub made by itself before this migration were titled with their own URL, as pages, with a t_ id.
UPDATE `targets` SET `automatic` = 1 WHERE `title` = `url` AND `kind` = 'page' AND `id` LIKE 't\_%' ESCAPE '\';--> statement-breakpoint
-- Such a target that no voice ever reached the feed with (only pending or rejected ones), and that no link or
-- invitation names, was made by pings alone: its voices name the page by URL again, and the target goes.
UPDATE `mentions` SET
  `target_pending` = 1,
  `target_id` = (SELECT t.`url` FROM `targets` t WHERE t.`site_id` = `mentions`.`site_id` AND t.`id` = `mentions`.`target_id`)
WHERE `status` IN ('pending', 'rejected') AND EXISTS (
  SELECT 1 FROM `targets` t WHERE t.`site_id` = `mentions`.`site_id` AND t.`id` = `mentions`.`target_id` AND t.`automatic` = 1
    AND NOT EXISTS (SELECT 1 FROM `mentions` m WHERE m.`site_id` = t.`site_id` AND m.`target_id` = t.`id` AND m.`status` NOT IN ('pending', 'rejected'))
    AND NOT EXISTS (SELECT 1 FROM `affiliate_links` l WHERE l.`site_id` = t.`site_id` AND l.`target_id` = t.`id`)
    AND NOT EXISTS (SELECT 1 FROM `invitations` i, json_each(i.`items`) WHERE i.`site_id` = t.`site_id` AND json_each.`value` = t.`id`)
);--> statement-breakpoint
DELETE FROM `stats` WHERE `target_id` <> '' AND EXISTS (
  SELECT 1 FROM `targets` t WHERE t.`site_id` = `stats`.`site_id` AND t.`id` = `stats`.`target_id` AND t.`automatic` = 1
    AND NOT EXISTS (SELECT 1 FROM `mentions` m WHERE m.`site_id` = t.`site_id` AND m.`target_id` = t.`id`)
    AND NOT EXISTS (SELECT 1 FROM `affiliate_links` l WHERE l.`site_id` = t.`site_id` AND l.`target_id` = t.`id`)
    AND NOT EXISTS (SELECT 1 FROM `invitations` i, json_each(i.`items`) WHERE i.`site_id` = t.`site_id` AND json_each.`value` = t.`id`)
);--> statement-breakpoint
DELETE FROM `targets` WHERE `automatic` = 1
  AND NOT EXISTS (SELECT 1 FROM `mentions` m WHERE m.`site_id` = `targets`.`site_id` AND m.`target_id` = `targets`.`id`)
  AND NOT EXISTS (SELECT 1 FROM `affiliate_links` l WHERE l.`site_id` = `targets`.`site_id` AND l.`target_id` = `targets`.`id`)
  AND NOT EXISTS (SELECT 1 FROM `invitations` i, json_each(i.`items`) WHERE i.`site_id` = `targets`.`site_id` AND json_each.`value` = `targets`.`id`);
