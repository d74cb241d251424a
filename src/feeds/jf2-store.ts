/**
 * The jf2 feed's reads, one batch per request: the site row, the target's, one page of voices
 * each with its target's address (a primary-key lookup per row), and the voice `since` names.
 *
 * A list in publication time — the first page, a `since`, a cursor — is a range of `feed_site`
 * (or `feed_target`). A numbered page is a range of publication numbers (src/voices/numbering.ts)
 * on `feed_pub_seq` (or `feed_target_pub_seq`): page K of N, newest first, is the N voices with
 * the highest numbers up to H − K×N, where H is the highest number the site ever gave (read from
 * two indexes in the same statement). A window of N numbers holds at most N voices, all of
 * them in its page, so walking the pages reaches every voice; a page is short only at the end;
 * pages overlap where voices were taken down (a client keeps each `wm-id` once); a voice published
 * between two requests moves the windows up by one (overlap, never a gap), and a voice taken down
 * moves nothing (H counts numbers given, not voices shown). Oldest first is the mirror, from the
 * lowest number. Either way a page reads its own rows, at any depth, and no OFFSET.
 */
import { and, asc, desc, eq, gt, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'

import type { Db } from '../db/client'
import { pastPosition } from '../db/keyset'
import { voices, targets } from '../db/schema'
import type { Position } from '../common/cursor'
import type { KnownVersion } from '../sites/versions'
import { edgePubSeq } from '../voices/numbering'
import { publishedOf, siteAndTarget, type TargetRef } from './store'

/** Where a jf2 list starts: after a time (`since=` an ISO time) or after a voice (`since=` its id). */
export type Since = { time: number } | { id: string }

export type Jf2Page = {
  /** One target, or null for every published voice of the site. */
  target: TargetRef
  oldestFirst: boolean
  since: Since | null
  /** A cursor: the list in publication time, after this position. */
  after: Position | null
  /** A numbered page: its number (0 the first) and size; null for the list in publication time. */
  numbered: { page: number; perPage: number } | null
  /** Rows to read: one more than the page, to know whether another follows. */
  limit: number
}

/**
 * How far below the voice that marks `since` a numbered page still looks for voices published
 * after it, in publication numbers. Numbers follow the order in which publications were written,
 * times the writers' clocks: two voices published at nearly the same moment by different
 * requests may be numbered in the other order than their times say. A handful at most; this
 * margin keeps a numbered `since` page from missing one, at the cost of at most this many more
 * index entries on the last page.
 */
export const SINCE_MARGIN = 32

const sinceVoice = alias(voices, 'since_voice')

/**
 * The publication number of the voice that marks `since`: the voice it names, or the last one
 * published at or before its time (one entry of feed_site and its row). NULL when there is none.
 */
const sinceNumber = (site: SQL, since: Since) =>
  'id' in since
    ? sql`(SELECT marker.pub_seq FROM mentions AS marker WHERE marker.site_id = ${site} AND marker.id = ${since.id})`
    : sql`(SELECT marker.pub_seq FROM mentions AS marker WHERE marker.site_id = ${site} AND marker.status = 'published'
        AND marker.published_at <= ${since.time} ORDER BY marker.published_at DESC, marker.id DESC LIMIT 1)`

/**
 * The range of publication numbers a numbered page reads, and its order. With `since`, numbers
 * above the marker's (less the margin) only; with nothing published before `since`, all of them.
 */
function numberedRange(site: SQL, since: Since | null, oldestFirst: boolean, skipped: number) {
  const floor = since === null ? null : sql`coalesce(${sinceNumber(site, since)} - ${SINCE_MARGIN}, 0)`
  if (oldestFirst) {
    const start = floor === null ? edgePubSeq(site, 'lowest') : sql`max(${edgePubSeq(site, 'lowest')}, ${floor} + 1)`
    return { range: [sql`${voices.pubSeq} >= ${start} + ${skipped}`], order: [asc(voices.pubSeq)] }
  }
  const range = [sql`${voices.pubSeq} <= ${edgePubSeq(site, 'highest')} - ${skipped}`]
  if (floor !== null) range.push(sql`${voices.pubSeq} > ${floor}`)
  return { range, order: [desc(voices.pubSeq)] }
}

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
  let order = p.oldestFirst ? [asc(voices.publishedAt), asc(voices.id)] : [desc(voices.publishedAt), desc(voices.id)]
  if (p.numbered) {
    const { page: number, perPage } = p.numbered
    const numbers = numberedRange(site, p.since, p.oldestFirst, number * perPage)
    page.push(...numbers.range)
    order = numbers.order
  } else if (p.after) {
    page.push(pastPosition(voices.publishedAt, voices.id, p.after, p.oldestFirst))
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
