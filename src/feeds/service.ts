/**
 * The public feed: one page of a site's (or one target's) published voices with their
 * responses and the site's statistics.
 *
 * D1 cost: one batch per request (./store.ts). When the caller already holds the
 * current version — a cached copy, or the client's ETag — the batch reads just the site
 * row; otherwise also the target, its counter row and `limit + 1` voices (each carries
 * its responses). A page costs the same with a thousand voices or millions.
 */
import type { Db } from '../db/client'
import type { MentionKind, Sentiment } from '../db/schema'
import { encodeCursor } from '../shared/cursor'
import { AppError } from '../shared/errors'
import { canonicalUrl, isUnderOrigins, parseHttpUrl } from '../shared/url'
import { jf2Feed } from './jf2'
import { feedDocument } from './render'
import { feedReads, holdsVersion, type KnownVersion, type TargetRef } from './store'
import type { Position } from '../shared/cursor'

export type FeedQuery = {
  target?: string | undefined
  kind?: MentionKind | undefined
  sentiment?: Sentiment | 'unclassified' | undefined
  limit: number
  cursor: Position | null
}

const targetRef = (ref: string | undefined): TargetRef =>
  ref === undefined ? null : parseHttpUrl(ref) ? { url: canonicalUrl(ref)! } : { id: ref }

/**
 * Reads the site and, unless it is at one of `known` versions, builds the feed document.
 * `doc` is null when the caller can answer from what it holds.
 */
export async function readFeed(db: Db, slug: string, q: FeedQuery, feedUrl: URL, known: readonly KnownVersion[]) {
  const ref = targetRef(q.target)
  const [[site], [target], [counters], rows] = await feedReads(
    db,
    slug,
    { target: ref, kind: q.kind, sentiment: q.sentiment },
    q.cursor,
    q.limit + 1,
    known
  )
  if (!site) throw new AppError('not_found', 'No such site')
  if (holdsVersion(known, site)) return { site, doc: null }

  const common = { feedUrl: feedUrl.toString(), site, stats: counters }
  if (ref !== null && !target) {
    // A storefront page nobody has written about yet: an empty feed rather than an error,
    // so a widget can sit on every product page.
    if ('url' in ref && isUnderOrigins(ref.url, site.origins)) {
      return { site, doc: feedDocument({ ...common, nextUrl: null, target: null, targetUrl: ref.url, stats: undefined, items: [] }) }
    }
    throw new AppError('not_found', 'url' in ref ? 'target: this URL is not a target of this site' : 'target: no such target')
  }

  const items = rows.slice(0, q.limit)
  const last = items[items.length - 1]
  let nextUrl: string | null = null
  if (rows.length > q.limit && last) {
    const next = new URL(feedUrl)
    next.searchParams.set('cursor', encodeCursor([last.publishedAt ?? 0, last.id]))
    nextUrl = next.toString()
  }
  return { site, doc: feedDocument({ ...common, nextUrl, target: target ?? null, targetUrl: null, items }) }
}

export type Jf2Query = {
  /** Target ids or page URLs (webmention.js sends the page's http and https addresses); the first that names a target is used. */
  targets: string[]
  perPage: number
  oldestFirst: boolean
  cursor: Position | null
}

/**
 * The jf2 document of one target (./jf2.ts), under the same version protocol as the feed: `doc`
 * is null when the caller holds the site's current version. A page URL no target has is an
 * empty feed (a widget may sit on every page).
 */
export async function readJf2(db: Db, slug: string, q: Jf2Query, pageUrl: URL, known: readonly KnownVersion[]) {
  // https first: storefronts are served over https, and webmention.js asks for http first.
  const refs = [...q.targets].sort((a, b) => Number(b.startsWith('https:')) - Number(a.startsWith('https:'))).slice(0, 4).map(targetRef)
  for (const [i, ref] of refs.entries()) {
    const [[site], [target], , rows] = await feedReads(db, slug, { target: ref, oldestFirst: q.oldestFirst }, q.cursor, q.perPage + 1, known)
    if (!site) throw new AppError('not_found', 'No such site')
    if (holdsVersion(known, site)) return { site, doc: null }
    const last = i === refs.length - 1
    if (!target) {
      if (!last) continue
      if (ref && 'url' in ref && isUnderOrigins(ref.url, site.origins)) return { site, doc: jf2Feed({ url: ref.url, title: ref.url }, [], null) }
      throw new AppError('not_found', 'target: no such target of this site')
    }
    const items = rows.slice(0, q.perPage)
    const tail = items[items.length - 1]
    let nextUrl: string | null = null
    if (rows.length > q.perPage && tail) {
      const next = new URL(pageUrl)
      next.searchParams.set('cursor', encodeCursor([tail.publishedAt ?? 0, tail.id]))
      nextUrl = next.toString()
    }
    return { site, doc: jf2Feed(target, items, nextUrl) }
  }
  throw new AppError('invalid_input', 'target: name the page (target or target[]) whose voices to list')
}
