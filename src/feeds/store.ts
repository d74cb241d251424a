import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { type MentionKind, mentions, type Sentiment } from '../db/schema'

export type FeedFilter = {
  targetId?: string | undefined
  kind?: MentionKind | undefined
  sentiment?: Sentiment | 'unclassified' | undefined
}

/**
 * One page of published voices, newest first, keyset-paginated on (published_at, id).
 * `status = 'published'` is written as a literal so SQLite can use the partial feed
 * indexes (a bound parameter would not prove the index's WHERE); every filter
 * combination has an index ending in (published_at, id), so the page reads ~limit rows.
 * Returns the query unexecuted, so the feed can batch it with its other reads.
 */
export function feedPage(
  db: Db,
  siteId: number,
  f: FeedFilter,
  after: { time: number; id: string } | null,
  limit: number
) {
  const where: SQL[] = [eq(mentions.siteId, siteId), sql`${mentions.status} = 'published'`]
  if (f.targetId !== undefined) where.push(eq(mentions.targetId, f.targetId))
  if (f.kind !== undefined) where.push(eq(mentions.kind, f.kind))
  if (f.sentiment !== undefined) {
    where.push(f.sentiment === 'unclassified' ? isNull(mentions.sentiment) : eq(mentions.sentiment, f.sentiment))
  }
  if (after) where.push(sql`(${mentions.publishedAt}, ${mentions.id}) < (${after.time}, ${after.id})`)
  return db
    .select()
    .from(mentions)
    .where(and(...where))
    .orderBy(desc(mentions.publishedAt), desc(mentions.id))
    .limit(limit)
}
