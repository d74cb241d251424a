/**
 * Outbound webhooks (Standard Webhooks): endpoints and their secrets, signed deliveries of
 * real events through the real queue to receivers served by the fixture web, rotation,
 * failures, 410, Slack mode, resend, and other tenants' ids.
 */
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { findSiteBySlug } from '../../src/sites/store'
import { deliver, DELIVERY_LIMITS, RETRY_SCHEDULE_SECONDS, retryAfterSeconds } from '../../src/webhooks/deliver'
import { emitter } from '../../src/webhooks/events'
import { sendersOf, sweepOutbox } from '../../src/outbox/sweep'
import { clicksReport } from '../helpers/outbox'
import { hitsOf, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'
import { pingVoice } from '../helpers/voices'

type Endpoint = {
  id: string
  url: string
  secret: string
  events: string[] | 'all'
  mode: string
  disabled_at: string | null
  disabled_reason: string | null
}
type Delivery = {
  id: string
  event: string
  state: string
  attempts: number
  last_status: number | null
  last_error: string | null
  attempt_log: { at: string; status: number | null; error: string | null; body: string | null }[]
  payload: string
}

let site: SiteFixture
let target: string

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  target = (await createTarget(site)).id
})

async function receiver(status = 200) {
  const url = `https://${unique('hooks')}.example/in`
  await servePage(url, { status, body: 'ok', headers: { 'Content-Type': 'text/plain' } })
  return url
}

async function endpoint(url: string, body: Record<string, unknown> = {}, s = site) {
  const res = await api('POST', `/api/sites/${s.slug}/webhooks`, { url, ...body }, s.key)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<Endpoint>()
}

const deliveries = async (id: string) =>
  (await (await api('GET', `/api/webhooks/${id}/deliveries`, undefined, site.key)).json<{ items: Delivery[] }>()).items

const settledDeliveries = (id: string, n: number) =>
  eventually(
    () => deliveries(id),
    (items) => items.length >= n && items.every((d) => d.state !== 'pending' || d.attempts > 0),
  )

async function voiceId(url: string) {
  return (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id
}

describe('webhook endpoints', () => {
  it('shows the secret once and keeps it sealed', async () => {
    const e = await endpoint(await receiver())
    expect(e.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    expect(e.events).toBe('all')
    const list = await (
      await api('GET', `/api/sites/${site.slug}/webhooks`, undefined, site.key)
    ).json<{ items: Record<string, unknown>[] }>()
    expect(list.items.find((i) => i.id === e.id)).not.toHaveProperty('secret')
    const row = await env.DB.prepare('SELECT secret_sealed FROM webhook_endpoints WHERE id = ?')
      .bind(e.id)
      .first<{ secret_sealed: string }>()
    expect(row!.secret_sealed).not.toContain(e.secret.slice(6))
  })

  it('refuses private, plain-http and malformed URLs, unknown events and modes', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.0.0.8/hook',
      'https://localhost/hook',
      'http://hooks.example/in',
      'not a url',
      'https://[::1]/x',
    ]) {
      expect((await api('POST', `/api/sites/${site.slug}/webhooks`, { url }, site.key)).status, url).toBe(400)
    }
    expect(
      (
        await api(
          'POST',
          `/api/sites/${site.slug}/webhooks`,
          { url: 'https://hooks.example/x', events: ['mention.deleted'] },
          site.key,
        )
      ).status,
    ).toBe(400)
    expect(
      (
        await api(
          'POST',
          `/api/sites/${site.slug}/webhooks`,
          { url: 'https://hooks.example/x', mode: 'teams' },
          site.key,
        )
      ).status,
    ).toBe(400)
    expect(
      (await api('POST', `/api/sites/${site.slug}/webhooks`, { url: 'https://hooks.example/x', extra: 1 }, site.key))
        .status,
    ).toBe(400)
  })

  it('keeps a site to 20 endpoints (each event is queued once per endpoint)', async () => {
    const s = await createSite()
    for (let n = 0; n < 20; n++)
      expect(
        (await api('POST', `/api/sites/${s.slug}/webhooks`, { url: `https://hooks.example/${n}` }, s.key)).status,
      ).toBe(201)
    const over = await api('POST', `/api/sites/${s.slug}/webhooks`, { url: 'https://hooks.example/21' }, s.key)
    expect(over.status).toBe(409)
    expect(await over.text()).toContain('at most 20')
    expect(
      (await (await api('GET', `/api/sites/${s.slug}/webhooks`, undefined, s.key)).json<{ items: unknown[] }>()).items,
    ).toHaveLength(20)
  })

  it("refuses another site's endpoints and sites", async () => {
    const theirs = await createSite()
    const e = await endpoint(await receiver(), {}, theirs)
    expect(
      (await api('POST', `/api/sites/${theirs.slug}/webhooks`, { url: 'https://hooks.example/x' }, site.key)).status,
    ).toBe(404)
    expect((await api('GET', `/api/sites/${theirs.slug}/webhooks`, undefined, site.key)).status).toBe(404)
    for (const [method, path, body] of [
      ['PATCH', `/api/webhooks/${e.id}`, { events: [] }],
      ['DELETE', `/api/webhooks/${e.id}`, undefined],
      ['POST', `/api/webhooks/${e.id}/rotate`, undefined],
      ['GET', `/api/webhooks/${e.id}/deliveries`, undefined],
      ['POST', `/api/webhooks/${e.id}/resend-failed`, { since: '2026-01-01T00:00:00Z' }],
    ] as const) {
      expect((await api(method, path, body, site.key)).status, `${method} ${path}`).toBe(404)
    }
  })
})

