/**
 * Link checks through the outbox: a check's message is recorded with the voice that needs it, so
 * a check whose queue message is lost — the first one, a retry, the weekly re-check — is sent
 * again by the cron's sweep once its lease has ended and the voice is published once; a check
 * whose message arrives is never sent again, one the queue refused goes with the next sweep, a
 * copy arriving after the check (or before it is due) fetches nothing, and a check queued by the previous release (no outbox row) is handled on the queue's count
 * (the upgrade's migration gives those still waiting their row: test/db/outbox-migration.test.ts).
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'

import { getDb } from '../../src/db/client'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { CHECK_ATTEMPTS } from '../../src/verification/checks'
import { RECHECK_AFTER_MS, recheckPublished } from '../../src/verification/queue'
import { hitsOf, html, servePage } from '../helpers/blogs'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { callAt, DAY, testClock } from '../helpers/http'
import { freshIp } from '../helpers/linkbacks'
import { consume, keepingQueue, keepingSenders, outboxRow, refusingQueue } from '../helpers/outbox'

const db = getDb(env.DB)

// Each test keeps to its own years, so another test's messages are never due in its sweeps.
const YEAR = 365 * 24 * 3600 * 1000
const yearsAgo = (n: number) => Date.now() - n * YEAR

type Voice = { status: string; verify_state: string | null; verify_attempts: number; pub_seq: number | null }
const voiceRow = (id: string) =>
  env.DB.prepare('SELECT status, verify_state, verify_attempts, pub_seq FROM mentions WHERE id = ?')
    .bind(id)
    .first<Voice>()

/** A site, a blog post that links to its product, and the post's URL. */
async function linkingPost() {
  const site = await createSite()
  const target = `${site.origin}/products/kettle`
  const source = `https://${unique('blog')}.example/post`
  await servePage(source, { body: html(`<p>Mine leaks. <a href="${target}">the kettle</a></p>`) })
  return { site, target, source }
}

/**
 * A Webmention received at `at` whose check's queue message goes to `queue` (a keeping one: the
 * message is lost unless the test hands it on), with a first delay of `delaySeconds`.
 */
async function receive(
  site: SiteFixture,
  fields: { source: string; target: string },
  at: number,
  queue: Queue,
  delaySeconds = 0,
) {
  const res = await callAt(at, { VERIFY_QUEUE: queue, VERIFY_FIRST_DELAY_SECONDS: String(delaySeconds) })(
    `/webmention/${site.slug}`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': freshIp() },
      body: new URLSearchParams(fields).toString(),
    },
  )
  expect(res.status).toBe(201)
  const location = res.headers.get('Location')!
  return { id: location.split('/').pop()!, location }
}

const checksOf = (sent: unknown[], id: string) => sent.filter((b) => (b as { mentionId: string }).mentionId === id)

describe('a check whose queue message is lost', () => {
  it('is sent again by the sweep once its lease has ended, and the voice is published once', async () => {
    const at = yearsAgo(1)
    const { site, target, source } = await linkingPost()
    const lost = keepingQueue()
    const { id } = await receive(site, { source, target }, at, lost.queue, 15)
    expect(lost.sent).toEqual([{ mentionId: id, hub: 'hub.test' }])
    // Due after the first delay; the lease covers the delayed message's way through the queue.
    const due = at + 15_000
    expect(await outboxRow('check', id)).toMatchObject({
      state: 'waiting',
      attempts: 0,
      due_at: due,
      lease_until: due + IN_FLIGHT_MS,
    })

    const early = keepingSenders()
    expect(await sweepOutbox(db, early.senders, due + IN_FLIGHT_MS - 1)).toEqual({})
    const sweep = keepingSenders()
    expect(await sweepOutbox(db, sweep.senders, due + IN_FLIGHT_MS)).toEqual({ check: 1 })
    expect(sweep.sent.check).toEqual([{ mentionId: id, hub: 'hub.test' }])

    const clock = testClock(due + IN_FLIGHT_MS + 1000)
    expect(await consume('check', sweep.sent.check, clock)).toMatchObject({ acked: 1, retried: 0 })
    expect(await voiceRow(id)).toMatchObject({ status: 'published', verify_state: 'verified', verify_attempts: 1 })
    expect(await outboxRow('check', id)).toMatchObject({ state: 'sent', attempts: 1 })
    expect((await hitsOf(source)).count).toBe(1)

    // The lost message turns up after all, and the sweep runs again: nothing is fetched or sent twice.
    clock.advance(60_000)
    expect(await consume('check', lost.sent, clock)).toMatchObject({ acked: 1, retried: 0 })
    const later = keepingSenders()
    expect(await sweepOutbox(db, later.senders, clock() + 2 * IN_FLIGHT_MS)).toEqual({})
    expect((await hitsOf(source)).count).toBe(1)
    expect(await voiceRow(id)).toMatchObject({ status: 'published', verify_attempts: 1 })
  })

  it('is not made before its due time: an early copy is acknowledged without fetching', async () => {
    const at = yearsAgo(2)
    const { site, target, source } = await linkingPost()
    const kept = keepingQueue()
    const { id } = await receive(site, { source, target }, at, kept.queue, 15)
    expect(await consume('check', kept.sent, testClock(at + 1000))).toMatchObject({ acked: 1, retried: 0 })
    expect((await hitsOf(source)).count).toBe(0)
    expect(await voiceRow(id)).toMatchObject({ status: 'pending', verify_state: 'queued' })
    expect(await outboxRow('check', id)).toMatchObject({ state: 'waiting', attempts: 0 })

    expect(await consume('check', kept.sent, testClock(at + 15_000))).toMatchObject({ acked: 1 })
    expect(await voiceRow(id)).toMatchObject({ status: 'published' })
  })
})

