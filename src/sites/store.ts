import { eq, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { insertWhere } from '../db/insert-where'
import { sites, stats } from '../db/schema'

export type SiteRow = typeof sites.$inferSelect

export const findSiteBySlug = (db: Db, slug: string) =>
  db.select().from(sites).where(eq(sites.slug, slug)).get()

export const listSites = (db: Db) => db.select().from(sites).orderBy(sites.id).all()

/** Creates the site and its site-wide counter row; null when the slug is taken. */
export async function insertSite(
  db: Db,
  row: Omit<typeof sites.$inferInsert, 'id'>
): Promise<SiteRow | null> {
  const [inserted] = await db.batch([
    db.insert(sites).values(row).onConflictDoNothing().returning(),
    insertWhere(
      db,
      stats,
      { siteId: sql`(SELECT ${sites.id} FROM ${sites} WHERE ${sites.slug} = ${row.slug})`, targetId: '' },
      sql`1`
    ).onConflictDoNothing(),
  ])
  return inserted[0] ?? null
}

export const updateSite = (db: Db, id: number, changes: Partial<typeof sites.$inferInsert>) =>
  db
    .update(sites)
    .set({ ...changes, dataVersion: sql`${sites.dataVersion} + 1` })
    .where(eq(sites.id, id))
    .returning()
    .get()

/** Part of every batch that changes a site's public data: moves caches to a new key. */
export const bumpDataVersion = (db: Db, siteId: number) =>
  db
    .update(sites)
    .set({ dataVersion: sql`${sites.dataVersion} + 1` })
    .where(eq(sites.id, siteId))
