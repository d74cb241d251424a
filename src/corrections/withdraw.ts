/**
 * Withdrawing an answer (POST /api/responses/{id}/withdraw, and the console's withdraw form): the
 * answer stays where it was as a tombstone — when and why, never its words — and the withdrawal is
 * an entry of the site's public, hash-chained ledger, chained to the head read here (if another
 * entry moved it meanwhile, nothing is written and the withdrawal is planned again). It no longer
 * counts as an answer in the voice's figures.
 */
import { actorName, type Principal } from '../common/principal'
import type { Db } from '../db/client'
import { entryHash, type LedgerFacts } from '../ledger/chain'
import { ledgerHeadIs, ledgerHeadOf, moveLedgerHead } from '../ledger/store'
import { voiceHasRev } from '../stats/store'
import { insertModerationIfRev } from '../voices/store'
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
      const head = await ledgerHeadOf(db, m.siteId)
      const facts: LedgerFacts = {
        at: now,
        voice: m.id,
        action: 'withdraw_answer',
        category: 'answer',
        reason,
        from: m.status,
        to: m.status,
        sentiment: m.sentiment,
        rating: m.rating,
      }
      const hash = await entryHash(head, facts)
      return {
        fields: { withdrawnAt: now, withdrawnReason: reason },
        guard: ledgerHeadIs(m.siteId, head),
        extra: (rev) => [
          insertModerationIfRev(
            db,
            {
              siteId: m.siteId,
              voiceId: m.id,
              action: 'withdraw_answer',
              category: 'answer',
              reason,
              actor,
              fromStatus: m.status,
              toStatus: m.status,
              createdAt: now,
              sentiment: m.sentiment,
              rating: m.rating,
              prevHash: head,
              hash,
            },
            rev,
          ),
          moveLedgerHead(db, m.siteId, hash, voiceHasRev(m.id, rev)),
        ],
      }
    },
    (r) => ({ id: r.id, stage: r.stage, body: '', authorName: r.authorName, reason }),
    tell,
    ofVoice,
  )
}
