/**
 * Operator API for reviews (under /api/sites/{site}): the storefront's signing secret for
 * order events, coupon codes, an order's invitation, and a buyer's erasure request.
 */
import * as v from 'valibot'

import { batchAll, type Db, getDb } from '../db/client'
import { newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import { rotateInboundSecret } from '../inbound/service'
import { loadSite } from '../sites/service'
import { AppError } from '../common/errors'
import { jsonBody, pathParam } from '../common/validation'
import { eraseBuyer } from './erasure'
import { invitationJson } from './invitations/invitations'
import { photoStore } from './photos/photos'
import { freeCodeCount, insertCodes, invitationOfOrder } from './store'

const Codes = v.strictObject({
  codes: v.pipe(
    v.array(
      v.pipe(
        v.string('must be coupon codes'),
        v.trim(),
        v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'each code: 1–64 letters, digits, - or _'),
      ),
      'must be a list of codes',
    ),
    v.minLength(1, 'at least one code'),
    v.maxLength(1000, 'at most 1000 codes per upload'),
  ),
})

const Erasure = v.strictObject({
  email: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(254), v.email('must be an e-mail address'))),
  order_id: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100))),
  remove_reviews: v.optional(v.boolean('must be true or false')),
})

/** D1 allows 100 bound values per statement: codes go in chunks of 30 rows (3 values each). */
const CHUNK = 30

/** Codes left in the pool, counted up to 10,000 (`at_least` then says there may be more). */
async function poolSize(db: Db, siteId: number) {
  const n = (await freeCodeCount(db, siteId, POOL_COUNTED))?.n ?? 0
  return n >= POOL_COUNTED ? { available: n, at_least: true } : { available: n }
}
const POOL_COUNTED = 10_000

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Reviews' })

const docs = {
  inboundSecret: doc({
    summary: "Issue or rotate the storefront's signing secret",
    description:
      'The secret that signs the storefront’s events (POST /hooks/{site}/…); shown once. Rotating keeps the old one valid for 24 hours.',
    errors: ['not_found'],
    responses: { 201: '{ secret, previous_valid_until }' },
  }),
  coupons: doc({
    summary: 'Upload coupon codes',
    description: "Codes for the thank-you coupon's pool (mode pool); duplicates are skipped.",
    errors: ['not_found'],
    responses: { 201: '{ added, duplicates, available, at_least? }' },
  }),
  pool: doc({
    summary: 'Codes left in the coupon pool',
    description: 'Counted up to 10,000 (at_least: there may be more).',
    errors: ['not_found'],
    responses: { 200: '{ available, at_least? }' },
  }),
  invitation: doc({
    summary: "An order's review invitation",
    params: { order: "The storefront's order id." },
    errors: ['not_found'],
    responses: { 200: 'The invitation.' },
  }),
  erasure: doc({
    summary: "Erase a buyer's personal data",
    description: 'By e-mail address or order id; remove_reviews also takes their reviews down.',
    errors: ['not_found'],
    responses: { 200: 'What was erased.' },
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
    return c.json(out, 201)
  })
  .post('/:site/coupons', docs.coupons, jsonBody(Codes), async (c) => {
    const db = getDb(c.env.DB)
    const site = await loadSite(db, c.var.principal, pathParam(c.req.param('site')))
    const codes = [...new Set(c.req.valid('json').codes)]
    const now = c.var.now()
    const statements = []
    for (let i = 0; i < codes.length; i += CHUNK)
      statements.push(insertCodes(db, site.id, codes.slice(i, i + CHUNK), now))
    const results = await batchAll(db, statements)
    const added = results.reduce((n, r) => n + r.meta.changes, 0)
    return c.json({ added, duplicates: codes.length - added, ...(await poolSize(db, site.id)) }, 201)
  })
  .get('/:site/coupons', docs.pool, async (c) => {
    const db = getDb(c.env.DB)
    const site = await loadSite(db, c.var.principal, pathParam(c.req.param('site')))
    return c.json(await poolSize(db, site.id))
  })
  .get('/:site/invitations/:order', docs.invitation, async (c) => {
    const db = getDb(c.env.DB)
    const site = await loadSite(db, c.var.principal, pathParam(c.req.param('site')))
    const invitation = await invitationOfOrder(db, site.id, pathParam(c.req.param('order'))).get()
    if (!invitation) throw new AppError('not_found', 'No invitation for this order')
    return c.json(invitationJson(invitation))
  })
  .post('/:site/erasure', docs.erasure, jsonBody(Erasure), async (c) => {
    const deps = { db: getDb(c.env.DB), secretsKey: c.env.WEBHOOK_SECRETS_KEY, photos: photoStore(c.env) }
    const out = await eraseBuyer(
      deps,
      c.var.principal,
      pathParam(c.req.param('site')),
      c.req.valid('json'),
      c.var.now(),
    )
    return c.json(out)
  })
