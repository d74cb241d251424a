/**
 * Migration 0024 on the rows of the release before: a site whose UTC week's digest was sent is
 * due again only after the following week, in every zone, so no shop gets that week twice; the
 * old column stays for the Worker still running while the migrations are applied.
 */
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { WEEK } from '../../src/common/clock'
import { lastWeekIn } from '../../src/digest/figures'

const MIGRATION = '0024_digest_due_local_week.sql'
// The UTC week whose digest was sent: Monday 30 November 2026.
const SENT = Date.UTC(2026, 10, 30)

describe('migration 0024 (digest_due)', () => {
  it('makes each site due after the week that follows the one sent, in every zone, and keeps digest_week', async () => {
    const db = env.MIGRATION_DB
    const index = env.TEST_MIGRATIONS.findIndex((m) => m.name === MIGRATION)
    expect(index).toBeGreaterThan(0)
    await applyD1Migrations(db, env.TEST_MIGRATIONS.slice(0, index))
    const site = (slug: string, digestWeek: number) =>
      db
        .prepare(
          `INSERT INTO sites (slug, name, origins, embed_origins, settings, created_at, digest_week)
           VALUES (?, 'A shop', '[]', '[]', '{}', ?, ?)`,
        )
        .bind(slug, SENT - 10 * WEEK, digestWeek)
        .run()
    await site('sent', SENT)
    await site('never', 0)
    await applyD1Migrations(db, env.TEST_MIGRATIONS)

    const rows = (
      await db.prepare('SELECT slug, digest_due, digest_week FROM sites ORDER BY slug').all<{
        slug: string
        digest_due: number
        digest_week: number
      }>()
    ).results
    expect(rows).toEqual([
      { slug: 'never', digest_due: 0, digest_week: 0 },
      { slug: 'sent', digest_due: SENT + 2 * WEEK + 12 * 3_600_000, digest_week: SENT },
    ])
    const due = rows[1]!.digest_due
    // When it comes due, the week its zone's digest covers is never the UTC week already sent.
    for (const zone of ['Pacific/Kiritimati', 'Asia/Tokyo', 'UTC', 'America/New_York', 'Pacific/Pago_Pago']) {
      const week = lastWeekIn(due, zone)
      expect(week.start, zone).toBeGreaterThan(SENT + WEEK / 2)
      expect(week.end, zone).toBeLessThanOrEqual(due)
    }
  })
})
