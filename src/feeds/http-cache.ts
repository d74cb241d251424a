/**
 * Edge caching for the public documents a storefront embeds (feed, trust figures, JSON-LD,
 * ledger): read on every product-page view, thousands of times for each write.
 *
 * - A copy in the data centre's Cache API is **fresh** for the site's `cache_seconds`
 *   (default 10): while fresh it is the answer, and `If-None-Match` against it a 304 — with no
 *   D1 query at all. The copy carries what answering needs (its ETag, the site's embed origins).
 * - After that, the next request **revalidates by version**: it first marks the copy fresh for a
 *   moment (so the other requests of this data centre keep being served from it), then asks D1
 *   whether the site is still at the copy's version (one row) and either renews the copy or
 *   builds the document anew. So a change shows within `cache_seconds` plus that moment.
 * - The Cache API is per data centre and `delete()` reaches only the local one, so nothing is
 *   ever deleted: every write bumps the site's data version, which is part of every ETag.
 * - The hottest copies are also kept in the isolate's memory under the same freshness, so most
 *   hits skip the Cache API lookup too (a few hundred small documents at most). A document read
 *   once (a build tool's `since=`) stays out of it, so it never pushes out a widget's copy.
 */
import type { Context, Next } from 'hono'

import type { AppEnv } from '../env'
import { readSettings } from '../sites/settings'
import type { SiteRow } from '../sites/store'
import type { KnownVersion } from '../sites/versions'

/** Bump when the documents' shapes change, so deploys do not serve old shapes from cache. */
const FORMAT = 'f2'

export const siteEtag = (site: Pick<SiteRow, 'id' | 'dataVersion'>) => `"${FORMAT}-${site.id}-${site.dataVersion}"`

/** RFC 9110 §13.1.2: weak comparison, a list of tags, or `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  const bare = (t: string) => t.trim().replace(/^W\//, '')
  return ifNoneMatch.split(',').some((t) => bare(t) === bare(etag))
}

/** The cache key: the request URL with its parameters sorted. */
export function cacheKey(url: URL): Request {
  const key = new URL(url.origin + url.pathname)
  const params = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const [name, value] of params) key.searchParams.append(name, value)
  return new Request(key.toString(), { method: 'GET' })
}

const ETAG_PATTERN = new RegExp(`"${FORMAT}-(\\d{1,15})-(\\d{1,15})"`, 'g')

/** The (site, version) pairs named by ETags such as a cached copy's or a client's If-None-Match. */
export function versionsIn(...etags: (string | null | undefined)[]): KnownVersion[] {
  const known: KnownVersion[] = []
  for (const list of etags) {
    for (const match of (list ?? '').matchAll(ETAG_PATTERN)) {
      known.push({ siteId: Number(match[1]), version: Number(match[2]) })
    }
  }
  return known.slice(0, 8)
}

/** Browsers may reuse a document as long as a data centre does, then revalidate cheaply with the ETag. */
const publicCacheControl = (seconds: number) => `public, max-age=${seconds}, stale-while-revalidate=${seconds}`

/** Inside our cache an entry can live long: whether it is fresh is our own header's business. */
const EDGE_CACHE_CONTROL = 'public, max-age=86400'

/** How long the other requests of a data centre keep the old copy while one request revalidates it. */
const REVALIDATION_MS = 2000

/** A copy of a document in the Cache API, with what answering from it needs. */
type Copy = {
  body: string
  etag: string
  contentType: string
  freshUntil: number
  embedOrigins: string[]
  seconds: number
}

const HEADER = { freshUntil: 'X-Fresh-Until', embedOrigins: 'X-Embed-Origins', seconds: 'X-Cache-Seconds' } as const

/** Copies in this isolate's memory, least recently used first; bounded in count and size. */
const memory = new Map<string, Copy>()
const MEMORY_COPIES = 256
const MEMORY_COPY_CHARS = 64 * 1024

function rememberInMemory(key: Request, copy: Copy) {
  memory.delete(key.url)
  if (copy.body.length > MEMORY_COPY_CHARS || copy.seconds === 0) return
  memory.set(key.url, copy)
  if (memory.size <= MEMORY_COPIES) return
  const oldest = memory.keys().next()
  if (!oldest.done) memory.delete(oldest.value)
}

/** A fresh copy from memory (marked most recently used), or null. */
function freshInMemory(key: Request, now: number): Copy | null {
  const copy = memory.get(key.url)
  if (!copy || now >= copy.freshUntil) return null
  memory.delete(key.url)
  memory.set(key.url, copy)
  return copy
}

/** The copy for a key, if any. The cache only saves work: if it fails, D1 answers. */
async function copyOf(key: Request): Promise<Copy | null> {
  const res = await caches.default.match(key).catch(() => undefined)
  if (!res) return null
  const h = res.headers
  let embedOrigins: unknown
  try {
    embedOrigins = JSON.parse(h.get(HEADER.embedOrigins) ?? '[]')
  } catch {
    return null
  }
  return {
    body: await res.text(),
    etag: h.get('ETag') ?? '',
    contentType: h.get('Content-Type') ?? 'application/json',
    freshUntil: Number(h.get(HEADER.freshUntil) ?? 0),
    embedOrigins: Array.isArray(embedOrigins) ? embedOrigins.filter((o): o is string => typeof o === 'string') : [],
    seconds: Number(h.get(HEADER.seconds) ?? 0),
  }
}

