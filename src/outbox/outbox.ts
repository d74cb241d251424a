/**
 * The outbox: every outbound message (a voice's link check, a response's announcement, a webhook
 * delivery, an e-mail) is a row
 * written in the same D1 batch as the change that causes it, so a message is never only a queue
 * message that a crash or a refused send can lose. The feature sends its queue message at once
 * (the row's lease is already taken for it); the cron's sweep (./sweep.ts) sends again any waiting
 * message whose lease has ended. The row's (kind, ref) is the message's idempotency key.
 *
 * A consumer starts each attempt with `startAttempt`, which counts it and says whether to make it:
 * a message already sent or given up, or a second copy arriving while another is worked on or
 * before its retry is due, is acknowledged without sending. It ends the attempt with `markSent`,
 * `reschedule` (the queue retries it) or `markGaveUp`, in the batch that records the attempt in
 * the feature's own tables.
 */
import type { SQL } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'

import { batchAll, type Db } from '../db/client'
import { RETRY_AFTER_ERROR_SECONDS } from '../common/queue-consumer'
import {
  byAttempt,
  claimAttempt,
  endLeases,
  findMessage,
  forgetMessages,
  insertMessages,
  insertMessagesWhere,
  markContinued,
  markGaveUp,
  markRescheduled,
  markSent,
  type MessageKey,
  messagesOf,
  type MessageProgress,
  type NewOutboxRow,
  reopenMessages,
  reopenMessageWhere,
  stillAttempt,
} from './store'

export {
  byAttempt,
  forgetMessages,
  markGaveUp,
  markSent,
  type MessageKey,
  stillAttempt,
  messagesOf,
  type MessageProgress,
}

/**
 * How long a queue message may take to be handed to its consumer and worked on: a message still
 * waiting after its lease is taken as lost and sent again by the cron (every 10 minutes).
 */
export const IN_FLIGHT_MS = 10 * 60 * 1000
/** A queue may hand a retry over a moment before its due time by the consumer's clock. */
const EARLY_MS = 5_000

/**
 * One outbound message: its key, its site, and the body of its queue message. With
 * `delaySeconds`, it is due that long after it is recorded, and its queue message is sent with
 * that delay (a copy arriving earlier finds it not due).
 */
export type OutboxMessage = MessageKey & { siteId: number; body: unknown; delaySeconds?: number }

const rowOf = (m: OutboxMessage, at: number): NewOutboxRow => {
  const dueAt = at + (m.delaySeconds ?? 0) * 1000
  return {
    kind: m.kind,
    ref: m.ref,
    siteId: m.siteId,
    body: m.body,
    state: 'waiting',
    waitingSince: at,
    dueAt,
    leaseUntil: dueAt + IN_FLIGHT_MS,
    attempts: 0,
    lastFailure: null,
    createdAt: at,
    updatedAt: at,
  }
}

/**
 * The statements that record messages the feature sends at once (`sendRecorded`), for the batch
 * of the change that causes them: due now, their lease taken for that send. With `guard`, each is
 * written only if the guard holds when the batch runs.
 */
export function recordMessages(
  db: Db,
  messages: readonly OutboxMessage[],
  at: number,
  guard?: SQL,
): BatchItem<'sqlite'>[] {
  const rows = messages.map((m) => rowOf(m, at))
  return guard ? insertMessagesWhere(db, rows, guard) : insertMessages(db, rows)
}

/**
 * Outbound messages prepared for the batch of the change that causes them: `statements(guard)`
 * records them there — with whatever rows of its own the feature keeps for them — only if `guard`
 * holds when the batch runs; `send()` queues them once that batch has run and the change took
 * effect. If the send is lost, the cron's sweep sends them.
 */
export type Outbound = {
  statements: (guard?: SQL) => BatchItem<'sqlite'>[]
  send: () => Promise<void>
}

/** No message to send. */
export const NO_OUTBOUND: Outbound = { statements: () => [], send: () => Promise.resolve() }

/** Several prepared sets of messages as one: recorded in the same batch under the same guard, sent in order. */
export const allOutbound = (list: readonly Outbound[]): Outbound => ({
  statements: (guard) => list.flatMap((o) => o.statements(guard)),
  send: async () => {
    for (const o of list) await o.send()
  },
})

/**
 * Records messages again from the start (staff send them again) and takes their lease: send them
 * with `sendRecorded`. With `guard`, each is reopened only if the guard holds when the batch runs.
 */
export const reopenRecorded = (db: Db, messages: readonly OutboxMessage[], at: number, guard?: SQL) =>
  guard
    ? messages.map((m) => reopenMessageWhere(db, rowOf(m, at), guard))
    : reopenMessages(
        db,
        messages.map((m) => rowOf(m, at)),
      )

/**
 * Sends the queue messages of messages just recorded. If the queue refuses them, their leases end
 * so the cron's next run sends them (and if that fails too, they are sent when the leases lapse).
 */
export async function sendRecorded(db: Db, queue: Queue, messages: readonly OutboxMessage[], at: number) {
  const [first] = messages
  if (!first) return
  try {
    await queue.sendBatch(
      messages.map((m) => (m.delaySeconds ? { body: m.body, delaySeconds: m.delaySeconds } : { body: m.body })),
    )
  } catch (err) {
    const refs = messages.map((m) => m.ref)
    console.error(
      JSON.stringify({ msg: 'could not queue outbound messages', kind: first.kind, refs, error: String(err) }),
    )
    try {
      await batchAll(db, endLeases(db, first.kind, refs, at))
    } catch (e) {
      console.error(
        JSON.stringify({ msg: 'outbound messages left to their lease', kind: first.kind, error: String(e) }),
      )
    }
  }
}

/**
 * Starts a consumer's attempt at a message: its number (1 for the first), or null when it is not
 * to be made — the message was sent or given up, another copy of it is being worked on, or its
 * retry is not due yet. A message queued before its kind used the outbox has no row: it is
 * handled as before, on the queue's count (`queueAttempts`).
 */
export async function startAttempt(db: Db, key: MessageKey, now: number, queueAttempts: number) {
  const [claimed, found] = await db.batch([
    // A second copy in the next minute finds it busy; the queue's retry of an attempt that threw
    // (a minute on) finds it due again. The cron leaves it alone for the whole lease.
    claimAttempt(
      db,
      key,
      now + EARLY_MS,
      { busyUntil: now + RETRY_AFTER_ERROR_SECONDS * 1000, leaseUntil: now + IN_FLIGHT_MS },
      now,
    ),
    findMessage(db, key),
  ])
  if (claimed[0]) return claimed[0].attempts
  return found.length > 0 ? null : queueAttempts
}

/**
 * The attempt that was `attemptsSoFar` failed and the queue retries it at `due`: the message's
 * lease covers that retry; past it, the cron sends the message again.
 */
export const reschedule = (db: Db, key: MessageKey, due: number, attemptsSoFar: number, reason: string, now: number) =>
  markRescheduled(db, key, attemptsSoFar, { dueAt: due, leaseUntil: due + IN_FLIGHT_MS, failure: reason }, now)

/**
 * The attempt that was `attempts` did one step of a message whose work goes on in steps, and its
 * queue message for the next step is sent once this statement has run (`sendRecorded`): the
 * message is due at once with its lease taken for that send, so a lost send is the cron's to repeat.
 */
export const continueAttempt = (db: Db, key: MessageKey, attempts: number, now: number) =>
  markContinued(db, key, attempts, now + IN_FLIGHT_MS, now)