describe('a check the queue refused', () => {
  it('is sent by the next sweep, without waiting out its lease', async () => {
    const at = yearsAgo(9)
    const { site, target, source } = await linkingPost()
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const { id } = await receive(site, { source, target }, at, refusingQueue)
    log.mockRestore()
    expect(await voiceRow(id)).toMatchObject({ status: 'pending', verify_state: 'queued' })
    expect(await outboxRow('check', id)).toMatchObject({ state: 'waiting', lease_until: at })
    const sweep = keepingSenders()
    expect(await sweepOutbox(db, sweep.senders, at + 60_000)).toEqual({ check: 1 })
    await consume('check', sweep.sent.check, testClock(at + 60_000))
    expect(await voiceRow(id)).toMatchObject({ status: 'published' })
  })
})

describe('a check whose message arrives', () => {
  it('is done once, and the sweep sends nothing', async () => {
    const at = yearsAgo(3)
    const { site, target, source } = await linkingPost()
    const kept = keepingQueue()
    const { id } = await receive(site, { source, target }, at, kept.queue)
    expect(await consume('check', kept.sent, testClock(at + 1000))).toMatchObject({ acked: 1 })
    expect(await outboxRow('check', id)).toMatchObject({ state: 'sent', attempts: 1 })

    const sweep = keepingSenders()
    expect(await sweepOutbox(db, sweep.senders, at + 3 * IN_FLIGHT_MS)).toEqual({})
    expect((await hitsOf(source)).count).toBe(1)
  })

  it('takes a sender’s update while it waits into the same check, and reopens it for one sent later', async () => {
    const at = yearsAgo(4)
    const { site, target, source } = await linkingPost()
    const kept = keepingQueue()
    const { id } = await receive(site, { source, target }, at, kept.queue)
    // Sent again before the check ran: it joins the check that waits (no second message).
    expect((await receive(site, { source, target }, at + 1000, kept.queue)).id).toBe(id)
    expect(kept.sent).toHaveLength(1)
    await consume('check', kept.sent, testClock(at + 2000))
    expect(await outboxRow('check', id)).toMatchObject({ state: 'sent', attempts: 1 })

    // Sent again after it: a new check, its message waiting from the start; lost too, it is swept.
    await receive(site, { source, target }, at + 60_000, kept.queue)
    expect(checksOf(kept.sent, id)).toHaveLength(2)
    expect(await outboxRow('check', id)).toMatchObject({ state: 'waiting', attempts: 0, due_at: at + 60_000 })
    expect(await voiceRow(id)).toMatchObject({ verify_state: 'queued' })
    const sweep = keepingSenders()
    expect(await sweepOutbox(db, sweep.senders, at + 60_000 + IN_FLIGHT_MS)).toEqual({ check: 1 })
    await consume('check', sweep.sent.check, testClock(at + 60_000 + IN_FLIGHT_MS))
    expect(await voiceRow(id)).toMatchObject({ status: 'published', verify_state: 'verified' })
    expect((await hitsOf(source)).count).toBe(2)
  })
})

