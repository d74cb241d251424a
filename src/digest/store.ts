/** The digests table's SQL: which sites still wait for a week's digest, recording one once, the newest of a site. */
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { digests, sites } from '../db/schema'

export type DigestRow = typeof digests.$inferSelect

/**
 * Up to `limit` sites that existed before the week ended and have not had its digest yet, read
 * from the sites_digest_week index: the sites already done are never read.
 */
export const sitesWithoutDigest = (db: Db, weekStart: number, weekEnd: number, limit: number) =>
  db
    .select({ id: sites.id, slug: sites.slug, name: sites.name, settings: sites.settings })
    .from(sites)
    .where(and(lt(sites.digestWeek, weekStart), lt(sites.createdAt, weekEnd)))
    .orderBy(asc(sites.digestWeek), asc(sites.id))
    .limit(limit)
    .all()

/** Notes that the site's digest of this week is made and sent (only while its row is there). */
export const markDigestSent = (db: Db, siteId: number, weekStart: number) =>
  db
    .update(sites)
    .set({ digestWeek: weekStart })
    .where(
      and(
        eq(sites.id, siteId),
        lt(sites.digestWeek, weekStart),
        sql`EXISTS (SELECT 1 FROM ${digests} WHERE ${digests.siteId} = ${siteId} AND ${digests.weekStart} = ${weekStart})`,
      ),
    )
    .run()

/** Records a site's digest for a week; false when one was already there (another run made it first). */
export async function insertDigestIfNew(db: Db, row: DigestRow): Promise<boolean> {
  const result = await db.insert(digests).values(row).onConflictDoNothing().run()
  return result.meta.changes === 1
}

/**
 * Forgets a site's digest for a week (its webhook could not be written), and that it was sent —
 * another run may have noted it meanwhile —, so the next run makes it again.
 */
export const deleteDigest = (db: Db, siteId: number, weekStart: number) =>
  db.batch([
    db.delete(digests).where(and(eq(digests.siteId, siteId), eq(digests.weekStart, weekStart))),
    db
      .update(sites)
      .set({ digestWeek: 0 })
      .where(and(eq(sites.id, siteId), eq(sites.digestWeek, weekStart))),
  ])

/** A site's newest digest (the primary key's order), or undefined when none was made yet. */
export const newestDigest = (db: Db, siteId: number) =>
  db.select().from(digests).where(eq(digests.siteId, siteId)).orderBy(desc(digests.weekStart)).limit(1).get()
