/**
 * The operator's lists read about one page of rows however many voices a site has: every
 * filter combination of `GET /api/sites/{site}/mentions` and of the inbox stays within its
 * page's budget, and following the cursors (also through stretches where a filter the index
 * does not answer matched nothing) lists exactly the voices a full scan would, in order.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { seedBench } from '../../src/dev/bench-seed'
import { get, signIn, type Browser } from '../helpers/admin'
import { api, rowsRead, OPERATOR_TOKEN } from '../helpers/http'

const VOICES = 3000
const LIMIT = 50
/** One page: the rows it shows and the next, plus the site's lookups. */
const INDEXED_BUDGET = LIMIT + 10
/** A page whose index leaves a filter to check: a window of 5 rows per shown voice, read twice (rows, then where it ended). */
const WINDOWED_BUDGET = 2 * 5 * LIMIT + LIMIT + 10
/** The inbox's target filter offers the site's registered targets by title: at most this many. */
const FILTER_TARGETS = 200

type Filter = { status?: string; kind?: string; sentiment?: string; target?: string; unanswered?: '1' }

/** The same filter as a plain SQL scan: what the list must show, newest received first. */
async function expected(f: Filter) {
  const where = ['site_id = (SELECT id FROM sites WHERE slug = ?)']
  const binds: string[] = ['bench']
  const term = (clause: string, value: string) => {
    where.push(clause)
    binds.push(value)
  }
  if (f.status) term('status = ?', f.status)
  if (f.kind) term('kind = ?', f.kind)
  if (f.sentiment === 'unclassified') where.push('sentiment IS NULL')
  else if (f.sentiment) term('sentiment = ?', f.sentiment)
  if (f.target) term('target_id = ?', f.target)
  if (f.unanswered) where.push('first_response_at IS NULL')
  const { results } = await env.DB.prepare(
    `SELECT id FROM mentions WHERE ${where.join(' AND ')} ORDER BY received_at DESC, id DESC`,
  )
    .bind(...binds)
    .all<{ id: string }>()
  return results.map((r) => r.id)
}

beforeAll(async () => {
  // Kinds cycle trackback/webmention/pingback, sentiments positive/neutral/negative/none,
  // every trackback is answered, every 50th voice is spam, 1,000 targets of 3 voices each.
  await seedBench(env.DB, VOICES)
})

describe('GET /api/sites/{site}/mentions at scale', () => {
  const served: Filter[] = [
    {},
    { status: 'published' },
    { status: 'spam' },
    { kind: 'webmention' },
    { sentiment: 'negative' },
    { sentiment: 'unclassified' },
    { target: 'p0007' },
    { unanswered: '1', sentiment: 'negative' },
    { unanswered: '1', sentiment: 'unclassified' },
  ]
  const windowed: Filter[] = [
    { unanswered: '1' },
    { status: 'published', kind: 'pingback' },
    { kind: 'trackback', unanswered: '1' }, // never matches: every window comes back empty
    { status: 'spam', sentiment: 'positive' },
    { status: 'published', kind: 'webmention', sentiment: 'negative', unanswered: '1' },
    { target: 'p0007', status: 'published', kind: 'webmention' },
  ]

  for (const [filters, budget] of [
    [served, INDEXED_BUDGET],
    [windowed, WINDOWED_BUDGET],
  ] as const) {
    for (const f of filters) {
      it(`lists ${JSON.stringify(f)} completely, in order, within ${budget} rows a page`, async () => {
        const seen: string[] = []
        let cursor: string | null = null
        let pages = 0
        do {
          const query = new URLSearchParams({ ...f, limit: String(LIMIT), ...(cursor ? { cursor } : {}) })
          const res = await api('GET', `/api/sites/bench/mentions?${query.toString()}`)
          expect(res.status).toBe(200)
          expect(rowsRead(res)).toBeLessThanOrEqual(budget)
          const page = await res.json<{ items: { id: string }[]; next_cursor: string | null }>()
          expect(page.items.length).toBeLessThanOrEqual(LIMIT)
          seen.push(...page.items.map((m) => m.id))
          cursor = page.next_cursor
          pages++
        } while (cursor && pages < 200)
        expect(seen).toEqual(await expected(f))
      })
    }
  }
})

describe('the inbox at scale', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await signIn(OPERATOR_TOKEN)
  })

  /** The voice ids of one inbox group on the page, and its "next ones" link. */
  function group(html: string, name: string) {
    const section = html.slice(
      html.indexOf(`<section id="${name}">`),
      html.indexOf('</section>', html.indexOf(`<section id="${name}">`)),
    )
    const ids = [...section.matchAll(/href="\/admin\/mentions\/(m_[^"]+)"/g)].map((m) => m[1]!)
    const more =
      /href="(?:\/admin\/sites\/bench)?(\?[^"]*more=[^"#]+)#/.exec(section)?.[1]?.replaceAll('&amp;', '&') ?? null
    return { ids, more }
  }

  it('reads a bounded number of rows unfiltered and with each filter', async () => {
    const plain = await get(browser, '/admin/sites/bench')
    expect(plain.status).toBe(200)
    // Three groups of 50 (and the next of each), the site and the session, and the registered
    // targets the filter offers by title (at most 200, however many voices).
    expect(rowsRead(plain)).toBeLessThanOrEqual(3 * (LIMIT + 1) + 10 + FILTER_TARGETS)
    for (const query of [
      'kind=webmention',
      'sentiment=neutral',
      'target=p0007',
      'kind=pingback&sentiment=unclassified&target=p0005',
    ]) {
      const res = await get(browser, `/admin/sites/bench?${query}`)
      expect(res.status).toBe(200)
      expect(rowsRead(res)).toBeLessThanOrEqual(3 * WINDOWED_BUDGET + FILTER_TARGETS)
    }
  })

  it('follows a group’s "next ones" links to every waiting voice, oldest first', async () => {
    const want = (
      await env.DB.prepare(
        `SELECT id FROM mentions WHERE site_id = (SELECT id FROM sites WHERE slug = 'bench') AND status = 'published'
           AND first_response_at IS NULL AND sentiment = 'negative' AND kind = 'webmention' ORDER BY published_at, id`,
      ).all<{ id: string }>()
    ).results.map((r) => r.id)
    const seen: string[] = []
    let path: string | null = '?kind=webmention'
    for (let pages = 0; path && pages < 100; pages++) {
      const res = await get(browser, `/admin/sites/bench${path}`)
      expect(rowsRead(res)).toBeLessThanOrEqual(3 * WINDOWED_BUDGET + FILTER_TARGETS)
      const g = group(await res.text(), 'unansweredNegative')
      seen.push(...g.ids)
      path = g.more
    }
    expect(seen).toEqual(want)
  })

  it('pages a status list with "older" links, and refuses a link it did not make', async () => {
    const first = await (await get(browser, '/admin/sites/bench?status=published')).text()
    const older = /href="(?:\/admin\/sites\/bench)?(\?[^"]*cursor=[^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&')
    expect(older).toBeDefined()
    const second = await get(browser, `/admin/sites/bench${older}`)
    expect(second.status).toBe(200)
    const stale = await get(browser, '/admin/sites/bench?more=unansweredOther.nonsense')
    expect(stale.status).toBe(400)
    expect(await stale.text()).toContain('out of date')
  })
})
