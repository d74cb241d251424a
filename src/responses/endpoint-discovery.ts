/**
 * Webmention endpoint discovery (W3C REC §3.1.2), for sending: the first `Link` header with
 * rel `webmention`; else the first `<link>` or `<a>` element with rel `webmention` and an
 * `href`, in document order (HTMLRewriter, so markup in comments is not an element). The
 * URL is resolved against the page's final URL; an empty `href` is the page itself; the
 * query string is kept.
 */
import { decodePage } from '../common/source-page'
import type { FetchedSource } from '../common/fetch-source'

const hasWebmentionRel = (rel: string) => rel.toLowerCase().split(/\s+/).includes('webmention')

/** The first `<…>` of a Link header whose rel list includes webmention (RFC 8288). */
export function endpointFromLinkHeader(header: string | null, baseUrl: string): string | null {
  if (!header) return null
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const [, target = '', params = ''] = match
    for (const param of params.split(';')) {
      const [name, ...value] = param.split('=')
      if (name?.trim().toLowerCase() !== 'rel') continue
      const rel = value.join('=').trim().replace(/^"|"$/g, '')
      if (hasWebmentionRel(rel)) return URL.parse(target, baseUrl)?.href ?? null
    }
  }
  return null
}

async function endpointFromHtml(html: string, baseUrl: string): Promise<string | null> {
  let href = null as string | null // set by the handler below
  await new HTMLRewriter()
    .on('link[rel], a[rel]', {
      element(el) {
        if (href !== null) return
        const value = el.getAttribute('href')
        if (value !== null && hasWebmentionRel(el.getAttribute('rel') ?? '')) href = value
      },
    })
    .transform(new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }))
    .arrayBuffer()
  return href === null ? null : (URL.parse(href, baseUrl)?.href ?? null)
}

/** The endpoint a fetched page advertises, or null. */
export async function discoverEndpoint(page: Extract<FetchedSource, { kind: 'answered' }>): Promise<string | null> {
  const fromHeader = endpointFromLinkHeader(page.link, page.finalUrl)
  if (fromHeader) return fromHeader
  if (page.mediaType !== 'html') return null
  return endpointFromHtml(decodePage(page.body, page.contentType, 'html'), page.finalUrl)
}
