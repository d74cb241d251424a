/** Queries of the outbox: recording messages, a consumer's attempt and its outcome, the cron's sweep. */
import { and, eq, inArray, lte, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { chunked, VALUES_PER_LIST } from '../db/chunks'
import { insertRowsWhere, insertWhere } from '../db/insert-where'
import { outbox, type OutboxKind } from '../db/schema'

export type OutboxRow = typeof outbox.$inferSelect
export type NewOutboxRow = Omit<OutboxRow, 'id'>

/** A message's idempotency key: what it does and the id of what it is about. */
export type MessageKey = { kind: OutboxKind; ref: string }

/** D1 binds at most 100 values per statement: a row binds 12 (and a reopen's SET a few more), so 7 rows go in each. */
const ROWS_PER_INSERT = 7

const keyIs = ({ kind, ref }: MessageKey) => and(eq(outbox.kind, kind), eq(outbox.ref, ref))
// A literal, not a parameter: SQLite uses the partial index `outbox_waiting` only for a WHERE it can see implies it.
const WAITING = sql`${outbox.state} = 'waiting'`

export const insertMessages = (db: Db, rows: readonly NewOutboxRow[]) =>
  chunked(rows, ROWS_PER_INSERT).map((chunk) => db.insert(outbox).values(chunk))

/** Messages written only if `guard` holds when the batch runs (the change they belong to took effect). */
export const insertMessagesWhere = (db: Db, rows: readonly NewOutboxRow[], guard: SQL) =>
  insertRowsWhere(db, outbox, rows, guard)

const reopened = {
  state: 'waiting',
  attempts: 0,
  waitingSince: sql`excluded.waiting_since`,
  dueAt: sql`excluded.due_at`,
  leaseUntil: sql`excluded.lease_until`,
  lastFailure: null,
  updatedAt: sql`excluded.updated_at`,
} as const

/** Waiting again from the start (a message staff send again), recorded first if it never was; its body stays the first one. */
export const reopenMessages = (db: Db, rows: readonly NewOutboxRow[]) =>
  chunked(rows, ROWS_PER_INSERT).map((chunk) =>
    db
      .insert(outbox)
      .values(chunk)
      .onConflictDoUpdate({ target: [outbox.kind, outbox.ref], set: reopened }),
  )

/** As `reopenMessages` for one message, only if `guard` holds when the batch runs. */
export const reopenMessageWhere = (db: Db, row: NewOutboxRow, guard: SQL) =>
  insertWhere(db, outbox, row, guard).onConflictDoUpdate({
    target: [outbox.kind, outbox.ref],
    set: reopened,
  })

/** Forgets the messages of one kind about the refs the subquery gives (what they were about is deleted). */
export const forgetMessages = (db: Db, kind: OutboxKind, refs: SQL) =>
  db.delete(outbox).where(and(eq(outbox.kind, kind), sql`${outbox.ref} IN ${refs}`))

/** Ends the leases of waiting messages whose queue send failed: the cron's next run sends them. */
export const endLeases = (db: Db, kind: OutboxKind, refs: readonly string[], now: number) =>
  chunked(refs, VALUES_PER_LIST).map((chunk) =>
    db
      .update(outbox)
      .set({ leaseUntil: sql`${outbox.dueAt}`, updatedAt: now })
      .where(and(eq(outbox.kind, kind), inArray(outbox.ref, chunk), WAITING)),
  )

/**
 * Starts an attempt at a waiting message that is due (by `dueBy`): counts it, and moves its due
 * time and lease to `until`, past the attempt, so a second copy of its queue message finds it not
 * due and the cron leaves it alone meanwhile.
 */
export const claimAttempt = (
  db: Db,
  key: MessageKey,
  dueBy: number,
  { busyUntil, leaseUntil }: { busyUntil: number; leaseUntil: number },
  now: number,
) =>
  db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, dueAt: busyUntil, leaseUntil, updatedAt: now })
    .where(and(keyIs(key), WAITING, lte(outbox.dueAt, dueBy)))
    .returning({ attempts: outbox.attempts })

/** Only by the attempt that was `attempts`: a guard for `markSent` and `markGaveUp` (a later round is not settled by an earlier one). */
export const byAttempt = (attempts: number) => eq(outbox.attempts, attempts)

/**
 * A guard for the feature's own record of an attempt: true while the message is still at that
 * attempt (or has no row: one queued before the outbox), false once staff started a new round
 * or another attempt settled it — so a late attempt never overwrites what a newer one records.
 */
