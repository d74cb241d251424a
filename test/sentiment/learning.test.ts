import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { pingVoice, voiceIdOf } from '../helpers/voices'

type Voice = { sentiment: string | null; sentiment_by: string | null }
const voice = async (site: SiteFixture, id: string) =>
  (await api('GET', `/api/mentions/${id}`, undefined, site.key)).json<Voice>()

/** A voice of the site, sent as a TrackBack ping (published at once): its id. */
const ping = async (site: SiteFixture, target: string, excerpt: string) =>
  voiceIdOf(await pingVoice(site, target, { title: '珈琲', excerpt }))

/** Every run of the re-scoring job until it is done: the voices it changed. */
async function rescore(site: SiteFixture) {
  let changed = 0
  for (let cursor: string | null = ''; cursor !== null;) {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''
    const res = await api('POST', `/api/sites/${site.slug}/sentiment/rescore${query}`, undefined, site.key)
    expect(res.status, await res.clone().text()).toBe(200)
    const run = await res.json<{ read: number; changed: number; next_cursor: string | null }>()
    changed += run.changed
    cursor = run.next_cursor
  }
  return changed
}

// A coffee roaster's buyers write in the trade's words: 雑味, えぐみ, 香りが飛ぶ are complaints, コク,
// すっきりした後味, ナッツ感 are praise — words a general reader does not know that way.
const BEANS = ['ブラジル', 'エチオピア', 'グアテマラ', 'コロンビア']
const TAUGHT: [string, 'negative' | 'positive'][] = [
  ['は雑味がある', 'negative'],
  ['はえぐみが出た', 'negative'],
  ['は香りが飛んでいた', 'negative'],
  ['はコクが深い', 'positive'],
  ['は後味がすっきり', 'positive'],
  ['はナッツ感がある', 'positive'],
]
const NEXT: [string, 'negative' | 'positive'][] = [
  ['新しいケニア、雑味がある気がする', 'negative'],
  ['今月のブレンドは雑味があるかな', 'negative'],
  ['マンデリン、二杯目からえぐみが出た', 'negative'],
  ['淹れ方を変えてもえぐみが出た', 'negative'],
  ['届いた時点で香りが飛んでいた', 'negative'],
  ['開封したら香りが飛んでいた感じ', 'negative'],
  ['このデカフェ、コクが深い', 'positive'],
  ['ミルクを入れてもコクが深い', 'positive'],
  ['冷めても後味がすっきり', 'positive'],
  ['アイスにすると後味がすっきり', 'positive'],
  ['ローストが浅めでナッツ感がある', 'positive'],
  ['ほんのりナッツ感がある', 'positive'],
]

