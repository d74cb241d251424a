/**
 * The WordPress export file (WXR: RSS 2.0 with WordPress's `wp:` elements). A blog's linkbacks
 * are its comments whose `wp:comment_type` is `trackback` or `pingback`, on the posts
 * (`<item>`) that received them.
 *
 * A file may be hundreds of megabytes, so it is never parsed whole: its prologue (the channel's
 * elements before the first item) is read once, then items are found in the raw bytes a window at
 * a time — outside CDATA sections and comments, where `</item>` cannot be text — and each item is
 * parsed on its own. The bytes are searched before they are decoded: `<`, `-` and `>` are never
 * part of a UTF-8, Shift_JIS or EUC-JP character, and `]` only of a Shift_JIS one, whose CDATA
 * sections are read a character at a time. Other charsets are refused.
 */
import { XMLParser } from 'fast-xml-parser'

import { decodeStrict, normalizeCharset, type Charset } from '../../common/charset'
import { declaresEntities, isWellFormed, parseXmlText } from '../../common/xml-document'

/** The prologue is the channel's own elements and the blog's authors, terms and categories. */
export const MAX_PROLOGUE_BYTES = 4 * 1024 * 1024

export type Prologue = {
  charset: Charset
  wxrVersion: string
  title: string | null
  /** The blog's address (the channel's `<link>`, else `wp:base_blog_url`). */
  blogUrl: string | null
  /** Where the first item begins. */
  itemsFrom: number
}

export type PrologueRefusal = {
  reason: 'doctype' | 'malformed' | 'not_wxr' | 'prologue_too_large' | 'unsupported_encoding'
}

export type WxrComment = {
  id: string | null
  /** `trackback`, `pingback`, `comment` (or empty, in files from before WordPress 5.5), or a plugin's own type. */
  type: string
  author: string | null
  authorEmail: string | null
  authorUrl: string | null
  ip: string | null
  /** As written: `YYYY-MM-DD HH:MM:SS`, in UTC (`date_gmt`), else the blog's time zone (`date`). */
  dateGmt: string | null
  date: string | null
  content: string
  /** `1` approved, `0` waiting, `spam`, `trash`. */
  approved: string
  parent: string | null
}

export type WxrItem = {
  postId: string | null
  title: string | null
  /** The post's address on the old blog. */
  link: string | null
  postType: string | null
  status: string | null
  /** The post's HTML, where its links to the shop's product pages are. */
  content: string
  comments: WxrComment[]
}

type Span = { start: number; end: number }

const SCANNABLE = new Set<Charset>(['utf-8', 'shift_jis', 'euc-jp'])

const ascii = (text: string) => new TextEncoder().encode(text)
const LT = 0x3c
const CDATA_OPEN = ascii('<![CDATA[')
const CDATA_CLOSE = ascii(']]>')
const COMMENT_OPEN = ascii('<!--')
const COMMENT_CLOSE = ascii('-->')
const ITEM_OPEN = ascii('<item')
const ITEM_CLOSE = ascii('</item>')
const CHANNEL_CLOSE = ascii('</channel>')

function startsWith(bytes: Uint8Array, at: number, token: Uint8Array): boolean {
  if (at + token.length > bytes.length) return false
  for (let i = 0; i < token.length; i++) if (bytes[at + i] !== token[i]) return false
  return true
}

function indexOfToken(bytes: Uint8Array, token: Uint8Array, from: number): number {
  const first = token[0] ?? 0
  for (let at = bytes.indexOf(first, from); at !== -1; at = bytes.indexOf(first, at + 1))
    if (startsWith(bytes, at, token)) return at
  return -1
}

/**
 * Where `]]>` ends a CDATA section in Shift_JIS, whose second byte of a character may be `]`
 * (0x5D): read a character at a time from `from` (just past `<![CDATA[`, so at a character's start).
 */
function cdataCloseShiftJis(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length;) {
    const b = bytes[i] ?? 0
    if ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) i += 2
    else if (startsWith(bytes, i, CDATA_CLOSE)) return i
    else i++
  }
  return -1
}

/** `<item>` or `<item …>`, not `<itemize>`. */
const isItemOpen = (bytes: Uint8Array, at: number) => {
  if (!startsWith(bytes, at, ITEM_OPEN)) return false
  const next = bytes[at + ITEM_OPEN.length]
  return next === 0x3e || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d
}

type Mark = { kind: 'item_open' | 'item_close' | 'channel_close'; at: number; end: number }

/**
 * The next item tag or the channel's end from `from`, passing over CDATA sections and comments;
 * null when none is complete within the bytes (a CDATA section or comment still open counts as
 * not complete).
 */
function nextMark(bytes: Uint8Array, from: number, sjis: boolean): Mark | null {
  for (let at = bytes.indexOf(LT, from); at !== -1; at = bytes.indexOf(LT, at + 1)) {
    if (startsWith(bytes, at, CDATA_OPEN)) {
      const close = sjis
        ? cdataCloseShiftJis(bytes, at + CDATA_OPEN.length)
        : indexOfToken(bytes, CDATA_CLOSE, at + CDATA_OPEN.length)
      if (close === -1) return null
      at = close
    } else if (startsWith(bytes, at, COMMENT_OPEN)) {
      const close = indexOfToken(bytes, COMMENT_CLOSE, at + COMMENT_OPEN.length)
      if (close === -1) return null
      at = close
    } else if (isItemOpen(bytes, at)) return { kind: 'item_open', at, end: at + ITEM_OPEN.length }
    else if (startsWith(bytes, at, ITEM_CLOSE)) return { kind: 'item_close', at, end: at + ITEM_CLOSE.length }
    else if (startsWith(bytes, at, CHANNEL_CLOSE)) return { kind: 'channel_close', at, end: at + CHANNEL_CLOSE.length }
  }
  return null
}

