/**
 * `GET /feeds/{site}.jf2` with no target: every published voice of the site, newest first, in the
 * shape of webmention.io's `mentions.jf2?domain=` — `since` (an ISO time or a wm-id), `per-page`
 * and `page`, and the hub's own cursor — reading one page of rows however many voices there are.
 * Numbered pages at depth: ./jf2-numbered.test.ts.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { seedBench } from '../../src/dev/bench-seed'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api, call, callAt } from '../helpers/http'
import { benchVoice, budget, iso, jf2, MINUTE, pings, readBench as read, takeDown } from '../helpers/jf2'
import { discover } from '../helpers/listening'
import { pingVoice, voiceIdOf as idOf } from '../helpers/voices'

const BENCH_VOICES = 3000

let site: SiteFixture
let tee: { id: string; url: string }
let mug: { id: string; url: string }
const t0 = Date.now() - 60 * MINUTE
/** The site's voices, oldest first: a (tee), b (mug), c (tee) published a minute apart; d (mug) is spam. */
const v = { a: '', b: '', c: '', d: '' }

beforeAll(async () => {
  // 3,000 voices over 1,000 products, one a second back from now, every 50th spam (site `bench`).
  await seedBench(env.DB, BENCH_VOICES)
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  tee = await createTarget(site, 'tee', 'Tee')
  mug = await createTarget(site, 'mug', 'Mug')
  v.a = await idOf(await pingVoice(site, tee.id, { title: 'a' }, callAt(t0 + MINUTE)))
  v.b = await idOf(await pingVoice(site, mug.id, { title: 'b' }, callAt(t0 + 2 * MINUTE)))
  v.c = await idOf(await pingVoice(site, tee.id, { title: 'c' }, callAt(t0 + 3 * MINUTE)))
  v.d = await idOf(await pingVoice(site, mug.id, { title: 'd' }, callAt(t0 + 4 * MINUTE)))
  const spam = await api('POST', `/api/mentions/${v.d}/moderation`, { action: 'spam', reason: 'pills' }, site.key)
  expect(spam.status).toBe(200)
})

