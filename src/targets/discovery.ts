/**
 * What a storefront pastes into a product page so blog software finds the hub.
 * TrackBack 1.2 "Auto-Discovery of TrackBack Ping URLs": an RDF block inside an HTML
 * comment, whose dc:identifier is the page URL and trackback:ping the ping URL.
 */
import { escapeXml } from '../common/xml'

export const trackbackUrl = (hubOrigin: string, siteSlug: string, targetId: string) =>
  `${hubOrigin}/tb/${encodeURIComponent(siteSlug)}/${encodeURIComponent(targetId)}`

export const webmentionUrl = (hubOrigin: string, siteSlug: string) =>
  `${hubOrigin}/webmention/${encodeURIComponent(siteSlug)}`
export const pingbackUrl = (hubOrigin: string, siteSlug: string) =>
  `${hubOrigin}/pingback/${encodeURIComponent(siteSlug)}`

/**
 * Ready-to-paste discovery for Webmention (REC §3.1.2: the Link header is read first) and
 * Pingback. The pingback <link> is written exactly `rel` before `href`: WordPress's client
 * searches for rel="pingback" and takes the next href after it.
 */
export function linkbackDiscovery(hubOrigin: string, siteSlug: string) {
  const webmention = webmentionUrl(hubOrigin, siteSlug)
  const pingback = pingbackUrl(hubOrigin, siteSlug)
  return {
    webmention_url: webmention,
    webmention_link_header: `<${webmention}>; rel="webmention"`,
    webmention_link: `<link rel="webmention" href="${escapeXml(webmention)}">`,
    pingback_url: pingback,
    pingback_header: `X-Pingback: ${pingback}`,
    pingback_link: `<link rel="pingback" href="${escapeXml(pingback)}">`,
  }
}

/** `--` may not appear inside an HTML comment; write its hyphens as character references. */
const commentSafe = (text: string) => escapeXml(text).replace(/--/g, '&#x2d;&#x2d;')

export function trackbackRdf(pageUrl: string, title: string, pingUrl: string): string {
  const page = commentSafe(pageUrl)
  return [
    '<!--',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
    '         xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '         xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">',
    `<rdf:Description rdf:about="${page}"`,
    `    dc:identifier="${page}"`,
    `    dc:title="${commentSafe(title)}"`,
    `    trackback:ping="${commentSafe(pingUrl)}" />`,
    '</rdf:RDF>',
    '-->',
  ].join('\n')
}
