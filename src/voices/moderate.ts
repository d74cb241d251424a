/**
 * The operator's judgements on a voice: its sentiment, and the moderation steps (spam, remove,
 * restore) that the public ledger records.
 */

import { actorName, type Principal } from '../common/principal'
import type { Db } from '../db/client'
import type { Sentiment } from '../db/schema'
import { AppError } from '../common/errors'
import { decideModeration, eventDelta, type ModerationRequest } from './moderation'
import { planLedgerEntry } from './ledger-entry'
import type { VoiceRow } from './store'
import { changeVoice, type Change, type Tell } from './write'
import { loadVoice } from './reads'
import { exampleStatements, relearn } from '../sentiment/learning-store'
import { wordsOf } from '../sentiment/fields'
import { voiceHasRev } from '../stats/store'

/**
 * Staff set a voice's sentiment: theirs from now on, and — for a voice whose words suggested one —
 * an example the site's suggestions learn from (src/sentiment/learning.ts), written with the change.
 */
export async function setSentiment(db: Db, p: Principal, id: string, sentiment: Sentiment | null, now: number) {
  // Whether the change records an example (set as the change is planned, on the voice as read).
  const example = { taught: false }
  const after = await changeVoice(
    db,
    () => loadVoice(db, p, id),
    (m) => {
      // A review's stars are not words to learn from; neither is a voice without words.
      const words = m.rating === null ? wordsOf(m.title, m.excerpt) : ''
      example.taught = words !== ''
      return {
        changes: { sentiment, sentimentBy: 'operator', updatedAt: now },
        extra: (rev) =>
          example.taught
            ? exampleStatements(
                db,
                { siteId: m.siteId, mentionId: m.id, sentiment, words, at: now },
                voiceHasRev(m.id, rev),
              )
            : [],
      }
    },
  )
  // The correction is saved; learning from it may fail without undoing it (the next correction learns again).
  if (example.taught) {
    await relearn(db, after.siteId, now).catch((err: unknown) => {
      console.error(JSON.stringify({ msg: 'learning from a sentiment correction failed', error: String(err) }))
    })
  }
  return after
}

/**
 * Spam, remove or restore a voice. Every step is an entry of the public ledger, chained to
 * the site's ledger head as read here; if another step moved the head meanwhile, nothing is
 * written and the step is planned again on fresh data (so the chain never forks). What `tell`
 * prepares (the webhook event of a voice taken out) is written with the step.
 */
export const moderate = (db: Db, p: Principal, id: string, req: ModerationRequest, now: number, tell?: Tell) =>
  moderateVoice(db, actorName(p), () => loadVoice(db, p, id), req, now, tell)

/** A moderation step by `actor` ("operator", a key id, or "author" for a reviewer's own request). */
export const moderateVoice = (
  db: Db,
  actor: string,
  load: () => Promise<VoiceRow>,
  req: ModerationRequest,
  now: number,
  tell?: Tell,
) =>
  changeVoice(
    db,
    load,
    async (m): Promise<Change> => {
      const decision = decideModeration(m, req)
      if (!decision.ok) throw new AppError(decision.code, decision.message, decision.ja)
      const entry = await planLedgerEntry(db, m, {
        at: now,
        action: req.action,
        category: decision.category,
        reason: req.reason,
        actor,
        to: decision.toStatus,
      })
      return {
        changes: { status: decision.toStatus, updatedAt: now },
        events: eventDelta(req.action, m.status, m.sentiment).counters,
        ...entry,
      }
    },
    tell,
  )