describe('webhook deliveries', () => {
  it('sends each subscribed event, signed per Standard Webhooks, and logs it', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const url = await receiver()
    const e = await endpoint(url, { events: ['mention.received', 'mention.removed'] }, s)
    const post = await pingVoice(s, t, { title: 'Seams split', excerpt: 'Disappointed' })

    const hit = await eventually(
      () => hitsOf(url),
      (h) => h.count >= 1,
    )
    const headers = hit.headers!
    const verified = new Webhook(e.secret).verify(hit.body!, {
      'webhook-id': headers['webhook-id']!,
      'webhook-timestamp': headers['webhook-timestamp']!,
      'webhook-signature': headers['webhook-signature']!,
    }) as { type: string; data: { site: string; mention: { id: string; url: string; title: string } } }
    expect(verified.type).toBe('mention.received')
    expect(verified.data).toMatchObject({
      site: s.slug,
      mention: { id: await voiceId(post), url: post, title: 'Seams split' },
    })
    expect(headers['content-type']).toBe('application/json')

    // mention.published (a ping published at once) was not subscribed: one delivery only.
    const log = await (
      await api('GET', `/api/webhooks/${e.id}/deliveries`, undefined, s.key)
    ).json<{ items: Delivery[] }>()
    expect(log.items).toEqual([
      expect.objectContaining({
        id: headers['webhook-id'],
        event: 'mention.received',
        state: 'delivered',
        attempts: 1,
        last_status: 200,
      }),
    ])

    await api('POST', `/api/mentions/${await voiceId(post)}/moderation`, { action: 'spam', reason: 'bot' }, s.key)
    const second = await eventually(
      () => hitsOf(url),
      (h) => h.count >= 2,
    )
    expect(JSON.parse(second.body!)).toMatchObject({ type: 'mention.removed', data: { mention: { status: 'spam' } } })
  })

  it('signs with both secrets for a day after a rotation', async () => {
    const url = await receiver()
    const e = await endpoint(url, { events: ['mention.received'] })
    const rotated = await (
      await api('POST', `/api/webhooks/${e.id}/rotate`, undefined, site.key)
    ).json<{ secret: string; previous_secret_valid_until: string }>()
    expect(rotated.secret).not.toBe(e.secret)
    expect(Date.parse(rotated.previous_secret_valid_until) - Date.now()).toBeGreaterThan(23 * 3600 * 1000)
    await pingVoice(site, target)
    const hit = await eventually(
      () => hitsOf(url),
      (h) => h.count >= 1,
    )
    const h = hit.headers!
    expect(h['webhook-signature']!.split(' ')).toHaveLength(2)
    for (const secret of [rotated.secret, e.secret]) {
      expect(() =>
        new Webhook(secret).verify(hit.body!, {
          'webhook-id': h['webhook-id']!,
          'webhook-timestamp': h['webhook-timestamp']!,
          'webhook-signature': h['webhook-signature']!,
        }),
      ).not.toThrow()
    }
  })

  it('retries a failing receiver, and disables one that answers 410 until it is enabled again', async () => {
    const failing = await receiver(503)
    const e1 = await endpoint(failing, { events: ['mention.received'] })
    const gone = await receiver(410)
    const e2 = await endpoint(gone, { events: ['mention.received'] })
    await pingVoice(site, target)

    const [d1] = await settledDeliveries(e1.id, 1)
    expect(d1).toMatchObject({ state: 'pending', attempts: 1, last_status: 503 })
    // Each attempt is kept: when, the status, what went wrong (a code).
    expect(d1!.attempt_log).toEqual([
      { at: expect.stringMatching(/^\d{4}-/), status: 503, error: 'http_503', body: null },
    ])
    const [d2] = await settledDeliveries(e2.id, 1)
    expect(d2).toMatchObject({ state: 'failed', last_status: 410 })
    const list = await (
      await api('GET', `/api/sites/${site.slug}/webhooks`, undefined, site.key)
    ).json<{ items: Endpoint[] }>()
    expect(list.items.find((i) => i.id === e2.id)).toMatchObject({ disabled_reason: 'the endpoint answered 410 Gone' })
    expect(list.items.find((i) => i.id === e1.id)).toMatchObject({ disabled_at: null })

    // Disabled: new events make no deliveries, and resending is refused until it is enabled.
    await pingVoice(site, target)
    expect(await deliveries(e2.id)).toHaveLength(1)
    expect((await api('POST', `/api/webhooks/${e2.id}/deliveries/${d2!.id}/resend`, undefined, site.key)).status).toBe(
      409,
    )
    await servePage(gone, { status: 200, body: 'ok', headers: { 'Content-Type': 'text/plain' } })
    expect((await api('PATCH', `/api/webhooks/${e2.id}`, { enabled: true }, site.key)).status).toBe(200)
    const resent = await api(
      'POST',
      `/api/webhooks/${e2.id}/resend-failed`,
      { since: new Date(Date.now() - 3600_000).toISOString() },
      site.key,
    )
    expect(await resent.json()).toEqual({ resent: [d2!.id] })
    const [delivered] = await eventually(
      () => deliveries(e2.id),
      (items) => items[0]?.state === 'delivered',
    )
    // The log keeps the refused attempt and the one that went through, with the receiver's answer.
    expect(delivered!.attempt_log.map((a) => [a.status, a.error, a.body])).toEqual([
      [410, 'http_410', null],
      [200, null, 'ok'],
    ])
    // The same webhook-id as the first attempt: receivers can drop duplicates.
    expect((await hitsOf(gone)).headers!['webhook-id']).toBe(d2!.id)
  })

  it('makes a delivery for each of a site’s 20 addresses (more rows than one D1 statement binds)', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const made = []
    for (let i = 0; i < 20; i++) made.push(await endpoint(await receiver(503), { events: ['mention.received'] }, s))
    await pingVoice(s, t)
    const count = async () =>
      (await env.DB.prepare(
        'SELECT count(*) AS n FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.site_id = (SELECT id FROM sites WHERE slug = ?)',
      )
        .bind(s.slug)
        .first<{ n: number }>())!.n
    expect(await count()).toBe(20)
  })

  it('stops sending when staff stop an address, and starts again when they say so', async () => {
    const url = await receiver()
    const e = await endpoint(url, { events: ['mention.received'] })
    const stopped = await api('PATCH', `/api/webhooks/${e.id}`, { enabled: false }, site.key)
    expect(stopped.status).toBe(200)
    expect(await stopped.json()).toMatchObject({ disabled_reason: 'stopped by the shop' })
    await pingVoice(site, target)
    expect(await deliveries(e.id)).toHaveLength(0)
    expect((await api('PATCH', `/api/webhooks/${e.id}`, { enabled: 'no' }, site.key)).status).toBe(400)
    expect((await api('PATCH', `/api/webhooks/${e.id}`, { enabled: true }, site.key)).status).toBe(200)
    await pingVoice(site, target)
    await settledDeliveries(e.id, 1)
  })

  it('posts a readable Slack message, negative voices flagged and markup escaped', async () => {
    const url = await receiver()
    await endpoint(url, { mode: 'slack', events: ['mention.received'] })
    await pingVoice(site, target, {
      title: 'Awful <b>shirt</b> & worse',
      excerpt: 'The seams ripped, very disappointed <script',
    })
    const hit = await eventually(
      () => hitsOf(url),
      (h) => h.count >= 1,
    )
    const { text } = JSON.parse(hit.body!) as { text: string }
    expect(text).toContain(':warning: *Negative*')
    expect(text).toContain('New voice received')
    expect(text).toContain('&lt;script')
    expect(text).not.toContain('<script')
  })
})

