/**
 * The feed as webmention.io's API gives it (`/api/mentions.jf2`): a jf2 `feed` whose `children`
 * are `entry`s with `wm-property`, `wm-received`, `wm-source`, `wm-target`, `author` and
 * `content` — so webmention.js, and tools that fetch a whole domain and file each entry by its
 * `wm-target` (eleventy-cache-webmentions and its kin), work against the hub unchanged (point
 * their API address at `/feeds/{site}.jf2`). Every voice is there, not only Webmentions; a review
 * written on the hub has no page of its own, so its `url` is the product page with its id as the
 * fragment. Pure: rows in, JSON out; all of it plain text.
 */
import type { VoiceRow } from '../voices/store'
import { authorOf } from './render'

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString())

/** Post Type Discovery's types as jf2 properties; anything else (a TrackBack, a review) mentions the page. */
const PROPERTY = {
  reply: 'in-reply-to',
  like: 'like-of',
  repost: 'repost-of',
  bookmark: 'bookmark-of',
  mention: 'mention-of',
} as const

/** A voice as a jf2 entry about `targetUrl`, the page it is about. */
export function jf2Entry(m: VoiceRow, targetUrl: string) {
  const property = m.voiceType ? PROPERTY[m.voiceType] : 'mention-of'
  const url = m.sourceUrl ?? `${targetUrl}#${m.id}`
  const author = authorOf(m)
  return {
    type: 'entry',
    author: {
      type: 'card',
      name: author?.name ?? m.blogName ?? '',
      photo: m.authorPhoto ?? '',
      url: author?.url ?? '',
    },
    url,
    published: m.sourcePublished ?? iso(m.publishedAt),
    'wm-received': iso(m.receivedAt),
    'wm-id': m.id,
    'wm-source': url,
    'wm-target': targetUrl,
    'wm-protocol': m.kind,
    name: m.title ?? undefined,
    content: { text: m.excerpt ?? m.title ?? '' },
    [property]: targetUrl,
    'wm-property': property,
    'wm-private': false,
    ...(m.kind === 'review' && m.rating !== null ? { rating: m.rating } : {}),
  }
}

/** One voice of a jf2 page and the address of the page it is about. */
export type Jf2Item = { voice: VoiceRow; targetUrl: string }

/** A jf2 feed named for what it is about (a product, or the shop), `next_url` continuing it. */
export function jf2Feed(about: string, items: readonly Jf2Item[], nextUrl: string | null) {
  return {
    type: 'feed',
    name: `What people say about ${about}`,
    children: items.map((i) => jf2Entry(i.voice, i.targetUrl)),
    ...(nextUrl ? { next_url: nextUrl } : {}),
  }
}
