/**
 * Migration 0028 on the rows of the release before: every delivery still pending gets its outbox
 * row, so the sweep sends any whose queue message was lost — one never tried after ten minutes,
 * one retrying after a queue's longest delay — while delivered and failed ones get none.
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
  })
})
