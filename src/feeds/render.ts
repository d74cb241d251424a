/**
 * The public feed document: JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with a
 * `_glasshouse` extension on the feed and on each item. Pure: rows in, JSON out.
 * Everything here is plain text; whoever renders it as HTML must escape it.
 */
import { parseResponses } from '../voices/responses-json'
import type { VoiceRow } from '../voices/store'
import type { SiteRow } from '../sites/store'
import type { StatsRow } from '../stats/store'
import { responsePageUrl } from '../common/hub-urls'
import { photoUrl } from '../common/hub-urls'
import { readSettings } from '../sites/settings'
import { ledgerSummary, ratingSummary, trustFigures } from '../trust/figures'
import type { TargetRow } from '../targets/store'
import { originOf } from '../common/url'
import type { Out } from '../common/outputs'
import type { JsonFeedOut } from './outputs'

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString())

/** Who wrote a voice, for every feed: the writer, or for a TrackBack (which names the blog) the blog. */
export function authorOf(m: VoiceRow): { name?: string; url?: string; avatar?: string } | undefined {
  if (m.authorName || m.authorUrl) {
    return { name: m.authorName ?? undefined, url: m.authorUrl ?? undefined, avatar: m.authorPhoto ?? undefined }
  }
  if (m.blogName) return { name: m.blogName, url: m.sourceUrl ? (originOf(m.sourceUrl) ?? undefined) : undefined }
  return undefined
}

function authorsOf(m: VoiceRow) {
  const author = authorOf(m)
  return author && [author]
}

export function feedItem(m: VoiceRow, hubOrigin: string) {
  return {
    id: m.id,
    url: m.sourceUrl ?? undefined,
    title: m.title ?? undefined,
    content_text: m.excerpt ?? m.title ?? '',
    date_published: iso(m.publishedAt),
    date_modified: iso(m.updatedAt),
    authors: authorsOf(m),
    _glasshouse: {
      kind: m.kind,
      /** What a Webmention source does: reply, like, repost, bookmark or mention (null: not known). */
      type: m.voiceType,
      /** The source's own date, as it writes it. */
      source_published: m.sourcePublished,
      target: m.targetId,
      sentiment: m.sentiment,
      /** True while the sentiment is the hub's suggestion, not the shop's reading. */
      sentiment_suggested: m.sentimentBy === 'suggested',
      rating: m.rating,
      blog_name: m.blogName,
      disclosure: m.disclosure,
      verified_purchase: m.verifiedPurchase,
      /** A review's photos (metadata removed), served by the hub. */
      photos: m.photos.map((p, n) => ({ url: photoUrl(hubOrigin, m.id, n), type: p.type })),
      /** When the reviewer last edited the review (null: never). */
      edited_at: iso(m.editedAt) ?? null,
      /** The reviewer's word on the shop's answer: did it resolve their problem? */
      author_verdict: m.authorVerdict
        ? { resolved: m.authorVerdict === 'resolved', date: iso(m.authorVerdictAt) }
        : null,
      responses: parseResponses(m.responsesJson).map((r) => ({
        id: r.id,
        /** The response's public page (an h-entry in reply to the voice). */
        url: responsePageUrl(hubOrigin, r.id),
        stage: r.stage,
        author: { name: r.author_name, role: r.author_role },
        content_text: r.body,
        date_published: iso(r.created_at),
        date_modified: iso(r.edited_at),
        version: r.version,
        withdrawn:
          r.withdrawn_at === null ? null : { date: iso(r.withdrawn_at) ?? '', reason: r.withdrawn_reason ?? '' },
      })),
    },
  }
}

export type FeedDocumentInput = {
  feedUrl: string
  nextUrl: string | null
  site: SiteRow
  target: TargetRow | null
  /** Set when ?target= named a storefront URL that has no voices (and no target) yet. */
  targetUrl: string | null
  stats: StatsRow | undefined
  items: readonly VoiceRow[]
}

export function feedDocument(d: FeedDocumentInput): Out<typeof JsonFeedOut> {
  const about = d.target ? d.target.title : d.site.name
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: `What people say about ${about}`,
    home_page_url: d.target?.url ?? d.targetUrl ?? d.site.origins[0],
    feed_url: d.feedUrl,
    next_url: d.nextUrl ?? undefined,
    description: 'Every published voice, negative ones included, with the shop’s official responses.',
    items: d.items.map((m) => feedItem(m, new URL(d.feedUrl).origin)),
    _glasshouse: {
      site: { slug: d.site.slug, name: d.site.name },
      target: d.target
        ? { id: d.target.id, url: d.target.url, title: d.target.title, kind: d.target.kind }
        : d.targetUrl
          ? { id: null, url: d.targetUrl, title: null, kind: null }
          : null,
      stats: trustFigures(d.stats, readSettings(d.site.settings).response_target_hours),
      rating: ratingSummary(d.stats),
      moderation: ledgerSummary(d.stats, d.site.ledgerHead),
    },
  }
}
