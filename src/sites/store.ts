import { and, asc, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { insertWhere } from '../db/insert-where'
import { sites, stats } from '../db/schema'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

export type SiteRow = typeof sites.$inferSelect

/** The site query, unexecuted (for batches); `findSiteBySlug` runs it. */
export const siteBySlug = (db: Db, slug: string) => db.select().from(sites).where(eq(sites.slug, slug)).limit(1)

export const findSiteBySlug = (db: Db, slug: string) => siteBySlug(db, slug).get()

/**
 * True while the site `siteId` names is not deleted: the cron's jobs for a shop (digests, watched
 * feeds, invitations) leave a deleted one alone during its grace period. One primary-key lookup.
 */
export const siteIsLive = (siteId: SQLiteColumn) =>
  sql`NOT EXISTS (SELECT 1 FROM ${sites} WHERE ${sites.id} = ${siteId} AND ${sites.deletedAt} IS NOT NULL)`

export const findSiteById = (db: Db, id: number) => db.select().from(sites).where(eq(sites.id, id)).get()

/** The sites with these ids (at most 90: D1 binds 100 values), by id. */
export const sitesByIds = async (db: Db, ids: readonly number[]) =>
  new Map(
    (ids.length === 0
      ? []
      : await db
          .select()
          .from(sites)
          .where(inArray(sites.id, [...new Set(ids)]))
          .all()
    ).map((s) => [s.id, s]),
  )

/**
 * True while the site's storefront origins and settings are still those of `site` (a copy
 * read earlier): guards a write that relied on them. Compared as JSON, so a copy that went
 * through JSON.parse/stringify matches the stored text.
 */
export const siteConfigIs = (site: Pick<SiteRow, 'id' | 'origins' | 'settings'>): SQL =>
  sql`EXISTS (SELECT 1 FROM ${sites} WHERE ${sites.id} = ${site.id}
    AND json(${sites.origins}) = json(${JSON.stringify(site.origins)})
    AND json(${sites.settings}) = json(${JSON.stringify(site.settings)}))`

/** The same comparison as `siteConfigIs`, between two copies in memory. */
export const sameSiteConfig = (a: Pick<SiteRow, 'origins' | 'settings'>, b: Pick<SiteRow, 'origins' | 'settings'>) =>
  JSON.stringify(a.origins) === JSON.stringify(b.origins) && JSON.stringify(a.settings) === JSON.stringify(b.settings)

/** A page of every site, by id (the operator's list). */
export const sitesAfter = (db: Db, afterId: number, limit: number) =>
  db.select().from(sites).where(gt(sites.id, afterId)).orderBy(asc(sites.id)).limit(limit).all()

/** Creates the site and its site-wide counter row; null when the slug is taken. */
export async function insertSite(db: Db, row: Omit<typeof sites.$inferInsert, 'id'>): Promise<SiteRow | null> {
  const [inserted] = await db.batch([
    db.insert(sites).values(row).onConflictDoNothing().returning(),
    insertWhere(
      db,
      stats,
      { siteId: sql`(SELECT ${sites.id} FROM ${sites} WHERE ${sites.slug} = ${row.slug})`, targetId: '' },
      sql`1`,
    ).onConflictDoNothing(),
  ])
  return inserted[0] ?? null
}

/** The site after the change; undefined when no such site (drizzle's `get()` type omits that case). */
export const updateSite = (
  db: Db,
  id: number,
  changes: Partial<typeof sites.$inferInsert>,
): Promise<SiteRow | undefined> =>
  db
    .update(sites)
    .set({ ...changes, dataVersion: sql`${sites.dataVersion} + 1` })
    .where(eq(sites.id, id))
    .returning()
    .get()

/**
 * Part of every batch that changes a site's public data: moves caches to a new key. With
 * `onlyIf`, only when that condition holds as the batch runs (the change took effect).
 */
export const bumpDataVersion = (db: Db, siteId: number, onlyIf?: SQL) =>
  db
    .update(sites)
    .set({ dataVersion: sql`${sites.dataVersion} + 1` })
    .where(and(eq(sites.id, siteId), onlyIf))

/** Marks a live site deleted (now); the deleted site, or undefined when it was not live. */
export const markDeleted = (db: Db, id: number, now: number): Promise<SiteRow | undefined> =>
  db
    .update(sites)
    .set({ deletedAt: now, purgeStep: 0, purgeRows: 0, dataVersion: sql`${sites.dataVersion} + 1` })
    .where(and(eq(sites.id, id), isNull(sites.deletedAt)))
    .returning()
    .get()

/**
 * Brings a deleted site back, only while its purge has not begun (deleted after `deletedAfter`,
 * nothing purged yet); the live site, or undefined when that no longer holds.
 */
export const markRestored = (db: Db, id: number, deletedAfter: number): Promise<SiteRow | undefined> =>
  db
    .update(sites)
    .set({ deletedAt: null, dataVersion: sql`${sites.dataVersion} + 1` })
    .where(and(eq(sites.id, id), gt(sites.deletedAt, deletedAfter), eq(sites.purgeStep, 0), eq(sites.purgeRows, 0)))
    .returning()
    .get()
