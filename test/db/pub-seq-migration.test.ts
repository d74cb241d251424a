/**
 * Migration 0026 on the rows of the release before: every voice ever published — still shown or
 * taken down since — gets its site's publication number, in the feed's order (publication time,
 * then id), each site from 1; a voice never published gets none.
 */
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

const MIGRATION = '0026_number_publications.sql'

describe('migration 0026 (pub_seq)', () => {
  it('numbers the published voices of each site by publication time, then id', async () => {
    const db = env.MIGRATION_DB
    const index = env.TEST_MIGRATIONS.findIndex((m) => m.name === MIGRATION)
    expect(index).toBeGreaterThan(0)
    await applyD1Migrations(db, env.TEST_MIGRATIONS.slice(0, index))
    for (const slug of ['one', 'two']) {
      await db
        .prepare(
          `INSERT INTO sites (slug, name, origins, embed_origins, settings, created_at) VALUES (?, ?, '[]', '[]', '{}', 0)`,
        )
        .bind(slug, slug)
        .run()
    }
    const voice = (id: string, site: string, status: string, publishedAt: number | null) =>
      db
        .prepare(
          `INSERT INTO mentions (id, site_id, target_id, kind, status, received_at, updated_at, published_at, rev)
           VALUES (?, (SELECT id FROM sites WHERE slug = ?), 't', 'trackback', ?, 0, 0, ?, 'r')`,
        )
        .bind(id, site, status, publishedAt)
        .run()
    await voice('m_c', 'one', 'published', 300)
    await voice('m_a', 'one', 'spam', 100) // published, then taken down: keeps a number
    await voice('m_b2', 'one', 'published', 200)
    await voice('m_b1', 'one', 'removed', 200)
    await voice('m_p', 'one', 'pending', null)
    await voice('m_x', 'two', 'published', 50)
    await applyD1Migrations(db, env.TEST_MIGRATIONS)

    const rows = (
      await db.prepare('SELECT id, pub_seq FROM mentions ORDER BY id').all<{ id: string; pub_seq: number | null }>()
    ).results
    expect(Object.fromEntries(rows.map((r) => [r.id, r.pub_seq]))).toEqual({
      m_a: 1,
      m_b1: 2,
      m_b2: 3,
      m_c: 4,
      m_p: null,
      m_x: 1,
    })
  })
})
