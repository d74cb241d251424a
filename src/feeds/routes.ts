import { vValidator } from '@hono/valibot-validator'
import * as v from 'valibot'

import { getDb } from '../db/client'
import { MENTION_KINDS, SENTIMENTS } from '../db/schema'
import { newRouter } from '../env'
import { decodeTimeCursor } from '../shared/cursor'
import { AppError } from '../shared/errors'
import { LimitParam, oneOf, pathParam, rejectInvalid } from '../shared/validation'
import { findSiteBySlug } from '../sites/store'
import { cacheKey, corsHeaders, etagMatches, fromCache, PUBLIC_CACHE_CONTROL, siteEtag, toCache, versionsIn } from './http-cache'
import { readFeed } from './service'
import type { KnownVersion } from './store'

const FeedQuery = v.object({
  target: v.optional(v.pipe(v.string(), v.minLength(1, 'target must not be empty'), v.maxLength(2048, 'target is too long'))),
  kind: v.optional(oneOf(MENTION_KINDS)),
  sentiment: v.optional(oneOf([...SENTIMENTS, 'unclassified'] as const)),
  limit: v.optional(LimitParam(100)),
  cursor: v.optional(v.string()),
})

const JSON_TYPE = 'application/json; charset=utf-8'

/** `demo.json` → `demo` (the route pattern guarantees the suffix). */
const slugOf = (file: string | undefined) => pathParam(file).slice(0, -'.json'.length)

/** GET /feeds/:site.json — the public feed (README: "Public feed"). */
export const feedRoutes = newRouter()
  .get('/:file{[^/]+\\.json}', vValidator('query', FeedQuery, rejectInvalid), async (c) => {
    const q = c.req.valid('query')
    const cursor = q.cursor === undefined ? null : decodeTimeCursor(q.cursor)
    if (q.cursor !== undefined && !cursor) throw new AppError('invalid_input', 'cursor: not a cursor this feed issued')

    const url = new URL(c.req.url)
    const feedUrl = new URL(url)
    feedUrl.searchParams.delete('cursor')
    const key = cacheKey(url)
    const cached = await fromCache(key)
    const ifNoneMatch = c.req.header('If-None-Match')
    // One D1 round trip: the site's version, plus the page only if neither the cached copy
    // nor the client's copy is current.
    const read = (known: KnownVersion[]) =>
      readFeed(getDb(c.env.DB), slugOf(c.req.param('file')), { ...q, limit: q.limit ?? 20, cursor }, feedUrl, known)
    const { site, doc } = await read(versionsIn(cached?.headers.get('ETag'), ifNoneMatch))

    const etag = siteEtag(site)
    const headers = { ...corsHeaders(site, c.req.header('Origin')), ETag: etag, 'Cache-Control': PUBLIC_CACHE_CONTROL }
    if (etagMatches(ifNoneMatch, etag)) return c.body(null, 304, headers)
    if (cached && cached.headers.get('ETag') === etag) {
      return c.body(await cached.text(), 200, { ...headers, 'Content-Type': JSON_TYPE, 'X-Cache': 'hit' })
    }
    // A version was recognised in an If-None-Match that still did not match as a whole: read again.
    const body = JSON.stringify(doc ?? (await read([])).doc)
    c.executionCtx.waitUntil(toCache(key, body, { 'Content-Type': JSON_TYPE, ETag: etag }))
    return c.body(body, 200, { ...headers, 'Content-Type': JSON_TYPE, 'X-Cache': 'miss' })
  })
  .options('/:file{[^/]+\\.json}', async (c) => {
    const site = await findSiteBySlug(getDb(c.env.DB), slugOf(c.req.param('file')))
    if (!site) throw new AppError('not_found', 'No such site')
    return c.body(null, 204, {
      ...corsHeaders(site, c.req.header('Origin')),
      'Access-Control-Allow-Methods': 'GET, OPTIONS',
      'Access-Control-Allow-Headers': 'If-None-Match',
      'Access-Control-Max-Age': '86400',
    })
  })
