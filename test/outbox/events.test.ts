/**
 * A webhook event is recorded in the batch of the change that causes it: its deliveries and
 * their outbox messages are in D1 as soon as the change is, even when the Worker dies right after
 * that batch (every later D1 query fails, and the queue swallows what it is sent), and the cron's
 * sweep later delivers each once. A change that does not take effect records none.
 */
import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { beforeEach, describe, expect, it } from 'vitest'

import { DAY } from '../../src/common/clock'
import { getDb } from '../../src/db/client'
import { invitations } from '../../src/db/schema'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { newInvitationRow, sendDueInvitations } from '../../src/reviews/invitations/invitations'
import { findSiteById } from '../../src/sites/store'
import { findVoice } from '../../src/voices/store'
import { writeVoice } from '../../src/voices/write'
import { emitter, voiceEvents } from '../../src/webhooks/events'
import { hitsOf, html, servePage } from '../helpers/blogs'
import { siteIdOf } from '../helpers/digest'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { api, callAt, HUB } from '../helpers/http'
import { freshIp } from '../helpers/linkbacks'
import { inboundSecret, invite, order, postForm, reviewPath } from '../helpers/reviews'
import { consume, dyingAfter, keepingQueue, keepingSenders, outboxRow } from '../helpers/outbox'

const db = getDb(env.DB)
let site: SiteFixture
let siteId: number

beforeEach(async () => {
  site = await createSite()
  siteId = await siteIdOf(site.slug)
})

type Recorded = { id: string; event: string; state: string; payload: string }

/** A receiver of the site's `events` that answers 200. */
async function receiver(events: string[]) {
  const url = `https://${unique('hooks')}.example/in`
  await servePage(url, { body: 'ok', headers: { 'Content-Type': 'text/plain' } })
  const res = await api('POST', `/api/sites/${site.slug}/webhooks`, { url, events }, site.key)
  expect(res.status).toBe(201)
  return { url, id: (await res.json<{ id: string }>()).id }
}

/** The deliveries D1 holds for an endpoint, oldest first. */
const recorded = async (endpointId: string) =>
  (
    await env.DB.prepare(
      'SELECT id, event, state, payload FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at, id',
    )
      .bind(endpointId)
      .all<Recorded>()
  ).results

/** A blog post that links to the site's kettle. */
async function linkingPost() {
  const source = `https://${unique('blog')}.example/${unique('post')}`
  await servePage(source, { body: html(`<p>I bought <a href="${site.origin}/products/kettle">the kettle</a>.</p>`) })
  return source
}

/** A Worker's D1 that dies right after the batch with a statement that starts with `start` (e.g. `insert into "mentions"`). */
const dyingAfterBatchOf = (start: string) => dyingAfter(env.DB, (sql) => sql.startsWith(start))

/**
 * A Webmention received at `at` whose check's and events' queue messages are all kept, never
 * delivered; with `DB`, the Worker's D1 (one that dies).
 */
async function webmentionAt(at: number, source: string, bindings: Partial<Env> = {}) {
  const checks = keepingQueue()
  const hooks = keepingQueue()
  await callAt(at, { VERIFY_QUEUE: checks.queue, WEBHOOK_QUEUE: hooks.queue, ...bindings })(
    `/webmention/${site.slug}`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': freshIp() },
      body: new URLSearchParams({ source, target: `${site.origin}/products/kettle` }).toString(),
    },
  )
  const voice = await env.DB.prepare('SELECT id FROM mentions WHERE site_id = ? AND source_url = ?')
    .bind(siteId, source)
    .first<{ id: string }>()
  expect(voice).not.toBeNull()
  return { voiceId: voice!.id, checks: checks.sent, hooks: hooks.sent }
}

/**
 * The cron's sweep at `at` sends the lost messages of `deliveries`; two copies of each arrive
 * (the lost one, late, and the sweep's) and the receiver gets each delivery once.
 */
