/**
 * Fetching a source page that a stranger named: every hop checked against the address
 * policy, redirects followed by hand (at most 10), one deadline for the whole exchange, the
 * body read as a stream and cut at 1 MB, only the media types the caller reads (HTML/XHTML, JSON
 * and plain text unless it asks for XML, as the feed reader does).
 *
 * The answer is a value, never a thrown error: the verifier decides what each outcome
 * means for the voice (an error must never delete one).
 */
import { type AddressPolicy, type FetchRefusal, refusalFor } from './address-policy'
import { essenceOf, isJsonType } from './media-type'

export const FETCH_LIMITS = {
  maxRedirects: 10,
  maxBytes: 1024 * 1024,
  timeoutMs: 5000,
} as const

export type FetchLimits = { maxRedirects: number; maxBytes: number; timeoutMs: number }

export const USER_AGENT = 'Glasshouse/0.1 (link-back verification; +https://github.com/glasshouse-hub)'

const ACCEPT = 'text/html, application/xhtml+xml;q=0.9, application/json;q=0.8, text/plain;q=0.7, */*;q=0.1'

/** `image`: any image/* answer, read only when asked (an imported review's photo); its bytes say what it is. */
export type MediaType = 'html' | 'json' | 'text' | 'xml' | 'image'

/** What a source page may be: everything but XML (a voice's page is a web page, not a feed). */
const PAGE_TYPES: readonly MediaType[] = ['html', 'json', 'text']

export type FetchRequest = {
  /** POST this body instead of GET (a Webmention, a webhook); redirects then keep the POST only on 307/308. */
  post?: { body: string; contentType: string; headers?: Record<string, string> }
  /** More GET headers (a conditional GET's If-None-Match / If-Modified-Since). */
  headers?: Record<string, string>
  accept?: string
  /** The media types whose body is read (default: HTML, JSON, plain text); others answer with no body. */
  read?: readonly MediaType[]
}

export type FetchedSource =
  /** The final answer after redirects. The body is read only for 2xx answers of a readable type. */
  | {
      kind: 'answered'
      status: number
      finalUrl: string
      contentType: string | null
      /** The body's type, when it is one of the types asked for (else null, and no body). */
      mediaType: MediaType | null
      body: Uint8Array
      /** The body was longer than the limit and was cut there. */
      truncated: boolean
      /** The `Link` header (Webmention endpoint discovery reads it). */
      link: string | null
      /** The `Retry-After` header (webhook deliveries honour it). */
      retryAfter: string | null
      /** Validators for the next conditional GET (the feed reader keeps them). */
      etag: string | null
      lastModified: string | null
    }
  /** The hub refused to follow a URL or a redirect. */
  | { kind: 'refused'; reason: FetchRefusal; url: string }
  /** No answer: timeout, connection refused, TLS failure. */
  | { kind: 'unreachable'; reason: 'timeout' | 'connect_error'; detail: string }

export function mediaTypeOf(contentType: string | null): MediaType | null {
  const essence = essenceOf(contentType)
  if (essence === 'text/html' || essence === 'application/xhtml+xml') return 'html'
  if (isJsonType(essence)) return 'json'
  // CSV is text: an import's file may be fetched by URL (src/imports/run.ts).
  if (essence === 'text/plain' || essence === 'text/csv') return 'text'
  if (essence === 'text/xml' || essence === 'application/xml' || /^application\/[\w.+-]+\+xml$/.test(essence))
    return 'xml'
  if (essence.startsWith('image/')) return 'image'
  return null
}

export async function fetchSource(
  input: string,
  policy: AddressPolicy,
  limits: FetchLimits = FETCH_LIMITS,
  { post, headers, accept = ACCEPT, read = PAGE_TYPES }: FetchRequest = {},
): Promise<FetchedSource> {
  const signal = AbortSignal.timeout(limits.timeoutMs)
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return { kind: 'refused', reason: 'invalid_url', url: input }
  }
  try {
    for (let hop = 0; ; hop++) {
      const refusal = refusalFor(url, policy)
      if (refusal) return { kind: 'refused', reason: refusal, url: url.href }

      const res = await fetch(url.href, {
        method: post ? 'POST' : 'GET',
        redirect: 'manual',
        signal,
        headers: post
          ? { 'User-Agent': USER_AGENT, Accept: accept, ...post.headers, 'Content-Type': post.contentType }
          : { 'User-Agent': USER_AGENT, Accept: accept, ...headers },
        body: post?.body,
      })
      const follows = post
        ? res.status === 307 || res.status === 308
        : res.status >= 300 && res.status < 400 && res.status !== 304
      if (follows) {
        await res.body?.cancel()
        const location = res.headers.get('Location')
        if (hop >= limits.maxRedirects) return { kind: 'refused', reason: 'too_many_redirects', url: url.href }
        const next = location === null ? null : URL.parse(location, url.href)
        if (!next) return { kind: 'refused', reason: 'bad_redirect', url: url.href }
        url = next
        continue
      }

      const contentType = res.headers.get('Content-Type')
      const type = mediaTypeOf(contentType)
      const mediaType = type !== null && read.includes(type) ? type : null
      const readable = res.status >= 200 && res.status < 300 && mediaType !== null
      const { bytes, truncated } = readable ? await readCapped(res, limits.maxBytes) : await discard(res)
      return {
        kind: 'answered',
        status: res.status,
        finalUrl: url.href,
        contentType,
        mediaType,
        body: bytes,
        truncated,
        link: res.headers.get('Link'),
        retryAfter: res.headers.get('Retry-After'),
        etag: res.headers.get('ETag'),
        lastModified: res.headers.get('Last-Modified'),
      }
    }
  } catch (err) {
    if (signal.aborted)
      return {
        kind: 'unreachable',
        reason: 'timeout',
        detail: `no complete answer within ${limits.timeoutMs / 1000} s`,
      }
    return { kind: 'unreachable', reason: 'connect_error', detail: err instanceof Error ? err.message : String(err) }
  }
}

async function discard(res: Response) {
  await res.body?.cancel()
  return { bytes: new Uint8Array(0), truncated: false }
}

/** Reads at most `max` bytes of the body and cancels the rest (a 50 MB page costs 1 MB). */
async function readCapped(res: Response, max: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!res.body) return { bytes: new Uint8Array(0), truncated: false }
  const reader = res.body.getReader() as ReadableStreamDefaultReader<Uint8Array>
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const room = max - size
    if (value.byteLength >= room) {
      chunks.push(value.subarray(0, room))
      size += room
      truncated = value.byteLength > room
      // Ask for one more read only to learn whether the body really ends here.
      if (!truncated) truncated = !(await reader.read()).done
      break
    }
    chunks.push(value)
    size += value.byteLength
  }
  if (truncated) await reader.cancel().catch(() => undefined)
  else reader.releaseLock()
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const c of chunks) {
    bytes.set(c, offset)
    offset += c.byteLength
  }
  return { bytes, truncated }
}
