/**
 * Withdrawing an official answer through the operator API: the tombstone and its 410, the refusals,
 * the ledger entry in the chain, honest figures, and what the change tells: its webhooks, written
 * with it, and the blog told again.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { type ChainedEntry, checkChain } from '../../src/ledger/chain'
import { awaitingResolution, unansweredNegative } from '../../src/voices/weekly-counts'
import { hitsOf, servePage } from '../helpers/blogs'
import { answer, edit, newVoice, openShop, ownShop, shop, trust, withdraw } from '../helpers/corrections'
import { siteIdOf } from '../helpers/digest'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { announceableVoice } from '../helpers/voices'

const db = getDb(env.DB)

beforeAll(openShop)

describe('POST /api/responses/{id}/withdraw', () => {
  it('leaves a tombstone: in the voice’s answers without its words, and a 410 page with when and why', async () => {
    const voice = await newVoice()
    const first = await answer(voice, 'reply', 'A rude reply we regret.')
    const res = await withdraw(first.id, { reason: 'It was unkind; we apologise.' })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(await res.json()).toMatchObject({ body: '', withdrawn: { reason: 'It was unkind; we apologise.' } })

    const page = await call(`/responses/${first.id}`)
    expect(page.status).toBe(410)
    const text = await page.text()
    expect(text).toContain('withdrew this answer on')
    expect(text).toContain('It was unkind; we apologise.')
    expect(text).not.toContain('A rude reply')

    const feed = await (
      await call(`/feeds/${shop.site.slug}.json?target=${shop.target}`)
    ).json<{ items: { id: string; _glasshouse: { responses: Record<string, unknown>[] } }[] }>()
    const shown = feed.items.find((i) => i.id === voice)!._glasshouse.responses[0]!
    expect(shown).toMatchObject({ content_text: '', withdrawn: { reason: 'It was unkind; we apologise.' } })
    expect(JSON.stringify(feed)).not.toContain('A rude reply')
  })

  it('refuses a missing or empty reason, a second withdrawal, and an edit of a withdrawn answer', async () => {
    const first = await answer(await newVoice())
    expect((await withdraw(first.id, {})).status).toBe(400)
    expect((await withdraw(first.id, { reason: '   ' })).status).toBe(400)
    expect((await withdraw(first.id, { reason: 42 })).status).toBe(400)
    expect((await withdraw(first.id, { reason: 'x'.repeat(1001) })).status).toBe(400)
    expect((await withdraw('r_doesnotexist', { reason: 'x' })).status).toBe(404)
    expect((await withdraw(first.id, { reason: 'Sent by mistake' })).status).toBe(200)
    const again = await withdraw(first.id, { reason: 'Sent by mistake' })
    expect(again.status).toBe(409)
    const edited = await edit(first.id, { version: 1, body: 'Back again' })
    expect(edited.status).toBe(409)
    expect((await edited.json<{ error: { message: string } }>()).error.message).toContain('withdrawn')
  })

  it('is an entry of the public ledger that verifies in the chain, and counts in no moderation figure', async () => {
    const { s, t } = await ownShop()
    const removed = await newVoice(s, t)
    expect(
      (
        await api(
          'POST',
          `/api/mentions/${removed}/moderation`,
          { action: 'remove', category: 'off_topic', reason: 'Not about us' },
          s.key,
        )
      ).status,
    ).toBe(200)
    const voice = await newVoice(s, t)
    const first = await answer(voice, 'apology', 'Sorry', s)
    expect((await withdraw(first.id, { reason: 'Wrong order number' }, s.key)).status).toBe(200)
    const ledger = await (
      await call(`/feeds/${s.slug}/ledger.json`)
    ).json<{
      head: string
      summary: Record<string, unknown>
      entries: (Omit<ChainedEntry, 'at' | 'from' | 'to' | 'prevHash'> & {
        date: string
        from_status: ChainedEntry['from']
        to_status: ChainedEntry['to']
        prev_hash: string | null
      })[]
    }>()
    expect(ledger.entries[0]).toMatchObject({
      voice,
      action: 'withdraw_answer',
      category: 'answer',
      reason: 'Wrong order number',
      from_status: 'published',
      to_status: 'published',
    })
    const chain = [...ledger.entries].reverse().map((e) => ({
      ...e,
      at: Date.parse(e.date),
      from: e.from_status,
      to: e.to_status,
      prevHash: e.prev_hash,
    }))
    expect(await checkChain(chain)).toEqual({ ok: true, head: ledger.head })
    expect(ledger.summary).toMatchObject({ removed: 1, hidden_negative: 1 })
  })

  it('keeps the figures honest: a withdrawn answer no longer counts as an answer', async () => {
    const { s, t } = await ownShop()
    const voice = await newVoice(s, t)
    const first = await answer(voice, 'apology', 'Sorry', s)
    expect(await trust(s)).toMatchObject({ responded: 1, response_rate: 1, apologies: 1 })
    const siteId = await siteIdOf(s.slug)
    expect(await awaitingResolution(db, siteId, 10)).toMatchObject({ count: 1 })
    expect((await withdraw(first.id, { reason: 'Posted on the wrong review' }, s.key)).status).toBe(200)
    expect(await trust(s)).toMatchObject({ responded: 0, response_rate: 0, apologies: 0 })
    // The digest's and the inbox's figures read the same: waiting for an answer, no apology waiting for a report.
    expect(await unansweredNegative(db, siteId, 10)).toMatchObject({ count: 1 })
    expect(await awaitingResolution(db, siteId, 10)).toMatchObject({ count: 0 })
    const row = await env.DB.prepare('SELECT first_response_at, apologized_at FROM mentions WHERE id = ?')
      .bind(voice)
      .first()
    expect(row).toEqual({ first_response_at: null, apologized_at: null })
    // The voice is unanswered again in the operator's list.
    const list = await (
      await api('GET', `/api/sites/${s.slug}/mentions?unanswered=1`, undefined, s.key)
    ).json<{ items: { id: string }[] }>()
    expect(list.items.map((i) => i.id)).toContain(voice)
    // A later answer that stands is the first answer now.
    const second = await answer(voice, 'apology', 'We are sorry.', s)
    const after = await env.DB.prepare('SELECT first_response_at FROM mentions WHERE id = ?')
      .bind(voice)
      .first<{ first_response_at: number }>()
    expect(after!.first_response_at).toBe(Date.parse(second.created_at))
    // The stats' repair, which recounts from the voices, agrees.
    const rebuilt = await api('POST', `/api/sites/${s.slug}/stats/rebuild`)
    expect(rebuilt.status).toBe(200)
    expect(await trust(s)).toMatchObject({ responded: 1, apologies: 1 })
  })

  it('clears the reviewer’s word on the answers when one is corrected or withdrawn: it was given on other words', async () => {
    const { s, t } = await ownShop()
    const voice = await newVoice(s, t)
    const first = await answer(voice, 'resolution', 'We replaced it.', s)
    const verdict = async (value: string | null) =>
      env.DB.prepare('UPDATE mentions SET author_verdict = ?, author_verdict_at = ? WHERE id = ?')
        .bind(value, value === null ? null : Date.now(), voice)
        .run()
    const stored = () =>
      env.DB.prepare('SELECT author_verdict, author_verdict_at FROM mentions WHERE id = ?').bind(voice).first()
    await verdict('resolved')
    expect((await edit(first.id, { version: 1, body: 'We replaced it and refunded the postage.' }, s.key)).status).toBe(
      200,
    )
    expect(await stored()).toEqual({ author_verdict: null, author_verdict_at: null })
    await verdict('resolved')
    expect((await withdraw(first.id, { reason: 'Sent to the wrong customer' }, s.key)).status).toBe(200)
    expect(await stored()).toEqual({ author_verdict: null, author_verdict_at: null })
  })
})

describe('webhooks and the blog', () => {
  async function receiver(s: SiteFixture, events: string[]) {
    const url = `https://${unique('hooks')}.example/in`
    await servePage(url, { body: 'ok', headers: { 'Content-Type': 'text/plain' } })
    const res = await api('POST', `/api/sites/${s.slug}/webhooks`, { url, events }, s.key)
    expect(res.status).toBe(201)
    return (await res.json<{ id: string }>()).id
  }
  const deliveries = async (endpoint: string) =>
    (
      await env.DB.prepare(
        'SELECT event, payload FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at, id',
      )
        .bind(endpoint)
        .all<{ event: string; payload: string }>()
    ).results.map((d) => ({ event: d.event, data: (JSON.parse(d.payload) as { data: unknown }).data }))

  it('records response.updated and response.withdrawn in D1 with the change', async () => {
    const { s, t } = await ownShop()
    const hook = await receiver(s, ['response.updated', 'response.withdrawn'])
    const voice = await newVoice(s, t)
    const first = await answer(voice, 'apology', 'Sorry', s)
    expect((await edit(first.id, { version: 1, body: 'We are sorry.' }, s.key)).status).toBe(200)
    expect((await withdraw(first.id, { reason: 'Duplicate answer' }, s.key)).status).toBe(200)
    expect(await deliveries(hook)).toMatchObject([
      {
        event: 'response.updated',
        data: { mention: { id: voice }, response: { id: first.id, body: 'We are sorry.', version: 2 } },
      },
      { event: 'response.withdrawn', data: { response: { id: first.id, body: '', reason: 'Duplicate answer' } } },
    ])
    // A refused edit records nothing.
    expect((await edit(first.id, { version: 2, body: 'Again' }, s.key)).status).toBe(409)
    expect(await deliveries(hook)).toHaveLength(2)
  })

  it('tells the blog again on an edit and on a withdrawal: a new round of the announcement each time', async () => {
    const s = await createSite()
    const { voice, endpoint } = await announceableVoice(s)
    const first = await answer(voice, 'apology', 'Sorry', s)
    const round = () =>
      env.DB.prepare(
        "SELECT o.state, o.attempts, r.webmention_state AS announced FROM outbox o JOIN responses r ON r.id = o.ref WHERE o.kind = 'announce' AND o.ref = ?",
      )
        .bind(first.id)
        .first<{ state: string; attempts: number; announced: string }>()
    const sentOnce = async (n: number) => {
      for (let i = 0; i < 100; i++) {
        const { count } = await hitsOf(endpoint)
        const r = await round()
        if (count >= n && r?.announced === 'sent') return r
        await new Promise((done) => setTimeout(done, 50))
      }
      throw new Error(`the blog was not told ${n} times`)
    }
    await sentOnce(1)
    const edited = await edit(first.id, { version: 1, body: 'We are sorry.' }, s.key)
    expect(await edited.json()).toMatchObject({ webmention: 'queued' })
    expect(await sentOnce(2)).toMatchObject({ state: 'sent', announced: 'sent' })
    const withdrawn = await withdraw(first.id, { reason: 'Wrong review' }, s.key)
    expect(await withdrawn.json()).toMatchObject({ webmention: 'queued' })
    expect(await sentOnce(3)).toMatchObject({ state: 'sent' })
    // What the blog then fetches: the tombstone, gone.
    expect((await call(`/responses/${first.id}`)).status).toBe(410)
  })
})
