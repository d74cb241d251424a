/**
 * A check's message in the outbox (src/outbox/, kind `check`): the change that asks for a check
 * (a voice stored, a sender's update, the weekly re-check) records it in its own batch, so a
 * check whose queue message is lost is sent again by the cron's sweep instead of waiting forever.
 *
 * Its ref is the voice's id: a voice has one check at a time (a request while one waits joins
 * it), so each later check of the voice reopens the same row, and any copy of the message does
 * the check the voice waits for now. The consumer ends the row in the batch that writes the
 * check's outcome, guarded by the voice no longer waiting: a write that lost a race leaves the
 * message waiting, and a row is never closed while its voice still waits.
 */
import { sql } from 'drizzle-orm'
import * as v from 'valibot'

import type { Db } from '../db/client'
import {
  markGaveUp,
  markSent,
  type MessageKey,
  type OutboxMessage,
  recordMessages,
  reopenRecorded,
  reschedule,
} from '../outbox/outbox'
import { voiceHasRev } from '../stats/store'
import { checkIdle, checkWaits } from '../voices/store'

export const VerifyMessage = v.object({
  mentionId: v.pipe(v.string(), v.maxLength(64)),
  /** The host that received the linkback: the hub itself, never fetched (with HUB_ORIGIN's). */
  hub: v.optional(v.pipe(v.string(), v.maxLength(300))),
})
export type VerifyMessage = v.InferOutput<typeof VerifyMessage>

/**
 * Attempts at one check before the hub gives up on it and records the last failure as final:
 * the queue's first delivery and its max_retries (wrangler.toml). Counted by the outbox, so a
 * check sent again by the sweep goes on counting where it was.
 */
export const CHECK_ATTEMPTS = 6

export const checkKey = (voiceId: string): MessageKey => ({ kind: 'check', ref: voiceId })

/** The message of a voice's check; `delaySeconds`: not before then (a new voice's first check). */
export const checkMessage = (
  voice: { id: string; siteId: number },
  hub: string | null,
  delaySeconds = 0,
): OutboxMessage => ({
  ...checkKey(voice.id),
  siteId: voice.siteId,
  body: { mentionId: voice.id, ...(hub ? { hub } : {}) } satisfies VerifyMessage,
  ...(delaySeconds > 0 ? { delaySeconds } : {}),
})

/** Records the check of a new voice, in the batch that stores it: only if the voice was stored (with `rev`). */
export const recordCheck = (db: Db, message: OutboxMessage, rev: string, at: number) =>
  recordMessages(db, [message], at, voiceHasRev(message.ref, rev))

/**
 * Reopens the check of an existing voice, in the batch that asks for it and before the voice is
 * queued: only if no check of the voice waits (a request while one waits joins it).
 */
export const reopenCheck = (db: Db, message: OutboxMessage, at: number) =>
  reopenRecorded(db, [message], at, checkIdle(message.ref))

/** Reopens the check of a voice just queued with `rev` in the same batch (the weekly re-check). */
export const reopenQueuedCheck = (db: Db, message: OutboxMessage, rev: string, at: number) =>
  reopenRecorded(db, [message], at, voiceHasRev(message.ref, rev))

const noCheckWaits = (voiceId: string) => sql`NOT ${checkWaits(voiceId)}`

/** The check is over (its outcome written, or someone else's): its message is done. */
export const checkDone = (db: Db, voiceId: string, now: number) =>
  markSent(db, checkKey(voiceId), now, noCheckWaits(voiceId))

/** The hub stopped trying (its last failure written as final): the message is given up. */
export const checkGivenUp = (db: Db, voiceId: string, now: number, reason: string) =>
  markGaveUp(db, checkKey(voiceId), now, reason, noCheckWaits(voiceId))

/** A check that cannot be made at all (its voice lost its source or target): nothing will ever make it. */
export const checkImpossible = (db: Db, voiceId: string, now: number, reason: string) =>
  markGaveUp(db, checkKey(voiceId), now, reason)

/** The attempt that was `attempt` met `reason`; the queue brings the message back at `due`. */
export const checkLater = (db: Db, voiceId: string, due: number, attempt: number, reason: string, now: number) =>
  reschedule(db, checkKey(voiceId), due, attempt, reason, now)
