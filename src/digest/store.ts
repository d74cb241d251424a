/** The digests table's SQL: which sites' digests are due, recording one once, the newest of a site. */
import { and, asc, desc, eq, isNull, lt, lte, sql, type SQL } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'

import { batchAll, type Db } from '../db/client'
import { digests, sites } from '../db/schema'
import type { DigestWeek } from './figures'

export type DigestRow = typeof digests.$inferSelect

/**
 * Up to `limit` sites whose digest is due at `now` (each site's due time is the end of its week
 * in its own time zone), read from the sites_digest_due index: the sites already done, or not yet
 * due, are never read.
 */
export const sitesDueForDigest = (db: Db, now: number, limit: number) =>
  db
    .select({
      id: sites.id,
      slug: sites.slug,
      name: sites.name,
      settings: sites.settings,
      createdAt: sites.createdAt,
    })
    .from(sites)
    .where(and(lte(sites.digestDue, now), isNull(sites.deletedAt)))
    .orderBy(asc(sites.digestDue), asc(sites.id))
    .limit(limit)
    .all()

/** The site's digest of `week` is made and not yet noted sent: the batch that notes it (and records its e-mail) still takes effect. */
export const digestNotYetNoted = (siteId: number, week: DigestWeek) =>
  sql`EXISTS (SELECT 1 FROM ${sites} WHERE ${sites.id} = ${siteId} AND ${sites.digestDue} < ${week.next})
    AND EXISTS (SELECT 1 FROM ${digests} WHERE ${digests.siteId} = ${siteId} AND ${digests.weekStart} = ${week.start})`

/**
 * Notes that the site's next digest is due at the end of the week after `week`, once the digest
 * of `week` is made and sent (only while its row is there): a statement for the batch that also
 * records the digest's e-mail.
 */
export const markDigestSent = (db: Db, siteId: number, week: DigestWeek) =>
  db
    .update(sites)
    .set({ digestDue: week.next })
    .where(and(eq(sites.id, siteId), digestNotYetNoted(siteId, week)))

/** A site made after `week` ended has no digest of it: its first is due at the end of the week after. */
export const postponeDigest = (db: Db, siteId: number, week: DigestWeek) =>
  db
    .update(sites)
    .set({ digestDue: week.next })
    .where(and(eq(sites.id, siteId), lt(sites.digestDue, week.next)))
    .run()

/**
 * Records a site's digest for a week; false when one was already there (another run made it
 * first). `also(guard)`: statements for the same batch (the digest's webhook deliveries), run
 * before the insert and each guarded by `guard` (no digest of the week yet), so they are written
 * only by the run that records the digest.
 */
export async function insertDigestIfNew(
  db: Db,
  row: DigestRow,
  also: (guard: SQL) => BatchItem<'sqlite'>[] = () => [],
): Promise<boolean> {
  const none = sql`NOT EXISTS (SELECT 1 FROM ${digests} WHERE ${digests.siteId} = ${row.siteId} AND ${digests.weekStart} = ${row.weekStart})`
  const results = await batchAll(db, [...also(none), db.insert(digests).values(row).onConflictDoNothing()])
  return (results.at(-1) as D1Result).meta.changes === 1
}

/** A site's newest digest (the primary key's order), or undefined when none was made yet. */
export const newestDigest = (db: Db, siteId: number) =>
  db.select().from(digests).where(eq(digests.siteId, siteId)).orderBy(desc(digests.weekStart)).limit(1).get()