async function sweptAndDelivered(deliveries: Recorded[], at: number, hookUrl: string) {
  const bodies = deliveries.map((d) => ({ deliveryId: d.id }))
  const early = keepingSenders()
  await sweepOutbox(db, early.senders, at - 1)
  for (const body of bodies) expect(early.sent.webhook).not.toContainEqual(body)
  const run = keepingSenders()
  await sweepOutbox(db, run.senders, at)
  for (const body of bodies) expect(run.sent.webhook).toContainEqual(body)
  await consume('webhook', [...bodies, ...bodies], () => at + 1000)
  // Each delivery was attempted once and delivered (the test web's count of hits misses requests made at the same time).
  for (const d of deliveries) {
    const row = await env.DB.prepare('SELECT state, attempts FROM webhook_deliveries WHERE id = ?')
      .bind(d.id)
      .first<{ state: string; attempts: number }>()
    expect(row).toEqual({ state: 'delivered', attempts: 1 })
  }
  if (deliveries.length === 1) expect((await hitsOf(hookUrl)).count).toBe(1)
  for (const d of deliveries) expect(await outboxRow('webhook', d.id)).toMatchObject({ state: 'sent', attempts: 1 })
}

describe('the verdict that publishes a voice', () => {
  it('records mention.published with the verdict, so a lost send is delivered by the sweep, once', async () => {
    const hook = await receiver(['mention.published'])
    const at = Date.now()
    const { voiceId, checks } = await webmentionAt(at, await linkingPost())
    expect(checks).toHaveLength(1)

    // The check runs, and the Worker dies right after the verdict's batch (the one that settles the check's
    // outbox message): the event's queue message is lost with it.
    const hooks = keepingQueue()
    await consume('check', checks, () => at + 1000, 1, {
      WEBHOOK_QUEUE: hooks.queue,
      DB: dyingAfterBatchOf('update "outbox" set "state"'),
    })
    expect((await findVoice(db, voiceId))?.status).toBe('published')
    const [delivery, ...more] = await recorded(hook.id)
    expect(more).toHaveLength(0)
    expect(delivery).toMatchObject({ event: 'mention.published', state: 'pending' })
    expect(JSON.parse(delivery!.payload)).toMatchObject({ data: { mention: { id: voiceId, status: 'published' } } })
    expect(await outboxRow('webhook', delivery!.id)).toMatchObject({ state: 'waiting', attempts: 0 })
    expect(await outboxRow('check', voiceId)).toMatchObject({ state: 'sent' })

    await sweptAndDelivered([delivery!], at + 1000 + IN_FLIGHT_MS, hook.url)
  })
})

describe('the intake of a new voice', () => {
  it('records mention.received with the voice, and a repeat of the same post records none', async () => {
    const hook = await receiver(['mention.received'])
    const at = Date.now()
    const source = await linkingPost()
    // The Worker dies right after the batch that stores the voice.
    const first = await webmentionAt(at, source, { DB: dyingAfterBatchOf('insert into "mentions"') })
    const [delivery, ...more] = await recorded(hook.id)
    expect(more).toHaveLength(0)
    expect(delivery).toMatchObject({ event: 'mention.received', state: 'pending' })
    expect(JSON.parse(delivery!.payload)).toMatchObject({ data: { mention: { id: first.voiceId } } })
    expect(first.hooks).toEqual([{ deliveryId: delivery!.id }])
    expect(await outboxRow('webhook', delivery!.id)).toMatchObject({ state: 'waiting', attempts: 0 })

    // The same post again is an update of the voice, not a new one: its guarded insert stores nothing, nor any event.
    const again = await webmentionAt(at + 1000, source)
    expect(again.voiceId).toBe(first.voiceId)
    expect(again.hooks).toEqual([])
    expect(await recorded(hook.id)).toHaveLength(1)

    await sweptAndDelivered([delivery!], at + IN_FLIGHT_MS, hook.url)
  })
})

