/**
 * The verification queue: one message per voice whose source page must be checked, recorded in
 * the outbox with the change that asks for the check (./checks.ts). The consumer starts each
 * attempt with the outbox (a copy of a message already done, or not yet due, is acknowledged
 * without fetching), runs `checkVoice`, and retries transient failures with backoff; after
 * `CHECK_ATTEMPTS` the last failure is final. A message that still reaches the dead-letter
 * queue (the consumer failed every time) has its last failure recorded as final there.
 */
import { getDb } from '../db/client'
import { sendRecorded, startAttempt } from '../outbox/outbox'
import { queueRechecks, rechecksDue } from '../voices/store'
import { policyOf } from '../common/address-policy'
import { randomToken } from '../common/crypto'
import type { Clock } from '../common/clock'
import { consumeEach } from '../common/queue-consumer'
import { suggesterOf } from '../sentiment/suggester'
import { voiceEvents } from '../webhooks/events'
import { checkKey, checkLater, checkMessage, reopenQueuedCheck, VerifyMessage } from './checks'
import { checkVoice, giveUp, type TrackingLinks, type VerifyDeps } from './service'

export { VerifyMessage } from './checks'

/** Seconds before a new voice's first check (senders ping before their post is live). */
export const firstDelayOf = (env: Pick<Env, 'VERIFY_FIRST_DELAY_SECONDS'>) => {
  const n = Number(env.VERIFY_FIRST_DELAY_SECONDS)
  return Number.isInteger(n) && n >= 0 && n <= 3600 ? n : 15
}

/** After an attempt that failed by surprise (the consumer threw), the queue brings the message back this much later. */
const AFTER_ERROR_SECONDS = 60

export async function consumeVerifications(
  batch: MessageBatch,
  env: Env,
  trackingLinks: TrackingLinks,
  clock: Clock,
): Promise<void> {
  const db = getDb(env.DB)
  const deps: VerifyDeps = {
    db,
    policy: policyOf(env),
    trackingLinks,
    events: voiceEvents(db, env.WEBHOOK_QUEUE, env.HUB_ORIGIN || null, clock),
    suggest: suggesterOf(env),
    hubOrigin: env.HUB_ORIGIN || null,
  }
  await consumeEach(batch, {
    name: 'verification',
    schema: VerifyMessage,
    handle: async (body, queueAttempts) => {
      const attempt = await startAttempt(db, checkKey(body.mentionId), clock(), queueAttempts)
      if (attempt === null) return { kind: 'done' }
      try {
        return await checkVoice({ ...deps, policy: policyOf(env, [body.hub]) }, body.mentionId, attempt, clock)
      } catch (err) {
        // The queue retries it (src/common/queue-consumer.ts): the outbox expects it then.
        const now = clock()
        await checkLater(db, body.mentionId, now + AFTER_ERROR_SECONDS * 1000, attempt, 'error', now)
        throw err
      }
    },
    giveUp: (body) => giveUp(deps, body.mentionId, clock),
  })
}

/** A published linked voice's source is checked again when its last check is this old… */
export const RECHECK_AFTER_MS = 7 * 24 * 60 * 60 * 1000
/** …at most this many per run (every 10 minutes: about 2,900 a day), least recently checked first. */
export const RECHECKS_PER_RUN = 20

/**
 * The scheduled re-check: is the post still there, still linking to the shop? The check is the
 * one a new voice gets, so a post that answers 410 or no longer links becomes `gone` (counted in
 * the ledger as taken down by its author), while a failure — a timeout, a 5xx, a 404 that may
 * pass — is retried by the queue and, in the end, leaves the voice as it was. Its message goes
 * through the outbox like any check's.
 */
export async function recheckPublished(env: Pick<Env, 'DB' | 'VERIFY_QUEUE'>, now: number): Promise<number> {
  const db = getDb(env.DB)
  const due = await rechecksDue(db, now - RECHECK_AFTER_MS, RECHECKS_PER_RUN)
  if (due.length === 0) return 0
  // One batch: the voices queued, and the message of each one that was (its new rev) reopened in the outbox.
  const rev = randomToken(16)
  const messages = due.map((voice) => checkMessage(voice, null))
  const [queued] = await db.batch([
    queueRechecks(
      db,
      due.map(({ id }) => id),
      now,
      rev,
    ),
    ...messages.flatMap((m) => reopenQueuedCheck(db, m, rev, now)),
  ])
  const ids = new Set(queued.map(({ id }) => id))
  await sendRecorded(
    db,
    env.VERIFY_QUEUE,
    messages.filter((m) => ids.has(m.ref)),
    now,
  )
  return ids.size
}
