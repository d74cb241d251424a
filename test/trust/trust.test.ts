/**
 * Public trust signals: the figures (trust.json and the feed's top-level block) and the
 * hash-chained moderation ledger (ledger.json), including tampering with it in D1.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { checkChain } from '../../src/ledger/chain'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api, call, callAt, HOUR, rowsRead } from '../helpers/http'
import { chainOf, type Ledger } from '../helpers/ledger'
import { pingVoice } from '../helpers/voices'

async function newVoice(
  site: SiteFixture,
  target: string,
  sentiment: 'positive' | 'neutral' | 'negative',
  excerpt = 'Some text',
  via = call,
) {
  const url = await pingVoice(site, target, { excerpt }, via)
  const id = (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!
    .id
  expect((await api('PATCH', `/api/mentions/${id}`, { sentiment }, site.key)).status).toBe(200)
  return id
}

const respond = async (site: SiteFixture, id: string, stage: 'reply' | 'apology' | 'resolution') => {
  expect(
    (
      await api(
        'POST',
        `/api/mentions/${id}/responses`,
        { stage, body: `Our ${stage}`, author: { name: 'Aiko', role: '店長' } },
        site.key,
      )
    ).status,
  ).toBe(201)
}

const moderate = (site: SiteFixture, id: string, body: Record<string, string>) =>
  api('POST', `/api/mentions/${id}/moderation`, body, site.key)

const ledgerOf = async (slug: string, query = '') => {
  const res = await call(`/feeds/${slug}/ledger.json${query}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return res.json<Ledger>()
}

/** Direct SQL edits do not move the site's data version; move it so cached copies are not served. */
const bumpVersion = (slug: string) =>
  env.DB.prepare('UPDATE sites SET data_version = data_version + 1 WHERE slug = ?').bind(slug).run()

describe('GET /feeds/{site}/trust.json', () => {
  let site: SiteFixture
  let target: string

  beforeAll(async () => {
    site = await createSite(PUBLISH_PINGS_AT_ONCE)
    target = (await createTarget(site)).id
  })

  it('moves with every answer: response rates, time within the target, apologies followed by a report', async () => {
    const sad = await newVoice(site, target, 'negative')
    // One complaint came 30 hours ago, so it waits 30 hours for its answer (past the 24-hour target).
    const angry = await newVoice(site, target, 'negative', 'Some text', callAt(Date.now() - 30 * HOUR))
    const glad = await newVoice(site, target, 'positive')
    await newVoice(site, target, 'neutral')

    await respond(site, sad, 'apology')
    await respond(site, glad, 'reply')
    let t = await (await call(`/feeds/${site.slug}/trust.json`)).json<Record<string, unknown>>()
    expect(t).toMatchObject({
      voices: 4,
      by_sentiment: { positive: 1, neutral: 1, negative: 2, unclassified: 0 },
      responded: 2,
      response_rate: 0.5,
      negative_response_rate: 0.5,
      answered_within_target: { target_hours: 24, share: 1 },
      apologies: 1,
      resolution_rate: 0,
      moderation: { removed: 0, spam: 0, hidden_negative: 0, ledger_head: null },
    })

    await respond(site, angry, 'apology')
    await respond(site, sad, 'resolution')
    t = await (await call(`/feeds/${site.slug}/trust.json`)).json<Record<string, unknown>>()
    expect(t).toMatchObject({
      negative_response_rate: 1,
      apologies: 2,
      resolution_rate: 0.5,
      answered_within_target: { share: 0.667 },
    })

    // The feed's top-level block carries the same figures.
    const feed = await (
      await call(`/feeds/${site.slug}.json`)
    ).json<{ _glasshouse: { stats: Record<string, unknown> } }>()
    expect(feed._glasshouse.stats).toMatchObject({ negative_response_rate: 1, resolution_rate: 0.5, apologies: 2 })

    // The site's own response target applies.
    await api('PATCH', `/api/sites/${site.slug}`, { settings: { response_target_hours: 48 } })
    t = await (await call(`/feeds/${site.slug}/trust.json`)).json<Record<string, unknown>>()
    expect(t.answered_within_target).toEqual({ target_hours: 48, share: 1 })
  })

  it('answers for one target, caches by the site version, and refuses bad input', async () => {
    const other = (await createTarget(site)).id
    await newVoice(site, other, 'negative')
    const one = await call(`/feeds/${site.slug}/trust.json?target=${other}`)
    expect(one.status).toBe(200)
    expect(await one.json()).toMatchObject({ target: { id: other }, voices: 1, responded: 0, response_rate: 0 })

    const etag = one.headers.get('ETag')!
    expect(
      (await call(`/feeds/${site.slug}/trust.json?target=${other}`, { headers: { 'If-None-Match': etag } })).status,
    ).toBe(304)
    expect((await call(`/feeds/${site.slug}/trust.json?target=${other}`)).headers.get('X-Cache')).toBe('revalidated')

    expect((await call(`/feeds/${site.slug}/trust.json?target=nope`)).status).toBe(404)
    expect((await call('/feeds/no-such-site/trust.json')).status).toBe(404)
    expect((await call(`/feeds/${site.slug}/trust.json?target=`)).status).toBe(400)
  })
})

