/**
 * The outbox's own rules, on rows of its own: a message recorded with its lease is left alone
 * while the lease lasts and sent again once it has ended, by one sweep only however many run at
 * once, at most a hundred a run; a consumer's attempt is made once per copy of a message, never
 * for one sent or not yet due. The features' messages through it: announce.test.ts, webhooks.test.ts.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'

import { batchAll, getDb } from '../../src/db/client'
import { meteredD1 } from '../../src/db/metering'
import {
  IN_FLIGHT_MS,
  markSent,
  type OutboxMessage,
  recordMessages,
  reschedule,
  startAttempt,
} from '../../src/outbox/outbox'
import { sweepOutbox, SWEEP_LIMIT } from '../../src/outbox/sweep'
import { unique } from '../helpers/factories'
import { keepingSenders, outboxRow, refusingQueue } from '../helpers/outbox'

const db = getDb(env.DB)

/** `n` webhook messages recorded at `at`, as a feature records the ones it sends at once. */
async function recorded(at: number, n = 1): Promise<OutboxMessage[]> {
  const messages = Array.from({ length: n }, () => {
    const ref = unique('msg')
    return { kind: 'webhook' as const, ref, siteId: 1, body: { deliveryId: ref } }
  })
  await batchAll(db, recordMessages(db, messages, at))
  return messages
}

const refsOf = (bodies: unknown[]) => bodies.map((b) => (b as { deliveryId: string }).deliveryId)

// Each test keeps to its own years, so another test's messages are never due in its sweeps.
const YEAR = 365 * 24 * 3600 * 1000
const yearsAgo = (n: number) => Date.now() - n * YEAR

describe('the sweep', () => {
  it('leaves a message alone while its lease lasts, then sends it once with a new lease', async () => {
    const at = yearsAgo(1)
    const [m] = await recorded(at)
    expect(await outboxRow('webhook', m!.ref)).toMatchObject({ state: 'waiting', attempts: 0, due_at: at })

    const early = keepingSenders()
    await sweepOutbox(db, early.senders, at + IN_FLIGHT_MS - 1)
    expect(refsOf(early.sent.webhook)).not.toContain(m!.ref)

    const later = keepingSenders()
    expect(await sweepOutbox(db, later.senders, at + IN_FLIGHT_MS)).toEqual({ webhook: 1 })
    expect(later.sent.webhook).toEqual([{ deliveryId: m!.ref }])
    expect((await outboxRow('webhook', m!.ref))!.lease_until).toBe(at + 2 * IN_FLIGHT_MS)
    const again = keepingSenders()
    expect(await sweepOutbox(db, again.senders, at + IN_FLIGHT_MS + 1)).toEqual({})
  })

  it('sends each message once when two sweeps run at the same time', async () => {
    const at = yearsAgo(2)
    const messages = await recorded(at, 3)
    const one = keepingSenders()
    const two = keepingSenders()
    await Promise.all([
      sweepOutbox(db, one.senders, at + IN_FLIGHT_MS),
      sweepOutbox(db, two.senders, at + IN_FLIGHT_MS),
    ])
    const sent = refsOf([...one.sent.webhook, ...two.sent.webhook])
    expect(sent.sort()).toEqual(messages.map((m) => m.ref).sort())
  })

  it('sends at most a hundred a run, the longest waiting first', async () => {
    const at = yearsAgo(3)
    const first = await recorded(at, 30)
    const rest = await recorded(at + 1, SWEEP_LIMIT)
    const run = keepingSenders()
    expect(await sweepOutbox(db, run.senders, at + IN_FLIGHT_MS + 1)).toEqual({ webhook: SWEEP_LIMIT })
    expect(refsOf(run.sent.webhook).slice(0, 30).sort()).toEqual(first.map((m) => m.ref).sort())
    const next = keepingSenders()
    expect(await sweepOutbox(db, next.senders, at + IN_FLIGHT_MS + 1)).toEqual({ webhook: 30 })
    expect(refsOf(next.sent.webhook).every((ref) => rest.some((m) => m.ref === ref))).toBe(true)
  })

  it('gives back the lease of what a queue refused, so the next run sends it', async () => {
    const at = yearsAgo(4)
    const [m] = await recorded(at)
    const refusing = { ...keepingSenders().senders, webhook: refusingQueue }
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    await expect(sweepOutbox(db, refusing, at + IN_FLIGHT_MS)).rejects.toThrow('webhook')
    log.mockRestore()
    const next = keepingSenders()
    await sweepOutbox(db, next.senders, at + IN_FLIGHT_MS)
    expect(refsOf(next.sent.webhook)).toEqual([m!.ref])
  })

  it('splits what it sends into batches a queue takes (at most 256 KB each)', async () => {
    const at = yearsAgo(5)
    // Sealed e-mails are a few kilobytes each.
    const messages = Array.from({ length: 90 }, () => {
      const ref = unique('big')
      return { kind: 'webhook' as const, ref, siteId: 1, body: { deliveryId: ref, pad: 'x'.repeat(6000) } }
    })
    await batchAll(db, recordMessages(db, messages, at))
    const batches: number[] = []
    const counting = {
      ...keepingSenders().senders,
      webhook: {
        sendBatch: (sent: Iterable<{ body: unknown }>) => {
          const bytes = [...sent].reduce((n, m) => n + JSON.stringify(m.body).length, 0)
          if (bytes > 256_000) return Promise.reject(new Error('batch too large'))
          batches.push(bytes)
          return Promise.resolve()
        },
      } as unknown as Queue,
    }
    expect(await sweepOutbox(db, counting, at + IN_FLIGHT_MS)).toEqual({ webhook: 90 })
    expect(batches.length).toBeGreaterThan(1)
  })

  it('reads no row when nothing is due, however many messages wait', async () => {
    const at = yearsAgo(6)
    const waiting = await recorded(at, 200)
    // A hundred of them failed once and wait for their retry an hour on.
    await batchAll(
      db,
      waiting.slice(0, 100).map((m) => reschedule(db, m, at + 3_600_000, 0, 'http_503', at)),
    )
    const meter = { rowsRead: 0, queries: 0 }
    const run = keepingSenders()
    expect(await sweepOutbox(getDb(meteredD1(env.DB, meter)), run.senders, at + 60_000)).toEqual({})
    expect(meter.queries).toBe(1)
    expect(meter.rowsRead).toBeLessThanOrEqual(1)
  })
})

