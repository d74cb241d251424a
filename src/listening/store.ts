/** Watched feeds in D1. */
import { and, asc, count, desc, eq, lte, sql } from 'drizzle-orm'

import { batchAll, type Db } from '../db/client'
import { listeningRuns, voices, watches } from '../db/schema'
import { siteIsLive } from '../sites/store'
import { insertVoiceIfNewWhere, noVoiceOfSiteAt, type VoiceRow } from '../voices/store'

export type WatchRow = typeof watches.$inferSelect

/** Inserts a watch; nothing when the site already watches this feed. */
export const insertWatch = (db: Db, row: WatchRow) => db.insert(watches).values(row).onConflictDoNothing().run()

/** A site's watches, newest first (there are at most MAX_WATCHES). */
export const watchesOfSite = (db: Db, siteId: number, limit: number) =>
  db
    .select()
    .from(watches)
    .where(eq(watches.siteId, siteId))
    .orderBy(desc(watches.createdAt), desc(watches.id))
    .limit(limit)
    .all()

export const findWatch = (db: Db, siteId: number, id: string) =>
  db
    .select()
    .from(watches)
    .where(and(eq(watches.siteId, siteId), eq(watches.id, id)))
    .get()

/** The watch after the change; undefined when no such watch (drizzle's `get()` type omits that case). */
export const updateWatch = (db: Db, id: string, changes: Partial<WatchRow>): Promise<WatchRow | undefined> =>
  db.update(watches).set(changes).where(eq(watches.id, id)).returning().get()

export const deleteWatch = (db: Db, id: string) => db.delete(watches).where(eq(watches.id, id)).run()

/** The watches due to be read, longest waiting first: the due time is the run's cursor. */
export const dueWatches = (db: Db, now: number, limit: number) =>
  db
    .select()
    .from(watches)
    .where(and(lte(watches.nextFetchAt, now), siteIsLive(watches.siteId)))
    .orderBy(asc(watches.nextFetchAt), asc(watches.id))
    .limit(limit)
    .all()

/**
 * Claims due watches for a run, each in the state it would be left in if the run died while
 * reading it: failed once more (`internal`), due again after `retryAt(failures)`. Only watches
 * still due are claimed (another run may have taken some); the run's record then replaces this.
 */
export async function claimWatches(
  db: Db,
  due: readonly WatchRow[],
  now: number,
  retryAt: (failures: number) => number,
): Promise<WatchRow[]> {
  const claimed = await batchAll(
    db,
    due.map((w) =>
      db
        .update(watches)
        .set({ nextFetchAt: retryAt(w.failures + 1), failures: w.failures + 1, lastError: 'internal' })
        .where(and(eq(watches.id, w.id), lte(watches.nextFetchAt, now)))
        .returning({ id: watches.id }),
    ),
  )
  const ids = new Set(claimed.flat().map((c) => c.id))
  return due.filter((w) => ids.has(w.id))
}

/** Records a run's readings in one batch; a watch given another address meanwhile is left to be read afresh. */
export const recordReadings = (db: Db, readings: readonly { watch: WatchRow; changes: Partial<WatchRow> }[]) =>
  batchAll(
    db,
    readings.map(({ watch, changes }) =>
      db
        .update(watches)
        .set(changes)
        .where(and(eq(watches.id, watch.id), eq(watches.feedUrl, watch.feedUrl))),
    ),
  )

/** New discovered voices, each only if the site has no voice of its page yet, in one batch. */
export async function insertDiscovered(db: Db, rows: readonly VoiceRow[]): Promise<number> {
  const results = await batchAll(
    db,
    rows.map((row) => insertVoiceIfNewWhere(db, row, noVoiceOfSiteAt(row.siteId, row.sourceUrl ?? ''))),
  )
  return results.filter((r) => r.meta.changes === 1).length
}

export type RunRow = typeof listeningRuns.$inferSelect

/** The runs kept per site: the page shows these, older ones are deleted as new ones come. */
export const RUNS_KEPT = 10

/** Adds a run's outcome for a site and forgets its runs beyond the newest RUNS_KEPT. */
export const insertRun = (db: Db, row: Omit<RunRow, 'id'>) =>
  db.batch([
    db.insert(listeningRuns).values(row),
    db
      .delete(listeningRuns)
      .where(
        and(
          eq(listeningRuns.siteId, row.siteId),
          sql`${listeningRuns.id} NOT IN (SELECT ${listeningRuns.id} FROM ${listeningRuns} WHERE ${listeningRuns.siteId} = ${row.siteId} ORDER BY ${listeningRuns.at} DESC, ${listeningRuns.id} DESC LIMIT ${RUNS_KEPT})`,
        ),
      ),
  ])

export const runsOfSite = (db: Db, siteId: number) =>
  db
    .select()
    .from(listeningRuns)
    .where(eq(listeningRuns.siteId, siteId))
    .orderBy(desc(listeningRuns.at), desc(listeningRuns.id))
    .limit(RUNS_KEPT)
    .all()

/** How many found voices of the site wait for staff, counted up to `upTo` (the inbox says "99+" beyond). */
export async function foundWaiting(db: Db, siteId: number, upTo: number): Promise<number> {
  const waiting = db
    .select({ one: sql`1`.as('one') })
    .from(voices)
    .where(and(eq(voices.siteId, siteId), sql`${voices.status} = 'pending' AND ${voices.kind} = 'discovered'`))
    .limit(upTo)
    .as('waiting')
  return (
    (
      await db
        .select({ n: count().as('n') })
        .from(waiting)
        .get()
    )?.n ?? 0
  )
}
