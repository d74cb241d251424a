DROP INDEX `mentions_source_host`;--> statement-breakpoint
ALTER TABLE `mentions` ADD `source_blog` text;--> statement-breakpoint
-- Backfill (a one-off scan): the blog of every voice, as src/shared/blog.ts says it — its host, or on
-- platforms that put many blogs under one host, the host without www. plus "/" and the first path
-- segment, lower-case (percent-escapes kept).
UPDATE `mentions` SET `source_blog` = (
  SELECT CASE
    WHEN NOT shared THEN host
    WHEN seg = '' THEN bare
    ELSE bare || '/' || lower(seg)
  END
  FROM (
    SELECT host, bare, bare IN ('ameblo.jp', 'note.com', 'blog.livedoor.jp', 'blog.goo.ne.jp', 'plaza.rakuten.co.jp',
        'medium.com', 'blog.naver.com', 'qiita.com', 'zenn.dev', 'dev.to', 'tumblr.com') AS shared,
      substr(rest, 1, min(instr(rest || '/', '/'), instr(rest || '?', '?')) - 1) AS seg
    FROM (
      SELECT `source_host` AS host,
        CASE WHEN `source_host` LIKE 'www.%' THEN substr(`source_host`, 5) ELSE `source_host` END AS bare,
        substr(`source_url`, instr(`source_url`, '://') + 3 + length(`source_host`) + 1) AS rest
    )
  )
) WHERE `source_host` IS NOT NULL AND `source_url` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `mentions_source_blog` ON `mentions` (`site_id`,`source_blog`,`received_at`);