describe('GET /feeds/{site}/ledger.json — the public moderation ledger', () => {
  let site: SiteFixture
  let target: string

  beforeAll(async () => {
    site = await createSite(PUBLISH_PINGS_AT_ONCE)
    target = (await createTarget(site)).id
  })

  it("lists every step with category, reason and the voice's sentiment, never its content, chained by hashes", async () => {
    const complaint = await newVoice(site, target, 'negative', 'SECRET-CONTENT the seams split')
    const duplicate = await newVoice(site, target, 'negative', 'SECRET-CONTENT again')
    const praise = await newVoice(site, target, 'positive', 'SECRET-CONTENT lovely')

    expect((await moderate(site, complaint, { action: 'spam', reason: 'Looked like a bot' })).status).toBe(200)
    expect(
      (await moderate(site, duplicate, { action: 'remove', category: 'duplicate', reason: 'Same post twice' })).status,
    ).toBe(200)
    expect((await moderate(site, praise, { action: 'spam', reason: 'Paid review farm' })).status).toBe(200)
    expect((await moderate(site, complaint, { action: 'restore', reason: 'Not a bot after all' })).status).toBe(200)

    const res = await call(`/feeds/${site.slug}/ledger.json`)
    const text = await res.clone().text()
    expect(text).not.toContain('SECRET-CONTENT')
    const ledger = await res.json<Ledger>()
    expect(ledger.entries.map((e) => [e.action, e.category, e.sentiment])).toEqual([
      ['restore', 'restore', 'negative'],
      ['spam', 'spam', 'positive'],
      ['remove', 'duplicate', 'negative'],
      ['spam', 'spam', 'negative'],
    ])
    expect(ledger.entries[3]).toMatchObject({
      voice: complaint,
      reason: 'Looked like a bot',
      from_status: 'published',
      to_status: 'spam',
      prev_hash: null,
    })
    // A negative voice taken out as spam shows up as such, in the entries and in the counts.
    expect(ledger.summary).toMatchObject({ spam: 2, removed: 1, restored: 1, hidden_negative: 2 })
    expect(await checkChain(chainOf(ledger))).toEqual({ ok: true, head: ledger.head })
    expect(ledger.head).toMatch(/^[0-9a-f]{64}$/)

    const feed = await (
      await call(`/feeds/${site.slug}.json`)
    ).json<{ _glasshouse: { moderation: { ledger_head: string } } }>()
    expect(feed._glasshouse.moderation.ledger_head).toBe(ledger.head)
  })

  it('detects an edited entry, a deleted entry, and a rewritten history', async () => {
    const saved = await ledgerOf(site.slug)
    const [, second] = saved.entries

    await env.DB.prepare("UPDATE moderation_events SET reason = 'Spam' WHERE id = ?").bind(second!.seq).run()
    await bumpVersion(site.slug)
    expect(await checkChain(chainOf(await ledgerOf(site.slug)))).toEqual({
      ok: false,
      seq: second!.seq,
      problem: 'hash_mismatch',
    })
    await env.DB.prepare('UPDATE moderation_events SET reason = ? WHERE id = ?').bind(second!.reason, second!.seq).run()

    await env.DB.prepare('DELETE FROM moderation_events WHERE id = ?').bind(second!.seq).run()
    await bumpVersion(site.slug)
    expect(await checkChain(chainOf(await ledgerOf(site.slug)))).toMatchObject({ ok: false, problem: 'broken_link' })

    // Recomputing every hash after the deletion yields a valid chain — with a different head
    // than the one the public saw, and without the saved head anywhere in it.
    const rewritten = chainOf(await ledgerOf(site.slug))
    const { entryHash } = await import('../../src/ledger/chain')
    let prev: string | null = null
    for (const e of rewritten) {
      e.prevHash = prev
      e.hash = await entryHash(prev, e)
      prev = e.hash
    }
    expect(await checkChain(rewritten)).toEqual({ ok: true, head: prev })
    expect(prev).not.toBe(saved.head)
    expect(rewritten.map((e) => e.hash)).not.toContain(saved.head)
  })

  it('stays one chain when steps race, and loses none that it answered', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const ids = await Promise.all(Array.from({ length: 4 }, () => newVoice(s, t, 'negative')))
    const answers = await Promise.all(
      ids.map((id) => moderate(s, id, { action: 'remove', category: 'off_topic', reason: 'Not about us' })),
    )
    expect(answers.every((r) => r.status === 200 || r.status === 409)).toBe(true)
    const ledger = await ledgerOf(s.slug)
    expect(ledger.entries).toHaveLength(answers.filter((r) => r.status === 200).length)
    expect(await checkChain(chainOf(ledger))).toEqual({ ok: true, head: ledger.head })
  })

  it('pages back with ?before=, reads about one page of rows, and refuses bad input', async () => {
    const first = await call(`/feeds/${site.slug}/ledger.json?limit=1`)
    expect(rowsRead(first)).toBeLessThanOrEqual(6)
    const page = await first.json<Ledger>()
    expect(page.entries).toHaveLength(1)
    const next = await call(new URL(page.next_url!).pathname + new URL(page.next_url!).search)
    const older = await next.json<Ledger>()
    expect(older.entries[0]!.seq).toBeLessThan(page.entries[0]!.seq)

    expect((await call(`/feeds/${site.slug}/ledger.json?before=abc`)).status).toBe(400)
    expect((await call(`/feeds/${site.slug}/ledger.json?limit=0`)).status).toBe(400)
    expect((await call(`/feeds/${site.slug}/ledger.json?limit=101`)).status).toBe(400)
    expect((await call('/feeds/no-such-site/ledger.json')).status).toBe(404)
  })
})
