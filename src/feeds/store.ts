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
import { and, asc, desc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'

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

/** Where a jf2 list starts: after a time (`since=` an ISO time) or after a voice (`since=` its id). */
export type Since = { time: number } | { id: string }

export type Jf2Page = {
  /** One target, or null for every published voice of the site. */
  target: TargetRef
  oldestFirst: boolean
  since: Since | null
  after: Position | null
  /** Rows skipped for a numbered page (bounded by the caller). */
  skip: number
  limit: number
}

const sinceVoice = alias(voices, 'since_voice')

/**
 * The jf2 feed's reads, one batch: the site row, the target, one page of voices each with its
 * target's address (a primary-key lookup per row), and the voice `since` names (its position).
 * The page is a range of `feed_target`, or of `feed_site` for the whole site: `since` and the
 * cursor bound it, so it reads about `limit + skip` rows however many voices the site has.
 */
export function jf2Reads(db: Db, slug: string, p: Jf2Page, known: readonly KnownVersion[]) {
  const { site, targetId, siteRow, targetRow } = siteAndTarget(db, slug, p.target, known)
  const sinceId = p.since !== null && 'id' in p.since ? p.since.id : ''

  const page = publishedOf(site, p.target, targetId)
  if (p.since !== null && 'time' in p.since) page.push(gt(voices.publishedAt, p.since.time))
  if (sinceId !== '') {
    const position = db
      .select({ time: sinceVoice.publishedAt, id: sinceVoice.id })
      .from(sinceVoice)
      .where(and(eq(sinceVoice.siteId, site), eq(sinceVoice.id, sinceId)))
    page.push(sql`(${voices.publishedAt}, ${voices.id}) > ${position}`)
  }
  if (p.after) page.push(pastPosition(voices.publishedAt, voices.id, p.after, p.oldestFirst))
  const order = p.oldestFirst ? [asc(voices.publishedAt), asc(voices.id)] : [desc(voices.publishedAt), desc(voices.id)]
  if (p.skip > 0) {
    // A numbered page starts at the position `skip` rows in: found on the index alone (its
    // columns are all the position needs), then the page is read from there like any other.
    const start = db
      .select({ time: voices.publishedAt, id: voices.id })
      .from(voices)
      .where(and(...page))
      .orderBy(...order)
      .limit(1)
      .offset(p.skip)
    page.push(sql`(${voices.publishedAt}, ${voices.id}) ${sql.raw(p.oldestFirst ? '>=' : '<=')} ${start}`)
  }

  return db.batch([
    siteRow,
    targetRow,
    db
      .select({ voice: voices, targetUrl: targets.url })
      .from(voices)
      .leftJoin(targets, and(eq(targets.siteId, voices.siteId), eq(targets.id, voices.targetId)))
      .where(and(...page))
      .orderBy(...order)
      .limit(p.limit),
    db
      .select({ id: voices.id, publishedAt: voices.publishedAt })
      .from(voices)
      .where(and(eq(voices.siteId, site), eq(voices.id, sinceId)))
      .limit(1),
  ])
}
