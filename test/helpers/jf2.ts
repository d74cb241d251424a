/** The jf2 feed for tests: its shape, reads that must answer 200, voices published on a clock, a take-down. */
import { expect } from 'vitest'

import type { SiteFixture } from './factories'
import { api, call, callAt, rowsRead } from './http'
import { pingVoice, voiceIdOf } from './voices'

export type Entry = Record<string, unknown> & { 'wm-id': string; 'wm-target': string; 'wm-source': string }
export type Jf2 = { type: string; name: string; children: Entry[]; next_url?: string }

export const MINUTE = 60_000
export const iso = (ms: number) => new Date(ms).toISOString()

/** A jf2 answer that must be a 200. */
export const jf2 = async (path: string) => {
  const res = await call(path)
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json<Jf2>()
}

/** `n` TrackBacks to `target`, published a minute apart from `from` on: their ids, oldest first. */
export const pings = async (s: SiteFixture, target: string, n: number, from: number) => {
  const ids: string[] = []
  for (let i = 0; i < n; i++)
    ids.push(await voiceIdOf(await pingVoice(s, target, { title: `#${i}` }, callAt(from + i * MINUTE))))
  return ids
}

/** Takes a voice out of the feed (its author asked). */
export const takeDown = async (s: SiteFixture, id: string) => {
  const res = await api(
    'POST',
    `/api/mentions/${id}/moderation`,
    { action: 'remove', category: 'author_request', reason: 'asked' },
    s.key,
  )
  expect(res.status, await res.clone().text()).toBe(200)
}

/** The bench site (src/dev/bench-seed.ts): voice n was published n seconds before the seed's time; every 50th is spam. */
export const benchVoice = (i: number) => `m_bench_${String(i).padStart(7, '0')}`

/**
 * What one page may read: its rows and the one after, each with its target's row, and a few
 * single-row lookups (the site, the target, the highest or lowest number, the voice `since`
 * names). Nothing grows with the page's depth or the site's size.
 */
export const budget = (perPage: number) => 2 * (perPage + 1) + 12

let n = 0
/** A page of the bench site's jf2 at a fresh URL each time (so the edge cache does not answer), and the rows it read. */
export const readBench = async (query: string) => {
  const res = await call(`/feeds/bench.jf2?${query}&_=${n++}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return { rows: rowsRead(res), doc: await res.json<Jf2>() }
}
