import * as v from 'valibot'

import { getReplicaDb } from '../db/client'
import { VOICE_KINDS, SENTIMENTS } from '../db/schema'
import type { Context } from 'hono'

import { type AppEnv, newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import { cursorParam } from '../common/cursor'
import { LimitParam, oneOf, pathParam, queryOf, valid } from '../common/validation'
import { findSiteBySlug } from '../sites/store'
import { corsHeaders, readableErrors, servePublicJson } from './http-cache'
import { readLedger, readTrust } from '../trust/service'
import { JF2_PAGE_MAX, readFeed, readJf2, readOnce } from './service'
import type { Since } from './jf2-store'
import { JSON_LD, readJsonLd } from '../reviews/jsonld'
import { JsonLdOut } from '../reviews/outputs'
import { LedgerDocOut, TrustDocOut } from '../trust/outputs'
import { Jf2FeedOut, JsonFeedOut } from './outputs'
import { liveSite } from '../sites/deleted'

const TrustQuery = v.object({
  target: v.optional(
    v.pipe(v.string(), v.minLength(1, 'target must not be empty'), v.maxLength(200, 'target is too long')),
  ),
})

const JsonLdQuery = v.object({
  target: v.pipe(
    v.string('target is required: a product id or URL'),
    v.minLength(1, 'target must not be empty'),
    v.maxLength(2048, 'target is too long'),
  ),
})

const LedgerQuery = v.object({
  before: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'before must be an entry number (seq)'), v.transform(Number)),
  ),
  limit: v.optional(LimitParam(100)),
})

const FeedQuery = v.object({
  target: v.optional(
    v.pipe(v.string(), v.minLength(1, 'target must not be empty'), v.maxLength(2048, 'target is too long')),
  ),
  kind: v.optional(oneOf(VOICE_KINDS)),
  sentiment: v.optional(oneOf([...SENTIMENTS, 'unclassified'] as const)),
  limit: v.optional(LimitParam(100)),
  cursor: v.optional(v.string()),
})

/** `demo.json` → `demo` (the route pattern guarantees the suffix). */
const slugOf = (file: string | undefined) => pathParam(file).replace(/\.(json|jf2)$/, '')

/** Every public document: cached at the edge, revalidated with its ETag. */
const NOT_MODIFIED = { description: 'Not modified (If-None-Match matched the ETag).', media: null } as const

/**
 * `since`: an ISO 8601 time (what eleventy-cache-webmentions sends: the newest `wm-received` it
 * holds) or a voice's `wm-id`. An unencoded `+` of a time's offset arrives as a space.
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+\- ]\d{2}:?\d{2})?)?$/i
const SINCE_MESSAGE = 'an ISO 8601 time (2026-11-20T09:00:00Z) or a voice id (wm-id)'
const SinceParam = v.pipe(
  v.string(),
  v.maxLength(64, SINCE_MESSAGE),
  v.transform((s): Since | null => {
    if (ISO_TIME.test(s)) {
      const time = Date.parse(s.replace(/ (\d{2}:?\d{2})$/, '+$1'))
      return Number.isNaN(time) ? null : { time }
    }
    return /^[A-Za-z0-9_-]{1,64}$/.test(s) ? { id: s } : null
  }),
  v.check((s) => s !== null, SINCE_MESSAGE),
)

const TargetParam = v.pipe(v.string(), v.minLength(1), v.maxLength(2048, 'target is too long'))

/**
 * webmention.io's query: `target` or `target[]` (repeated, up to 4 in all; none: the whole site,
 * as its `domain=`), `domain`, `per-page`, `page`, `since` (or `since_id`), `sort-dir` (`down`:
 * newest first, its default), `sort-by`; and the hub's own `cursor`.
 */
const Jf2Query = v.pipe(
  v.object({
    target: v.optional(
      v.pipe(v.array(TargetParam), v.description('A target id or page URL (repeated: the first that names a target).')),
      [],
    ),
    'target[]': v.optional(
      v.pipe(v.array(TargetParam), v.description('The same as target, as webmention.js sends it.')),
      [],
    ),
    domain: v.optional(v.pipe(v.string(), v.maxLength(253, 'domain is too long'))),
    'per-page': v.optional(LimitParam(JF2_PAGE_MAX)),
    'sort-dir': v.optional(v.picklist(['up', 'down'], 'up (oldest first) or down (newest first)')),
    'sort-by': v.optional(v.picklist(['published', 'updated'], 'published or updated')),
    page: v.optional(v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'a page number (0 is the first)'), v.transform(Number))),
    since: v.optional(SinceParam),
    since_id: v.optional(v.pipe(SinceParam, v.description('The same as since (webmention.io reads a wm-id here).'))),
    cursor: v.optional(v.string()),
  }),
  v.check((q) => q.target.length + q['target[]'].length <= 4, 'target: at most 4'),
)

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Feeds' })

