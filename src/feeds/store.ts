/**
 * The feed's reads, built to run as one D1 batch (one round trip) per request:
 * the site row, and — only when the caller cannot answer from a version it already holds
 * (the cached copy or the client's ETag) — the target, its counters and one page.
 *
 * Every statement names the site by slug through a subquery, so nothing waits for the
 * site row first. `status = 'published'` is a literal so SQLite can use the partial feed
 * indexes (a bound parameter would not prove the index's WHERE); each filter combination
 * has an index ending in (published_at, id), so a page reads about `limit` rows.
 */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { pastPosition } from '../db/keyset'
import { type VoiceKind, voices, type Sentiment, sites, stats, targets, targetUrls } from '../db/schema'
import type { Position } from '../common/cursor'
import { canonicalUrl } from '../common/url'
import { type KnownVersion, siteIdUnlessKnown } from '../sites/versions'

export type TargetRef = { id: string } | { url: string } | null

/** A target as a reader names it: by its page's URL (canonical) when it is one, else by id. */
export const targetRefOf = (ref: string): NonNullable<TargetRef> => {
  const url = canonicalUrl(ref)
  return url === null ? { id: ref } : { url }
}

export type FeedFilter = {
  target: TargetRef
  kind?: VoiceKind | undefined
  sentiment?: Sentiment | 'unclassified' | undefined
}

const targetIdOf = (site: SQL, ref: TargetRef): SQL | string =>
  ref === null
    ? ''
    : 'id' in ref
      ? ref.id
      : sql`coalesce((SELECT ${targets.id} FROM ${targets} WHERE ${targets.siteId} = ${site} AND ${targets.url} = ${ref.url}),
          (SELECT ${targetUrls.targetId} FROM ${targetUrls} WHERE ${targetUrls.siteId} = ${site} AND ${targetUrls.url} = ${ref.url}))`

/**
 * The first two statements of every feed batch — the site row and the target's (none when `ref`
 * is null) — and what the batch's other statements name them by: the site's id as a subquery
 * (NULL when the caller holds its current version) and the target's id (as given, or found by URL).
 */
export function siteAndTarget(db: Db, slug: string, ref: TargetRef, known: readonly KnownVersion[]) {
  const site = siteIdUnlessKnown(slug, known)
  const targetId = targetIdOf(site, ref)
  return {
    site,
    targetId,
    siteRow: db.select().from(sites).where(eq(sites.slug, slug)).limit(1),
    targetRow: db
      .select()
      .from(targets)
      .where(and(eq(targets.siteId, site), eq(targets.id, targetId)))
      .limit(1),
  }
}

/**
 * The published voices of the site, or of one target: `status = 'published'` as the literal the
 * partial feed indexes are declared with.
 */
export const publishedOf = (site: SQL, ref: TargetRef, targetId: SQL | string): SQL[] => [
  eq(voices.siteId, site),
  sql`${voices.status} = 'published'`,
  ...(ref === null ? [] : [eq(voices.targetId, targetId)]),
]

export function feedReads(
  db: Db,
  slug: string,
  f: FeedFilter,
  after: Position | null,
  limit: number,
  known: readonly KnownVersion[],
) {
  const { site, targetId, siteRow, targetRow } = siteAndTarget(db, slug, f.target, known)
  const page = publishedOf(site, f.target, targetId)
  if (f.kind !== undefined) page.push(eq(voices.kind, f.kind))
  if (f.sentiment !== undefined) {
    page.push(f.sentiment === 'unclassified' ? isNull(voices.sentiment) : eq(voices.sentiment, f.sentiment))
  }
  if (after) page.push(pastPosition(voices.publishedAt, voices.id, after, false))

  return db.batch([
    siteRow,
    targetRow,
    db
      .select()
      .from(stats)
      .where(and(eq(stats.siteId, site), eq(stats.targetId, targetId)))
      .limit(1),
    db
      .select()
      .from(voices)
      .where(and(...page))
      .orderBy(desc(voices.publishedAt), desc(voices.id))
      .limit(limit),
  ])
}