describe('learning from the shop’s staff', () => {
  it('after staff correct two dozen voices in the shop’s words, the next such voices are suggested as staff would', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = (await createTarget(site)).id
    const next = await Promise.all(NEXT.map(async ([text, want]) => ({ id: await ping(site, target, text), want })))
    const right = async () =>
      (await Promise.all(next.map(async (n) => (await voice(site, n.id)).sentiment === n.want))).filter(Boolean).length
    const before = await right()

    // Staff correct 24 voices (six phrases, four beans each).
    const corrected: string[] = []
    for (const bean of BEANS) {
      for (const [phrase, sentiment] of TAUGHT) {
        const id = await ping(site, target, `${bean}${phrase}`)
        const res = await api('PATCH', `/api/mentions/${id}`, { sentiment }, site.key)
        expect(res.status).toBe(200)
        corrected.push(id)
      }
    }
    const learned = await env.DB.prepare(
      'SELECT examples, phrases FROM sentiment_learning WHERE site_id = (SELECT id FROM sites WHERE slug = ?)',
    )
      .bind(site.slug)
      .first<{ examples: number; phrases: string }>()
    expect(learned?.examples).toBe(24)
    const phrases = JSON.parse(learned!.phrases) as { phrase: string; side: number }[]
    expect(phrases).toEqual(expect.arrayContaining([expect.objectContaining({ phrase: '雑味', side: -1 })]))
    expect(phrases.length).toBeLessThanOrEqual(100)

    // The re-scoring job suggests again for the voices whose sentiment is still a suggestion.
    expect(await rescore(site)).toBeGreaterThan(0)
    const after = await right()
    // Before: the general reader got at most half of them; after: all but one at most.
    expect({ before: before <= 6, after: after >= 11 }).toEqual({ before: true, after: true })
    console.info(`learning from staff: ${before}/12 suggested right before, ${after}/12 after 24 corrections`)

    // Staff's choices stay staff's, marked as theirs; the suggestions stay marked as suggestions.
    for (const id of corrected.slice(0, 3)) expect((await voice(site, id)).sentiment_by).toBe('operator')
    expect((await voice(site, next[0]!.id)).sentiment_by).toBe('suggested')

    // The counters moved with the voices: the trust figures count what the voices say now.
    const trust = await (await call(`/feeds/${site.slug}/trust.json`)).json<{ by_sentiment: Record<string, number> }>()
    const rows = await env.DB.prepare(
      "SELECT sentiment, COUNT(*) AS n FROM mentions WHERE site_id = (SELECT id FROM sites WHERE slug = ?) AND status = 'published' GROUP BY sentiment",
    )
      .bind(site.slug)
      .all<{ sentiment: string | null; n: number }>()
    for (const r of rows.results) expect(trust.by_sentiment[r.sentiment ?? 'unclassified']).toBe(r.n)
  })

  it('clearing a voice’s sentiment takes its example away; a review’s stars teach nothing', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = (await createTarget(site)).id
    const id = await ping(site, target, 'ブラジルは雑味がある')
    await api('PATCH', `/api/mentions/${id}`, { sentiment: 'negative' }, site.key)
    const count = () =>
      env.DB.prepare('SELECT COUNT(*) AS n FROM sentiment_examples WHERE mention_id = ?')
        .bind(id)
        .first<{ n: number }>()
    expect((await count())?.n).toBe(1)
    // Set again: the one example says what staff said last.
    await api('PATCH', `/api/mentions/${id}`, { sentiment: 'neutral' }, site.key)
    const example = await env.DB.prepare(
      'SELECT COUNT(*) AS n, MAX(sentiment) AS sentiment FROM sentiment_examples WHERE mention_id = ?',
    )
      .bind(id)
      .first<{ n: number; sentiment: string }>()
    expect(example).toEqual({ n: 1, sentiment: 'neutral' })
    await api('PATCH', `/api/mentions/${id}`, { sentiment: null }, site.key)
    expect((await count())?.n).toBe(0)
  })
})

describe('re-scoring', () => {
  it('reads a bounded page and says where to go on; a cursor it did not issue is a 400; another shop’s site is a 404', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const other = await createSite()
    const res = await api('POST', `/api/sites/${site.slug}/sentiment/rescore`, undefined, site.key)
    expect(await res.json()).toEqual({ read: 0, changed: 0, next_cursor: null })
    const bad = await api('POST', `/api/sites/${site.slug}/sentiment/rescore?cursor=nonsense`, undefined, site.key)
    expect(bad.status).toBe(400)
    const foreign = await api('POST', `/api/sites/${site.slug}/sentiment/rescore`, undefined, other.key)
    expect(foreign.status).toBe(404)
  })

  it('never touches staff’s choice or a review’s stars', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = (await createTarget(site)).id
    const staff = await ping(site, target, '最悪でした。二度と買いません')
    await api('PATCH', `/api/mentions/${staff}`, { sentiment: 'positive' }, site.key)
    // A voice suggested by an older reader (written here as it would have been), to be made again.
    const old = await ping(site, target, '問い合わせて5日、返信なし')
    await env.DB.prepare("UPDATE mentions SET sentiment = 'positive', sentiment_by = 'suggested' WHERE id = ?")
      .bind(old)
      .run()
    expect(await rescore(site)).toBe(1)
    expect(await voice(site, staff)).toMatchObject({ sentiment: 'positive', sentiment_by: 'operator' })
    expect(await voice(site, old)).toMatchObject({ sentiment: 'negative', sentiment_by: 'suggested' })
  })
})
