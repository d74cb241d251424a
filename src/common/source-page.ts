/**
 * Reading a fetched source: decode it, find every URL it links to, and the page facts a
 * voice falls back on when there is no h-entry (title, description, site name), plus the
 * `<meta http-equiv="Status" content="410 Gone">` that marks a deleted post.
 *
 * HTML is read with HTMLRewriter (the runtime's streaming parser), so markup inside comments,
 * scripts or attribute values never counts as a link. JSON and plain text are searched for
 * URL strings. Every URL is resolved against the page's final URL and its `<base>`, then put
 * through the one canonicaliser, so comparing with a target's canonical URL is exact.
 */
import { decodeHTML } from 'entities'

import { charsetFromContentType, decodeStrict, detectCharset, normalizeCharset } from './charset'
import { canonicalUrl } from './url'
import type { MediaType } from './fetch-source'

export type PageFacts = {
  /** Canonical form of every http(s) URL the page links to. */
  links: Set<string>
  title: string | null
  description: string | null
  siteName: string | null
  /** Status from `<meta http-equiv="Status">`, e.g. 410. */
  metaStatus: number | null
  /** The decoded page, for the h-entry reader. */
  text: string
  /** Base for relative URLs: `<base href>` resolved against the final URL. */
  baseUrl: string
}

/** Attributes that carry a link, per element: the REC's "a[href], img[src], video[src] and the like". */
const LINK_ATTRIBUTES: [selector: string, attribute: string][] = [
  ['a[href]', 'href'],
  ['area[href]', 'href'],
  ['link[href]', 'href'],
  ['img[src]', 'src'],
  ['video[src]', 'src'],
  ['audio[src]', 'src'],
  ['source[src]', 'src'],
  ['track[src]', 'src'],
  ['iframe[src]', 'src'],
  ['embed[src]', 'src'],
  ['blockquote[cite]', 'cite'],
  ['q[cite]', 'cite'],
]

/** Text in the charset the page declares (header, then `<meta>`), else UTF-8 or the best guess. */
export function decodePage(body: Uint8Array, contentType: string | null, mediaType: MediaType): string {
  const declared = charsetFromContentType(contentType) ?? (mediaType === 'html' ? metaCharset(body) : null)
  const label = declared ? normalizeCharset(declared) : null
  if (label?.ok) {
    const strict = decodeStrict(body, label.charset)
    if (strict !== null) return strict
    return new TextDecoder(label.charset).decode(body)
  }
  const guess = detectCharset([body]) ?? 'windows-1252'
  return new TextDecoder(guess).decode(body)
}

/** `<meta charset>` or the http-equiv Content-Type form, from the first 1024 bytes (the HTML prescan). */
function metaCharset(body: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 1024))
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ?? null
}

/** Resolves a raw attribute or string value to a canonical URL, or null. */
function resolve(raw: string, base: string): string | null {
  const value = raw.trim()
  if (value === '') return null
  const url = URL.parse(value, base)
  return url ? canonicalUrl(url.href) : null
}

export async function readHtml(text: string, finalUrl: string): Promise<PageFacts> {
  const raw: string[] = []
  // Set by the rewriter's handlers: typed wide so TypeScript does not assume they stay null.
  let base = null as string | null
  let title = null as string | null
  let titleDone = false
  const meta = new Map<string, string>()
  let metaStatus: number | null = null

  let rewriter = new HTMLRewriter()
  for (const [selector, attribute] of LINK_ATTRIBUTES) {
    rewriter = rewriter.on(selector, {
      element(el) {
        const value = el.getAttribute(attribute)
        if (value !== null) raw.push(decodeHTML(value))
      },
    })
  }
  rewriter = rewriter
    .on('base[href]', {
      element(el) {
        base ??= decodeHTML(el.getAttribute('href') ?? '')
      },
    })
    .on('title', {
      text(chunk) {
        if (titleDone) return
        title = (title ?? '') + chunk.text
        if (chunk.lastInTextNode) titleDone = true
      },
    })
    .on('meta', {
      element(el) {
        const content = el.getAttribute('content')
        if (content === null) return
        const equiv = el.getAttribute('http-equiv')?.trim().toLowerCase()
        if (equiv === 'status') metaStatus = Number.parseInt(content.trim(), 10) || null
        const key = (el.getAttribute('property') ?? el.getAttribute('name'))?.trim().toLowerCase()
        if (key && !meta.has(key)) meta.set(key, decodeHTML(content))
      },
    })
  // The page is already decoded; hand it over as UTF-8 so the rewriter reads it as we do.
  await rewriter
    .transform(new Response(text, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }))
    .arrayBuffer()

  const baseUrl = (base !== null ? URL.parse(base, finalUrl)?.href : null) ?? finalUrl
  const links = new Set<string>()
  for (const value of raw) {
    const url = resolve(value, baseUrl)
    if (url) links.add(url)
  }
  return {
    links,
    title: title === null ? null : decodeHTML(title),
    description: meta.get('description') ?? meta.get('og:description') ?? null,
    siteName: meta.get('og:site_name') ?? null,
    metaStatus,
    text,
    baseUrl,
  }
}

const URL_IN_TEXT = /https?:\/\/[^\s"'<>\\^`{|}]+/gi

/** URLs written out in text; trailing punctuation of the sentence is not part of them. */
function urlsInText(text: string): string[] {
  return Array.from(text.matchAll(URL_IN_TEXT), (m) => m[0].replace(/[.,;:!?)\]]+$/, ''))
}

/** Plain text and JSON: every URL string (JSON values are compared whole and searched for URLs). */
export function readTextLike(text: string, mediaType: 'json' | 'text', finalUrl: string): PageFacts {
  const candidates: string[] = []
  if (mediaType === 'json') {
    try {
      collectStrings(JSON.parse(text), candidates)
    } catch {
      candidates.push(text)
    }
  } else {
    candidates.push(text)
  }
  const links = new Set<string>()
  for (const value of candidates) {
    for (const found of [value, ...urlsInText(value)]) {
      const url = /^https?:\/\//i.test(found.trim()) ? resolve(found, finalUrl) : null
      if (url) links.add(url)
    }
  }
  return { links, title: null, description: null, siteName: null, metaStatus: null, text, baseUrl: finalUrl }
}

function collectStrings(value: unknown, out: string[], depth = 0): void {
  if (depth > 64) return
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1)
  else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) collectStrings(v, out, depth + 1)
  }
}
