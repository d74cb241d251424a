/**
 * schema.org markup of one product's reviews, for a storefront to put in its product page's
 * HTML (search engines may not run the widget): a `Product` with its `AggregateRating` and
 * its most recent `Review`s. Only reviews count — a TrackBack is not a rating — and only at
 * product level: Google ignores a store's ratings of itself. No reviews, no rating (Google
 * refuses an AggregateRating with a count of zero).
 *
 * D1 cost: the feed's one batch (site, target, counter row, 10 reviews by the
 * feed_target_kind index), whatever the number of voices.
 */
import type { Db } from '../db/client'
import { feedReads, targetRefOf } from '../feeds/store'
import { holdsVersion, type KnownVersion } from '../sites/versions'
import { AppError } from '../common/errors'
import { ratingSummary } from '../trust/figures'
import type { Out } from '../common/outputs'
import type { JsonLdOut } from './outputs'
import { liveSite } from '../sites/deleted'

const RECENT = 10

/**
 * Storefronts paste this into `<script type="application/ld+json">`, where a reviewer's
 * `</script>` would end the element: <, > and & are written as JSON escapes, which parse to
 * the same strings.
 */
const htmlSafeJson = (doc: unknown) =>
  JSON.stringify(doc).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)

export const JSON_LD = { contentType: 'application/ld+json; charset=utf-8', serialize: htmlSafeJson }

export async function readJsonLd(db: Db, slug: string, target: string, known: readonly KnownVersion[]) {
  const ref = targetRefOf(target)
  const [[found], [product], [counters], reviews] = await feedReads(
    db,
    slug,
    { target: ref, kind: 'review' },
    null,
    RECENT,
    known,
  )
  const site = liveSite(found)
  if (holdsVersion(known, site)) return { site, doc: null }
  if (!product) throw new AppError('not_found', 'target: no such product')
  const rating = ratingSummary(counters)
  return {
    site,
    doc: {
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: product.title,
      url: product.url,
      ...(rating.count > 0 && rating.average !== null
        ? {
            aggregateRating: {
              '@type': 'AggregateRating',
              ratingValue: rating.average,
              reviewCount: rating.count,
              bestRating: 5,
              worstRating: 1,
            },
          }
        : {}),
      review: reviews.flatMap(({ rating, ...r }) =>
        rating === null
          ? []
          : [
              {
                '@type': 'Review' as const,
                author: { '@type': 'Person' as const, name: r.authorName ?? r.blogName ?? 'Anonymous' },
                datePublished: new Date(r.publishedAt ?? r.receivedAt).toISOString().slice(0, 10),
                ...(r.title ? { name: r.title } : {}),
                reviewBody: r.excerpt ?? '',
                reviewRating: {
                  '@type': 'Rating' as const,
                  ratingValue: rating,
                  bestRating: 5 as const,
                  worstRating: 1 as const,
                },
                ...(r.sourceUrl ? { url: r.sourceUrl } : {}),
              },
            ],
      ),
    } satisfies Out<typeof JsonLdOut>,
  }
}