/**
 * Up to `max` whole items in `bytes`, a window of the file that starts outside any item. `consumed`
 * is how far the window was read (past the last whole item); `end` says the channel closed. A
 * window holding no whole item and no end means the next item is larger than the window.
 */
export function scanItems(
  bytes: Uint8Array,
  max: number,
  charset: Charset = 'utf-8',
): { spans: Span[]; consumed: number; end: boolean } {
  if (max < 1) throw new RangeError('scanItems reads at least one item')
  const sjis = charset === 'shift_jis'
  const spans: Span[] = []
  let consumed = 0
  while (spans.length < max) {
    const open = nextMark(bytes, consumed, sjis)
    if (!open) break
    if (open.kind === 'channel_close') return { spans, consumed: open.end, end: true }
    if (open.kind === 'item_close') {
      // A stray </item>: nothing to read before it.
      consumed = open.end
      continue
    }
    const close = nextMark(bytes, open.end, sjis)
    if (!close) break
    if (close.kind !== 'item_close') {
      // An item never closed before the next one or the channel's end: the file is broken here.
      spans.push({ start: open.at, end: close.at })
      consumed = close.at
      continue
    }
    spans.push({ start: open.at, end: close.end })
    consumed = close.end
  }
  return { spans, consumed, end: false }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  // Names keep their prefixes, as WordPress always writes them: content:encoded and excerpt:encoded differ only there.
  removeNSPrefix: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  // Character references and the five XML entities (a DOCTYPE, the only way to declare others, is refused).
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  htmlEntities: true,
  isArray: (name) => name === 'wp:comment',
})

type Node = Record<string, unknown>
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (node: Node, name: string): string | null => {
  const value = node[name]
  if (typeof value === 'string') return value === '' ? null : value
  return null
}

/** The file's prologue, or why it is no WordPress export this hub reads. */
export function readPrologue(bytes: Uint8Array): Prologue | PrologueRefusal {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200))
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head.replace(/^\u00ef\u00bb\u00bf/, ''))?.[1]
  const label = declared === undefined ? { ok: true as const, charset: 'utf-8' } : normalizeCharset(declared)
  // The charsets whose bytes the scan below reads safely (ISO-2022-JP's and UTF-16's it would not).
  if (!label.ok || !SCANNABLE.has(label.charset)) return { reason: 'unsupported_encoding' }
  const first = nextMark(bytes, 0, label.charset === 'shift_jis')
  const itemsFrom = first?.kind === 'item_open' || first?.kind === 'channel_close' ? first.at : null
  if (itemsFrom === null) return { reason: bytes.length > MAX_PROLOGUE_BYTES ? 'prologue_too_large' : 'malformed' }
  if (itemsFrom > MAX_PROLOGUE_BYTES) return { reason: 'prologue_too_large' }
  const decoded = decodeStrict(bytes.subarray(0, itemsFrom), label.charset)
  if (decoded === null) return { reason: 'malformed' }
  const prologue = decoded.replace(/^\ufeff/, '').trimStart()
  if (declaresEntities(prologue)) return { reason: 'doctype' }
  const document = `${prologue}</channel></rss>`
  if (!isWellFormed(document)) return { reason: 'malformed' }
  const rss = parseXmlText(parser, document)?.rss
  const channel = isNode(rss) ? rss.channel : null
  if (!isNode(channel)) return { reason: 'not_wxr' }
  const wxrVersion = text(channel, 'wp:wxr_version')
  if (!wxrVersion) return { reason: 'not_wxr' }
  return {
    charset: label.charset,
    wxrVersion,
    title: text(channel, 'title'),
    blogUrl: text(channel, 'link') ?? text(channel, 'wp:base_blog_url'),
    itemsFrom,
  }
}

/** One item's bytes, decoded and parsed; null when they are not a well-formed item. */
export function readItem(bytes: Uint8Array, charset: Charset): WxrItem | null {
  const decoded = decodeStrict(bytes, charset)
  // A DOCTYPE inside an item would declare entities the parser expands: refused like the prologue's.
  if (decoded === null || declaresEntities(decoded) || !isWellFormed(decoded)) return null
  const item = parseXmlText(parser, decoded)?.item
  if (!isNode(item)) return null
  const comments = Array.isArray(item['wp:comment']) ? item['wp:comment'].filter(isNode) : []
  return {
    postId: text(item, 'wp:post_id'),
    title: text(item, 'title'),
    link: text(item, 'link'),
    postType: text(item, 'wp:post_type'),
    status: text(item, 'wp:status'),
    content: text(item, 'content:encoded') ?? '',
    comments: comments.map((c) => ({
      id: text(c, 'wp:comment_id'),
      type: text(c, 'wp:comment_type') ?? '',
      author: text(c, 'wp:comment_author'),
      authorEmail: text(c, 'wp:comment_author_email'),
      authorUrl: text(c, 'wp:comment_author_url'),
      ip: text(c, 'wp:comment_author_IP'),
      dateGmt: text(c, 'wp:comment_date_gmt'),
      date: text(c, 'wp:comment_date'),
      content: text(c, 'wp:comment_content') ?? '',
      approved: text(c, 'wp:comment_approved') ?? '',
      parent: text(c, 'wp:comment_parent'),
    })),
  }
}
