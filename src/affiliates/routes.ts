/**
 * The affiliate programme's routes: a blogger's application (`POST /affiliates/{site}/apply`),
 * the staff's view and decisions (under /api/sites/{site}/partners), and a partner's own API
 * (`/partners/{site}/api/…`, `Authorization: Bearer gh_pk_…`).
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import * as v from 'valibot'

import { bearer } from '../auth/middleware'
import { getDb } from '../db/client'
import { PARTNER_STATES } from '../db/schema'
import { type AppEnv, newRouter } from '../env'
import { apiDoc, apiDocsFor, documentGuard } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { clientIpOf } from '../common/client-ip'
import { cursorParam, nextPageUrl, pageOf, type Position, positionCursor } from '../common/cursor'
import { AppError, handleError, jsonBodyLimit } from '../common/errors'
import { FIELD_MEDIA_TYPES, readFields } from '../common/utf8-form'
import { jsonBody, LimitParam, Line, oneOf, pathParam, queryOf, valid } from '../common/validation'
import { wantsHtml } from '../common/media-type'
import { intakeDeps } from '../linkbacks/intake'
import { statusUrl } from '../common/hub-urls'
import { loadSite } from '../sites/service'
import { conversionJson } from './commissions/conversions'
import { entriesOfPartner, entriesOfSite, ledgerCsv, stepCommissions } from './commissions/ledger'
import { createLink, disableLink, linkJson, linksOf } from './links/links'
import { receivePartnerPost } from './posts'
import { ApplicationInput, submitApplication } from './partners/apply'
import { applicationFromPage, applicationPage } from './partners/apply-page'
import { decideOnPartner, partnerForKey, partnerJson, partnersOf } from './partners/partners'
import type { PartnerRow } from './store'
import {
  ApplicationReceived,
  CommissionsMoved,
  ConversionPage,
  LinkList,
  LinkOut,
  PartnerDecided,
  PartnerOut,
  PartnerPage,
  PostQueued,
} from './outputs'

/** The most rows one CSV answer carries. */
const CSV_ROWS = 10_000

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Partner API' })

const docs = {
  apply: apiDoc({
    tag: 'Affiliates',
    summary: 'Apply to the affiliate programme',
    description:
      'A blogger applies, as a form or JSON in UTF-8; with Turnstile configured, its token goes in cf-turnstile-response. 20 a minute per address. People use the HTML page at GET /affiliates/{site}/apply: a browser posting it (Accept: text/html) is answered with pages.',
    body: { media: FIELD_MEDIA_TYPES, schema: ApplicationInput },
    errors: ['forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type', 'rate_limited'],
    responses: { 202: { description: 'The shop will review the application.', schema: ApplicationReceived } },
  }),
  partners: apiDoc({
    tag: 'Affiliates',
    summary: "List a site's partners",
    description: 'Optionally by state; a page at a time.',
    errors: ['not_found'],
    responses: { 200: { description: 'A page of partners.', schema: PartnerPage } },
  }),
  decision: apiDoc({
    tag: 'Affiliates',
    summary: 'Approve, reject or suspend a partner',
    description:
      'Approval answers the partner key (gh_pk_…) once, for the partner API; it is stored hashed. (The console approves without a key and sends the partner a one-time sign-in link.)',
    params: { id: "The partner's id (pt_…)." },
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The partner, and its key on approval.', schema: PartnerDecided } },
  }),
  commissions: apiDoc({
    tag: 'Affiliates',
    summary: "Approve or pay a partner's commissions",
    description:
      'Approves pending entries, or marks approved ones paid: those that occurred before `before` (default now).',
    params: { id: "The partner's id (pt_…)." },
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'How many entries moved, and to which state.', schema: CommissionsMoved } },
  }),
  ledgerCsv: apiDoc({
    tag: 'Affiliates',
    summary: 'The commission ledger as CSV',
    description: 'Oldest first, up to limit rows (default and most 10,000); a Link rel="next" header continues it.',
    errors: ['not_found'],
    responses: { 200: { description: 'The ledger.', media: 'text/csv' } },
  }),
  ownLinks: doc({
    summary: 'Your tracking links',
    responses: { 200: { description: 'Your links.', schema: LinkList } },
  }),
  summary: doc({
    summary: 'Your totals',
    responses: { 200: { description: 'The partner, with clicks, conversions and commissions.', schema: PartnerOut } },
  }),
  ownCommissions: doc({
    summary: 'Your commission ledger',
    description: 'Newest first, a page at a time (limit 1–1000, default 100; next_cursor continues).',
    responses: { 200: { description: 'A page of your ledger.', schema: ConversionPage } },
  }),
  post: doc({
    summary: 'Submit a post about a target',
    description:
      'Published as an affiliate voice once the post is found to link to the target or a tracking link of it.',
    errors: ['not_found', 'conflict', 'rate_limited'],
    responses: { 202: { description: 'Queued for a check of the post.', schema: PostQueued } },
  }),
  disableLink: doc({
    summary: 'Disable a tracking link',
    params: { code: "The link's code." },
    errors: ['not_found'],
    responses: { 200: { description: 'The link, disabled.', schema: LinkOut } },
  }),
  createLink: doc({
    summary: 'Make a tracking link for a target',
    errors: ['not_found', 'conflict'],
    responses: { 201: { description: 'The link: its code and /r/{code} URL.', schema: LinkOut } },
  }),
}

