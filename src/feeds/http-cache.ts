/**
 * Edge caching for public JSON. The Cache API is per data centre and `delete()` reaches
 * only the local one, so we never delete: every cached answer carries the ETag of the
 * site's data version it was built from, and counts as a hit only while that is still the
 * site's current version (read from D1 on every request, in the same batch that would
 * read the page). A write bumps the version in its batch, so every old entry stops
 * matching at once, in every data centre.
 */
import type { Context } from 'hono'

import type { AppEnv } from '../env'
import type { SiteRow } from '../sites/store'
import type { KnownVersion } from './store'

/** Bump when the feed's shape changes, so deploys do not serve old shapes from cache. */
const FORMAT = 'f1'

export const siteEtag = (site: SiteRow) => `"${FORMAT}-${site.id}-${site.dataVersion}"`

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

/** The cached answer for a key, if any. The cache only saves work: if it fails, D1 answers. */
export const fromCache = (key: Request): Promise<Response | undefined> =>
  caches.default.match(key).catch(() => undefined)

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

/** Browsers and CDNs may reuse a feed for a minute, then revalidate cheaply with the ETag. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=300'
/** Inside our cache an entry can live long: it stops matching when the version moves. */
const EDGE_CACHE_CONTROL = 'public, max-age=86400'

export function toCache(key: Request, body: string, headers: Record<string, string>): Promise<void> {
  return caches.default.put(
    key,
    new Response(body, { headers: { ...headers, 'Cache-Control': EDGE_CACHE_CONTROL } })
  )
}

/** CORS for a site's embed origins: the request's Origin echoed when allowed, `*` when the site allows all. */
export function corsHeaders(site: SiteRow, origin: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { Vary: 'Origin' }
  if (site.embedOrigins.includes('*')) headers['Access-Control-Allow-Origin'] = '*'
  else if (origin && site.embedOrigins.includes(origin)) headers['Access-Control-Allow-Origin'] = origin
  if (headers['Access-Control-Allow-Origin']) headers['Access-Control-Expose-Headers'] = 'ETag'
  return headers
}

const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * Answers a public JSON document under the protocol above: 304 when the client's ETag is
 * current, the cached copy when it is, else the document `read` builds (and caches it).
 * `read(known)` returns `doc: null` when the site is at one of the `known` versions, which
 * lets it skip every read but the site row's.
 */
export async function servePublicJson(
  c: Context<AppEnv>,
  read: (known: KnownVersion[]) => Promise<{ site: SiteRow; doc: unknown }>,
  { contentType = JSON_TYPE, serialize = JSON.stringify }: { contentType?: string; serialize?: (doc: unknown) => string } = {}
): Promise<Response> {
  const key = cacheKey(new URL(c.req.url))
  const cached = await fromCache(key)
  const ifNoneMatch = c.req.header('If-None-Match')
  const { site, doc } = await read(versionsIn(cached?.headers.get('ETag'), ifNoneMatch))

  const etag = siteEtag(site)
  const headers = { ...corsHeaders(site, c.req.header('Origin')), ETag: etag, 'Cache-Control': PUBLIC_CACHE_CONTROL }
  if (etagMatches(ifNoneMatch, etag)) return c.body(null, 304, headers)
  if (cached && cached.headers.get('ETag') === etag) {
    return c.body(await cached.text(), 200, { ...headers, 'Content-Type': contentType, 'X-Cache': 'hit' })
  }
  // A version was recognised in an If-None-Match that still did not match as a whole: read again.
  const body = serialize(doc ?? (await read([])).doc)
  c.executionCtx.waitUntil(toCache(key, body, { 'Content-Type': contentType, ETag: etag }))
  return c.body(body, 200, { ...headers, 'Content-Type': contentType, 'X-Cache': 'miss' })
}