describe('an attempt at a message', () => {
  it('is made once for two copies of its queue message, and never after it was sent', async () => {
    const at = yearsAgo(7)
    const [m] = await recorded(at)
    const [a, b] = await Promise.all([startAttempt(db, m!, at + 1000, 1), startAttempt(db, m!, at + 1000, 1)])
    expect([a, b].sort()).toEqual([1, null])
    await markSent(db, m!, at + 2000)
    // Long after, a copy the sweep sent finds it sent.
    expect(await startAttempt(db, m!, at + 5 * IN_FLIGHT_MS, 1)).toBeNull()
    expect(await outboxRow('webhook', m!.ref)).toMatchObject({ state: 'sent', attempts: 1 })
  })

  it('waits for its retry’s due time, and counts on from the attempts made', async () => {
    const at = yearsAgo(8)
    const [m] = await recorded(at)
    expect(await startAttempt(db, m!, at, 1)).toBe(1)
    await reschedule(db, m!, at + 60_000, 1, 'http_503', at)
    expect(await outboxRow('webhook', m!.ref)).toMatchObject({
      due_at: at + 60_000,
      lease_until: at + 60_000 + IN_FLIGHT_MS,
      last_failure: 'http_503',
    })
    // A copy that comes early is not an attempt; the retry at its time is the second, whatever the queue counts.
    expect(await startAttempt(db, m!, at + 30_000, 1)).toBeNull()
    expect(await startAttempt(db, m!, at + 60_000, 1)).toBe(2)
    // The first attempt, running late, can no longer move the message.
    await reschedule(db, m!, at + 1, 1, 'timeout', at + 61_000)
    expect(await outboxRow('webhook', m!.ref)).toMatchObject({ attempts: 2, last_failure: 'http_503' })
  })

  it('is made on the queue’s count for a message queued before its kind used the outbox', async () => {
    expect(await startAttempt(db, { kind: 'webhook', ref: unique('old') }, Date.now(), 3)).toBe(3)
  })
})
