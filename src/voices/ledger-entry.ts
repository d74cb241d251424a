/**
 * An entry of the site's public, hash-chained ledger about a voice (a moderation step, an answer
 * withdrawn), planned inside the voice's change: chained to the head read here, and written only
 * if the head has not moved meanwhile (`guard`) and the voice's change took effect (`extra`), so
 * the chain never forks — a change that lost the race is planned again on fresh data.
 */
import type { Db } from '../db/client'
import type { ModerationAction, ModerationCategory, VoiceStatus } from '../db/schema'
import { entryHash } from '../ledger/chain'
import { ledgerHeadIs, ledgerHeadOf, moveLedgerHead } from '../ledger/store'
import { voiceHasRev } from '../stats/store'
import { insertModerationIfRev, type VoiceRow } from './store'

export type LedgerEntry = {
  at: number
  action: ModerationAction
  category: ModerationCategory
  reason: string
  actor: string
  /** The voice's status after the change (its status before is the voice's own). */
  to: VoiceStatus
}

export async function planLedgerEntry(db: Db, voice: VoiceRow, e: LedgerEntry) {
  const head = await ledgerHeadOf(db, voice.siteId)
  const hash = await entryHash(head, {
    at: e.at,
    voice: voice.id,
    action: e.action,
    category: e.category,
    reason: e.reason,
    from: voice.status,
    to: e.to,
    sentiment: voice.sentiment,
    rating: voice.rating,
  })
  return {
    guard: ledgerHeadIs(voice.siteId, head),
    extra: (rev: string) => [
      insertModerationIfRev(
        db,
        {
          siteId: voice.siteId,
          voiceId: voice.id,
          action: e.action,
          category: e.category,
          reason: e.reason,
          actor: e.actor,
          fromStatus: voice.status,
          toStatus: e.to,
          createdAt: e.at,
          sentiment: voice.sentiment,
          rating: voice.rating,
          prevHash: head,
          hash,
        },
        rev,
      ),
      moveLedgerHead(db, voice.siteId, hash, voiceHasRev(voice.id, rev)),
    ],
  }
}
