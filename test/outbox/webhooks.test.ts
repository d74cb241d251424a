/**
 * A webhook delivery survives a lost queue message — its first send's or a retry's, or a staff
 * resend's: the cron's sweep sends it again once its lease has ended, with the same webhook-id,
 * and the receiver gets it once however many copies of the message arrive.
 */
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import { getDb } from '../../src/db/client'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { emitter } from '../../src/webhooks/events'
import { hitsOf, servePage } from '../helpers/blogs'
import { siteIdOf } from '../helpers/digest'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { api, callAt } from '../helpers/http'
import { clicksReport, consume, keepingQueue, keepingSenders, outboxRow } from '../helpers/outbox'

const db = getDb(env.DB)
let site: SiteFixture
let siteId: number

// A site of its own for each test: an event is delivered to every one of a site's receivers.
beforeEach(async () => {
  site = await createSite()
  siteId = await siteIdOf(site.slug)
})

type Delivery = { id: string; state: string; attempts: number; last_error: string | null }

/** A receiver answering `status`, subscribed to clicks' reports. */
async function receiver(status = 200) {
  const url = `https://${unique('hooks')}.example/in`
  await servePage(url, { status, body: 'ok', headers: { 'Content-Type': 'text/plain' } })
  const res = await api('POST', `/api/sites/${site.slug}/webhooks`, { url, events: ['affiliate.click'] }, site.key)
  expect(res.status).toBe(201)
  return { url, id: (await res.json<{ id: string }>()).id }
}

const deliveriesOf = async (endpointId: string) =>
  (
    await (
      await api('GET', `/api/webhooks/${endpointId}/deliveries`, undefined, site.key)
    ).json<{ items: Delivery[] }>()
  ).items

/** An event emitted at `at` whose queue message is lost; the delivery and its message's body. */
async function emitLosing(at: number) {
  const kept = keepingQueue()
  await emitter(db, kept.queue, () => at)(siteId, 'affiliate.click', clicksReport(at))
  expect(kept.sent).toHaveLength(1)
  return kept.sent[0] as { deliveryId: string }
}

