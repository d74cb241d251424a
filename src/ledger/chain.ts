/**
 * The public moderation ledger's hash chain. Each entry's hash is SHA-256 (hex) of a JSON
 * array of the previous entry's hash and this entry's public facts, so editing an entry
 * changes its hash, deleting one breaks the next entry's link, and rewriting history
 * changes the head that the feed publishes — which anyone who saved an earlier head sees.
 * Pure: anyone can recompute it from ledger.json (docs/embedding.md).
 */
import type { VoiceStatus, ModerationAction, Sentiment } from '../db/schema'
import { sha256Hex } from '../common/crypto'

/** What the public learns about one removal or restoration: never the voice's content. */
export type LedgerFacts = {
  at: number
  voice: string
  action: ModerationAction
  category: string
  reason: string
  from: VoiceStatus
  to: VoiceStatus
  sentiment: Sentiment | null
  rating: number | null
}

/** The exact text that is hashed: `[prev_hash or "", date (ISO 8601), voice, action, category, reason, from, to, sentiment, rating]`. */
export const chainText = (prevHash: string | null, f: LedgerFacts) =>
  JSON.stringify([
    prevHash ?? '',
    new Date(f.at).toISOString(),
    f.voice,
    f.action,
    f.category,
    f.reason,
    f.from,
    f.to,
    f.sentiment,
    f.rating,
  ])

export const entryHash = (prevHash: string | null, facts: LedgerFacts) => sha256Hex(chainText(prevHash, facts))

export type ChainedEntry = LedgerFacts & { seq: number; prevHash: string | null; hash: string | null }

export type ChainCheck =
  { ok: true; head: string | null } | { ok: false; seq: number; problem: 'hash_mismatch' | 'broken_link' }

/**
 * Checks entries given oldest first: each hash matches its facts, and each entry links to
 * the one before. Entries written before the ledger was chained (hash null) may only
 * precede the chain, never sit inside it.
 */
export async function checkChain(entries: readonly ChainedEntry[]): Promise<ChainCheck> {
  let head: string | null = null
  for (const e of entries) {
    if (e.hash === null) {
      if (head !== null) return { ok: false, seq: e.seq, problem: 'broken_link' }
      continue
    }
    if (e.prevHash !== head) return { ok: false, seq: e.seq, problem: 'broken_link' }
    if ((await entryHash(e.prevHash, e)) !== e.hash) return { ok: false, seq: e.seq, problem: 'hash_mismatch' }
    head = e.hash
  }
  return { ok: true, head }
}
