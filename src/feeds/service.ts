/**
 * The public feed: one page of a site's (or one target's) published voices with their
 * responses and the site's statistics.
 *
 * D1 cost of a request: the site row (always; it carries the data version), then on a
 * cache miss the target row, the counter row, `limit + 1` voices through a covering
 * partial index, and their responses. Nothing here counts rows.
 */
import type { Db } from '../db/client'
import { type MentionKind, type Sentiment } from '../db/schema'
import { responsesOf } from '../mentions/store'
import { encodeCursor } from '../shared/cursor'
import { AppError } from '../shared/errors'
import { canonicalUrl, isUnderOrigins, parseHttpUrl } from '../shared/url'
import type { SiteRow } from '../sites/store'
import { readStats } from '../stats/store'
import { findTarget, findTargetByUrl, type TargetRow } from '../targets/store'
import { feedDocument } from './render'
import { feedPage } from './store'

export type FeedQuery = {
  target?: string | undefined
  kind?: MentionKind | undefined
  sentiment?: Sentiment | 'unclassified' | undefined
  limit: number
  cursor: { time: number; id: string } | null
}

type ResolvedTarget = { target: TargetRow | null; targetUrl: string | null }

/** `?target=` is a target id or a page URL; an unregistered URL on the storefront is an empty feed. */
async function resolveTarget(db: Db, site: SiteRow, ref: string | undefined): Promise<ResolvedTarget> {
  if (ref === undefined) return { target: null, targetUrl: null }
  if (parseHttpUrl(ref)) {
    const url = canonicalUrl(ref)!
    const target = await findTargetByUrl(db, site.id, url)
    if (target) return { target, targetUrl: null }
    if (isUnderOrigins(url, site.origins)) return { target: null, targetUrl: url }
    throw new AppError('not_found', 'target: this URL is not on any of the site’s storefront origins')
  }
  const target = await findTarget(db, site.id, ref)
  if (!target) throw new AppError('not_found', 'target: no such target')
  return { target, targetUrl: null }
}

export async function buildFeed(db: Db, site: SiteRow, q: FeedQuery, feedUrl: URL) {
  const { target, targetUrl } = await resolveTarget(db, site, q.target)
  const empty = targetUrl !== null
  const [stats, rows] = await Promise.all([
    empty ? Promise.resolve(undefined) : readStats(db, site.id, target?.id ?? ''),
    empty
      ? Promise.resolve([])
      : feedPage(db, site.id, { targetId: target?.id, kind: q.kind, sentiment: q.sentiment }, q.cursor, q.limit + 1),
  ])
  const items = rows.slice(0, q.limit)
  const responses = await responsesOf(db, items.map((m) => m.id))
  const last = items[items.length - 1]
  let nextUrl: string | null = null
  if (rows.length > q.limit && last) {
    const next = new URL(feedUrl)
    next.searchParams.set('cursor', encodeCursor([last.publishedAt ?? 0, last.id]))
    nextUrl = next.toString()
  }
  return feedDocument({
    feedUrl: feedUrl.toString(),
    nextUrl,
    site,
    target,
    targetUrl,
    stats,
    items: items.map((mention) => ({ mention, responses: responses.filter((r) => r.mentionId === mention.id) })),
  })
}
