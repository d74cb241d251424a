/**
 * The one URL canonicaliser. Every URL that identifies something — a target, a voice's
 * source page, a storefront origin — goes through `canonicalUrl` before it is stored or
 * compared, so `HTTPS://Shop.Example:443/p/?utm_source=x#top` and `https://shop.example/p`
 * are the same page.
 *
 * Rules:
 * - only http and https; no user info (`user:pass@`), which phishing links abuse;
 * - scheme and host lower-case (the WHATWG URL parser does this, and turns IDNs into punycode);
 * - default ports dropped; fragment dropped;
 * - tracking parameters dropped (`utm_*` and the click ids listed below); the rest keep
 *   their order, because some servers care about it;
 * - percent-escapes upper-case, and escapes of unreserved characters decoded (`%7E` → `~`);
 * - a trailing slash dropped from any path but `/`.
 */

const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'gh_click',
])

const isTrackingParam = (name: string) => {
  const lower = name.toLowerCase()
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower)
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/

/** Upper-cases percent-escapes and decodes those that stand for unreserved characters. */
function normalizeEscapes(part: string): string {
  return part.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16))
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`
  })
}

/** Parses an absolute http(s) URL without user info, or returns null. */
export function parseHttpUrl(input: string): URL | null {
  const trimmed = input.trim()
  if (trimmed === '' || trimmed.length > 2048) return null
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null
  return url
}

/** The canonical form of an http(s) URL, or null when it is not one. */
export function canonicalUrl(input: string): string | null {
  const url = parseHttpUrl(input)
  if (!url) return null
  url.hash = ''

  const kept = [...url.searchParams].filter(([name]) => !isTrackingParam(name))
  // Rebuild the query only when something was dropped: URLSearchParams re-encodes values
  // (spaces as '+'), which would change URLs that did not need changing.
  if (kept.length !== [...url.searchParams].length) {
    url.search = kept.length === 0 ? '' : new URLSearchParams(kept).toString()
  }

  let path = normalizeEscapes(url.pathname)
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '') || '/'
  const search = url.search === '?' ? '' : normalizeEscapes(url.search)
  return `${url.protocol}//${url.host}${path}${search}`
}

/** An http(s) URL as given, only parsed and without its fragment: the address to fetch. Null when invalid. */
export function fetchableUrl(input: string): string | null {
  const url = parseHttpUrl(input)
  if (!url) return null
  url.hash = ''
  return url.href
}

/** `scheme://host[:port]` of a URL, lower-case; null when it is not an http(s) URL. */
export function originOf(input: string): string | null {
  const url = parseHttpUrl(input)
  return url ? url.origin : null
}

/** The host of an http(s) URL (no port), or null. */
export function hostOf(input: string): string | null {
  const url = parseHttpUrl(input)
  return url ? url.hostname : null
}

/** True when `url` (canonical) lies under one of `origins` (each an origin string). */
export function isUnderOrigins(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url)
  return origin !== null && origins.includes(origin)
}
