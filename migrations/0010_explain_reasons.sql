ALTER TABLE `mentions` ADD `verify_http_status` integer;--> statement-breakpoint
ALTER TABLE `responses` ADD `webmention_reason` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `webmention_refusal` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `webmention_http_status` integer;--> statement-breakpoint
-- Reasons were stored as "code: words"; they become codes (src/verification/reasons.ts), with the HTTP status apart.
UPDATE `mentions` SET `verify_http_status` = CAST(substr(`verify_reason`, instr(`verify_reason`, 'answers ') + 8, 3) AS INTEGER)
WHERE `verify_reason` LIKE 'forbidden: the source answers %' OR `verify_reason` LIKE 'source_error: the source answers %';--> statement-breakpoint
UPDATE `mentions` SET `verify_reason` = CASE
  WHEN `verify_reason` LIKE 'no_link:%first 1 MB%' THEN 'no_link_in_first_mb'
  WHEN `verify_reason` LIKE 'no_link:%' THEN 'no_link'
  WHEN `verify_reason` LIKE 'source_gone:%' THEN 'source_gone'
  WHEN `verify_reason` LIKE 'source_not_found:%' THEN 'source_not_found'
  WHEN `verify_reason` LIKE 'forbidden:%' THEN 'source_forbidden'
  WHEN `verify_reason` LIKE 'source_error:%' THEN 'source_error'
  WHEN `verify_reason` LIKE 'timeout:%' THEN 'source_timeout'
  WHEN `verify_reason` LIKE 'connect_error:%' OR `verify_reason` LIKE 'unreachable:%' THEN 'source_unreachable'
  WHEN `verify_reason` LIKE 'invalid_content:%' THEN 'unsupported_content'
  WHEN `verify_reason` LIKE 'invalid_source: only http and https%' THEN 'unsupported_scheme'
  WHEN `verify_reason` LIKE 'invalid_source: URLs with a user name%' THEN 'credentials_in_url'
  WHEN `verify_reason` LIKE 'invalid_source: only ports%' THEN 'forbidden_port'
  WHEN `verify_reason` LIKE 'invalid_source: private, loopback%' THEN 'private_address'
  WHEN `verify_reason` LIKE 'invalid_source: names that only resolve%' THEN 'internal_host'
  WHEN `verify_reason` LIKE 'invalid_source: more than 10 redirects%' THEN 'too_many_redirects'
  WHEN `verify_reason` LIKE 'invalid_source: a redirect without%' THEN 'bad_redirect'
  WHEN `verify_reason` LIKE 'invalid_source:%' THEN 'invalid_url'
  ELSE NULL
END WHERE `verify_reason` IS NOT NULL;--> statement-breakpoint
-- An announcement's "detail" sentence becomes a reason code, with the refusal or HTTP status apart.
UPDATE `responses` SET
  `webmention_http_status` = CASE WHEN `webmention_detail` LIKE '%: answered %'
    THEN CAST(substr(`webmention_detail`, instr(`webmention_detail`, ': answered ') + 11, 3) AS INTEGER) END,
  `webmention_refusal` = CASE WHEN `webmention_detail` LIKE '%: refused (%'
    THEN substr(`webmention_detail`, instr(`webmention_detail`, ': refused (') + 11,
      instr(substr(`webmention_detail`, instr(`webmention_detail`, ': refused (') + 11), ')') - 1) END,
  `webmention_reason` = CASE
    WHEN `webmention_detail` IS NULL THEN NULL
    WHEN `webmention_detail` = 'could not queue the Webmention' THEN 'queue_unavailable'
    WHEN `webmention_detail` = 'the voice is no longer public' THEN 'voice_not_public'
    WHEN `webmention_detail` = 'the post advertises no Webmention endpoint' THEN 'no_endpoint'
    WHEN `webmention_detail` LIKE '% accepted it' THEN 'accepted'
    WHEN `webmention_detail` LIKE 'the post: refused%' THEN 'post_refused'
    WHEN `webmention_detail` LIKE 'the post: timeout%' THEN 'post_timeout'
    WHEN `webmention_detail` LIKE 'the post: answered%' THEN 'post_error'
    WHEN `webmention_detail` LIKE 'the post:%' THEN 'post_unreachable'
    WHEN `webmention_detail` LIKE 'the endpoint %: refused%' THEN 'endpoint_refused'
    WHEN `webmention_detail` LIKE 'the endpoint %: timeout%' THEN 'endpoint_timeout'
    WHEN `webmention_detail` LIKE 'the endpoint %: answered%' THEN 'endpoint_error'
    WHEN `webmention_detail` LIKE 'the endpoint %' THEN 'endpoint_unreachable'
  END;--> statement-breakpoint
ALTER TABLE `responses` DROP COLUMN `webmention_detail`;