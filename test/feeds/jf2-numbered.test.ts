/**
 * Numbered pages of `GET /feeds/{site}.jf2` (`per-page` and `page`, as eleventy-cache-webmentions
 * walks them): windows of publication numbers (src/feeds/jf2-store.ts), so every voice is on a
 * page, voices that come and go between two requests make pages overlap but never skip one, and a
 * page deep in the list reads what the first does.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { seedBench } from '../../src/dev/bench-seed'
import { SINCE_MARGIN } from '../../src/feeds/jf2-store'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE } from '../helpers/factories'
import { benchVoice as bench, budget, iso, jf2, MINUTE, pings, readBench as read, takeDown } from '../helpers/jf2'

const BENCH_VOICES = 3000
const t0 = Date.now() - 60 * MINUTE

beforeAll(async () => {
  // 3,000 voices over 1,000 products, one a second back from now, every 50th spam (site `bench`).
  await seedBench(env.DB, BENCH_VOICES)
})

describe('GET /feeds/{site}.jf2?page=…', () => {
  it('reaches every voice by numbered pages with none missed when voices come and go between requests', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const kettle = await createTarget(s, 'kettle', 'Kettle')
    const ids = await pings(s, kettle.id, 9, t0)
    const page = async (n: number, dir = 'down') =>
      (await jf2(`/feeds/${s.slug}.jf2?per-page=3&page=${n}&sort-dir=${dir}`)).children.map((e) => e['wm-id'])
    const newest = [...ids].reverse()
    expect(await page(0)).toEqual(newest.slice(0, 3))

    // Published between two requests: the windows move up by one — page 1 repeats one voice, skips none.
    const [late] = await pings(s, kettle.id, 1, t0 + 60 * MINUTE)
    expect(await page(1)).toEqual(newest.slice(2, 5))
    // Taken down between two requests: the windows stay, the next page fills from further down.
    await takeDown(s, newest[5]!)
    expect(await page(2)).toEqual(newest.slice(6, 9))
    expect(await page(3)).toEqual([newest[8]!])

    // Walked afresh until a short page (as a client does), every page but the last is full, and
    // every published voice is on one.
    const shown = [late!, ...newest.filter((id) => id !== newest[5])]
    const walked = [await page(0)]
    while (walked.at(-1)!.length === 3 && walked.length < 10) walked.push(await page(walked.length))
    expect(walked.map((p) => p.length)).toEqual([3, 3, 3, 1])
    expect(new Set(walked.flat())).toEqual(new Set(shown))

    // Oldest first, the windows count from the first number: a new voice changes no earlier page.
    const oldest = await page(0, 'up')
    expect(oldest).toEqual(ids.slice(0, 3))
    await pings(s, kettle.id, 1, t0 + 61 * MINUTE)
    expect(await page(0, 'up')).toEqual(oldest)
    expect(await page(1, 'up')).toEqual(
      ids
        .slice(3, 6)
        .filter((id) => id !== newest[5])
        .concat(ids[6]!),
    )
  })

  it('numbers the pages of one target the same way, reaching each of its voices', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const kettle = await createTarget(s, 'kettle', 'Kettle')
    const cup = await createTarget(s, 'cup', 'Cup')
    const kettles: string[] = []
    for (let i = 0; i < 4; i++) {
      kettles.push(...(await pings(s, kettle.id, 1, t0 + i * 2 * MINUTE)))
      await pings(s, cup.id, 1, t0 + (i * 2 + 1) * MINUTE)
    }
    const seen = new Set<string>()
    for (let n = 0, full = true; full; n++) {
      const page = await jf2(`/feeds/${s.slug}.jf2?target=${kettle.id}&per-page=2&page=${n}`)
      page.children.forEach((e) => seen.add(e['wm-id']))
      expect(page.children.every((e) => e['wm-target'] === kettle.url)).toBe(true)
      full = page.children.length === 2
    }
    expect(seen).toEqual(new Set(kettles))
  })

  it('walks numbered pages after `since` (as eleventy-cache-webmentions does), even for a voice numbered out of time order', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const kettle = await createTarget(s, 'kettle', 'Kettle')
    const ids = await pings(s, kettle.id, 8, t0)
    // Voice 3 was numbered before voice 4 but carries a later time (two requests' clocks): still after `since`.
    await env.DB.prepare('UPDATE mentions SET published_at = ? WHERE id = ?')
      .bind(t0 + 4 * MINUTE + 30_000, ids[2])
      .run()
    const since = iso(t0 + 4 * MINUTE + 1_000) // after voice 4 (published at t0 + 4 minutes)
    const after = [ids[2]!, ...ids.slice(5)]
    const walk = async (dir: string) => {
      const seen: string[] = []
      for (let n = 0; n < 10; n++) {
        const page = await jf2(`/feeds/${s.slug}.jf2?since=${since}&per-page=2&page=${n}&sort-dir=${dir}`)
        seen.push(...page.children.map((e) => e['wm-id']))
        if (page.children.length < 2) break
      }
      return seen
    }
    expect(new Set(await walk('down'))).toEqual(new Set(after))
    expect(new Set(await walk('up'))).toEqual(new Set(after))
  })
})

describe('GET /feeds/{site}.jf2?page=… at scale', () => {
  const published = Array.from({ length: BENCH_VOICES }, (_, i) => i).filter((i) => i % 50 !== 0)

  it('reads a numbered page at any depth for the price of the first, and its contents are that window', async () => {
    const deep = await read('per-page=25&page=40')
    // Newest first, page 40 of 25 starts 1,000 numbers down: bench voices 1,001 to 1,025 (1,000 is spam).
    expect(deep.doc.children.map((e) => e['wm-id'])).toEqual(Array.from({ length: 25 }, (_, i) => bench(1001 + i)))
    expect(deep.rows).toBeLessThanOrEqual(budget(25))
    const up = await read('per-page=25&page=40&sort-dir=up')
    // Oldest first, 1,000 numbers up from the oldest (voice 2,999): voices 1,999 down to 1,975.
    expect(up.doc.children.map((e) => e['wm-id'])).toEqual(Array.from({ length: 25 }, (_, i) => bench(1999 - i)))
    expect(up.rows).toBeLessThanOrEqual(budget(25))
    // The last page: nothing after it, so no next_url.
    const last = await read('per-page=25&page=119')
    expect(last.doc.children.map((e) => e['wm-id'])).toEqual(Array.from({ length: 25 }, (_, i) => bench(2975 + i)))
    expect(last.doc.next_url).toBeUndefined()
    expect(last.rows).toBeLessThanOrEqual(budget(25))
    const thousand = await read('per-page=1000&page=1')
    expect(thousand.doc.children).toHaveLength(1000)
    expect(thousand.rows).toBeLessThanOrEqual(budget(1000))
  })

  it(`reaches each of the ${published.length} published voices by walking the numbered pages, both ways`, async () => {
    for (const dir of ['down', 'up']) {
      const seen = new Set<string>()
      let pages = 0
      for (let full = true; full; pages++) {
        const page = await read(`per-page=100&page=${pages}&sort-dir=${dir}`)
        expect(page.rows, `page ${pages}`).toBeLessThanOrEqual(budget(100))
        page.doc.children.forEach((e) => seen.add(e['wm-id']))
        full = page.doc.children.length === 100
      }
      expect(pages, dir).toBe(30)
      expect([...seen].sort(), dir).toEqual(published.map(bench).sort())
    }
  })

  it('walks the numbered pages after `since` for a page of rows each', async () => {
    // Since voice 150: the 147 published voices newer than it (0, 50 and 100 are spam).
    const walk = async (since: string) => {
      const seen = new Set<string>()
      for (let page = 0, full = true; full; page++) {
        const got = await read(`since=${since}&per-page=50&page=${page}`)
        expect(got.rows).toBeLessThanOrEqual(budget(50) + 2 * SINCE_MARGIN)
        got.doc.children.forEach((e) => seen.add(e['wm-id']))
        full = got.doc.children.length === 50
      }
      return [...seen].sort()
    }
    const newer = published
      .filter((i) => i < 150)
      .map(bench)
      .sort()
    expect(await walk(bench(150))).toEqual(newer)
    const first = await read('per-page=1')
    const newest = Date.parse(String(first.doc.children[0]!['wm-received']))
    // The same by time: newest is voice 1's, so voice 149 is 148 s older, voice 150 149 s.
    expect(await walk(encodeURIComponent(iso(newest - 148_500)))).toEqual(newer)
  })
})