/** POST /affiliates/{site}/apply — form or JSON; Turnstile when configured. */
export const applyRoutes = newRouter()
  .use(jsonBodyLimit(16, 'An application'))
  .get('/:site/apply', applicationPage)
  .post('/:site/apply', docs.apply, async (c) => {
    // A browser posting the HTML page's form is answered with pages; other clients with JSON.
    if (wantsHtml(c.req.header('Accept'))) return applicationFromPage(c)
    const fields = await readFields(c.req.raw)
    const input = valid(ApplicationInput, fields)
    const slug = pathParam(c.req.param('site'))
    const partner = await submitApplication(c.env, slug, input, fields, clientIpOf(c.req), c.var.now)
    return c.json(
      {
        id: partner.id,
        state: partner.state,
        summary: 'Thank you: the shop will review your application',
      } satisfies Out<typeof ApplicationReceived>,
      202,
    )
  })

const LedgerStepInput = v.strictObject({
  action: oneOf(['approve', 'pay'] as const),
  before: v.optional(v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 date'))),
})

const Decision = v.strictObject({
  decision: oneOf(['approve', 'reject', 'suspend'] as const),
  note: v.optional(Line(1000)),
})
const PartnerQuery = v.object({
  state: v.optional(oneOf(PARTNER_STATES)),
  limit: v.optional(LimitParam(200)),
  cursor: v.optional(v.string()),
})
const PageQuery = v.object({ limit: v.optional(LimitParam(1000)), cursor: v.optional(v.string()) })
const CsvQuery = v.object({ limit: v.optional(LimitParam(CSV_ROWS)), cursor: v.optional(v.string()) })

const cursorOf = (next: Position | null) => (next ? positionCursor(next) : null)

/** Under /api/sites: the site's partners and the decisions on them (site key or operator). */
export const sitePartnerRoutes = newRouter()
  .get('/:site/partners', docs.partners, queryOf(PartnerQuery), async (c) => {
    const q = c.req.valid('query')
    const page = await partnersOf(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      q.state,
      cursorParam(q.cursor),
      q.limit ?? 100,
    )
    return c.json({ items: page.items.map(partnerJson), next_cursor: cursorOf(page.next) } satisfies Out<
      typeof PartnerPage
    >)
  })
  .post('/:site/partners/:id/decision', docs.decision, jsonBody(Decision), async (c) => {
    const { decision, note } = c.req.valid('json')
    const out = await decideOnPartner(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('id')),
      decision,
      note ?? null,
      c.var.now(),
    )
    // The key is in this answer only (approval); D1 keeps its SHA-256.
    return c.json({ partner: partnerJson(out.partner), key: out.key } satisfies Out<typeof PartnerDecided>)
  })
  // The commission ledger: approve pending entries, or mark approved ones paid (those that occurred before `before`, default now).
  .post('/:site/partners/:id/commissions', docs.commissions, jsonBody(LedgerStepInput), async (c) => {
    const { action, before } = c.req.valid('json')
    const now = c.var.now()
    const out = await stepCommissions(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('id')),
      action,
      before ? Date.parse(before) : now,
      now,
    )
    return c.json(out satisfies Out<typeof CommissionsMoved>)
  })
  // The ledger as CSV, oldest first, up to `limit` rows (default and most 10,000); a Link rel="next" header continues it.
  .get('/:site/commissions.csv', docs.ledgerCsv, queryOf(CsvQuery), async (c) => {
    const db = getDb(c.env.DB)
    const q = c.req.valid('query')
    const limit = q.limit ?? CSV_ROWS
    const site = await loadSite(db, c.var.principal, pathParam(c.req.param('site')))
    const page = pageOf(await entriesOfSite(db, site.id, cursorParam(q.cursor), limit + 1), limit, (r) => ({
      time: r.entry.occurredAt,
      id: r.entry.id,
    }))
    const headers: Record<string, string> = {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="commissions-${site.slug}.csv"`,
      'Cache-Control': 'no-store',
    }
    const next = nextPageUrl(new URL(c.req.url), page.next)
    if (next) headers.Link = `<${next}>; rel="next"`
    return c.body(ledgerCsv(page.items), 200, headers)
  })

type PartnerEnv = AppEnv & { Variables: { partner: PartnerRow } }

/** Bearer gh_pk_…: the approved partner of this site; any other key (another site's, revoked, a site key) is 401. */
const requirePartner = createMiddleware<PartnerEnv>(async (c, next) => {
  const partner = await partnerForKey(
    getDb(c.env.DB),
    pathParam(c.req.param('site')),
    bearer(c.req.header('Authorization')) ?? '',
  )
  if (!partner)
    throw new AppError('unauthorized', 'A partner key of this site is required (Authorization: Bearer gh_pk_…)')
  c.set('partner', partner)
  await next()
})
// The API description lists this credential on every route mounted under this middleware.
documentGuard(requirePartner, ['partnerKey'])

const PostCreate = v.strictObject({
  url: v.pipe(v.string('must be the URL of your post'), v.maxLength(2000)),
  target: v.pipe(v.string('must be a target id'), v.minLength(1), v.maxLength(200)),
})

const LinkCreate = v.strictObject({ target: v.pipe(v.string('must be a target id'), v.minLength(1), v.maxLength(200)) })

/** /partners/{site}/api — a partner's tracking links and their numbers. */
export const partnerApiRoutes = new Hono<PartnerEnv>()
  // Only the API's own paths: the partner page beside it (/partners/{site}) answers its forms in HTML.
  .use('/:site/api/*', bodyLimit({ maxSize: 16 * 1024 }), requirePartner)
  .get('/:site/api/links', docs.ownLinks, async (c) => {
    const items = await linksOf(getDb(c.env.DB), c.var.partner)
    return c.json({ items: items.map((l) => linkJson(new URL(c.req.url).origin, l)) } satisfies Out<typeof LinkList>)
  })
  // The partner's own numbers: totals, and the ledger of their commissions.
  .get('/:site/api/summary', docs.summary, (c) => c.json(partnerJson(c.var.partner)))
  // Newest first, a page at a time (limit 1–1000, default 100; next_cursor continues).
  .get('/:site/api/commissions', docs.ownCommissions, queryOf(PageQuery), async (c) => {
    const q = c.req.valid('query')
    const limit = q.limit ?? 100
    const page = pageOf(
      await entriesOfPartner(getDb(c.env.DB), c.var.partner.id, cursorParam(q.cursor), limit + 1),
      limit,
      (e) => ({ time: e.occurredAt, id: e.id }),
    )
    return c.json({ items: page.items.map(conversionJson), next_cursor: cursorOf(page.next) } satisfies Out<
      typeof ConversionPage
    >)
  })
  // A post about a target: published as an affiliate voice once it links to the target or a tracking link of it.
  .post('/:site/api/posts', docs.post, jsonBody(PostCreate), async (c) => {
    const { url, target } = c.req.valid('json')
    const slug = pathParam(c.req.param('site'))
    const out = await receivePartnerPost(
      intakeDeps(c.env, c.req.url, c.var.now),
      c.var.partner,
      slug,
      url,
      target,
      clientIpOf(c.req),
      c.var.now(),
    )
    const location = statusUrl(new URL(c.req.url).origin, slug, out.voiceId)
    return c.json({ status: 'queued', id: out.voiceId, location } satisfies Out<typeof PostQueued>, 202, {
      Location: location,
    })
  })
  .delete('/:site/api/links/:code', docs.disableLink, async (c) => {
    const link = await disableLink(getDb(c.env.DB), c.var.partner, pathParam(c.req.param('code')), c.var.now())
    return c.json(linkJson(new URL(c.req.url).origin, link))
  })
  .post('/:site/api/links', docs.createLink, jsonBody(LinkCreate), async (c) => {
    const link = await createLink(getDb(c.env.DB), c.var.partner, c.req.valid('json').target, c.var.now())
    return c.json(linkJson(new URL(c.req.url).origin, link), 201)
  })
  .onError(handleError)
