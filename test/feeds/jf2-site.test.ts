/**
 * `GET /feeds/{site}.jf2` with no target: every published voice of the site, newest first, in the
 * shape of webmention.io's `mentions.jf2?domain=` — `since` (an ISO time or a wm-id), `per-page`
 * and `page`, and the hub's own cursor — reading one page of rows however many voices there are.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { seedBench } from '../../src/dev/bench-seed'
import { NUMBERED_REACH } from '../../src/feeds/service'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api, call, callAt, rowsRead } from '../helpers/http'
import { discover } from '../helpers/listening'
import { pingVoice } from '../helpers/voices'

type Entry = Record<string, unknown> & { 'wm-id': string; 'wm-target': string; 'wm-source': string }
type Jf2 = { type: string; name: string; children: Entry[]; next_url?: string }

const MINUTE = 60_000
const BENCH_VOICES = 3000
const iso = (ms: number) => new Date(ms).toISOString()
const idOf = async (url: string) =>
  (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id
const jf2 = async (path: string) => {
  const res = await call(path)
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json<Jf2>()
}

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
    expect((await call(`/feeds/${site.slug}.jf2?since=${v.d}`)).status).toBe(200) // published once, then spam
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

  it('numbers pages with per-page and page, continues with next_url, and refuses a page past its reach', async () => {
    const pages = await Promise.all([0, 1, 2].map((n) => jf2(`/feeds/${site.slug}.jf2?per-page=1&page=${n}`)))
    expect(pages.map((p) => p.children.map((e) => e['wm-id']))).toEqual([[v.c], [v.b], [v.a]])
    // next_url carries a cursor in place of the page number.
    const next = new URL(pages[0]!.next_url!)
    expect(next.searchParams.has('page')).toBe(false)
    expect((await jf2(next.pathname + next.search)).children.map((e) => e['wm-id'])).toEqual([v.b])
    expect(pages[2]!.next_url).toBeUndefined()
    expect((await jf2(`/feeds/${site.slug}.jf2?per-page=1&page=5`)).children).toEqual([])

    const last = NUMBERED_REACH / 100 - 1
    expect((await call(`/feeds/${site.slug}.jf2?per-page=100&page=${last}`)).status).toBe(200)
    const refused = await call(`/feeds/${site.slug}.jf2?per-page=100&page=${last + 1}`)
    expect(refused.status).toBe(400)
    expect(await refused.json()).toMatchObject({ error: { code: 'invalid_input', message: /^page: numbered pages/ } })
    expect((await call(`/feeds/${site.slug}.jf2?page=-1`)).status).toBe(400)
    expect((await call(`${next.pathname}${next.search}&page=1`)).status).toBe(400)
    expect((await call(`/feeds/${site.slug}.jf2?per-page=101`)).status).toBe(400)
  })
})

describe('GET /feeds/{site}.jf2 without a target, at scale', () => {
  /** A page's rows and the next, each with its target's row, plus the site's lookups. */
  const budget = (rows: number) => 2 * (rows + 1) + 10
  /** A fresh URL each time, so the edge cache does not answer. */
  let n = 0
  const read = async (query: string) => {
    const res = await call(`/feeds/bench.jf2?${query}&_=${n++}`)
    expect(res.status, await res.clone().text()).toBe(200)
    return { rows: rowsRead(res), doc: await res.json<Jf2>() }
  }

  it(`reads one page of rows of ${BENCH_VOICES} voices: the first page, a since, a wm-id, a cursor`, async () => {
    const first = await read('per-page=20')
    expect(first.doc.children).toHaveLength(20)
    expect(first.rows).toBeLessThanOrEqual(budget(20))

    // bench voice n was published n seconds before the seed's time; every 50th is spam.
    const newest = Date.parse(String(first.doc.children[0]!['wm-received']))
    const sinceTime = await read(`per-page=100&since=${iso(newest - 99_500)}`)
    expect(sinceTime.doc.children).toHaveLength(98)
    expect(sinceTime.rows).toBeLessThanOrEqual(budget(100))

    const sinceId = await read('per-page=100&since=m_bench_0000100')
    expect(sinceId.doc.children.map((e) => e['wm-id'])).toEqual(sinceTime.doc.children.map((e) => e['wm-id']))
    expect(sinceId.rows).toBeLessThanOrEqual(budget(100) + 2)

    const next = new URL(first.doc.next_url!)
    const second = await read(next.search.slice(1))
    expect(second.doc.children).toHaveLength(20)
    expect(second.rows).toBeLessThanOrEqual(budget(20))
    expect(second.doc.children[0]!['wm-id']).not.toBe(first.doc.children[19]!['wm-id'])

    const oldest = await read('per-page=20&sort-dir=up')
    expect(oldest.doc.children[0]!['wm-id']).toBe(`m_bench_${String(BENCH_VOICES - 1).padStart(7, '0')}`)
    expect(oldest.rows).toBeLessThanOrEqual(budget(20))
  })

  it(`reads a numbered page within its reach (${NUMBERED_REACH} voices) whatever the table's size`, async () => {
    const deepest = await read(`per-page=100&page=${NUMBERED_REACH / 100 - 1}`)
    expect(deepest.doc.children).toHaveLength(100)
    expect(deepest.rows).toBeLessThanOrEqual(budget(NUMBERED_REACH))
  })
})
