/**
 * The public feed: one page of a site's (or one target's) published voices with their
 * responses and the site's statistics.
 *
 * D1 cost of a request: the site row (always; it carries the data version, so the route
 * can answer 304 or from cache), then on a cache miss one batch — the target row, the
 * counter row and `limit + 1` voices through a partial index; each voice carries its
 * responses. A page costs the same whether the site has a thousand voices or millions.
 */
import type { Db } from '../db/client'
import type { MentionKind, Sentiment } from '../db/schema'
import { encodeCursor } from '../shared/cursor'
import { AppError } from '../shared/errors'
import { canonicalUrl, isUnderOrigins, parseHttpUrl } from '../shared/url'
import type { SiteRow } from '../sites/store'
import { statsOf } from '../stats/store'
import { findTargetByUrl, type TargetRow, targetById } from '../targets/store'
import { feedDocument } from './render'
import { feedPage } from './store'

export type FeedQuery = {
  target?: string | undefined
  kind?: MentionKind | undefined
  sentiment?: Sentiment | 'unclassified' | undefined
  limit: number
  cursor: { time: number; id: string } | null
}

/**
 * `?target=` as a URL: the registered target at that URL, or — for a storefront page that
 * nobody has written about yet — an empty feed rather than an error, so widgets can be
 * placed on every product page.
 */
async function targetByUrl(db: Db, site: SiteRow, ref: string): Promise<TargetRow | string> {
  const url = canonicalUrl(ref)!
  const target = await findTargetByUrl(db, site.id, url)
  if (target) return target
  if (isUnderOrigins(url, site.origins)) return url
  throw new AppError('not_found', 'target: this URL is not on any of the site’s storefront origins')
}

export async function buildFeed(db: Db, site: SiteRow, q: FeedQuery, feedUrl: URL) {
  let targetId: string | undefined = q.target
  if (q.target !== undefined && parseHttpUrl(q.target)) {
    const found = await targetByUrl(db, site, q.target)
    if (typeof found === 'string') return emptyFeed(site, found, feedUrl)
    targetId = found.id
  }

  const [targetRows, statsRows, rows] = await db.batch([
    targetById(db, site.id, targetId ?? ''),
    statsOf(db, site.id, targetId ?? ''),
    feedPage(db, site.id, { targetId, kind: q.kind, sentiment: q.sentiment }, q.cursor, q.limit + 1),
  ])
  const target = targetRows[0] ?? null
  if (targetId !== undefined && !target) throw new AppError('not_found', 'target: no such target')

  const items = rows.slice(0, q.limit)
  const last = items[items.length - 1]
  let nextUrl: string | null = null
  if (rows.length > q.limit && last) {
    const next = new URL(feedUrl)
    next.searchParams.set('cursor', encodeCursor([last.publishedAt ?? 0, last.id]))
    nextUrl = next.toString()
  }
  return feedDocument({ feedUrl: feedUrl.toString(), nextUrl, site, target, targetUrl: null, stats: statsRows[0], items })
}

function emptyFeed(site: SiteRow, targetUrl: string, feedUrl: URL) {
  return feedDocument({ feedUrl: feedUrl.toString(), nextUrl: null, site, target: null, targetUrl, stats: undefined, items: [] })
}
