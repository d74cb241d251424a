/**
 * Correcting and withdrawing an official answer through the operator API: every version kept and
 * readable on the answer's public page, optimistic concurrency on the version, the tombstone and
 * its 410, the ledger entry in the chain, honest figures, the webhooks and the blog told again.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { type ChainedEntry, checkChain } from '../../src/ledger/chain'
import { awaitingResolution, unansweredNegative } from '../../src/voices/weekly-counts'
import { siteIdOf } from '../helpers/digest'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { hitsOf, servePage } from '../helpers/blogs'
import { api, call, callAt, HOUR } from '../helpers/http'
import { announceableVoice, pingVoice, voiceIdOf } from '../helpers/voices'

const db = getDb(env.DB)
let site: SiteFixture
let target: string

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  target = (await createTarget(site)).id
})

type Answer = {
  id: string
  stage: string
  body: string
  author: { name: string; role: string | null }
  created_at: string
  version: number
  edited_at: string | null
  withdrawn: { at: string; reason: string } | null
  url: string
  webmention: string | null
}

async function newVoice(s = site, t = target, sentiment: 'negative' | 'positive' = 'negative', via = call) {
  const id = await voiceIdOf(await pingVoice(s, t, {}, via))
  expect((await api('PATCH', `/api/mentions/${id}`, { sentiment }, s.key)).status).toBe(200)
  return id
}

async function answer(voice: string, stage = 'apology', body = 'We are sorry: a new seal is on its way.', s = site) {
  const res = await api('POST', `/api/mentions/${voice}/responses`, { stage, body, author: { name: 'Aiko' } }, s.key)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<Answer>()
}

const edit = (id: string, body: unknown, key: string | null = site.key) =>
  api('PATCH', `/api/responses/${id}`, body, key)
const withdraw = (id: string, body: unknown, key: string | null = site.key) =>
  api('POST', `/api/responses/${id}/withdraw`, body, key)

const trust = async (s = site) =>
  (await call(`/feeds/${s.slug}/trust.json`)).json<{
    responded: number
    response_rate: number
    apologies: number
    answered_within_target: { share: number | null }
  }>()

describe('PATCH /api/responses/{id}', () => {
  it('makes a new version, keeps the old one readable on the public page, and says "edited"', async () => {
    const voice = await newVoice()
    const first = await answer(voice)
    const res = await edit(first.id, { version: 1, body: 'We are sorry: a new seal and a refund are on their way.' })
    expect(res.status, await res.clone().text()).toBe(200)
    const edited = await res.json<Answer>()
    expect(edited).toMatchObject({
      id: first.id,
      version: 2,
      body: 'We are sorry: a new seal and a refund are on their way.',
      created_at: first.created_at,
      withdrawn: null,
    })
    expect(edited.edited_at).not.toBeNull()

    const page = await call(`/responses/${first.id}`)
    expect(page.status).toBe(200)
    const text = await page.text()
    expect(text).toContain('a refund are on their way')
    expect(text).toContain('edited')
    expect(text).toContain('class="dt-updated"')
    expect(text).toContain('Earlier versions')
    expect(text).toContain('Version 1')
    expect(text).toContain('We are sorry: a new seal is on its way.')

    // The operator's voice detail and the public feed say the same.
    const detail = await (
      await api('GET', `/api/mentions/${voice}`, undefined, site.key)
    ).json<{ responses: Answer[] }>()
    expect(detail.responses[0]).toMatchObject({ version: 2, withdrawn: null })
    const feed = await (
      await call(`/feeds/${site.slug}.json?target=${target}`)
    ).json<{ items: { id: string; _glasshouse: { responses: Record<string, unknown>[] } }[] }>()
    const shown = feed.items.find((i) => i.id === voice)!._glasshouse.responses[0]!
    expect(shown).toMatchObject({ version: 2, date_modified: edited.edited_at, withdrawn: null })
  })

  it('escapes every earlier version on the page', async () => {
    const first = await answer(await newVoice(), 'reply', '<script>alert(1)</script> thanks')
    expect((await edit(first.id, { version: 1, body: 'Thanks!' })).status).toBe(200)
    const text = await (await call(`/responses/${first.id}`)).text()
    expect(text).not.toContain('<script>alert')
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; thanks')
  })

  it('refuses a stale version with the current answer, so the second editor loses nothing', async () => {
    const first = await answer(await newVoice())
    expect((await edit(first.id, { version: 1, body: 'First correction.' })).status).toBe(200)
    const stale = await edit(first.id, { version: 1, body: 'Second correction.' })
    expect(stale.status).toBe(409)
    const refusal = await stale.json<{ error: { code: string; message: string }; current: Answer }>()
    expect(refusal.error.code).toBe('conflict')
    expect(refusal.error.message).toContain('version 2')
    expect(refusal.current).toMatchObject({ version: 2, body: 'First correction.' })
  })

  it('lets exactly one of two edits made on the same version win', async () => {
    const first = await answer(await newVoice())
    const results = await Promise.all([
      edit(first.id, { version: 1, body: 'Aiko’s correction.' }),
      edit(first.id, { version: 1, body: 'Ken’s correction.' }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    const lost = results.find((r) => r.status === 409)!
    const { current } = await lost.json<{ current: Answer }>()
    const won = await results.find((r) => r.status === 200)!.json<Answer>()
    expect(current).toMatchObject({ version: 2, body: won.body })
    const versions = await env.DB.prepare('SELECT count(*) AS n FROM response_revisions WHERE response_id = ?')
      .bind(first.id)
      .first<{ n: number }>()
    expect(versions!.n).toBe(1)
  })

  it('makes no version of an edit that changes nothing', async () => {
    const first = await answer(await newVoice())
    const res = await edit(first.id, { version: 1, body: first.body, author: { name: 'Aiko' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ version: 1, edited_at: null })
    expect((await call(`/responses/${first.id}`)).status).toBe(200)
  })

  it('refuses missing and wrong fields, oversize bodies, and unknown or other shops’ answers', async () => {
    const first = await answer(await newVoice())
    expect((await edit(first.id, { body: 'No version' })).status).toBe(400)
    expect((await edit(first.id, { version: '1', body: 'x' })).status).toBe(400)
    expect((await edit(first.id, { version: 1.5, body: 'x' })).status).toBe(400)
    expect((await edit(first.id, { version: 1, body: '' })).status).toBe(400)
    expect((await edit(first.id, { version: 1, stage: 'refund' })).status).toBe(400)
    expect((await edit(first.id, { version: 1, author: { role: 'x' } })).status).toBe(400)
    expect((await edit(first.id, { version: 1, extra: true })).status).toBe(400)
    expect((await edit(first.id, { version: 1, body: 'x'.repeat(5001) })).status).toBe(400)
    expect((await edit(first.id, { version: 1, body: 'x'.repeat(70_000) })).status).toBe(413)
    const notJson = await call(`/api/responses/${first.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
      body: '{"version":',
    })
    expect(notJson.status).toBe(400)
    expect((await edit('r_doesnotexist', { version: 1, body: 'x' })).status).toBe(404)
    expect((await edit(first.id, { version: 1, body: 'x' }, null)).status).toBe(401)
    // Another shop's key does not reach this shop's answer, for editing or withdrawing.
    const other = await createSite()
    expect((await edit(first.id, { version: 1, body: 'x' }, other.key)).status).toBe(404)
    expect((await withdraw(first.id, { reason: 'x' }, other.key)).status).toBe(404)
    // Nothing changed.
    const row = await env.DB.prepare('SELECT version, body FROM responses WHERE id = ?')
      .bind(first.id)
      .first<{ version: number; body: string }>()
    expect(row).toEqual({ version: 1, body: first.body })
  })

  it('changes a stage only where stages keep their order', async () => {
    const voice = await newVoice()
    const apology = await answer(voice, 'apology')
    const report = await answer(voice, 'resolution', 'We changed the seal supplier.')
    const reply = await answer(voice, 'reply', 'One more thing.')
    // An apology given after the resolution report would break reply → apology → resolution.
    const refused = await edit(reply.id, { version: 1, stage: 'apology' })
    expect(refused.status).toBe(409)
    expect((await refused.json<{ error: { message: string } }>()).error.message).toMatch(/^stage: /)
    // The apology may become the report (no apology then comes after one).
    expect((await edit(apology.id, { version: 1, stage: 'resolution' })).status).toBe(200)
    expect((await edit(report.id, { version: 1, stage: 'reply' })).status).toBe(200)
    const figures = await env.DB.prepare(
      'SELECT apologized_at, resolved_at, first_response_at FROM mentions WHERE id = ?',
    )
      .bind(voice)
      .first<{ apologized_at: number | null; resolved_at: number | null; first_response_at: number }>()
    expect(figures).toMatchObject({ apologized_at: null, resolved_at: Date.parse(apology.created_at) })
  })

  it('keeps the first-answer time of an edited answer', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    // A complaint of 30 hours ago answered at once, then corrected now: still answered within the target.
    const at = Date.now() - 30 * HOUR
    const voice = await newVoice(s, t, 'negative', callAt(at))
    const res = await callAt(at + HOUR)(`/api/mentions/${voice}/responses`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ stage: 'apology', body: 'Sorry.', author: { name: 'Aiko' } }),
    })
    const first = await res.json<Answer>()
    const before = await trust(s)
    expect(before.answered_within_target.share).toBe(1)
    expect((await edit(first.id, { version: 1, body: 'We are sorry.' }, s.key)).status).toBe(200)
    expect(await trust(s)).toEqual(before)
    const row = await env.DB.prepare('SELECT first_response_at FROM mentions WHERE id = ?')
      .bind(voice)
      .first<{ first_response_at: number }>()
    expect(row!.first_response_at).toBe(at + HOUR)
  })
})

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
      await call(`/feeds/${site.slug}.json?target=${target}`)
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
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
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
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
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
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
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