describe('webhook retry rules', () => {
  it('reads Retry-After as seconds or a date', () => {
    const now = Date.parse('2026-11-23T00:00:00Z')
    expect(retryAfterSeconds('120', now)).toBe(120)
    expect(retryAfterSeconds('Mon, 23 Nov 2026 00:10:00 GMT', now)).toBe(600)
    expect(retryAfterSeconds('soon', now)).toBeNull()
    expect(retryAfterSeconds(null, now)).toBeNull()
  })

  it('follows the schedule, waits longer when Retry-After asks, and disables after 5 days of failures', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const url = `https://${unique('hooks')}.example/in`
    await servePage(url, {
      status: 429,
      body: 'slow down',
      headers: { 'Content-Type': 'text/plain', 'Retry-After': '900' },
    })
    const e = await endpoint(url, { events: ['mention.received'] }, s)
    await pingVoice(s, t)
    const [first] = await eventually(
      () => deliveriesOf(s, e.id),
      (items) => items[0]?.attempts === 1,
    )

    // Each retry is made when the outbox says it is due: the clock moves past each wait.
    let clock = Date.now()
    const later = (seconds: number) => (clock += seconds * 1000 + 1000)
    const deps = {
      db: getDb(env.DB),
      policy: { allowLoopback: false },
      secretsKey: env.WEBHOOK_SECRETS_KEY,
      now: () => clock,
    }
    // Attempt 2 would wait 5 minutes; the receiver asked for 15.
    later(900)
    expect(await deliver(deps, first!.id, 2)).toEqual({ kind: 'retry', delaySeconds: 900 })
    // A copy of the message that comes before the retry is due is not an attempt.
    expect(await deliver(deps, first!.id, 2)).toEqual({ kind: 'done' })
    await servePage(url, { status: 500, body: 'down', headers: { 'Content-Type': 'text/plain' } })
    later(900)
    expect(await deliver(deps, first!.id, 3)).toEqual({ kind: 'retry', delaySeconds: RETRY_SCHEDULE_SECONDS[2] })

    // A receiver that does not answer in time (15 s in production; a fraction of a second here).
    expect(DELIVERY_LIMITS).toMatchObject({ timeoutMs: 15_000, maxRedirects: 0 })
    await servePage(url, { status: 200, body: 'late', delayMs: 1500, headers: { 'Content-Type': 'text/plain' } })
    later(RETRY_SCHEDULE_SECONDS[2])
    // The fourth attempt, whatever the queue counts (a copy the cron sent again counts from 1).
    expect(await deliver({ ...deps, limits: { ...DELIVERY_LIMITS, timeoutMs: 300 } }, first!.id, 1)).toEqual({
      kind: 'retry',
      delaySeconds: RETRY_SCHEDULE_SECONDS[3],
    })
    expect((await deliveriesOf(s, e.id))[0]).toMatchObject({
      state: 'pending',
      attempts: 4,
      last_status: null,
      last_error: 'timeout',
    })
    await servePage(url, { status: 500, body: 'down', headers: { 'Content-Type': 'text/plain' } })

    clock = Date.now() + 6 * 24 * 3600 * 1000
    expect(await deliver(deps, first!.id, 5)).toEqual({ kind: 'done' })
    const list = await (
      await api('GET', `/api/sites/${s.slug}/webhooks`, undefined, s.key)
    ).json<{ items: Endpoint[] }>()
    expect(list.items[0]).toMatchObject({ disabled_reason: 'every delivery failed for 5 days' })
  })
})

