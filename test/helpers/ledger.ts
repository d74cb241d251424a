import type { ChainedEntry } from '../../src/ledger/chain'

/** An entry of a shop's public ledger (ledger.json). */
export type LedgerEntry = {
  seq: number
  date: string
  voice: string
  action: ChainedEntry['action']
  category: string
  reason: string
  from_status: ChainedEntry['from']
  to_status: ChainedEntry['to']
  sentiment: ChainedEntry['sentiment']
  rating: number | null
  prev_hash: string | null
  hash: string | null
}

export type Ledger = {
  head: string | null
  algorithm: string
  summary: Record<string, unknown>
  entries: LedgerEntry[]
  next_url?: string
}

/** The ledger's entries oldest first, as the chain check reads them. */
export const chainOf = (l: Pick<Ledger, 'entries'>): ChainedEntry[] =>
  [...l.entries].reverse().map((e) => ({
    seq: e.seq,
    at: Date.parse(e.date),
    voice: e.voice,
    action: e.action,
    category: e.category,
    reason: e.reason,
    from: e.from_status,
    to: e.to_status,
    sentiment: e.sentiment,
    rating: e.rating,
    prevHash: e.prev_hash,
    hash: e.hash,
  }))
