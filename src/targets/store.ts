import { and, asc, eq, gt, inArray, type SQL, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { stats, targets } from '../db/schema'
import { bumpDataVersion } from '../sites/store'

export type TargetRow = typeof targets.$inferSelect

/** The target query, unexecuted (for batches); `findTarget` runs it. */
export const targetById = (db: Db, siteId: number, id: string) =>
  db.select().from(targets).where(and(eq(targets.siteId, siteId), eq(targets.id, id))).limit(1)

/** A site's targets with these ids, in the ids' order (missing ones left out): one query. */
export async function targetsOf(db: Db, siteId: number, ids: readonly string[]): Promise<TargetRow[]> {
  if (ids.length === 0) return []
  const rows = await db.select().from(targets).where(and(eq(targets.siteId, siteId), inArray(targets.id, [...ids]))).all()
  return ids.map((id) => rows.find((t) => t.id === id)).filter((t): t is TargetRow => t !== undefined)
}

export const findTarget = (db: Db, siteId: number, id: string) => targetById(db, siteId, id).get()

/** True while the target exists (guards a write that names it). */
export const targetExists = (siteId: number, id: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.id} = ${id})`

export const findTargetByUrl = (db: Db, siteId: number, url: string) =>
  db.select().from(targets).where(and(eq(targets.siteId, siteId), eq(targets.url, url))).get()

/** Creates the target and its counter row; null when the id or URL is taken. */
export async function insertTarget(db: Db, row: TargetRow): Promise<TargetRow | null> {
  const [inserted] = await db.batch([
    db.insert(targets).values(row).onConflictDoNothing().returning(),
    db.insert(stats).values({ siteId: row.siteId, targetId: row.id }).onConflictDoNothing(),
    bumpDataVersion(db, row.siteId),
  ])
  return inserted[0] ?? null
}

export const listTargets = (db: Db, siteId: number, after: string | null, limit: number) =>
  db
    .select()
    .from(targets)
    .where(and(eq(targets.siteId, siteId), after === null ? sql`1` : gt(targets.id, after)))
    .orderBy(asc(targets.id))
    .limit(limit)
    .all()
