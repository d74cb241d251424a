CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL,
	`site_id` integer NOT NULL,
	`body` text NOT NULL,
	`state` text NOT NULL,
	`waiting_since` integer NOT NULL,
	`due_at` integer NOT NULL,
	`lease_until` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_failure` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_message` ON `outbox` (`kind`,`ref`);--> statement-breakpoint
CREATE INDEX `outbox_waiting` ON `outbox` (`lease_until`) WHERE state = 'waiting';--> statement-breakpoint
-- Deliveries the previous release left pending get their outbox row, so the sweep sends any whose message is lost:
-- never attempted, ten minutes after they were written; retrying, twelve hours (a queue's longest delay) after the last attempt.
INSERT OR IGNORE INTO `outbox` (`kind`, `ref`, `site_id`, `body`, `state`, `waiting_since`, `due_at`, `lease_until`, `attempts`, `last_failure`, `created_at`, `updated_at`)
SELECT 'webhook', `id`, `site_id`, json_object('deliveryId', `id`), 'waiting', `created_at`, `created_at`,
  CASE WHEN `attempts` = 0 THEN `created_at` + 600000 ELSE coalesce(`last_attempt_at`, `created_at`) + 43200000 END,
  `attempts`, `last_error`, `created_at`, `created_at`
FROM `webhook_deliveries` WHERE `state` = 'pending';
--> statement-breakpoint
DROP INDEX `webhook_deliveries_unsent`;
--> statement-breakpoint
-- Link checks the previous release left waiting, likewise: its retries end within about twenty minutes, so a check still
-- waiting two hours after it was asked for lost its message and is sent again.
INSERT OR IGNORE INTO `outbox` (`kind`, `ref`, `site_id`, `body`, `state`, `waiting_since`, `due_at`, `lease_until`, `attempts`, `last_failure`, `created_at`, `updated_at`)
SELECT 'check', `id`, `site_id`, json_object('mentionId', `id`), 'waiting', coalesce(`verify_requested_at`, `received_at`),
  coalesce(`verify_requested_at`, `received_at`), coalesce(`verify_requested_at`, `received_at`) + 7200000,
  `verify_attempts`, NULL, coalesce(`verify_requested_at`, `received_at`), coalesce(`verify_requested_at`, `received_at`)
FROM `mentions` WHERE `verify_state` = 'queued';
--> statement-breakpoint
-- Answers' announcements the previous release left waiting (it had no way to find one whose message was lost): the same two
-- hours after the last try. Their message names the response only; the hub's HUB_ORIGIN gives its page.
INSERT OR IGNORE INTO `outbox` (`kind`, `ref`, `site_id`, `body`, `state`, `waiting_since`, `due_at`, `lease_until`, `attempts`, `last_failure`, `created_at`, `updated_at`)
SELECT 'announce', `id`, `site_id`, json_object('responseId', `id`), 'waiting', `created_at`,
  `created_at`, coalesce(`webmention_at`, `created_at`) + 7200000,
  `webmention_attempts`, `webmention_reason`, `created_at`, `created_at`
FROM `responses` WHERE `webmention_state` = 'queued';
