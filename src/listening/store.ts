/** Watched feeds in D1. */
import { and, desc, eq } from 'drizzle-orm'

import type { Db } from '../db/client'
import { watches } from '../db/schema'

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
