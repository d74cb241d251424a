/**
 * The overview: its summaries (per week, medians, ages) computed alone, and the page — four
 * server-drawn charts with captions, summaries and their numbers as tables, in English and
 * Japanese, never for another site.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { OVERVIEW_WEEKS, responseByWeek, sentimentByWeek, waitingByAge } from '../../src/admin/overview'
import { type Browser, get, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api, callAt, HOUR } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

const WEEK = 7 * 24 * HOUR
const since = Date.UTC(2026, 8, 1)

describe('the overview’s summaries', () => {
  it('counts voices per week by sentiment, leaving out what falls outside the weeks shown', () => {
    const weeks = sentimentByWeek(
      [
        { publishedAt: since + HOUR, sentiment: 'negative', firstResponseAt: null },
        { publishedAt: since + 2 * HOUR, sentiment: null, firstResponseAt: null },
        { publishedAt: since + WEEK + HOUR, sentiment: 'positive', firstResponseAt: null },
        { publishedAt: since - HOUR, sentiment: 'positive', firstResponseAt: null },
        { publishedAt: since + OVERVIEW_WEEKS * WEEK, sentiment: 'positive', firstResponseAt: null },
      ],
      since,
    )
    expect(weeks).toHaveLength(OVERVIEW_WEEKS)
    expect(weeks[0]).toMatchObject({ negative: 1, unclassified: 1, positive: 0 })
    expect(weeks[1]).toMatchObject({ positive: 1 })
    expect(weeks.slice(2).every((w) => w.positive + w.negative + w.neutral + w.unclassified === 0)).toBe(true)
  })

  it('takes the median hours to a first answer per week of publication (none when nothing was answered)', () => {
    const at = (hours: number) => ({ publishedAt: since, sentiment: null, firstResponseAt: since + hours * HOUR })
    const weeks = responseByWeek([at(2), at(10), at(4), at(30), { ...at(1), firstResponseAt: null }], since)
    expect(weeks[0]).toMatchObject({ medianHours: 7, answered: 4 })
    expect(weeks[1]).toMatchObject({ medianHours: null, answered: 0 })
  })

  it('sorts the waiting negative voices by age', () => {
    const now = since + 30 * 24 * HOUR
    const ago = (days: number) => ({ publishedAt: now - days * 24 * HOUR })
    expect(waitingByAge([ago(0.5), ago(2), ago(2.5), ago(5), ago(20), { publishedAt: null }], now)).toEqual([
      { key: 'day', count: 1 },
      { key: 'days3', count: 2 },
      { key: 'week', count: 1 },
      { key: 'older', count: 1 },
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
    expect(ja).toContain('週ごとに公開された声（感情別）')
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