describe('a published response', () => {
  it('records response.published with the response, so a lost send is delivered by the sweep, once', async () => {
    const hook = await receiver(['response.published'])
    const at = Date.now()
    const { voiceId } = await webmentionAt(at, await linkingPost())

    // The Worker dies right after the response's batch.
    const hooks = keepingQueue()
    await callAt(at + 1000, { WEBHOOK_QUEUE: hooks.queue, DB: dyingAfterBatchOf('insert into "responses"') })(
      `/api/mentions/${voiceId}/responses`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ stage: 'reply', body: 'Thank you for writing about it.', author: { name: 'Aiko' } }),
      },
    )
    const response = await env.DB.prepare('SELECT id FROM responses WHERE mention_id = ?')
      .bind(voiceId)
      .first<{ id: string }>()
    const responseId = response!.id
    const [delivery, ...more] = await recorded(hook.id)
    expect(more).toHaveLength(0)
    expect(delivery).toMatchObject({ event: 'response.published', state: 'pending' })
    expect(JSON.parse(delivery!.payload)).toMatchObject({
      data: { mention: { id: voiceId }, response: { id: responseId, stage: 'reply' } },
    })
    expect(hooks.sent).toEqual([{ deliveryId: delivery!.id }])

    await sweptAndDelivered([delivery!], at + 1000 + IN_FLIGHT_MS, hook.url)
  })
})

describe('a moderation step that takes a voice out', () => {
  it('records mention.removed with the step, so a lost send is delivered by the sweep, once', async () => {
    const hook = await receiver(['mention.removed'])
    const at = Date.now()
    const { voiceId } = await webmentionAt(at, await linkingPost())

    // The Worker dies right after the step's batch.
    const hooks = keepingQueue()
    await callAt(at + 1000, { WEBHOOK_QUEUE: hooks.queue, DB: dyingAfterBatchOf('update "mentions"') })(
      `/api/mentions/${voiceId}/moderation`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: 'spam', reason: 'Link farm' }),
      },
    )
    expect((await findVoice(db, voiceId))?.status).toBe('spam')
    const [delivery, ...more] = await recorded(hook.id)
    expect(more).toHaveLength(0)
    expect(delivery).toMatchObject({ event: 'mention.removed', state: 'pending' })
    expect(hooks.sent).toEqual([{ deliveryId: delivery!.id }])

    await sweptAndDelivered([delivery!], at + 1000 + IN_FLIGHT_MS, hook.url)
  })
})

describe('a claimed review invitation', () => {
  it('records review.invitation.due with the claim, so a lost send is delivered by the sweep, once', async () => {
    const hook = await receiver(['review.invitation.due'])
    const at = Date.now()
    const row = newInvitationRow(
      (await findSiteById(db, siteId))!,
      {
        orderId: unique('order'),
        items: ['kettle'],
        customerName: null,
        emailSealed: null,
        emailHash: null,
        deliveredAt: at,
      },
      HUB,
      at - DAY,
    )
    await db.insert(invitations).values({ ...row, dueAt: at - 1, expiresAt: at + 30 * DAY })

    // The cron's Worker dies right after the batch that claims the invitation.
    const dying = getDb(dyingAfterBatchOf('update "invitations"'))
    const hooks = keepingQueue()
    const deps = {
      db: dying,
      secretsKey: env.WEBHOOK_SECRETS_KEY,
      emit: emitter(dying, hooks.queue, () => at),
      mail: null,
      hubOrigin: HUB,
    }
    await sendDueInvitations(deps, at).catch(() => null)
    const [delivery, ...more] = await recorded(hook.id)
    expect(more).toHaveLength(0)
    expect(delivery).toMatchObject({ event: 'review.invitation.due', state: 'pending' })
    expect(JSON.parse(delivery!.payload)).toMatchObject({ data: { invitation: { id: row.id, emailed: false } } })

    await sweptAndDelivered([delivery!], at + IN_FLIGHT_MS, hook.url)
  })
})

