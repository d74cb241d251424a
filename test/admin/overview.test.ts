/**
 * The overview: its summaries (per week, medians, ages) computed alone, and the page — four
 * server-drawn charts with captions, summaries and their numbers as tables, in English and
 * Japanese, never for another site.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { OVERVIEW_WEEKS, overviewOf } from '../../src/admin/pages/overview/overview'
import { getDb } from '../../src/db/client'
import { type Browser, get, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, callAt, HOUR } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

const WEEK = 7 * 24 * HOUR
const since = Date.UTC(2026, 8, 1)

/** Inserts published voices as they would stand: when published, their sentiment, when first answered. */
async function seed(
  s: SiteFixture,
  target: string,
  rows: { publishedAt: number; sentiment: string | null; firstResponseAt?: number | null }[],
) {
  const siteId = (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?').bind(s.slug).first<{ id: number }>())!.id
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        `INSERT INTO mentions (id, site_id, target_id, kind, status, source_url, source_host, received_at, updated_at, published_at, sentiment, first_response_at, rev)
         VALUES (?, ?, ?, 'trackback', 'published', ?, 'blog.example', ?, ?, ?, ?, ?, 'seed')`,
      ).bind(
        unique('m'),
        siteId,
        target,
        `https://blog.example/${unique('p')}`,
        r.publishedAt,
        r.publishedAt,
        r.publishedAt,
        r.sentiment,
        r.firstResponseAt ?? null,
      ),
    ),
  )
}

describe('the overview’s numbers, counted by D1', () => {
  const now = since + OVERVIEW_WEEKS * WEEK
  const operator = { kind: 'operator' } as const

  it('counts voices per week by sentiment, leaving out what falls outside the weeks shown', async () => {
    const s = await createSite()
    await seed(s, (await createTarget(s)).id, [
      { publishedAt: since + HOUR, sentiment: 'negative' },
      { publishedAt: since + 2 * HOUR, sentiment: null },
      { publishedAt: since + WEEK + HOUR, sentiment: 'positive' },
      { publishedAt: since - HOUR, sentiment: 'positive' },
    ])
    const o = await overviewOf(getDb(env.DB), operator, s.slug, now)
    expect(o.sentiment).toHaveLength(OVERVIEW_WEEKS)
    expect(o.sentiment[0]).toMatchObject({ negative: 1, unclassified: 1, positive: 0 })
    expect(o.sentiment[1]).toMatchObject({ positive: 1 })
    expect(o.sentiment.slice(2).every((w) => w.positive + w.negative + w.neutral + w.unclassified === 0)).toBe(true)
  })

  it('takes the median hours to a first answer per week of publication (none when nothing was answered)', async () => {
    const s = await createSite()
    const at = (hours: number | null) => ({
      publishedAt: since + HOUR,
      sentiment: null,
      firstResponseAt: hours === null ? null : since + (hours + 1) * HOUR,
    })
    await seed(s, (await createTarget(s)).id, [
      at(2),
      at(10),
      at(4),
      at(30),
      at(null),
      { publishedAt: since + 2 * WEEK, sentiment: null, firstResponseAt: since + 2 * WEEK + 5 * HOUR },
    ])
    const o = await overviewOf(getDb(env.DB), operator, s.slug, now)
    expect(o.response[0]).toMatchObject({ medianHours: 7, answered: 4 })
    expect(o.response[1]).toMatchObject({ medianHours: null, answered: 0 })
    expect(o.response[2]).toMatchObject({ medianHours: 5, answered: 1 })
  })

  it('sorts the waiting negative voices by age, however many there are', async () => {
    const s = await createSite()
    const ago = (days: number) => ({ publishedAt: now - days * 24 * HOUR, sentiment: 'negative' })
    const many = Array.from({ length: 6000 }, () => ago(20))
    const target = (await createTarget(s)).id
    await seed(s, target, [ago(0.5), ago(2), ago(2.5), ago(5), { ...ago(1), firstResponseAt: now }])
    for (let i = 0; i < many.length; i += 500) await seed(s, target, many.slice(i, i + 500))
    const o = await overviewOf(getDb(env.DB), operator, s.slug, now)
    expect(o.waiting).toEqual([
      { key: 'day', count: 1 },
      { key: 'days3', count: 2 },
      { key: 'week', count: 1 },
      { key: 'older', count: 6000 },
    ])
  })
})

let site: SiteFixture
let staff: Browser

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  staff = await signIn(site.key)
  const target = (await createTarget(site)).id
  // A complaint from two days ago, still unanswered, and a happy voice answered.
  const complaint = await pingVoice(site, target, { title: 'Broken' }, callAt(Date.now() - 2 * 24 * HOUR))
  const praise = await pingVoice(site, target, { title: 'Lovely' })
  const idOf = async (url: string) =>
    (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id
  await api('PATCH', `/api/mentions/${await idOf(complaint)}`, { sentiment: 'negative' }, site.key)
  const happy = await idOf(praise)
  await api('PATCH', `/api/mentions/${happy}`, { sentiment: 'positive' }, site.key)
  const answered = await api(
    'POST',
    `/api/mentions/${happy}/responses`,
    { stage: 'reply', body: 'Thank you!', author: { name: 'Aiko' } },
    site.key,
  )
  expect(answered.status).toBe(201)
})

describe('/admin/sites/{site}/overview', () => {
  it('draws four charts, each with a caption, a summary and its numbers, in English and Japanese', async () => {
    const res = await get(staff, `/admin/sites/${site.slug}/overview?lang=en`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html.match(/<figure /g)).toHaveLength(4)
    expect(html.match(/<svg [^>]*role="img" aria-label="/g)).toHaveLength(4)
    expect(html).toContain('aria-label="Voices published per week, by sentiment: 2"')
    expect(html).toContain('Unanswered negative voices, by how long they have waited: under a day 0, 1–3 days 1')
    expect(html).toContain('<summary>The numbers</summary>')
    expect(html).not.toContain('<script')
    const ja = await (await get(staff, `/admin/sites/${site.slug}/overview?lang=ja`)).text()
    expect(ja).toContain('週ごとに公開された声（評価別）')
    expect(ja).toContain('1〜3日 1')
    expect(await (await get(staff, `/admin/sites/${site.slug}`)).text()).toContain(
      `href="/admin/sites/${site.slug}/overview"`,
    )
  })

  it('is never shown for another site', async () => {
    const other = await createSite()
    expect((await get(staff, `/admin/sites/${other.slug}/overview`)).status).toBe(404)
  })
})