describe('GET /feeds/{site}.jf2 without a target', () => {
  it('answers every published voice of the site, newest first, each filed under its page (wm-target)', async () => {
    const doc = await jf2(`/feeds/${site.slug}.jf2`)
    expect(doc).toMatchObject({ type: 'feed', name: `What people say about Shop ${site.slug}` })
    expect(doc.next_url).toBeUndefined()
    expect(doc.children.map((e) => e['wm-id'])).toEqual([v.c, v.b, v.a])
    expect(doc.children.map((e) => e['wm-target'])).toEqual([tee.url, mug.url, tee.url])
    expect(doc.children[1]).toMatchObject({ type: 'entry', 'wm-property': 'mention-of', 'mention-of': mug.url })
    expect(doc.children[0]!['wm-received']).toBe(iso(t0 + 3 * MINUTE))
    // As webmention.io's domain= (checked against the site's storefronts), and oldest first on sort-dir=up.
    const host = new URL(site.origin).host
    const byDomain = await jf2(`/feeds/${site.slug}.jf2?domain=${host}&sort-dir=up`)
    expect(byDomain.children.map((e) => e['wm-id'])).toEqual([v.a, v.b, v.c])
    expect((await call(`/feeds/${site.slug}.jf2?domain=elsewhere.example`)).status).toBe(404)
    // webmention.js's read of one page still answers that page alone, newest first by default.
    const page = encodeURIComponent(tee.url)
    const one = await jf2(`/feeds/${site.slug}.jf2?target[]=${page.replace('https', 'http')}&target[]=${page}`)
    expect(one.children.map((e) => e['wm-id'])).toEqual([v.c, v.a])
  })

  it('lists only what was published after `since` — an ISO time, as eleventy-cache-webmentions sends it, or a wm-id', async () => {
    const after = iso(t0 + MINUTE + 30_000)
    for (const since of [
      `since=${after}`,
      `since=${encodeURIComponent(after)}`,
      // An offset's "+" sent unencoded reads as a space; it is still the offset.
      `since=${new Date(t0 + MINUTE + 30_000 + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`,
      `since=${v.a}`,
      `since_id=${v.a}`,
    ]) {
      const doc = await jf2(`/feeds/${site.slug}.jf2?${since}`)
      expect(
        doc.children.map((e) => e['wm-id']),
        since,
      ).toEqual([v.c, v.b])
    }
    expect((await jf2(`/feeds/${site.slug}.jf2?since=${v.c}`)).children).toEqual([])
    expect((await call(`/feeds/${site.slug}.jf2?since=m_nosuchvoice`)).status).toBe(400)
    // d was published, then marked spam: it still marks a place in the list (the newest: nothing after it).
    expect((await jf2(`/feeds/${site.slug}.jf2?since=${v.d}`)).children).toEqual([])
    expect((await jf2(`/feeds/${site.slug}.jf2?since=${v.d}&per-page=5&page=0`)).children).toEqual([])
    expect((await call(`/feeds/${site.slug}.jf2?since=yesterday%3F`)).status).toBe(400)
    expect((await call(`/feeds/${site.slug}.jf2?since=2026-13-45T99:00:00Z`)).status).toBe(400)
  })

  it('counts publication, not receipt: a voice received before `since` but published after it is listed', async () => {
    const s = await createSite()
    const product = await createTarget(s, 'kettle', 'Kettle')
    const [found] = await discover(s, [{ title: 'Tanaka Goods kettle' }])
    const since = Date.now() + MINUTE
    const published = await callAt(since + MINUTE)(`/api/mentions/${found!.id}/publish`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: product.id }),
    })
    expect(published.status, await published.clone().text()).toBe(200)
    const doc = await jf2(`/feeds/${s.slug}.jf2?since=${iso(since)}`)
    expect(doc.children).toHaveLength(1)
    expect(doc.children[0]).toMatchObject({ 'wm-id': found!.id, 'wm-target': product.url })
    expect(Date.parse(String(doc.children[0]!['wm-received']))).toBeLessThan(since)
  })

  it('lists after a voice taken down since as after any other: what was published after it, not the voice', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const kettle = await createTarget(s, 'kettle', 'Kettle')
    const [e1, e2, e3] = await pings(s, kettle.id, 3, t0)
    await takeDown(s, e2!)
    for (const query of [`since=${e2}`, `since_id=${e2}`, `since=${e2}&per-page=2&page=0`]) {
      expect(
        (await jf2(`/feeds/${s.slug}.jf2?${query}`)).children.map((e) => e['wm-id']),
        query,
      ).toEqual([e3])
    }
    expect((await jf2(`/feeds/${s.slug}.jf2?since=${e1}&sort-dir=up`)).children.map((e) => e['wm-id'])).toEqual([e3])
  })

  it('numbers pages with per-page and page, each continuing with the next number; other lists with a cursor', async () => {
    const pages = await Promise.all([0, 1, 2, 3].map((n) => jf2(`/feeds/${site.slug}.jf2?per-page=1&page=${n}`)))
    // Page n holds the newest voice numbered at most 4 − n: d, the newest number, is spam, so the
    // first two pages show the same voice (a client keeps each wm-id once) and none is missed.
    expect(pages.map((p) => p.children.map((e) => e['wm-id']))).toEqual([[v.c], [v.c], [v.b], [v.a]])
    // A numbered page's next_url is the next number; the last page has none.
    const next = new URL(pages[1]!.next_url!)
    expect(next.searchParams.get('page')).toBe('2')
    expect(next.searchParams.has('cursor')).toBe(false)
    expect((await jf2(next.pathname + next.search)).children.map((e) => e['wm-id'])).toEqual([v.b])
    expect(pages[3]!.next_url).toBeUndefined()
    expect((await jf2(`/feeds/${site.slug}.jf2?per-page=1&page=5`)).children).toEqual([])
    expect((await jf2(`/feeds/${site.slug}.jf2?per-page=1&page=999999999`)).children).toEqual([])
    // Without a page number, next_url carries a cursor.
    const listed = await jf2(`/feeds/${site.slug}.jf2?per-page=1`)
    const cursor = new URL(listed.next_url!)
    expect(cursor.searchParams.has('cursor')).toBe(true)
    expect((await jf2(cursor.pathname + cursor.search)).children.map((e) => e['wm-id'])).toEqual([v.b])

    // Up to 1,000 a page, as webmention.io's clients ask for.
    expect((await jf2(`/feeds/${site.slug}.jf2?per-page=1000&page=0`)).children).toHaveLength(3)
    expect((await call(`/feeds/${site.slug}.jf2?per-page=1001`)).status).toBe(400)
    expect((await call(`/feeds/${site.slug}.jf2?page=-1`)).status).toBe(400)
    expect((await call(`/feeds/${site.slug}.jf2?page=1000000000`)).status).toBe(400)
    expect((await call(`${cursor.pathname}${cursor.search}&page=1`)).status).toBe(400)
  })
})

describe('GET /feeds/{site}.jf2 without a target, at scale', () => {
  it(`reads one page of rows of ${BENCH_VOICES} voices: the first page, a since, a wm-id, a cursor`, async () => {
    const first = await read('per-page=20')
    expect(first.doc.children).toHaveLength(20)
    expect(first.rows).toBeLessThanOrEqual(budget(20))

    const newest = Date.parse(String(first.doc.children[0]!['wm-received']))
    const sinceTime = await read(`per-page=100&since=${iso(newest - 99_500)}`)
    expect(sinceTime.doc.children).toHaveLength(98)
    expect(sinceTime.rows).toBeLessThanOrEqual(budget(100))

    const sinceId = await read(`per-page=100&since=${benchVoice(100)}`)
    expect(sinceId.doc.children.map((e) => e['wm-id'])).toEqual(sinceTime.doc.children.map((e) => e['wm-id']))
    expect(sinceId.rows).toBeLessThanOrEqual(budget(100))

    const next = new URL(first.doc.next_url!)
    const second = await read(next.search.slice(1))
    expect(second.doc.children).toHaveLength(20)
    expect(second.rows).toBeLessThanOrEqual(budget(20))
    expect(second.doc.children[0]!['wm-id']).not.toBe(first.doc.children[19]!['wm-id'])

    const oldest = await read('per-page=20&sort-dir=up')
    expect(oldest.doc.children[0]!['wm-id']).toBe(benchVoice(BENCH_VOICES - 1))
    expect(oldest.rows).toBeLessThanOrEqual(budget(20))
  })
})
