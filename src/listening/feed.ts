/**
 * Reading a watched feed: RSS 2.0, RSS 1.0 (RDF — still what many Japanese blog services
 * publish) and Atom, in the charset the document declares (Shift_JIS and EUC-JP included).
 * fast-xml-parser does the parsing (it runs in workerd); this module only knows where each
 * format keeps an entry's address, title, text, author and date. Every value is plain text of
 * bounded length: entries become voices that staff read and storefronts show.
 */
import { XMLParser } from 'fast-xml-parser'

import { canonicalUrl } from '../common/url'
import { cleanField } from '../common/plain-text'
import { parseXmlText, readXmlDocument, type XmlRefusal } from '../common/xml-document'
import { essenceOf } from '../common/media-type'

export type FeedFormat = 'rss2' | 'rss1' | 'atom'

export type FeedEntry = {
  /** The entry's page (canonical http(s) URL). */
  url: string
  title: string | null
  /** The entry's text as plain text (markup removed), at most 1,000 characters. */
  text: string | null
  /** The entry's text as the feed gives it (often HTML), at most 50,000 characters: where its links are. */
  markup: string | null
  /**
   * The entry's summary as the feed gives it, when the entry has full content too (RSS's
   * `description` beside `content:encoded`, Atom's `summary` beside `content`), at most 50,000
   * characters; null otherwise. A summary is often written apart from the post: a keyword in either counts.
   */
  summary: string | null
  author: string | null
  /** When it was published (or last updated), when the feed says. */
  publishedAt: number | null
}

export type ParsedFeed =
  | { ok: true; format: FeedFormat; title: string | null; entries: FeedEntry[] }
  | { ok: false; reason: XmlRefusal['reason'] | 'not_a_feed' | 'too_large' }

/** The largest feed read (a blog search's feed is a few hundred KB): the fetcher stops at this size too. */
export const MAX_FEED_BYTES = 2 * 1024 * 1024

/** The most entries taken from one feed: a search feed lists the newest first, and a run is bounded. */
export const MAX_ENTRIES = 200

/** An entry's markup kept to find its links: a long post's links to the shop come early enough. */
const MAX_MARKUP = 50_000

const XML_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/xml',
  'text/xml',
])

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // dc:date, rdf:RDF, content:encoded: the prefixes differ between feeds, the names do not.
  removeNSPrefix: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Character references and the five XML entities (a DOCTYPE, the only way to declare others, is refused).
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  htmlEntities: true,
  isArray: (name) => name === 'item' || name === 'entry' || name === 'link',
})

type Node = Record<string, unknown>

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)

/** An element's text: a string, or the `#text` of an element that has attributes (Atom's type="html"). */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return textOf(value[0])
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text']
  return null
}

/** The first of the candidates that is a date (an empty <pubDate/> does not hide a dc:date). */
const dateOf = (...candidates: unknown[]) => {
  for (const value of candidates) {
    const text = textOf(value)
    const at = text === null ? NaN : Date.parse(text)
    if (!Number.isNaN(at)) return at
  }
  return null
}

/** RSS's page link: the first <link> with text (an atom:link, whose prefix is dropped, has none). */
const rssLink = (links: unknown) =>
  (Array.isArray(links) ? links : [links]).find((l): l is string => typeof l === 'string' && l.trim() !== '') ?? null

const httpUrl = (value: string | null) => {
  if (value === null) return null
  const url = canonicalUrl(value.trim())
  return url !== null && /^https?:\/\//i.test(url) ? url : null
}

/** Atom's page link: the `alternate` one (the default rel), else the first with an address. */
function atomLink(links: unknown): string | null {
  const all = (Array.isArray(links) ? links : [links]).filter(isNode)
  const alternate = all.find((l) => l['@rel'] === undefined || l['@rel'] === 'alternate') ?? all[0]
  return typeof alternate?.['@href'] === 'string' ? alternate['@href'] : null
}

function entryOf(item: Node, format: FeedFormat): FeedEntry | null {
  const url =
    format === 'atom'
      ? httpUrl(atomLink(item.link))
      : httpUrl(rssLink(item.link) ?? (typeof item['@about'] === 'string' ? item['@about'] : null))
  if (url === null) return null
  const author =
    format === 'atom'
      ? textOf(isNode(item.author) ? item.author.name : undefined)
      : (textOf(item.creator) ?? textOf(item.author))
  const content = textOf(item.encoded) ?? textOf(item.content)
  const summary = textOf(item.description) ?? textOf(item.summary)
  const body = content ?? summary
  return {
    url,
    title: cleanField(textOf(item.title), 300),
    text: cleanField(body?.slice(0, MAX_MARKUP), 1000),
    markup: body === null ? null : body.slice(0, MAX_MARKUP),
    summary: content === null || summary === null ? null : summary.slice(0, MAX_MARKUP),
    author: cleanField(author, 100),
    publishedAt: dateOf(item.pubDate, item.date, item.published, item.updated),
  }
}

/** Parses a feed's bytes as served (its Content-Type, if any, may name the charset). */
export function parseFeed(body: Uint8Array, contentType: string | null): ParsedFeed {
  if (body.length > MAX_FEED_BYTES) return { ok: false, reason: 'too_large' }
  const read = readXmlDocument(body, contentType, XML_TYPES.has(essenceOf(contentType)))
  if (!read.ok) return { ok: false, reason: read.reason }
  const doc = parseXmlText(parser, read.text)
  if (doc === null) return { ok: false, reason: 'malformed' }
  const rss = doc.rss
  const rdf = doc.RDF
  const atom = doc.feed
  let format: FeedFormat
  let channel: Node | undefined
  let items: unknown
  if (isNode(rss) && isNode(rss.channel)) {
    format = 'rss2'
    channel = rss.channel
    items = rss.channel.item
  } else if (isNode(rdf)) {
    format = 'rss1'
    channel = isNode(rdf.channel) ? rdf.channel : undefined
    items = rdf.item
  } else if (isNode(atom)) {
    format = 'atom'
    channel = atom
    items = atom.entry
  } else {
    return { ok: false, reason: 'not_a_feed' }
  }
  const entries = (Array.isArray(items) ? items : [])
    .slice(0, MAX_ENTRIES)
    .filter(isNode)
    .map((item) => entryOf(item, format))
    .filter((e): e is FeedEntry => e !== null)
  return { ok: true, format, title: cleanField(textOf(channel?.title), 300), entries }
}
