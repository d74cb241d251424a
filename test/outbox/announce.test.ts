/**
 * An official answer's announcement survives a lost queue message: it is recorded with the
 * answer, the cron's sweep sends it again once its lease has ended, and the blog hears of it
 * exactly once — whether the first send or a retry was lost, and however many copies arrive.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { hitsOf, servePage } from '../helpers/blogs'
import { cronAt } from '../helpers/digest'
import { createSite, type SiteFixture } from '../helpers/factories'
import { callAt } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'
import { consume, keepingQueue, keepingSenders, outboxRow } from '../helpers/outbox'
import { announceableVoice } from '../helpers/voices'

const db = getDb(env.DB)
let site: SiteFixture

beforeAll(async () => {
  site = await createSite()
})

/** Publishes an answer at `at` through a queue that keeps its message (the message is lost unless handed on). */
async function answerLosingMessage(voice: string, at: number) {
  const kept = keepingQueue()
  const res = await callAt(at, { ANNOUNCE_QUEUE: kept.queue })(`/api/mentions/${voice}/responses`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ stage: 'apology', body: 'Sorry — a new seal is on its way.', author: { name: 'Aiko' } }),
  })
  expect(res.status).toBe(201)
  const response = await res.json<{ id: string; webmention: string }>()
  expect(response.webmention).toBe('queued')
  expect(kept.sent).toHaveLength(1)
  return { id: response.id, body: kept.sent[0] }
}

const stateOf = async (responseId: string) =>
  (await env.DB.prepare('SELECT webmention_state AS s, webmention_attempts AS n FROM responses WHERE id = ?')
    .bind(responseId)
    .first<{ s: string; n: number }>())!

describe('an answer’s announcement', () => {
  it('is sent by the cron after its queue message was lost, and once only', async () => {
    const { voice, endpoint } = await announceableVoice(site)
    const at = Date.now()
    const answer = await answerLosingMessage(voice, at)
    expect(await outboxRow('announce', answer.id)).toMatchObject({ state: 'waiting', attempts: 0 })

    // While the lease lasts the cron leaves it alone: its message may still be on its way.
    await cronAt(at + IN_FLIGHT_MS - 1000)
    expect((await hitsOf(endpoint)).count).toBe(0)

    // Past it, the cron's run sends it through the real queue, and the blog hears of it.
    await cronAt(at + IN_FLIGHT_MS + 1000)
    await eventually(
      () => stateOf(answer.id),
      (s) => s.s === 'sent',
    )
    expect((await hitsOf(endpoint)).count).toBe(1)
    expect(await outboxRow('announce', answer.id)).toMatchObject({ state: 'sent', attempts: 1 })

    // Later runs send nothing more, and a late copy of the lost message is acknowledged without sending.
    const later = keepingSenders()
    expect((await sweepOutbox(db, later.senders, at + 5 * IN_FLIGHT_MS)).announce).toBeUndefined()
    expect(await consume('announce', [answer.body], () => at + 5 * IN_FLIGHT_MS)).toMatchObject({ acked: 1 })
    expect((await hitsOf(endpoint)).count).toBe(1)
  })

  it('is re-sent when the message of its retry is lost, on the retry’s time', async () => {
    const { voice, endpoint } = await announceableVoice(site, 503)
    const at = Date.now()
    const answer = await answerLosingMessage(voice, at)

    // The first try meets a busy blog: the queue is asked to retry in 30 s, and that message is lost.
    expect(await consume('announce', [answer.body], () => at + 1000)).toMatchObject({ retried: 1, delays: [30] })
    expect(await stateOf(answer.id)).toEqual({ s: 'queued', n: 1 })
    expect(await outboxRow('announce', answer.id)).toMatchObject({
      state: 'waiting',
      attempts: 1,
      due_at: at + 31_000,
      last_failure: 'endpoint_error',
    })
    await servePage(endpoint, { status: 202, body: 'ok', headers: { 'Content-Type': 'text/plain' } })

    // Not before the retry's lease ends…
    const early = keepingSenders()
    expect((await sweepOutbox(db, early.senders, at + 31_000 + IN_FLIGHT_MS - 1)).announce).toBeUndefined()
    // …then sent again, and the second try is the one that reaches the blog.
    const run = keepingSenders()
    expect((await sweepOutbox(db, run.senders, at + 31_000 + IN_FLIGHT_MS)).announce).toBe(1)
    expect(run.sent.announce).toEqual([answer.body])
    expect(await consume('announce', run.sent.announce, () => at + 32_000 + IN_FLIGHT_MS)).toMatchObject({
      acked: 1,
    })
    expect(await stateOf(answer.id)).toEqual({ s: 'sent', n: 2 })
    expect((await hitsOf(endpoint)).count).toBe(2)
    expect(await outboxRow('announce', answer.id)).toMatchObject({ state: 'sent', attempts: 2 })
  })

  it('is sent once when its message is not lost: the cron finds nothing to send', async () => {
    const { voice, endpoint } = await announceableVoice(site)
    const at = Date.now()
    const kept = keepingQueue()
    const res = await callAt(at, { ANNOUNCE_QUEUE: kept.queue })(`/api/mentions/${voice}/responses`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ stage: 'reply', body: 'Thank you!', author: { name: 'Aiko' } }),
    })
    const { id } = await res.json<{ id: string }>()
    // The queue hands the message over (twice, as a queue may): one try, one Webmention.
    expect(await consume('announce', [kept.sent[0], kept.sent[0]], () => at + 1000)).toMatchObject({ acked: 2 })
    expect((await hitsOf(endpoint)).count).toBe(1)
    const run = keepingSenders()
    expect((await sweepOutbox(db, run.senders, at + 10 * IN_FLIGHT_MS)).announce).toBeUndefined()
    expect(await stateOf(id)).toEqual({ s: 'sent', n: 1 })
  })
})

describe('an announcement the previous release left queued', () => {
  it('is sent from the page on HUB_ORIGIN (its message names the response only), or failed without one', async () => {
    const { voice, endpoint } = await announceableVoice(site)
    const at = Date.now()
    const answer = await answerLosingMessage(voice, at)
    const upgraded = { responseId: answer.id }
    expect(
      await consume('announce', [upgraded], () => at + 1000, 1, { HUB_ORIGIN: 'https://hub.example' }),
    ).toMatchObject({ acked: 1 })
    const sent = await hitsOf(endpoint)
    expect(Object.fromEntries(new URLSearchParams(sent.body!))).toMatchObject({
      source: `https://hub.example/responses/${answer.id}`,
    })
    expect(await stateOf(answer.id)).toEqual({ s: 'sent', n: 1 })

    const other = await announceableVoice(site)
    const stranded = await answerLosingMessage(other.voice, at)
    await consume('announce', [{ responseId: stranded.id }], () => at + 1000, 1, { HUB_ORIGIN: '' })
    expect(await stateOf(stranded.id)).toEqual({ s: 'failed', n: 0 })
    expect((await hitsOf(other.endpoint)).count).toBe(0)
  })
})
