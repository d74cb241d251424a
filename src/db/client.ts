import { drizzle } from 'drizzle-orm/d1'
import type { DrizzleD1Database } from 'drizzle-orm/d1'
import type { BatchItem } from 'drizzle-orm/batch'

/**
 * The hub's queries are all built with drizzle's query builder: its relational API (`db.query`)
 * is not used, so drizzle is not handed the schema — reading the schema's relations again for
 * every request took more time than a TrackBack's own work (`npm run profile`).
 */
export type Db = DrizzleD1Database

/** One drizzle client per D1 binding (or metered wrapper) the isolate has seen. */
const clients = new WeakMap<D1Database, Db>()

export function getDb(d1: D1Database): Db {
  let db = clients.get(d1)
  if (!db) {
    db = drizzle(d1)
    clients.set(d1, db)
  }
  return db
}

/**
 * For public reads: a D1 session that may be answered by a read replica near the reader (the
 * Sessions API, "first-unconstrained"); a copy a few moments old is fine there. The operator's
 * own reads and every write use `getDb`, which sees its own writes at once.
 */
export const getReplicaDb = (d1: D1Database): Db =>
  drizzle(d1.withSession('first-unconstrained') as unknown as D1Database)

/**
 * Runs a list of statements in one batch (one round trip, all or nothing). drizzle's `batch`
 * wants a non-empty tuple; a list built at run time is one, or there is nothing to run.
 */
export function batchAll<T extends BatchItem<'sqlite'>>(db: Db, items: readonly T[]) {
  const [first, ...rest] = items
  return first === undefined ? Promise.resolve([]) : db.batch([first, ...rest])
}
