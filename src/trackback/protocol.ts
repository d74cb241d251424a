/**
 * TrackBack 1.2 on the wire: the form body in, the XML answer out. Pure — no D1, no fetch.
 * Spec: TrackBack Technical Specification 1.2 (Six Apart, 2004), and what Movable Type and Japanese blog services
 * actually send.
 */
import { charsetFromContentType, decodeStrict, detectCharset, normalizeCharset, type Charset } from '../common/charset'
import { parseFormBytes } from '../common/form-bytes'
import { cleanField } from '../common/plain-text'
import { canonicalUrl, fetchableUrl } from '../common/url'
import { escapeXml } from '../common/xml'
import { essenceOf } from '../common/media-type'

export type TrackbackPing = {
  /** Canonical source URL. */
  url: string
  /** The source URL as sent (the page to fetch). */
  sentUrl: string
  title: string | null
  excerpt: string | null
  blogName: string | null
}

/** Every reason a ping is refused, each with the message the sender sees. */
export type TrackbackRejection =
  | { reason: 'not_post' }
  | { reason: 'too_large'; limitBytes: number }
  | { reason: 'unsupported_content_type' }
  | { reason: 'unsupported_charset'; label: string }
  | { reason: 'undecodable'; charset: string }
  | { reason: 'missing_url' }
  | { reason: 'invalid_url' }
  | { reason: 'unknown_target'; target: string }
  | { reason: 'throttled'; message: string }
  | { reason: 'hub_source' }
  | { reason: 'internal' }

export type ParsedPing = { ok: true; ping: TrackbackPing; charset: Charset } | ({ ok: false } & TrackbackRejection)

/** Fields we read; everything else (including `charset`) is ignored, as the spec allows. */
const TEXT_FIELDS = ['url', 'title', 'excerpt', 'blog_name'] as const

/** Movable Type's limits (LENGTH_ENTRY_PING_EXCERPT = 255: 252 characters + "..."). */
const EXCERPT_MAX = 255
const TITLE_MAX = 255
const BLOG_NAME_MAX = 255

/**
 * Reads a ping from the raw body bytes. The charset comes from, in order: the `charset`
 * form field (Movable Type and the Japanese convention), the Content-Type `charset`, and
 * detection (ISO-2022-JP escapes, valid UTF-8, then EUC-JP vs Shift_JIS).
 */
export function parsePing(body: Uint8Array, contentType: string | null): ParsedPing {
  const mediaType = essenceOf(contentType)
  if (mediaType !== '' && mediaType !== 'application/x-www-form-urlencoded' && mediaType !== 'text/plain') {
    return { ok: false, reason: 'unsupported_content_type' }
  }

  const raw = new Map<string, Uint8Array>()
  for (const { name, value } of parseFormBytes(body)) {
    if (!raw.has(name)) raw.set(name, value) // the first occurrence wins, as in PHP and Perl CGI
  }

  const charsetField = raw.get('charset')
  const declared = charsetField
    ? String.fromCharCode(...charsetField.subarray(0, 64))
    : charsetFromContentType(contentType)
  let charset: Charset
  if (declared) {
    const label = normalizeCharset(declared)
    if (!label.ok) return { ok: false, reason: 'unsupported_charset', label: label.label }
    charset = label.charset
  } else {
    const detected = detectCharset(TEXT_FIELDS.flatMap((f) => raw.get(f) ?? []))
    if (!detected) return { ok: false, reason: 'undecodable', charset: 'any Japanese charset' }
    charset = detected
  }

  const text: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {}
  for (const field of TEXT_FIELDS) {
    const bytes = raw.get(field)
    if (!bytes) continue
    const decoded = decodeStrict(bytes, charset)
    if (decoded === null) return { ok: false, reason: 'undecodable', charset }
    text[field] = decoded
  }

  const rawUrl = text.url?.trim() ?? ''
  if (rawUrl === '') return { ok: false, reason: 'missing_url' }
  const url = canonicalUrl(rawUrl)
  if (!url) return { ok: false, reason: 'invalid_url' }

  return {
    ok: true,
    charset,
    ping: {
      url,
      sentUrl: fetchableUrl(rawUrl) ?? url,
      title: cleanField(text.title, TITLE_MAX),
      excerpt: cleanField(text.excerpt, EXCERPT_MAX),
      blogName: cleanField(text.blog_name, BLOG_NAME_MAX),
    },
  }
}

/** The sender-facing message of each rejection. Never empty: Movable Type reads an empty message as success. */
export function rejectionMessage(r: TrackbackRejection): string {
  switch (r.reason) {
    case 'not_post':
      return 'TrackBack pings must use HTTP POST.'
    case 'too_large':
      return `The ping is too large (limit ${Math.round(r.limitBytes / 1024)} KB).`
    case 'unsupported_content_type':
      return 'Send the ping as application/x-www-form-urlencoded.'
    case 'unsupported_charset':
      return `Unsupported charset '${r.label}'. Use UTF-8, Shift_JIS, EUC-JP or ISO-2022-JP.`
    case 'undecodable':
      return `Problem with this request: corrupt character data for character set ${r.charset}.`
    case 'missing_url':
      return 'You need to provide a Source URL (url).'
    case 'invalid_url':
      return 'Invalid URL: the url field must be an absolute http or https URL.'
    case 'unknown_target':
      return `Invalid TrackBack ID '${r.target}'.`
    case 'throttled':
      return r.message
    case 'hub_source':
      return 'The url is on this hub itself: TrackBack pings come from blogs, and the hub never fetches itself.'
    case 'internal':
      return 'The hub had a temporary problem. Please try again later.'
  }
}

const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8', 'Cache-Control': 'no-store' }

/** TrackBack answers are always HTTP 200; success or failure is in the body. */
export function successResponse(): Response {
  return new Response('<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>0</error>\n</response>\n', {
    status: 200,
    headers: XML_HEADERS,
  })
}

/** A deleted shop's TrackBack URL: the error body as ever, with 410 Gone (src/sites/deleted.ts). */
export function goneResponse(message: string): Response {
  const body = `<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>1</error>\n<message>${escapeXml(message)}</message>\n</response>\n`
  return new Response(body, { status: 410, headers: XML_HEADERS })
}

export function errorResponse(r: TrackbackRejection): Response {
  const body = `<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>1</error>\n<message>${escapeXml(rejectionMessage(r))}</message>\n</response>\n`
  const headers: Record<string, string> = { ...XML_HEADERS }
  if (r.reason === 'not_post') headers.Allow = 'POST'
  return new Response(body, { status: 200, headers })
}
