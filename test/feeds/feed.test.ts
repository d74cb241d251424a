import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { createSite, createTarget, type SiteFixture, PUBLISH_PINGS_AT_ONCE } from '../helpers/factories'
import { api, call, rowsRead } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

type Item = {
  id: string
  url: string
  title: string
  content_text: string
  date_published: string
  authors?: { name: string; url?: string }[]
  _glasshouse: {
    kind: string
    target: string
    sentiment: string | null
    responses: { stage: string; author: { name: string; role: string | null }; content_text: string }[]
  }
}
type Feed = {
  version: string
  title: string
  home_page_url: string
  feed_url: string
  next_url?: string
  items: Item[]
  _glasshouse: {
    target: { id: string | null; url: string } | null
    stats: {
      voices: number
      by_sentiment: Record<string, number>
      responded: number
      response_rate: number | null
      median_hours_to_first_response: number | null
    }
    moderation: Record<string, number>
  }
}

let site: SiteFixture
let target: string
const ids: Record<string, string> = {}

async function voiceId(url: string) {
  const row = await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>()
  return row!.id
}

beforeAll(async () => {
  site = await createSite({ ...PUBLISH_PINGS_AT_ONCE, embed_origins: ['https://embed.example'] })
  target = (await createTarget(site, 'tee', 'Tee')).id
  ids.praise = await voiceId(await pingVoice(site, target, { title: 'Love it', excerpt: 'Great tee' }))
  ids.complaint = await voiceId(await pingVoice(site, target, { title: 'Seams split', excerpt: 'Bad seams' }))
  ids.spam = await voiceId(await pingVoice(site, target, { title: 'Pills' }))
  await api('PATCH', `/api/mentions/${ids.praise}`, { sentiment: 'positive' }, site.key)
  await api('PATCH', `/api/mentions/${ids.complaint}`, { sentiment: 'negative' }, site.key)
  await api(
    'POST',
    `/api/mentions/${ids.complaint}/responses`,
    { stage: 'apology', body: 'Sorry, we are on it.', author: { name: '山田', role: '店長' } },
    site.key,
  )
  await api('POST', `/api/mentions/${ids.spam}/moderation`, { action: 'spam', reason: 'pills' }, site.key)
})

const feed = (query = '', headers: Record<string, string> = {}) => call(`/feeds/${site.slug}.json${query}`, { headers })

