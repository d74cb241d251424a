/** What the API answers about reviews: invitations, coupons, erasure, a blog review (the API description shows them). */
import * as v from 'valibot'

import { INVITATION_STATES } from '../db/schema'
import { Count, Int, MaybeTimestamp, PageOf, Timestamp } from '../common/outputs'
import { INVITATION_STAGES } from './store'

export const InvitationOut = v.strictObject({
  id: v.string(),
  order_id: v.string(),
  state: v.picklist(INVITATION_STATES),
  stage: v.pipe(
    v.picklist(INVITATION_STAGES),
    v.description('Where it stands now: due is a scheduled one whose time came, opened a sent one the buyer opened.'),
  ),
  targets: v.pipe(v.array(v.string()), v.description("The order's products (target ids).")),
  lang: v.picklist(['en', 'ja']),
  coupon_offered: v.boolean(),
  delivered_at: Timestamp,
  due_at: Timestamp,
  expires_at: Timestamp,
  sent_at: MaybeTimestamp,
  opened_at: MaybeTimestamp,
  used_at: MaybeTimestamp,
  erased: v.pipe(v.boolean(), v.description("The buyer's personal data was erased.")),
})

export const InvitationPage = PageOf(InvitationOut)

/** How many coupon codes are left and given out, each counted up to 10,000 (`at_least`: there may be more). */
export const CouponStock = v.strictObject({
  available: Count,
  at_least: v.optional(v.literal(true)),
  issued: Count,
  issued_at_least: v.optional(v.literal(true)),
})

export const CouponsAdded = v.strictObject({
  added: Count,
  duplicates: v.pipe(Count, v.description('Codes skipped: already in the pool, or twice in the upload.')),
  ...CouponStock.entries,
})

export const ErasureRecordOut = v.strictObject({
  id: v.string(),
  by: v.pipe(
    v.strictObject({ email: v.boolean(), order_id: v.nullable(v.string()) }),
    v.description('By address (never the address itself) or by order id.'),
  ),
  remove_reviews: v.boolean(),
  erased: v.strictObject({ invitations: Count, reviews: Count }),
  actor: v.string(),
  at: Timestamp,
})

export const ErasurePage = PageOf(ErasureRecordOut)

export const Erased = v.strictObject({
  invitations: v.pipe(Count, v.description('Invitations whose buyer’s data was erased.')),
  reviews: v.pipe(Count, v.description('Reviews whose author’s data was erased.')),
})

export const BlogReviewQueued = v.strictObject({
  status: v.literal('queued'),
  summary: v.string(),
  id: v.string(),
  location: v.pipe(v.string(), v.description('The status URL (also in Location).')),
  verified_purchase: v.boolean(),
  coupon_code: v.pipe(v.nullable(v.string()), v.description('The thank-you coupon, when the review link earned one.')),
})

/** A storefront's order event, answered: the buyer's invitation, and whether this event made it. */
export const OrderReceived = v.strictObject({ invitation: InvitationOut, created: v.boolean() })

const Rating = v.strictObject({
  '@type': v.literal('Rating'),
  ratingValue: Int,
  bestRating: v.literal(5),
  worstRating: v.literal(1),
})

/** GET /feeds/{site}/jsonld: schema.org Product with its AggregateRating (when rated) and recent Reviews. */
export const JsonLdOut = v.strictObject({
  '@context': v.literal('https://schema.org'),
  '@type': v.literal('Product'),
  name: v.string(),
  url: v.string(),
  aggregateRating: v.optional(
    v.strictObject({
      '@type': v.literal('AggregateRating'),
      ratingValue: v.number(),
      reviewCount: Count,
      bestRating: v.literal(5),
      worstRating: v.literal(1),
    }),
  ),
  review: v.array(
    v.strictObject({
      '@type': v.literal('Review'),
      author: v.strictObject({ '@type': v.literal('Person'), name: v.string() }),
      datePublished: v.pipe(v.string(), v.isoDate()),
      name: v.optional(v.string()),
      reviewBody: v.string(),
      reviewRating: Rating,
      url: v.optional(v.string()),
    }),
  ),
})
