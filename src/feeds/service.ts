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
import { hostOf, isUnderOrigins } from '../common/url'
import { type Jf2Item, jf2Feed } from './jf2'
import type { VoiceRow } from '../voices/store'
import { feedDocument } from './render'
import { holdsVersion, type KnownVersion } from '../sites/versions'
import { jf2Reads, type Jf2Page, type Since } from './jf2-store'
import { feedReads, type TargetRef, targetRefOf } from './store'
import type { SiteRow } from '../sites/store'
import { liveSite } from '../sites/deleted'

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
  const [[found], [target], [counters], rows] = await feedReads(
    db,
    slug,
    { target: ref, kind: q.kind, sentiment: q.sentiment },
    q.cursor,
    q.limit + 1,
    known,
  )
  const site = liveSite(found)
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

/**
 * The largest jf2 page: webmention.io's clients ask for 1,000 (eleventy-cache-webmentions does by
 * default), and a page of them is still one page of rows — a range of an index, at any depth.
 */
export const JF2_PAGE_MAX = 1000

export type Jf2Query = {
  /**
   * Target ids or page URLs (webmention.js sends the page's http and https addresses); the first
   * that names a target is used. None: every published voice of the site.
   */
  targets: string[]
  /** webmention.io's `domain`: when given, the host of one of the site's storefronts. */
  domain: string | undefined
  perPage: number
  oldestFirst: boolean
  /** Only voices published after this time, or after this voice. */
  since: Since | null
  /** A numbered page (0 is the first), in publication numbers (./jf2-store.ts); null: the list in publication time. */
  page: number | null
  cursor: Position | null
}

const refuse = (message: string): never => {
  throw new AppError('invalid_input', message)
}

/**
 * A read a build tool makes once and never again (`since` the newest voice it holds): the edge
 * cache may keep it, the isolate's memory had better keep the widgets' copies read on every view.
 */
export const readOnce = (q: Pick<Jf2Query, 'since'>) => q.since !== null

/**
 * The jf2 document of one target or of the whole site (./jf2.ts), under the same version protocol
 * as the feed: `doc` is null when the caller holds the site's current version. A page URL no
 * target has is an empty feed (a widget may sit on every page). A numbered page continues with
 * the next number, any other list with a cursor.
 */
export async function readJf2(db: Db, slug: string, q: Jf2Query, pageUrl: URL, known: readonly KnownVersion[]) {
  if (q.page !== null && q.page > 0 && q.cursor !== null)
    refuse('page: a cursor says where its page starts; leave page out')
  const numbered = q.page !== null && q.cursor === null ? { page: q.page, perPage: q.perPage } : null
  const nextUrl = (rows: readonly unknown[], last: Position | null): string | null => {
    if (rows.length <= q.perPage) return null
    const next = new URL(pageUrl)
    if (numbered) {
      next.searchParams.set('page', String(numbered.page + 1))
      return next.toString()
    }
    next.searchParams.delete('page')
    return nextPageUrl(next, last)
  }
  const page = (target: TargetRef): Jf2Page => ({
    target,
    oldestFirst: q.oldestFirst,
    since: q.since,
    after: q.cursor,
    numbered,
    limit: q.perPage + 1,
  })
  /** The page's entries and where it continues; null when the caller holds the current version. */
  const read = async (target: TargetRef) => {
    const [[found], [row], rows, [since]] = await jf2Reads(db, slug, page(target), known)
    const site = liveSite(found)
    checkDomain(site, q.domain)
    if (holdsVersion(known, site)) return { site, target: row, doc: null }
    if (q.since !== null && 'id' in q.since && since?.publishedAt == null) {
      refuse('since: this site has no published voice with this id (give a wm-id, or an ISO 8601 time)')
    }
    const items = rows.slice(0, q.perPage)
    const last = items.at(-1)
    const entries = items.flatMap((r): Jf2Item[] => (r.targetUrl === null ? [] : [{ ...r, targetUrl: r.targetUrl }]))
    return {
      site,
      target: row,
      doc: { entries, nextUrl: nextUrl(rows, last ? publishedPosition(last.voice) : null) },
    }
  }

  if (q.targets.length === 0) {
    const { site, doc } = await read(null)
    return { site, doc: doc && jf2Feed(site.name, doc.entries, doc.nextUrl) }
  }
  // https first: storefronts are served over https, and webmention.js asks for http first.
  const refs = [...q.targets]
    .sort((a, b) => Number(b.startsWith('https:')) - Number(a.startsWith('https:')))
    .map(targetRefOf)
  let storefrontPage: { site: SiteRow; url: string } | null = null
  for (const ref of refs) {
    const { site, target, doc } = await read(ref)
    if (!doc) return { site, doc }
    if (target) return { site, doc: jf2Feed(target.title, doc.entries, doc.nextUrl) }
    // A page of the storefront nobody wrote about (webmention.js also asks for its http twin).
    if ('url' in ref && isUnderOrigins(ref.url, site.origins)) storefrontPage ??= { site, url: ref.url }
  }
  if (storefrontPage) return { site: storefrontPage.site, doc: jf2Feed(storefrontPage.url, [], null) }
  throw new AppError('not_found', 'target: no such target of this site')
}

/** webmention.io's `domain=`: the whole site is answered, so it must be one of the site's storefronts. */
function checkDomain(site: SiteRow, domain: string | undefined) {
  if (domain === undefined) return
  const wanted = domain.toLowerCase().replace(/:\d+$/, '')
  if (!site.origins.some((o) => hostOf(o) === wanted)) {
    throw new AppError('not_found', 'domain: not the host of one of this site’s storefronts')
  }
}