describe('GET /feeds/{site}.json', () => {
  it('is a JSON Feed 1.1 of published voices, negative ones included, with responses', async () => {
    const res = await feed(`?target=${target}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    const doc = await res.json<Feed>()
    expect(doc.version).toBe('https://jsonfeed.org/version/1.1')
    expect(doc.home_page_url).toBe(`${site.origin}/products/tee`)
    expect(doc.feed_url).toBe(`http://hub.test/feeds/${site.slug}.json?target=${target}`)
    expect(doc.items.map((i) => i.id)).toEqual([ids.complaint, ids.praise])
    const complaint = doc.items[0]!
    expect(complaint).toMatchObject({
      title: 'Seams split',
      content_text: 'Bad seams',
      authors: [{ name: 'A blog' }],
      _glasshouse: {
        kind: 'trackback',
        sentiment: 'negative',
        target,
        responses: [{ stage: 'apology', author: { name: '山田', role: '店長' }, content_text: 'Sorry, we are on it.' }],
      },
    })
    expect(doc.items.some((i) => i.id === ids.spam)).toBe(false)
  })

  it('carries statistics from counters and the moderation counts', async () => {
    const doc = await (await feed(`?target=${target}`)).json<Feed>()
    expect(doc._glasshouse.stats).toMatchObject({
      voices: 2,
      by_sentiment: { positive: 1, neutral: 0, negative: 1, unclassified: 0 },
      responded: 1,
      response_rate: 0.5,
    })
    expect(doc._glasshouse.stats.median_hours_to_first_response).toBeGreaterThanOrEqual(0)
    expect(doc._glasshouse.moderation).toMatchObject({ spam: 1, removed: 0 })
  })

  it('finds a target by its URL too, and gives an unregistered storefront URL an empty feed', async () => {
    const byUrl = await (
      await feed(`?target=${encodeURIComponent(`${site.origin}/products/tee/?utm_source=x`)}`)
    ).json<Feed>()
    expect(byUrl.items).toHaveLength(2)
    const fresh = await feed(`?target=${encodeURIComponent(`${site.origin}/products/new-thing`)}`)
    expect(fresh.status).toBe(200)
    const doc = await fresh.json<Feed>()
    expect(doc.items).toEqual([])
    expect(doc._glasshouse.target).toMatchObject({ id: null, url: `${site.origin}/products/new-thing` })
    expect(doc._glasshouse.stats.voices).toBe(0)
  })

  it('filters by kind and sentiment', async () => {
    const negative = await (await feed(`?sentiment=negative`)).json<Feed>()
    expect(negative.items.map((i) => i.id)).toEqual([ids.complaint])
    const reviews = await (await feed(`?kind=review`)).json<Feed>()
    expect(reviews.items).toEqual([])
    const both = await (await feed(`?target=${target}&kind=trackback&sentiment=positive`)).json<Feed>()
    expect(both.items.map((i) => i.id)).toEqual([ids.praise])
  })

  it('pages with an opaque cursor and next_url', async () => {
    const first = await (await feed(`?target=${target}&limit=1`)).json<Feed>()
    expect(first.items).toHaveLength(1)
    expect(first.next_url).toMatch(/cursor=/)
    const second = await (await call(new URL(first.next_url!).pathname + new URL(first.next_url!).search)).json<Feed>()
    expect(second.items.map((i) => i.id)).toEqual([ids.praise])
    expect(second.next_url).toBeUndefined()
  })

  it.each([
    ['?limit=0'],
    ['?limit=101'],
    ['?limit=ten'],
    ['?kind=tweet'],
    ['?sentiment=furious'],
    ['?cursor=%%%'],
    ['?cursor=eyJhIjoxfQ'],
    ['?target='],
  ])('answers 400 with a JSON error for %s', async (query) => {
    const res = await feed(query)
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('invalid_input')
  })

  it('answers 404 for an unknown site, an unknown target id and a URL off the storefront', async () => {
    expect((await call('/feeds/no-such-site.json')).status).toBe(404)
    expect((await feed('?target=nope')).status).toBe(404)
    expect((await feed(`?target=${encodeURIComponent('https://elsewhere.example/p')}`)).status).toBe(404)
  })
})

describe('feed caching', () => {
  it('answers If-None-Match with 304 until the site changes', async () => {
    const res = await feed(`?target=${target}`)
    const etag = res.headers.get('ETag')!
    expect(etag).toMatch(/^"f2-\d+-\d+"$/)
    expect(res.headers.get('Cache-Control')).toContain('max-age=')
    const again = await feed(`?target=${target}`, { 'If-None-Match': etag })
    expect(again.status).toBe(304)
    // The site row and the version checks of the batch; no voice is read.
    expect(rowsRead(again)).toBeLessThanOrEqual(5)

    await pingVoice(site, target)
    const changed = await feed(`?target=${target}`, { 'If-None-Match': etag })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('ETag')).not.toBe(etag)
  })

  it('with no caching window, checks the version on every request: a repeat reads the site row only, a change is a miss', async () => {
    const t = (await createTarget(site)).id
    await pingVoice(site, t)
    const miss = await feed(`?target=${t}`)
    expect(miss.headers.get('X-Cache')).toBe('miss')
    const missBody = await miss.json<Feed>()
    const hit = await feed(`?target=${t}`)
    expect(hit.headers.get('X-Cache')).toBe('revalidated')
    expect(rowsRead(hit)).toBeLessThanOrEqual(5)
    expect(await hit.json()).toEqual(missBody)

    const { id } = (await env.DB.prepare('SELECT id FROM mentions WHERE target_id = ?')
      .bind(t)
      .first<{ id: string }>())!
    await api(
      'POST',
      `/api/mentions/${id}/responses`,
      { stage: 'reply', body: 'Thanks!', author: { name: 'x' } },
      site.key,
    )
    const after = await feed(`?target=${t}`)
    expect(after.headers.get('X-Cache')).toBe('miss')
    expect((await after.json<Feed>()).items[0]!._glasshouse.responses).toHaveLength(1)
  })
})

describe('feed CORS', () => {
  it("allows the site's embed origins only", async () => {
    const allowed = await feed('', { Origin: 'https://embed.example' })
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://embed.example')
    expect(allowed.headers.get('Vary')).toContain('Origin')
    const denied = await feed('', { Origin: 'https://evil.example' })
    expect(denied.headers.get('Access-Control-Allow-Origin')).toBeNull()
    const preflight = await call(`/feeds/${site.slug}.json`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://embed.example' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('https://embed.example')
  })
})

describe('feed D1 cost', () => {
  it('reads about one page of rows, whatever the filter', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    for (let i = 0; i < 30; i++) await pingVoice(s, t)
    for (const query of [
      '',
      `?target=${t}`,
      '?kind=trackback',
      '?sentiment=unclassified',
      `?target=${t}&kind=trackback`,
      `?target=${t}&sentiment=unclassified`,
      '?kind=trackback&sentiment=unclassified',
      `?target=${t}&kind=trackback&sentiment=unclassified`,
    ]) {
      const res = await call(`/feeds/${s.slug}.json${query}${query ? '&' : '?'}limit=10`)
      expect(res.status).toBe(200)
      // site + target + counters + 11 voices (through the index): well under 3 × 10.
      expect(rowsRead(res), query).toBeLessThanOrEqual(30)
      // Served from the cache: the version checks only, however many voices there are.
      const again = await call(`/feeds/${s.slug}.json${query}${query ? '&' : '?'}limit=10`)
      expect(again.headers.get('X-Cache')).toBe('revalidated')
      expect(rowsRead(again), query).toBeLessThanOrEqual(5)
    }
  })
})