function keep(key: Request, copy: Copy): Promise<void> {
  const headers = {
    'Content-Type': copy.contentType,
    ETag: copy.etag,
    'Cache-Control': EDGE_CACHE_CONTROL,
    [HEADER.freshUntil]: String(copy.freshUntil),
    [HEADER.embedOrigins]: JSON.stringify(copy.embedOrigins),
    [HEADER.seconds]: String(copy.seconds),
  }
  return caches.default.put(key, new Response(copy.body, { headers })).catch(() => undefined)
}

/** CORS for a site's embed origins: the request's Origin echoed when allowed, `*` when the site allows all. */
export function corsHeaders(embedOrigins: readonly string[], origin: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { Vary: 'Origin' }
  if (embedOrigins.includes('*')) headers['Access-Control-Allow-Origin'] = '*'
  else if (origin && embedOrigins.includes(origin)) headers['Access-Control-Allow-Origin'] = origin
  if (headers['Access-Control-Allow-Origin']) headers['Access-Control-Expose-Headers'] = 'ETag'
  return headers
}

/**
 * Middleware: an error answer to a public document — no such site or target, a bad query — is
 * readable by whatever page asked, so a widget can say why it shows nothing; it names only what
 * the request named, so it is open to every origin. No cache keeps it: the target it did not find
 * may be made a minute later (the edge cache above never holds one either).
 */
export async function readableErrors(c: Context<AppEnv>, next: Next) {
  await next()
  if (c.res.status < 400 || c.res.headers.has('Access-Control-Allow-Origin')) return
  c.res.headers.set('Access-Control-Allow-Origin', '*')
  c.res.headers.set('Cache-Control', 'no-store')
}

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * Answers a public document under the protocol above. `read(known)` reads D1 (the site row,
 * and — unless the site is at one of the `known` versions, when it returns `doc: null` — the
 * document's rows).
 */
export async function servePublicJson(
  c: Context<AppEnv>,
  read: (known: KnownVersion[]) => Promise<{ site: SiteRow; doc: unknown }>,
  {
    contentType = JSON_TYPE,
    serialize = JSON.stringify,
    keepInMemory = true,
  }: {
    contentType?: string
    serialize?: (doc: unknown) => string
    /** False for a document read once (a build's `since=`): the Cache API keeps it, memory does not. */
    keepInMemory?: boolean
  } = {},
): Promise<Response> {
  const key = cacheKey(new URL(c.req.url))
  const ifNoneMatch = c.req.header('If-None-Match')
  const now = c.var.now()
  const remember = keepInMemory ? rememberInMemory : () => undefined
  const inMemory = keepInMemory ? freshInMemory(key, now) : null
  if (inMemory) return answer(c, inMemory, ifNoneMatch, 'hit')
  const copy = await copyOf(key)
  if (copy && now < copy.freshUntil) {
    remember(key, copy)
    return answer(c, copy, ifNoneMatch, 'hit')
  }
  // This request revalidates; the others of this data centre are served the copy meanwhile.
  if (copy && copy.seconds > 0) await keep(key, { ...copy, freshUntil: now + REVALIDATION_MS })

  const { site, doc } = await read(versionsIn(copy?.etag, ifNoneMatch))
  const seconds = readSettings(site.settings).cache_seconds
  const fresh = { etag: siteEtag(site), freshUntil: now + seconds * 1000, embedOrigins: site.embedOrigins, seconds }
  if (copy && copy.etag === fresh.etag) {
    const renewed = { ...copy, ...fresh }
    remember(key, renewed)
    c.executionCtx.waitUntil(keep(key, renewed))
    return answer(c, renewed, ifNoneMatch, 'revalidated')
  }
  if (etagMatches(ifNoneMatch, fresh.etag)) return c.body(null, 304, headersOf(c, fresh))
  // A version was recognised in an If-None-Match that still did not match as a whole: read again.
  const built: Copy = { ...fresh, body: serialize(doc ?? (await read([])).doc), contentType }
  remember(key, built)
  c.executionCtx.waitUntil(keep(key, built))
  return answer(c, built, undefined, 'miss')
}

const headersOf = (c: Context<AppEnv>, copy: Pick<Copy, 'etag' | 'embedOrigins' | 'seconds'>) => ({
  ...corsHeaders(copy.embedOrigins, c.req.header('Origin')),
  ETag: copy.etag,
  'Cache-Control': publicCacheControl(copy.seconds),
})

function answer(c: Context<AppEnv>, copy: Copy, ifNoneMatch: string | undefined, how: 'hit' | 'revalidated' | 'miss') {
  const headers = headersOf(c, copy)
  if (etagMatches(ifNoneMatch, copy.etag)) return c.body(null, 304, { ...headers, 'X-Cache': how })
  return c.body(copy.body, 200, { ...headers, 'Content-Type': copy.contentType, 'X-Cache': how })
}
