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
import type { VoiceKind, Sentiment } from '../db/schema'
import { nextPageUrl, pageOf, type Position } from '../common/cursor'
import { AppError } from '../common/errors'
import { isUnderOrigins } from '../common/url'
import { jf2Feed } from './jf2'
import type { VoiceRow } from '../voices/store'
import { feedDocument } from './render'
import { holdsVersion, type KnownVersion } from '../sites/versions'
import { feedReads, type TargetRef, targetRefOf } from './store'

export type FeedQuery = {
  target?: string | undefined
  kind?: VoiceKind | undefined
  sentiment?: Sentiment | 'unclassified' | undefined
  limit: number
  cursor: Position | null
}

const targetRef = (ref: string | undefined): TargetRef => (ref === undefined ? null : targetRefOf(ref))

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
    known,
  )
  if (!site) throw new AppError('not_found', 'No such site')
  if (holdsVersion(known, site)) return { site, doc: null }

  const common = { feedUrl: feedUrl.toString(), site, stats: counters }
  if (ref !== null && !target) {
    // A storefront page nobody has written about yet: an empty feed rather than an error,
    // so a widget can sit on every product page.
    if ('url' in ref && isUnderOrigins(ref.url, site.origins)) {
      return {
        site,
        doc: feedDocument({ ...common, nextUrl: null, target: null, targetUrl: ref.url, stats: undefined, items: [] }),
      }
    }
    throw new AppError(
      'not_found',
      'url' in ref ? 'target: this URL is not a target of this site' : 'target: no such target',
    )
  }

  const { items, next } = pageOf(rows, q.limit, publishedPosition)
  const nextUrl = nextPageUrl(feedUrl, next)
  return { site, doc: feedDocument({ ...common, nextUrl, target: target ?? null, targetUrl: null, items }) }
}

/** Where a feed page continues: its last voice's publication time and id (the feed's order). */
const publishedPosition = (m: VoiceRow): Position => ({ time: m.publishedAt ?? 0, id: m.id })

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
  const refs = [...q.targets]
    .sort((a, b) => Number(b.startsWith('https:')) - Number(a.startsWith('https:')))
    .map(targetRef)
  let storefrontPage: string | null = null
  for (const [i, ref] of refs.entries()) {
    const [[site], [target], , rows] = await feedReads(
      db,
      slug,
      { target: ref, oldestFirst: q.oldestFirst },
      q.cursor,
      q.perPage + 1,
      known,
    )
    if (!site) throw new AppError('not_found', 'No such site')
    if (holdsVersion(known, site)) return { site, doc: null }
    if (target) {
      const { items, next } = pageOf(rows, q.perPage, publishedPosition)
      return { site, doc: jf2Feed(target, items, nextPageUrl(pageUrl, next)) }
    }
    // A page of the storefront nobody wrote about (webmention.js also asks for its http twin).
    if (ref && 'url' in ref && isUnderOrigins(ref.url, site.origins)) storefrontPage ??= ref.url
    if (i === refs.length - 1) {
      if (storefrontPage) return { site, doc: jf2Feed({ url: storefrontPage, title: storefrontPage }, [], null) }
      throw new AppError('not_found', 'target: no such target of this site')
    }
  }
  throw new AppError('invalid_input', 'target: name the page (target or target[]) whose voices to list')
}
