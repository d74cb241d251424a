/**
 * Migration 0028 on the rows of the release before: every delivery still pending, check still
 * waiting and announcement still queued gets its outbox row, so the sweep sends any whose queue
 * message was lost — a delivery never tried after ten minutes, one retrying after a queue's
 * longest delay, a check or an announcement two hours after its last try — while settled ones
 * get none. (The announcement stranded this way is the one the previous release never found.)
 */
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

const MIGRATION = '0028_create_outbox.sql'
const AT = Date.UTC(2026, 11, 1)

describe('migration 0028 (outbox)', () => {
  it('records the pending deliveries of the release before, with leases the sweep will see end', async () => {
    const db = env.MIGRATION_DB
    const index = env.TEST_MIGRATIONS.findIndex((m) => m.name === MIGRATION)
    expect(index).toBeGreaterThan(0)
    await applyD1Migrations(db, env.TEST_MIGRATIONS.slice(0, index))
    await db
      .prepare(
        `INSERT INTO sites (id, slug, name, origins, embed_origins, settings, created_at) VALUES (7, 'shop', 'A shop', '[]', '[]', '{}', ?)`,
      )
      .bind(AT)
      .run()
    await db
      .prepare(
        `INSERT INTO webhook_endpoints (id, site_id, url, events, mode, secret_sealed, created_at)
         VALUES ('e1', 7, 'https://hooks.example/in', '[]', 'standard', 'x', ?)`,
      )
      .bind(AT)
      .run()
    const delivery = (id: string, state: string, attempts: number, lastAttemptAt: number | null) =>
      db
        .prepare(
          `INSERT INTO webhook_deliveries (id, site_id, endpoint_id, event, payload, state, attempts, last_error, last_attempt_at, created_at)
           VALUES (?, 7, 'e1', 'mention.received', '{}', ?, ?, ?, ?, ?)`,
        )
        .bind(id, state, attempts, attempts > 0 ? 'http_503' : null, lastAttemptAt, AT)
        .run()
    await delivery('never_tried', 'pending', 0, null)
    await delivery('retrying', 'pending', 2, AT + 60_000)
    await delivery('delivered', 'delivered', 1, AT)
    await delivery('failed', 'failed', 8, AT)
    const voice = (id: string, verifyState: string, requestedAt: number) =>
      db
        .prepare(
          `INSERT INTO mentions (id, site_id, target_id, kind, status, received_at, updated_at, rev, verify_state, verify_requested_at, verify_attempts)
           VALUES (?, 7, 't', 'webmention', 'pending', ?, ?, 'r1', ?, ?, 1)`,
        )
        .bind(id, AT, AT, verifyState, requestedAt)
        .run()
    await voice('m_waiting', 'queued', AT + 5000)
    await voice('m_checked', 'verified', AT)
    const response = (id: string, state: string | null, attempts: number, at: number | null) =>
      db
        .prepare(
          `INSERT INTO responses (id, site_id, mention_id, stage, body, author_name, created_at, webmention_state, webmention_attempts, webmention_at, webmention_reason)
           VALUES (?, 7, 'm_checked', 'reply', 'Thanks', 'Aiko', ?, ?, ?, ?, ?)`,
        )
        .bind(id, AT, state, attempts, at, attempts > 0 ? 'endpoint_error' : null)
        .run()
    await response('r_stranded', 'queued', 2, AT + 90_000)
    await response('r_sent', 'sent', 1, AT)
    await response('r_none', null, 0, null)
    await applyD1Migrations(db, env.TEST_MIGRATIONS)

    const rows = (
      await db
        .prepare(
          "SELECT ref, site_id, body, state, due_at, lease_until, attempts, last_failure FROM outbox WHERE kind = 'webhook' ORDER BY ref",
        )
        .all()
    ).results
    expect(rows).toEqual([
      {
        ref: 'never_tried',
        site_id: 7,
        body: '{"deliveryId":"never_tried"}',
        state: 'waiting',
        due_at: AT,
        lease_until: AT + 10 * 60_000,
        attempts: 0,
        last_failure: null,
      },
      {
        ref: 'retrying',
        site_id: 7,
        body: '{"deliveryId":"retrying"}',
        state: 'waiting',
        due_at: AT,
        lease_until: AT + 60_000 + 12 * 3_600_000,
        attempts: 2,
        last_failure: 'http_503',
      },
    ])

    // A check still waiting: its lease ends two hours after it was asked for (the old retries end within twenty minutes).
    const others = (
      await db
        .prepare(
          "SELECT kind, ref, body, state, due_at, lease_until, attempts, last_failure FROM outbox WHERE kind != 'webhook' ORDER BY kind, ref",
        )
        .all()
    ).results
    expect(others).toEqual([
      {
        kind: 'announce',
        ref: 'r_stranded',
        body: '{"responseId":"r_stranded"}',
        state: 'waiting',
        due_at: AT,
        lease_until: AT + 90_000 + 2 * 3_600_000,
        attempts: 2,
        last_failure: 'endpoint_error',
      },
      {
        kind: 'check',
        ref: 'm_waiting',
        body: '{"mentionId":"m_waiting"}',
        state: 'waiting',
        due_at: AT + 5000,
        lease_until: AT + 5000 + 2 * 3_600_000,
        attempts: 1,
        last_failure: null,
      },
    ])
  })
})
