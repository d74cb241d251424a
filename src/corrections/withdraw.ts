/**
 * Withdrawing an answer (POST /api/responses/{id}/withdraw, and the console's withdraw form): the
 * answer stays where it was as a tombstone — when and why, never its words — and the withdrawal is
 * an entry of the site's public, hash-chained ledger, chained to the head read here (if another
 * entry moved it meanwhile, nothing is written and the withdrawal is planned again). It no longer
 * counts as an answer in the voice's figures.
 */
import { actorName, type Principal } from '../common/principal'
import type { Db } from '../db/client'
import { planLedgerEntry } from '../voices/ledger-entry'
import { correctAnswer, type TellAnswer } from './correct'

export async function withdrawResponse(
  db: Db,
  p: Principal,
  id: string,
  reason: string,
  now: number,
  hubOrigin: string | null,
  tell?: TellAnswer,
  ofVoice?: string,
) {
  const actor = actorName(p)
  return correctAnswer(
    db,
    p,
    id,
    now,
    hubOrigin,
    async (_r, _answers, m) => {
      const entry = await planLedgerEntry(db, m, {
        at: now,
        action: 'withdraw_answer',
        category: 'answer',
        reason,
        actor,
        to: m.status,
      })
      return { fields: { withdrawnAt: now, withdrawnReason: reason }, ...entry }
    },
    (r) => ({ id: r.id, stage: r.stage, body: '', authorName: r.authorName, reason }),
    tell,
    ofVoice,
  )
}