export const stillAttempt = ({ kind, ref }: MessageKey, attempts: number) =>
  sql`NOT EXISTS (SELECT 1 FROM ${outbox} WHERE ${outbox.kind} = ${kind} AND ${outbox.ref} = ${ref} AND NOT (${outbox.state} = 'waiting' AND ${outbox.attempts} = ${attempts}))`

export const findMessage = (db: Db, key: MessageKey) =>
  db.select({ state: outbox.state }).from(outbox).where(keyIs(key)).limit(1)

/** Sent; with `guard`, only if it holds when the batch runs (the feature's own record took effect). */
export const markSent = (db: Db, key: MessageKey, now: number, guard?: SQL) =>
  db
    .update(outbox)
    .set({ state: 'sent', lastFailure: null, updatedAt: now })
    .where(and(keyIs(key), WAITING, guard))

/** Given up; `failure` (when known) replaces the last one recorded. `guard` as for `markSent`. */
export const markGaveUp = (db: Db, key: MessageKey, now: number, failure?: string, guard?: SQL) =>
  db
    .update(outbox)
    .set({ state: 'gave_up', updatedAt: now, ...(failure === undefined ? {} : { lastFailure: failure }) })
    .where(and(keyIs(key), WAITING, guard))

/** The next attempt's time, only by the attempt that was `attempts` (a stale one changes nothing). */
export const markRescheduled = (
  db: Db,
  key: MessageKey,
  attempts: number,
  next: { dueAt: number; leaseUntil: number; failure: string },
  now: number,
) =>
  db
    .update(outbox)
    .set({ dueAt: next.dueAt, leaseUntil: next.leaseUntil, lastFailure: next.failure, updatedAt: now })
    .where(and(keyIs(key), WAITING, eq(outbox.attempts, attempts)))

/**
 * A message whose work goes on in steps (an export's batches): the attempt that was `attempts`
 * did one step and queues the message again for the next, due at once with a new lease, its count
 * of attempts back to 0 (the next step's own). Only by that attempt: a stale copy changes nothing.
 */
export const markContinued = (db: Db, key: MessageKey, attempts: number, leaseUntil: number, now: number) =>
  db
    .update(outbox)
    .set({ attempts: 0, dueAt: now, leaseUntil, lastFailure: null, updatedAt: now })
    .where(and(keyIs(key), WAITING, eq(outbox.attempts, attempts)))

/** Waiting messages whose lease ended by `now`, oldest lease first (read from the partial index alone). */
export const lapsedMessages = (db: Db, now: number, limit: number) =>
  db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(WAITING, lte(outbox.leaseUntil, now)))
    .orderBy(outbox.leaseUntil)
    .limit(limit)
    .all()

/**
 * Takes a new lease, until `until`, on those of `ids` whose lease has still ended, and returns
 * them: a sweep running at the same time that took one first has renewed its lease, so each
 * message is taken by one sweep only.
 */
export const takeLeases = (db: Db, ids: readonly number[], now: number, until: number) =>
  chunked(ids, VALUES_PER_LIST).map((chunk) =>
    db
      .update(outbox)
      .set({ leaseUntil: until, updatedAt: now })
      .where(and(inArray(outbox.id, chunk), WAITING, lte(outbox.leaseUntil, now)))
      .returning({ kind: outbox.kind, ref: outbox.ref, body: outbox.body }),
  )

const progressOf = (db: Db, kind: OutboxKind, refs: readonly string[]) =>
  db
    .select({
      ref: outbox.ref,
      state: outbox.state,
      waitingSince: outbox.waitingSince,
      dueAt: outbox.dueAt,
      attempts: outbox.attempts,
      lastFailure: outbox.lastFailure,
      updatedAt: outbox.updatedAt,
    })
    .from(outbox)
    .where(and(eq(outbox.kind, kind), inArray(outbox.ref, refs)))

export type MessageProgress = Awaited<ReturnType<typeof progressOf>>[number]

/** Where these messages of one kind stand, for the pages and answers that show them (a page's worth of refs). */
export async function messagesOf(db: Db, kind: OutboxKind, refs: readonly string[]): Promise<MessageProgress[]> {
  const [first, ...rest] = chunked(refs, VALUES_PER_LIST).map((chunk) => progressOf(db, kind, chunk))
  return first ? (await db.batch([first, ...rest])).flat() : []
}
