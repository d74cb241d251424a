DROP INDEX `mentions_source_host`;--> statement-breakpoint
ALTER TABLE `mentions` ADD `source_blog` text;--> statement-breakpoint
-- Backfill (a one-off scan): the blog of every voice, as src/shared/blog.ts says it — its host, or
-- host/{first path segment} on platforms that put many blogs under one host (percent-escapes kept).
UPDATE `mentions` SET `source_blog` = CASE
  WHEN replace(`source_host`, 'www.', '') IN ('ameblo.jp', 'note.com', 'blog.livedoor.jp', 'blog.goo.ne.jp', 'plaza.rakuten.co.jp',
      'medium.com', 'blog.naver.com', 'qiita.com', 'zenn.dev', 'dev.to', 'tumblr.com')
    AND substr(`source_url`, instr(`source_url`, '://') + 3 + length(`source_host`) + 1) NOT IN ('', '?')
  THEN replace(`source_host`, 'www.', '') || '/' || lower(substr(
    substr(`source_url`, instr(`source_url`, '://') + 3 + length(`source_host`) + 1), 1,
    min(instr(substr(`source_url`, instr(`source_url`, '://') + 3 + length(`source_host`) + 1) || '/', '/'),
        instr(substr(`source_url`, instr(`source_url`, '://') + 3 + length(`source_host`) + 1) || '?', '?')) - 1))
  ELSE `source_host`
END WHERE `source_host` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `mentions_source_blog` ON `mentions` (`site_id`,`source_blog`,`received_at`);