const docs = {
  feed: doc({
    path: '/feeds/{site}.json',
    summary: 'The public feed',
    description:
      "A site's published voices and the shop's responses (JSON Feed), newest first, filtered by target, kind and sentiment; next_url continues. CORS for the site's embed origins.",
    errors: ['not_found'],
    responses: { 200: { description: 'The feed.', schema: JsonFeedOut }, 304: NOT_MODIFIED },
  }),
  jf2: doc({
    path: '/feeds/{site}.jf2',
    summary: 'The feed of one page, or of the whole site, as jf2',
    description: `webmention.io's format and query, for webmention.js and tools that fetch a whole domain: target (or target[], repeated, up to 4 in all; none: every published voice of the site, as webmention.io's domain=), domain, per-page (up to ${JF2_PAGE_MAX}), page (numbered pages, by publication number, reach every voice), since (an ISO time or a wm-id; since_id too), sort-dir (down: newest first, the default; or up), sort-by; next_url continues: a numbered page with the next number, any other with a cursor.`,
    query: { schema: Jf2Query },
    errors: ['not_found'],
    responses: { 200: { description: 'The jf2 feed.', schema: Jf2FeedOut }, 304: NOT_MODIFIED },
  }),
  trust: doc({
    summary: 'Trust figures',
    description: 'Totals, response rate and response times, for the site or one target (?target=id).',
    errors: ['not_found'],
    responses: { 200: { description: 'The figures.', schema: TrustDocOut }, 304: NOT_MODIFIED },
  }),
  ledger: doc({
    summary: 'The public moderation ledger',
    description: 'Every moderation step, hash-chained, newest first; ?before=<seq> pages back.',
    errors: ['not_found'],
    responses: { 200: { description: 'A page of the ledger.', schema: LedgerDocOut }, 304: NOT_MODIFIED },
  }),
  jsonLd: doc({
    summary: 'JSON-LD of one product',
    description:
      'schema.org Product with AggregateRating and recent Reviews (?target=id or URL), for server-side rendering.',
    errors: ['not_found'],
    responses: {
      200: { description: 'The JSON-LD.', media: 'application/ld+json', schema: JsonLdOut },
      304: NOT_MODIFIED,
    },
  }),
}

/** GET /feeds/:site.json — the public feed; /feeds/:site/trust.json and ledger.json (docs/embedding.md). */
export const feedRoutes = newRouter()
  .use(readableErrors)
  .get('/:file{[^/]+\\.json}', docs.feed, queryOf(FeedQuery), async (c) => {
    const q = c.req.valid('query')
    const cursor = cursorParam(q.cursor)

    const feedUrl = new URL(c.req.url)
    feedUrl.searchParams.delete('cursor')
    const slug = slugOf(c.req.param('file'))
    return servePublicJson(c, (known) =>
      readFeed(getReplicaDb(c.env.DB), slug, { ...q, limit: q.limit ?? 20, cursor }, feedUrl, known),
    )
  })
  // One target's voices, or the whole site's, as webmention.io's jf2 (webmention.js, eleventy-cache-webmentions…).
  .get('/:file{[^/]+\\.jf2}', docs.jf2, async (c) => {
    const q = valid(Jf2Query, {
      target: c.req.queries('target') ?? [],
      'target[]': c.req.queries('target[]') ?? [],
      domain: c.req.query('domain'),
      'per-page': c.req.query('per-page'),
      'sort-dir': c.req.query('sort-dir'),
      'sort-by': c.req.query('sort-by'),
      page: c.req.query('page'),
      since: c.req.query('since'),
      since_id: c.req.query('since_id'),
      cursor: c.req.query('cursor'),
    })
    const pageUrl = new URL(c.req.url)
    pageUrl.searchParams.delete('cursor')
    const slug = slugOf(c.req.param('file'))
    const query = {
      targets: [...q['target[]'], ...q.target],
      domain: q.domain,
      perPage: q['per-page'] ?? 20,
      oldestFirst: q['sort-dir'] === 'up',
      since: q.since ?? q.since_id ?? null,
      page: q.page ?? null,
      cursor: cursorParam(q.cursor),
    }
    return servePublicJson(c, (known) => readJf2(getReplicaDb(c.env.DB), slug, query, pageUrl, known), {
      keepInMemory: !readOnce(query),
    })
  })
  // The trust figures, for the site or one target (?target=id).
  .get('/:site/trust.json', docs.trust, queryOf(TrustQuery), async (c) => {
    const { target } = c.req.valid('query')
    const slug = pathParam(c.req.param('site'))
    return servePublicJson(c, (known) => readTrust(getReplicaDb(c.env.DB), slug, target ?? null, known))
  })
  // The public moderation ledger, newest first; ?before=<seq> pages back.
  .get('/:site/ledger.json', docs.ledger, queryOf(LedgerQuery), async (c) => {
    const q = c.req.valid('query')
    const pageUrl = new URL(c.req.url)
    pageUrl.searchParams.delete('before')
    const slug = pathParam(c.req.param('site'))
    return servePublicJson(c, (known) =>
      readLedger(getReplicaDb(c.env.DB), slug, q.before ?? null, q.limit ?? 50, pageUrl, known),
    )
  })
  // schema.org Product + AggregateRating + recent Reviews of one product (?target=id or URL), for server-side rendering.
  .get('/:site/jsonld', docs.jsonLd, queryOf(JsonLdQuery), async (c) => {
    const { target } = c.req.valid('query')
    const slug = pathParam(c.req.param('site'))
    return servePublicJson(c, (known) => readJsonLd(getReplicaDb(c.env.DB), slug, target, known), JSON_LD)
  })
  .options('/:site/:file{(trust|ledger)\\.json|jsonld}', (c) => preflight(c, pathParam(c.req.param('site'))))
  .options('/:file{[^/]+\\.(json|jf2)}', (c) => preflight(c, slugOf(c.req.param('file'))))

/** CORS preflight for a site's public documents (its embed origins). */
async function preflight(c: Context<AppEnv>, slug: string) {
  const site = liveSite(await findSiteBySlug(getReplicaDb(c.env.DB), slug))
  return c.body(null, 204, {
    ...corsHeaders(site.embedOrigins, c.req.header('Origin')),
    'Access-Control-Allow-Methods': 'GET, OPTIONS',
    'Access-Control-Allow-Headers': 'If-None-Match',
    'Access-Control-Max-Age': '86400',
  })
}
