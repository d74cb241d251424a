/**
 * Operator API for reviews (under /api/sites/{site}): the storefront's signing secret for
 * order events, coupon codes, an order's invitation, and a buyer's erasure request.
 */
import * as v from 'valibot'

import { getDb } from '../db/client'
import { newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { InboundSecretOut } from '../inbound/outputs'
import { cursorParam, positionCursor } from '../common/cursor'
import { rotateInboundSecret } from '../inbound/service'
import { loadSite } from '../sites/service'
import { AppError } from '../common/errors'
import { jsonBody, LimitParam, oneOf, pathParam, queryOf } from '../common/validation'
import { addCouponCodes, Codes, couponStock } from './coupons'
import { eraseBuyer, erasureRecordJson, erasureRecordsOf } from './erasure'
import { ErasureInput } from './inputs'
import { CouponsAdded, CouponStock, Erased, ErasurePage, InvitationOut, InvitationPage } from './outputs'
import { invitationJson, invitationsOf } from './invitations/invitations'
import { photoStore } from './photos/photos'
import { INVITATION_STAGES, invitationOfOrder } from './store'

const InvitationQuery = v.object({
  stage: v.optional(oneOf(INVITATION_STAGES)),
  order: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  limit: v.optional(LimitParam(200)),
  cursor: v.optional(v.string()),
})
const PageQuery = v.object({ limit: v.optional(LimitParam(200)), cursor: v.optional(v.string()) })

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Reviews' })

const docs = {
  inboundSecret: doc({
    summary: "Issue or rotate the storefront's signing secret",
    description:
      'The secret that signs the storefront’s events (POST /hooks/{site}/…); shown once. Rotating keeps the old one valid for 24 hours.',
    errors: ['not_found'],
    responses: {
      201: { description: 'The secret, and until when the one before still verifies.', schema: InboundSecretOut },
    },
  }),
  coupons: doc({
    summary: 'Upload coupon codes',
    description: "Codes for the thank-you coupon's pool (mode pool); duplicates are skipped.",
    errors: ['not_found'],
    responses: { 201: { description: 'What was added, and the pool now.', schema: CouponsAdded } },
  }),
  pool: doc({
    summary: 'Codes left in the coupon pool, and codes given out',
    description: 'Each counted up to 10,000 (at_least, issued_at_least: there may be more).',
    errors: ['not_found'],
    responses: { 200: { description: 'The pool.', schema: CouponStock } },
  }),
  invitations: doc({
    summary: "A site's review invitations",
    description:
      'Latest due first, a page at a time; `stage` keeps one stage (scheduled, due, sent, opened, used, expired), `order` finds one order’s.',
    errors: ['not_found'],
    responses: { 200: { description: 'A page of invitations.', schema: InvitationPage } },
  }),
  erasures: doc({
    summary: 'The record of erasure requests',
    description:
      'Newest first: when, by whom, by order id or by address (never the address itself), and what was erased.',
    errors: ['not_found'],
    responses: { 200: { description: 'A page of erasure requests.', schema: ErasurePage } },
  }),
  invitation: doc({
    summary: "An order's review invitation",
    params: { order: "The storefront's order id." },
    errors: ['not_found'],
    responses: { 200: { description: 'The invitation.', schema: InvitationOut } },
  }),
  erasure: doc({
    summary: "Erase a buyer's personal data",
    description: 'By e-mail address or order id; remove_reviews also takes their reviews down.',
    errors: ['not_found'],
    responses: { 200: { description: 'What was erased.', schema: Erased } },
  }),
}

export const siteReviewRoutes = newRouter()
  // Issues or rotates the secret that signs the storefront's events; shown once.
  .post('/:site/inbound-secret', docs.inboundSecret, async (c) => {
    const out = await rotateInboundSecret(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      c.env.WEBHOOK_SECRETS_KEY,
      c.var.now(),
    )
    return c.json(out satisfies Out<typeof InboundSecretOut>, 201)
  })
  .post('/:site/coupons', docs.coupons, jsonBody(Codes), async (c) => {
    const db = getDb(c.env.DB)
    const slug = pathParam(c.req.param('site'))
    const { site, ...out } = await addCouponCodes(db, c.var.principal, slug, c.req.valid('json').codes, c.var.now())
    return c.json({ ...out, ...(await couponStock(db, site.id)) } satisfies Out<typeof CouponsAdded>, 201)
  })
  .get('/:site/coupons', docs.pool, async (c) => {
    const db = getDb(c.env.DB)
    const site = await loadSite(db, c.var.principal, pathParam(c.req.param('site')))
    return c.json((await couponStock(db, site.id)) satisfies Out<typeof CouponStock>)
  })
  .get('/:site/invitations', docs.invitations, queryOf(InvitationQuery), async (c) => {
    const q = c.req.valid('query')
    const slug = pathParam(c.req.param('site'))
    const now = c.var.now()
    const query = { stage: q.stage, order: q.order }
    const page = await invitationsOf(
      getDb(c.env.DB),
      c.var.principal,
      slug,
      query,
      cursorParam(q.cursor),
      q.limit ?? 50,
      now,
    )
    return c.json({
      items: page.items.map((i) => invitationJson(i, now)),
      next_cursor: page.next ? positionCursor(page.next) : null,
    } satisfies Out<typeof InvitationPage>)
  })
  .get('/:site/erasure', docs.erasures, queryOf(PageQuery), async (c) => {
    const q = c.req.valid('query')
    const slug = pathParam(c.req.param('site'))
    const page = await erasureRecordsOf(getDb(c.env.DB), c.var.principal, slug, cursorParam(q.cursor), q.limit ?? 50)
    return c.json({
      items: page.items.map(erasureRecordJson),
      next_cursor: page.next ? positionCursor(page.next) : null,
    } satisfies Out<typeof ErasurePage>)
  })
  .get('/:site/invitations/:order', docs.invitation, async (c) => {
    const db = getDb(c.env.DB)
    const site = await loadSite(db, c.var.principal, pathParam(c.req.param('site')))
    const invitation = await invitationOfOrder(db, site.id, pathParam(c.req.param('order'))).get()
    if (!invitation) throw new AppError('not_found', 'No invitation for this order')
    return c.json(invitationJson(invitation, c.var.now()))
  })
  .post('/:site/erasure', docs.erasure, jsonBody(ErasureInput), async (c) => {
    const deps = { db: getDb(c.env.DB), secretsKey: c.env.WEBHOOK_SECRETS_KEY, photos: photoStore(c.env) }
    const out = await eraseBuyer(
      deps,
      c.var.principal,
      pathParam(c.req.param('site')),
      c.req.valid('json'),
      c.var.now(),
    )
    return c.json(out satisfies Out<typeof Erased>)
  })