describe('a webhook delivery', () => {
  it('is sent by the cron after its first queue message was lost, once, with its webhook-id', async () => {
    const hook = await receiver()
    const at = Date.now()
    const body = await emitLosing(at)
    expect(await outboxRow('webhook', body.deliveryId)).toMatchObject({ state: 'waiting', attempts: 0 })

    const early = keepingSenders()
    expect((await sweepOutbox(db, early.senders, at + IN_FLIGHT_MS - 1)).webhook).toBeUndefined()
    const run = keepingSenders()
    await sweepOutbox(db, run.senders, at + IN_FLIGHT_MS)
    expect(run.sent.webhook).toContainEqual(body)

    // Two copies arrive (the lost one, late, and the cron's): one request to the receiver.
    expect(await consume('webhook', [body, body], () => at + IN_FLIGHT_MS + 1000)).toMatchObject({ acked: 2 })
    const hits = await hitsOf(hook.url)
    expect(hits.count).toBe(1)
    expect(hits.headers?.['webhook-id']).toBe(body.deliveryId)
    expect((await deliveriesOf(hook.id))[0]).toMatchObject({ state: 'delivered', attempts: 1 })
    expect(await outboxRow('webhook', body.deliveryId)).toMatchObject({ state: 'sent', attempts: 1 })

    // Delivered: no later run sends it, and a copy that still turns up is acknowledged without a request.
    const later = keepingSenders()
    await sweepOutbox(db, later.senders, at + 10 * IN_FLIGHT_MS)
    expect(later.sent.webhook).not.toContainEqual(body)
    await consume('webhook', [body], () => at + 10 * IN_FLIGHT_MS)
    expect((await hitsOf(hook.url)).count).toBe(1)
  })

  it('is re-sent when its retry’s message is lost (not only one never tried)', async () => {
    const hook = await receiver(503)
    const at = Date.now()
    const body = await emitLosing(at)
    expect(await consume('webhook', [body], () => at)).toMatchObject({ retried: 1, delays: [5] })
    expect(await outboxRow('webhook', body.deliveryId)).toMatchObject({
      state: 'waiting',
      attempts: 1,
      due_at: at + 5000,
      last_failure: 'http_503',
    })
    await servePage(hook.url, { status: 204 })

    // The retry's message never comes: the cron sends it once the retry's lease has ended.
    const early = keepingSenders()
    await sweepOutbox(db, early.senders, at + 5000 + IN_FLIGHT_MS - 1)
    expect(early.sent.webhook).not.toContainEqual(body)
    const run = keepingSenders()
    await sweepOutbox(db, run.senders, at + 5000 + IN_FLIGHT_MS)
    expect(run.sent.webhook).toContainEqual(body)
    await consume('webhook', [body], () => at + 6000 + IN_FLIGHT_MS)
    expect((await deliveriesOf(hook.id))[0]).toMatchObject({ state: 'delivered', attempts: 2, last_error: null })
    expect((await hitsOf(hook.url)).count).toBe(2)
  })

  it('sent again by staff is re-sent by the cron if that message is lost too', async () => {
    const hook = await receiver()
    const at = Date.now()
    const body = await emitLosing(at)
    await consume('webhook', [body], () => at)
    expect((await hitsOf(hook.url)).count).toBe(1)

    const kept = keepingQueue()
    const res = await callAt(at + 60_000, { WEBHOOK_QUEUE: kept.queue })(
      `/api/webhooks/${hook.id}/deliveries/${body.deliveryId}/resend`,
      { method: 'POST', headers: { Authorization: `Bearer ${site.key}` } },
    )
    expect(res.status).toBe(202)
    expect(kept.sent).toEqual([body])
    expect(await outboxRow('webhook', body.deliveryId)).toMatchObject({ state: 'waiting', attempts: 0 })

    const run = keepingSenders()
    await sweepOutbox(db, run.senders, at + 60_000 + IN_FLIGHT_MS)
    expect(run.sent.webhook).toContainEqual(body)
    await consume('webhook', [body], () => at + 61_000 + IN_FLIGHT_MS)
    expect((await hitsOf(hook.url)).count).toBe(2)
    expect((await deliveriesOf(hook.id))[0]).toMatchObject({ state: 'delivered', attempts: 1 })
  })
})

describe('a delivery whose attempt throws', () => {
  it('is tried again by the queue’s retry a minute on, each retry an attempt, until it goes', async () => {
    const hook = await receiver()
    const at = Date.now()
    const body = await emitLosing(at)
    // The secrets key is wrong: the signature cannot be made, the attempt throws.
    const broken = { WEBHOOK_SECRETS_KEY: btoa('x'.repeat(32)) }
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    expect(await consume('webhook', [body], () => at, 1, broken)).toMatchObject({ retried: 1, delays: [60] })
    expect(await outboxRow('webhook', body.deliveryId)).toMatchObject({ state: 'waiting', attempts: 1 })
    // The queue's retry, a minute on, is the second attempt (not a copy dropped as not yet due).
    expect(await consume('webhook', [body], () => at + 60_000, 2, broken)).toMatchObject({ retried: 1 })
    expect(await outboxRow('webhook', body.deliveryId)).toMatchObject({ attempts: 2 })
    errors.mockRestore()
    // The key put right, the next retry delivers it.
    expect(await consume('webhook', [body], () => at + 120_000, 3)).toMatchObject({ acked: 1 })
    expect((await hitsOf(hook.url)).count).toBe(1)
    expect(await outboxRow('webhook', body.deliveryId)).toMatchObject({ state: 'sent', attempts: 3 })
  })
})

describe('a delivery whose address is deleted', () => {
  it('is forgotten with it: the cron sends nothing for it', async () => {
    const hook = await receiver()
    const at = Date.now()
    const body = await emitLosing(at)
    expect((await api('DELETE', `/api/webhooks/${hook.id}`, undefined, site.key)).status).toBe(204)
    expect(await outboxRow('webhook', body.deliveryId)).toBeNull()
    const run = keepingSenders()
    await sweepOutbox(db, run.senders, at + IN_FLIGHT_MS)
    expect(run.sent.webhook).not.toContainEqual(body)
  })
})