describe('a check’s retry', () => {
  it('is sent again when due if its queue message is lost, counting on from the attempts made', async () => {
    const at = yearsAgo(5)
    const { site, target, source } = await linkingPost()
    await servePage(source, { status: 503, body: 'maintenance' })
    const kept = keepingQueue()
    const { id } = await receive(site, { source, target }, at, kept.queue)
    expect(await consume('check', kept.sent, testClock(at))).toMatchObject({ retried: 1, delays: [30] })
    const due = at + 30_000
    expect(await outboxRow('check', id)).toMatchObject({
      state: 'waiting',
      attempts: 1,
      due_at: due,
      lease_until: due + IN_FLIGHT_MS,
      last_failure: 'source_error',
    })

    // The queue's retry is lost: the sweep leaves it alone while the lease lasts, then sends it.
    const early = keepingSenders()
    expect(await sweepOutbox(db, early.senders, due + IN_FLIGHT_MS - 1)).toEqual({})
    const sweep = keepingSenders()
    expect(await sweepOutbox(db, sweep.senders, due + IN_FLIGHT_MS)).toEqual({ check: 1 })
    await servePage(source, { body: html(`<a href="${target}">the kettle</a>`) })
    // A fresh queue message (its count starts again at 1) is still the check's second attempt.
    expect(await consume('check', sweep.sent.check, testClock(due + IN_FLIGHT_MS))).toMatchObject({ acked: 1 })
    expect(await voiceRow(id)).toMatchObject({ status: 'published', verify_attempts: 2 })
    expect(await outboxRow('check', id)).toMatchObject({ state: 'sent', attempts: 2, last_failure: null })
  })

  it('ends after the last attempt: the failure is final and the message given up', async () => {
    const at = yearsAgo(6)
    const { site, target, source } = await linkingPost()
    await servePage(source, { status: 500, body: 'down' })
    const kept = keepingQueue()
    const { id } = await receive(site, { source, target }, at, kept.queue)
    const clock = testClock(at)
    for (let attempt = 1; attempt < CHECK_ATTEMPTS; attempt++) {
      expect(await consume('check', kept.sent, clock)).toMatchObject({ retried: 1 })
      clock.advance(2 * 3600_000)
    }
    expect(await consume('check', kept.sent, clock)).toMatchObject({ acked: 1, retried: 0 })
    expect(await voiceRow(id)).toMatchObject({ status: 'rejected', verify_attempts: CHECK_ATTEMPTS })
    expect(await outboxRow('check', id)).toMatchObject({ state: 'gave_up', last_failure: 'source_error' })
  })
})

describe('the weekly re-check', () => {
  it('goes through the outbox: its lost message is swept and the voice checked again', async () => {
    const at = yearsAgo(7)
    const { site, target, source } = await linkingPost()
    const kept = keepingQueue()
    const { id } = await receive(site, { source, target }, at, kept.queue)
    await consume('check', kept.sent, testClock(at))
    expect(await voiceRow(id)).toMatchObject({ status: 'published', verify_state: 'verified' })

    const week = at + RECHECK_AFTER_MS + DAY
    const rechecks = keepingQueue()
    expect(await recheckPublished({ DB: env.DB, VERIFY_QUEUE: rechecks.queue }, week)).toBeGreaterThanOrEqual(1)
    expect(checksOf(rechecks.sent, id)).toEqual([{ mentionId: id }])
    expect(await outboxRow('check', id)).toMatchObject({ state: 'waiting', attempts: 0, due_at: week })
    expect(await voiceRow(id)).toMatchObject({ verify_state: 'queued', status: 'published' })

    // Its message is lost; the sweep sends it; the post has since gone.
    await servePage(source, { status: 410, body: '' })
    const sweep = keepingSenders()
    await sweepOutbox(db, sweep.senders, week + IN_FLIGHT_MS)
    expect(checksOf(sweep.sent.check, id)).toHaveLength(1)
    await consume('check', checksOf(sweep.sent.check, id), testClock(week + IN_FLIGHT_MS))
    expect(await voiceRow(id)).toMatchObject({ status: 'gone', verify_state: 'deleted' })
    expect(await outboxRow('check', id)).toMatchObject({ state: 'sent', attempts: 1 })
  })
})

describe('a check queued by the previous release', () => {
  /** A voice whose check waits with no outbox row, as the release before the outbox left it. */
  async function legacyVoice(at: number) {
    const { site, target, source } = await linkingPost()
    const { id, location } = await receive(site, { source, target }, at, keepingQueue().queue)
    await env.DB.prepare("DELETE FROM outbox WHERE kind = 'check' AND ref = ?").bind(id).run()
    return { id, location }
  }

  it('is handled on the queue’s count when its message arrives', async () => {
    const at = yearsAgo(8)
    const { id } = await legacyVoice(at)
    expect(await consume('check', [{ mentionId: id }], testClock(at + 1000), 2)).toMatchObject({ acked: 1 })
    expect(await voiceRow(id)).toMatchObject({ status: 'published', verify_attempts: 2 })
    expect(await outboxRow('check', id)).toBeNull()
  })
})
