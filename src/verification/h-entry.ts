/**
 * What a source page says about itself in microformats2 (microformats2 parsing, h-entry and Post Type Discovery): the primary
 * h-entry's author, content, publication date and post type. Parsed with microformats-parser
 * (a full mf2 parser: implied properties, nested h-cards, relative URLs resolved).
 *
 * Choices, each tested:
 * - the primary entry is the only h-entry on the page (top level or in an h-feed), or the one
 *   whose url is the page itself; a page with several and none of them itself (a blog's home
 *   page, a feed) is a plain mention without entry content;
 * - the type follows Post Type Discovery in the order repost, like, reply, bookmark, mention,
 *   and a response property counts only when it points at the target;
 * - an entry name that merely repeats the start of its content is not a title;
 * - `published` is kept as written, offset or not.
 */
import { mf2 } from 'microformats-parser'

import type { VoiceType } from '../db/schema'
import { cleanField } from '../common/plain-text'
import { canonicalUrl } from '../common/url'

type Item = ReturnType<typeof mf2>['items'][number]
type Property = NonNullable<Item['properties'][string]>[number]

export type EntryFacts = {
  title: string | null
  excerpt: string | null
  authorName: string | null
  authorUrl: string | null
  authorPhoto: string | null
  published: string | null
  type: VoiceType
}

export const EXCERPT_MAX = 500
const NAME_MAX = 200

const isItem = (p: Property | undefined): p is Item => typeof p === 'object' && 'properties' in p
const hasType = (item: Item, type: string) => item.type?.includes(type) ?? false

/** The plain value of a property: a string, an {html, value}, an {value, alt} or an item's own value. */
function plain(p: Property | undefined): string | null {
  if (p === undefined) return null
  if (typeof p === 'string') return p
  if (isItem(p)) return typeof p.value === 'string' ? p.value : plain(p.properties.name?.[0])
  return p.value ?? null
}

/** A URL-valued property: a plain URL or a nested h-cite/h-entry whose url is the value. */
function urlOf(p: Property | undefined): string | null {
  if (isItem(p)) return plain(p.properties.url?.[0]) ?? plain(p)
  return plain(p)
}

const first = (item: Item, name: string) => item.properties[name]?.[0]

/** The page's primary entry, or null when it has none or several that are not the page itself. */
function primaryEntry(items: readonly Item[], pageUrl: string): Item | null {
  const entries = items.flatMap((item) =>
    hasType(item, 'h-entry')
      ? [item]
      : hasType(item, 'h-feed')
        ? (item.children ?? []).filter((c) => hasType(c, 'h-entry'))
        : [],
  )
  const [only] = entries
  if (only && entries.length === 1) return only
  const page = canonicalUrl(pageUrl)
  return entries.find((e) => (e.properties.url ?? []).some((u) => canonicalUrl(urlOf(u) ?? '') === page)) ?? null
}

const RESPONSE_TYPES: [property: string, type: VoiceType][] = [
  ['repost-of', 'repost'],
  ['like-of', 'like'],
  ['in-reply-to', 'reply'],
  ['bookmark-of', 'bookmark'],
]

function postType(entry: Item, targetUrl: string): VoiceType {
  for (const [property, type] of RESPONSE_TYPES) {
    const values = entry.properties[property] ?? []
    if (values.some((v) => canonicalUrl(urlOf(v) ?? '') === targetUrl)) return type
  }
  return 'mention'
}

/** The author card: an h-card, a URL, or a bare name; a URL is completed from a matching h-card on the page. */
function authorOf(entry: Item, items: readonly Item[]) {
  const author = first(entry, 'author')
  if (isItem(author)) {
    return {
      name: plain(first(author, 'name')),
      url: urlOf(first(author, 'url')),
      photo: urlOf(first(author, 'photo')),
    }
  }
  const value = plain(author)
  if (value === null) return { name: null, url: null, photo: null }
  const asUrl = canonicalUrl(value)
  if (!asUrl) return { name: value, url: null, photo: null }
  const card = items.find((i) => hasType(i, 'h-card') && canonicalUrl(urlOf(first(i, 'url')) ?? '') === asUrl)
  return {
    name: card ? plain(first(card, 'name')) : null,
    url: value,
    photo: card ? urlOf(first(card, 'photo')) : null,
  }
}

/** Whitespace-free text without a trailing ellipsis, for the "name repeats content" test. */
const squash = (s: string) => s.replace(/\s+/g, '').replace(/(\.\.\.|…)$/, '')

export function readEntry(html: string, pageUrl: string, targetUrl: string): EntryFacts | null {
  // Only pages that mention an h-entry class are worth a full parse.
  if (!/\bh-entry\b/.test(html)) return null
  let items: Item[]
  try {
    items = mf2(html, { baseUrl: pageUrl }).items
  } catch {
    return null
  }
  const entry = primaryEntry(items, pageUrl)
  if (!entry) return null

  const content = plain(first(entry, 'content')) ?? plain(first(entry, 'summary'))
  const excerpt = cleanField(content, EXCERPT_MAX)
  let title = cleanField(plain(first(entry, 'name')), NAME_MAX)
  if (title !== null && content !== null && squash(content).startsWith(squash(title))) title = null
  const author = authorOf(entry, items)
  return {
    title,
    excerpt,
    authorName: cleanField(author.name, NAME_MAX),
    authorUrl: author.url === null ? null : canonicalUrl(author.url),
    authorPhoto: author.photo === null ? null : canonicalUrl(author.photo),
    published: cleanField(plain(first(entry, 'published')), 64),
    type: postType(entry, targetUrl),
  }
}