const deliveriesOf = async (s: SiteFixture, id: string) =>
  (await (await api('GET', `/api/webhooks/${id}/deliveries`, undefined, s.key)).json<{ items: Delivery[] }>()).items

describe('webhook events and resends', () => {
  it('sends mention.published and response.published too, and resends one message with the same webhook-id', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const url = await receiver()
    const e = await endpoint(url, { events: ['mention.published', 'response.published'] }, s)
    const post = await pingVoice(s, t)
    const id = await voiceId(post)
    await api(
      'POST',
      `/api/mentions/${id}/responses`,
      { stage: 'reply', body: 'Thank you!', author: { name: 'Aiko', role: '店長' } },
      s.key,
    )

    const items = await eventually(
      () => deliveriesOf(s, e.id),
      (d) => d.length === 2 && d.every((x) => x.state === 'delivered'),
    )
    const byEvent = Object.fromEntries(items.map((d) => [d.event, JSON.parse(d.payload)]))
    expect(byEvent['mention.published']).toMatchObject({
      type: 'mention.published',
      data: { mention: { id, status: 'published' } },
    })
    expect(byEvent['response.published']).toMatchObject({
      type: 'response.published',
      data: {
        mention: { id },
        response: {
          stage: 'reply',
          body: 'Thank you!',
          author: 'Aiko',
          url: expect.stringMatching(/^http:\/\/hub\.test\/responses\/r_/),
        },
      },
    })

    const before = (await hitsOf(url)).count
    const resend = await api('POST', `/api/webhooks/${e.id}/deliveries/${items[0]!.id}/resend`, undefined, s.key)
    expect(resend.status).toBe(202)
    const hit = await eventually(
      () => hitsOf(url),
      (h) => h.count > before,
    )
    expect(hit.headers!['webhook-id']).toBe(items[0]!.id)
    expect((await api('POST', `/api/webhooks/${e.id}/deliveries/msg_nope/resend`, undefined, s.key)).status).toBe(404)
  })

  it('re-queues, from the cron, a delivery whose queue message was lost', async () => {
    const s = await createSite()
    const url = await receiver()
    const e = await endpoint(url, {}, s)
    const db = getDb(env.DB)
    const siteId = (await findSiteBySlug(db, s.slug))!.id
    const clicksOf = (link: string) => clicksReport(Date.now(), link)
    // Written 20 minutes ago on the hub's clock, but the queue refused its message: nothing else would ever deliver it.
    const refusing = { sendBatch: () => Promise.reject(new Error('queue unavailable')) } as unknown as Queue
    await emitter(db, refusing, () => Date.now() - 20 * 60 * 1000)(siteId, 'affiliate.click', clicksOf('LOST'))
    // Written now: its message may still be on its way (held here, so it never arrives).
    const holding = { sendBatch: () => Promise.resolve() } as unknown as Queue
    await emitter(db, holding)(siteId, 'affiliate.click', clicksOf('FRESH'))
    const written = await deliveriesOf(s, e.id)
    const lostId = written.find((d) => d.payload.includes('"LOST"'))!.id
    const freshId = written.find((d) => d.payload.includes('"FRESH"'))!.id
    expect((await sweepOutbox(db, sendersOf(env), Date.now())).webhook).toBeGreaterThanOrEqual(1)
    const hit = await eventually(
      () => hitsOf(url),
      (h) => h.count >= 1,
    )
    expect(hit.headers!['webhook-id']).toBe(lostId)
    await eventually(
      () => deliveriesOf(s, e.id),
      (d) => d.find((x) => x.id === lostId)?.state === 'delivered',
    )
    expect((await deliveriesOf(s, e.id)).find((x) => x.id === freshId)?.attempts).toBe(0)
    expect((await sweepOutbox(db, sendersOf(env), Date.now())).webhook).toBeUndefined()
  })

  it('counts a redirect as a failure and does not follow it', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const url = `https://${unique('hooks')}.example/in`
    const elsewhere = `https://${unique('elsewhere')}.example/in`
    await servePage(url, { status: 302, body: '', headers: { Location: elsewhere, 'Content-Type': 'text/plain' } })
    const e = await endpoint(url, { events: ['mention.received'] }, s)
    await pingVoice(s, t)
    const [d] = await eventually(
      () => deliveriesOf(s, e.id),
      (items) => items[0]?.attempts === 1,
    )
    expect(d).toMatchObject({ state: 'pending', last_status: 302 })
    expect((await hitsOf(elsewhere)).count).toBe(0)
  })
})
