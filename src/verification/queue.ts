/**
 * The verification queue: one message per voice whose source page must be checked.
 * Producers call `requestCheck`; the consumer runs `checkVoice` and retries transient
 * failures with backoff; after the queue's max_retries (wrangler.toml) a message lands in
 * the dead-letter queue, whose consumer records the last failure as final.
 */
import * as v from 'valibot'

import { getDb } from '../db/client'
import { queueRechecks, rechecksDue, staleChecks, touchChecks } from '../voices/store'
import { policyOf } from '../common/address-policy'
import { type Clock, systemClock } from '../common/clock'
import { consumeEach } from '../common/queue-consumer'
import { suggesterOf } from '../sentiment/suggester'
import { eventSink } from '../webhooks/events'
import { checkVoice, giveUp, type TrackingLinks, type VerifyDeps } from './service'

export const VerifyMessage = v.object({
  mentionId: v.pipe(v.string(), v.maxLength(64)),
  /** The host that received the linkback: the hub itself, never fetched (with HUB_ORIGIN's). */
  hub: v.optional(v.pipe(v.string(), v.maxLength(300))),
})
export type VerifyMessage = v.InferOutput<typeof VerifyMessage>

/** Seconds before a new voice's first check (senders ping before their post is live). */
export const firstDelayOf = (env: Pick<Env, 'VERIFY_FIRST_DELAY_SECONDS'>) => {
  const n = Number(env.VERIFY_FIRST_DELAY_SECONDS)
  return Number.isInteger(n) && n >= 0 && n <= 3600 ? n : 15
}

export const requestCheck = (queue: Queue, voiceId: string, delaySeconds: number, hub: string | null) =>
  queue.send({ mentionId: voiceId, ...(hub ? { hub } : {}) } satisfies VerifyMessage, { delaySeconds })

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
    events: eventSink(db, env.WEBHOOK_QUEUE, env.HUB_ORIGIN || null, clock),
    suggest: suggesterOf(env),
    hubOrigin: env.HUB_ORIGIN || null,
  }
  await consumeEach(batch, {
    name: 'verification',
    schema: VerifyMessage,
    handle: (body, attempts) =>
      checkVoice({ ...deps, policy: policyOf(env, [body.hub]) }, body.mentionId, attempts, clock),
    giveUp: (body) => giveUp(deps, body.mentionId, clock),
  })
}

/** A check still queued after this long lost its message (retries end within about 20 minutes). */
export const LOST_AFTER_MS = 2 * 60 * 60 * 1000
const SWEEP_BATCH = 100

/**
 * The scheduled sweep: a check whose queue message was lost (the send failed after the voice
 * was stored) is sent again, so a received linkback is never forgotten.
 */
export async function resendLostChecks(env: Pick<Env, 'DB' | 'VERIFY_QUEUE'>, now = systemClock()): Promise<number> {
  const db = getDb(env.DB)
  const lost = await staleChecks(db, now - LOST_AFTER_MS, SWEEP_BATCH)
  if (lost.length === 0) return 0
  await env.VERIFY_QUEUE.sendBatch(lost.map(({ id }) => ({ body: { mentionId: id } satisfies VerifyMessage })))
  await touchChecks(
    db,
    lost.map(({ id }) => id),
    now,
  )
  return lost.length
}

/** A published linked voice's source is checked again when its last check is this old… */
export const RECHECK_AFTER_MS = 7 * 24 * 60 * 60 * 1000
/** …at most this many per run (every 10 minutes: about 2,900 a day), least recently checked first. */
export const RECHECKS_PER_RUN = 20

/**
 * The scheduled re-check: is the post still there, still linking to the shop? The check is the
 * one a new voice gets, so a post that answers 410 or no longer links becomes `gone` (counted in
 * the ledger as taken down by its author), while a failure — a timeout, a 5xx, a 404 that may
 * pass — is retried by the queue and, in the end, leaves the voice as it was.
 */
export async function recheckPublished(env: Pick<Env, 'DB' | 'VERIFY_QUEUE'>, now: number): Promise<number> {
  const db = getDb(env.DB)
  const due = await rechecksDue(db, now - RECHECK_AFTER_MS, RECHECKS_PER_RUN)
  const queued = await queueRechecks(
    db,
    due.map(({ id }) => id),
    now,
  )
  if (queued.length > 0)
    await env.VERIFY_QUEUE.sendBatch(queued.map((id) => ({ body: { mentionId: id } satisfies VerifyMessage })))
  return queued.length
}
