/**
 * The write engine: every change of a voice goes through `writeVoice`, one `db.batch()` that
 * updates the voice only if its `rev` is still the one we read, adds the rows that belong to the
 * change (a response, a moderation event) and moves the counters — each guarded by the new rev,
 * so a write that lost a race changes nothing and is retried on fresh data (`changeVoice`).
 */
import type { SQL } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'

import type { Db } from '../db/client'
import { allOutbound, type Outbound } from '../outbox/outbox'
import { randomToken } from '../common/crypto'
import { AppError } from '../common/errors'
import { bumpDataVersion } from '../sites/store'
import { addDelta, type CounterName, deltaBetween, emptyDelta, type StatsDelta } from '../stats/counters'
import { voiceHasRev, statsUpdate } from '../stats/store'
import { type VoiceChanges, type VoiceRow, updateVoiceIfRev } from './store'

const MAX_ATTEMPTS = 3

export type Change = {
  changes: VoiceChanges
  /** Rows written with the change, inserted only if the change takes effect. */
  extra?: (rev: string) => BatchItem<'sqlite'>[]
  /** Event counters (moderation ledger) to add besides the status change. */
  events?: Partial<Record<CounterName, number>>
  /** A further condition the write needs (e.g. the ledger head it chains to is still the head). */
  guard?: SQL
  /**
   * What the voice's history counts for besides itself (its moderation steps): moved with the
   * voice when the change gives it another target.
   */
  carried?: StatsDelta
  /**
   * Messages the change causes (its webhook events): recorded in its batch under its new rev, so
   * only if it takes effect, and sent once it has.
   */
  outbound?: Outbound
}

/**
 * What a change tells the outside world, prepared from the voice as the change leaves it (`after`,
 * without its new rev) and as it was (`before`): e.g. the webhook event of a voice taken out of
 * the feed. Handed in by the caller (src/responses/follow-ups.ts), as the voice knows no webhooks.
 */
export type Tell = (after: VoiceRow, before: VoiceRow) => Promise<Outbound>

/**
 * The statements that write `change` unless the voice was written since `before` was read: the
 * guarded update, the rows that come with it, and the counters it moves — all guarded by the new
 * rev. `shown` says whether feeds see the change (then the site's data version must move).
 */
export function planWrite(db: Db, before: VoiceRow, change: Change) {
  const rev = randomToken(16)
  const after: VoiceRow = { ...before, ...change.changes, rev }
  const events: StatsDelta = { ...emptyDelta(), counters: change.events ?? {} }
  const written = voiceHasRev(before.id, rev)
  // A voice that moves to another target takes what it counts for along (the site's row sees the difference only).
  const counters =
    after.targetId === before.targetId
      ? [statsUpdate(db, before.siteId, before.targetId, addDelta(deltaBetween(before, after), events), written)]
      : [
          statsUpdate(
            db,
            before.siteId,
            before.targetId,
            addDelta(deltaBetween(before, null), change.carried ?? emptyDelta(), -1),
            written,
          ),
          statsUpdate(
            db,
            before.siteId,
            after.targetId,
            addDelta(addDelta(deltaBetween(null, after), change.carried ?? emptyDelta()), events),
            written,
          ),
        ]
  const moves = counters.filter((u) => u !== null)
  // Feeds show published voices and the counters; a change to neither leaves their caches valid.
  const shown = moves.length > 0 || before.status === 'published' || after.status === 'published'
  const update = updateVoiceIfRev(db, before.id, before.rev, { ...change.changes, rev }, change.guard)
  const items: BatchItem<'sqlite'>[] = [
    ...(change.extra?.(rev) ?? []),
    ...(change.outbound?.statements(written) ?? []),
    ...moves,
  ]
  return { after, update, items, shown, written }
}

/** Writes `change` unless the voice was written since `before` was read (then null: read again). */
export async function writeVoice(db: Db, before: VoiceRow, change: Change): Promise<VoiceRow | null> {
  const plan = planWrite(db, before, change)
  const [update] = await db.batch([
    plan.update,
    ...plan.items,
    ...(plan.shown ? [bumpDataVersion(db, before.siteId, plan.written)] : []),
  ])
  if (update.meta.changes !== 1) return null
  await change.outbound?.send()
  return plan.after
}

/**
 * Reads the voice with `load` (which checks access), lets `decide` plan the change, writes it
 * with what it tells (`tell`, prepared for each attempt); retries when another write got there
 * first. `decide` may throw an AppError to refuse.
 */
export async function changeVoice(
  db: Db,
  load: () => Promise<VoiceRow>,
  decide: (m: VoiceRow) => Change | Promise<Change>,
  tell?: Tell,
): Promise<VoiceRow> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const before = await load()
    const change = await decide(before)
    const told = tell ? await tell({ ...before, ...change.changes }, before) : null
    const outbound = told ? allOutbound(change.outbound ? [change.outbound, told] : [told]) : change.outbound
    const after = await writeVoice(db, before, outbound ? { ...change, outbound } : change)
    if (after) return after
  }
  throw new AppError(
    'conflict',
    'The voice changed while we were writing; try again',
    '保存中に声が変更されました。もう一度お試しください',
  )
}