describe('a review form with the thank-you coupon', () => {
  it('records the reviews’ events and the coupon’s with the reviews, and the sweep delivers each once', async () => {
    site = await createSite({ settings: { coupons: { mode: 'pool', offer: '10% off' } } })
    siteId = await siteIdOf(site.slug)
    const codes = [unique('CODE'), unique('CODE')]
    expect((await api('POST', `/api/sites/${site.slug}/coupons`, { codes }, site.key)).status).toBe(201)
    const hook = await receiver(['mention.received', 'mention.published', 'review.coupon.issued'])
    const target = (await createTarget(site)).id
    const invitation = await invite(site, await inboundSecret(site), order([target]))
    const at = Date.now()

    // The Worker dies right after the batch that uses the link.
    const hooks = keepingQueue()
    const usesLink = (q: string) => q.startsWith('update "invitations"') && q.includes('"used_at"')
    const dying = callAt(at, { WEBHOOK_QUEUE: hooks.queue, DB: dyingAfter(env.DB, usesLink) })
    await postForm(await reviewPath(invitation.id), { name: 'Hanako', rating_0: '2', text_0: 'Too small.' }, dying)
    const used = await env.DB.prepare('SELECT state, coupon_code FROM invitations WHERE id = ?')
      .bind(invitation.id)
      .first<{ state: string; coupon_code: string }>()
    expect(used).toEqual({ state: 'used', coupon_code: codes[0] })
    const deliveries = await recorded(hook.id)
    expect(deliveries.map((d) => d.event).sort()).toEqual([
      'mention.published',
      'mention.received',
      'review.coupon.issued',
    ])
    const coupon = deliveries.find((d) => d.event === 'review.coupon.issued')!
    expect(JSON.parse(coupon.payload)).toMatchObject({
      data: { coupon: { code: codes[0], invitation_id: invitation.id } },
    })

    await sweptAndDelivered(deliveries, at + IN_FLIGHT_MS, hook.url)
  })
})

describe('a change of a voice that does not take effect', () => {
  it('records no delivery and sends nothing when its revision is stale', async () => {
    const hook = await receiver(['mention.removed'])
    const at = Date.now()
    const { voiceId } = await webmentionAt(at, await linkingPost())
    const stale = (await findVoice(db, voiceId))!
    // Someone else writes the voice first: the copy read above is out of date.
    expect(await writeVoice(db, stale, { changes: { sentiment: 'positive', updatedAt: at + 500 } })).not.toBeNull()

    const hooks = keepingQueue()
    const after = { ...stale, status: 'removed' as const }
    const outbound = await voiceEvents(db, hooks.queue, null, () => at + 1000)(siteId, 'mention.removed', after)
    expect(outbound.statements()).not.toHaveLength(0)
    expect(await writeVoice(db, stale, { changes: { status: 'removed', updatedAt: at + 1000 }, outbound })).toBeNull()
    expect(await recorded(hook.id)).toEqual([])
    expect(hooks.sent).toEqual([])
    expect((await findVoice(db, voiceId))?.status).toBe('pending')
  })
})

describe('an event of a site with the most endpoints', () => {
  it('records a delivery for each of its 20 endpoints, in guarded statements within D1’s 100 bound values', async () => {
    const hooks = await Promise.all(Array.from({ length: 20 }, () => receiver(['response.published'])))
    const at = Date.now()
    const { voiceId } = await webmentionAt(at, await linkingPost())
    const voice = (await findVoice(db, voiceId))!
    const outbound = await voiceEvents(db, keepingQueue().queue, null, () => at)(siteId, 'response.published', voice)
    const statements = outbound.statements(sql`EXISTS (SELECT 1 FROM mentions WHERE id = ${voiceId})`)
    for (const s of statements)
      expect((s as unknown as { toSQL(): { params: unknown[] } }).toSQL().params.length).toBeLessThanOrEqual(100)

    const res = await callAt(at + 1000)(`/api/mentions/${voiceId}/responses`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ stage: 'reply', body: 'Thank you.', author: { name: 'Aiko' } }),
    })
    expect(res.status, await res.clone().text()).toBe(201)
    for (const hook of hooks) expect(await recorded(hook.id)).toMatchObject([{ event: 'response.published' }])
  })
})
