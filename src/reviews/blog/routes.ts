/**
 * `POST /reviews/{site}/blog` — a blogger submits their review post: `source` (the post's
 * URL), `target` (a product's id or URL), `rating` (1–5), `name`, and optionally `token` (their
 * review link, for a verified purchase). Form or JSON, UTF-8 only. 202 with the status URL;
 * the review is published once the post is found to link to the product.
 */
import * as v from 'valibot'
import type { Out } from '../../common/outputs'
import { BlogReviewQueued } from '../outputs'

import { newRouter } from '../../env'
import { apiDoc } from '../../common/api-docs'
import { intakeDeps } from '../../linkbacks/intake'
import { statusUrl } from '../../common/hub-urls'
import { clientIpOf } from '../../common/client-ip'
import { jsonBodyLimit } from '../../common/errors'
import { requireTurnstile } from '../../common/turnstile'
import { FIELD_MEDIA_TYPES, readFields } from '../../common/utf8-form'
import { pathParam, valid } from '../../common/validation'
import { receiveBlogReview } from './blog'
import { DisplayName, Rating } from '../inputs'
import { reviewDeps } from '../form/routes'

const BlogReviewInput = v.object({
  source: v.pipe(v.string('must be the URL of your post'), v.trim(), v.minLength(1, 'is missing'), v.maxLength(2000)),
  target: v.pipe(v.string('must be a product id or URL'), v.trim(), v.minLength(1, 'is missing'), v.maxLength(2000)),
  rating: Rating,
  name: DisplayName,
  token: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(200))),
})

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const docs = {
  blogReview: apiDoc({
    tag: 'Reviews',
    summary: 'Submit a review written on a blog',
    description:
      'source (the post), target (a product id or URL), rating 1–5, name, and optionally token (the review link, for a verified purchase); form or JSON, UTF-8 only; with Turnstile configured, its token goes in cf-turnstile-response. Published once the post is found to link to the product.',
    body: { media: FIELD_MEDIA_TYPES, schema: BlogReviewInput },
    errors: [
      'forbidden',
      'not_found',
      'conflict',
      'gone',
      'payload_too_large',
      'unsupported_media_type',
      'rate_limited',
    ],
    responses: {
      202: { description: 'Queued for a check of the post (Location: the status URL).', schema: BlogReviewQueued },
    },
  }),
}

export const blogReviewRoutes = newRouter()
  .use(jsonBodyLimit(16, 'A blog review submission'))
  .post('/:site/blog', docs.blogReview, async (c) => {
    const fields = await readFields(c.req.raw)
    const input = valid(BlogReviewInput, fields)
    await requireTurnstile(c.env, fields, clientIpOf(c.req))
    const slug = pathParam(c.req.param('site'))
    const origin = new URL(c.req.url).origin
    const outcome = await receiveBlogReview(
      intakeDeps(c.env, c.req.url, c.var.now),
      reviewDeps(c.env, origin, c.var.now),
      { siteSlug: slug, ...input },
      clientIpOf(c.req),
      c.var.now(),
    )
    const location = statusUrl(origin, slug, outcome.voiceId)
    return c.json(
      {
        status: 'queued',
        summary: 'Your review is published once your post is found to link to the product',
        id: outcome.voiceId,
        location,
        verified_purchase: outcome.verifiedPurchase,
        coupon_code: outcome.couponCode,
      } satisfies Out<typeof BlogReviewQueued>,
      202,
      { Location: location, 'Cache-Control': 'no-store' },
    )
  })
