/**
 * The feed as webmention.io's API gives it (`/api/mentions.jf2`): a jf2 `feed` whose `children`
 * are `entry`s with `wm-property`, `wm-received`, `wm-source`, `wm-target`, `author` and
 * `content` — so webmention.js and widgets like it work against the hub unchanged (point their
 * API endpoint at `/feeds/{site}.jf2`). Every voice is there, not only Webmentions; a review
 * written on the hub has no page of its own, so its `url` is the product page with its id as
 * the fragment. Pure: rows in, JSON out; all of it plain text.
 */
import type { VoiceRow } from '../voices/store'
import { authorOf } from './render'
import type { TargetRow } from '../targets/store'

const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString())

/** Post Type Discovery's types as jf2 properties; anything else (a TrackBack, a review) mentions the page. */
const PROPERTY = {
  reply: 'in-reply-to',
  like: 'like-of',
  repost: 'repost-of',
  bookmark: 'bookmark-of',
  mention: 'mention-of',
} as const

export function jf2Entry(m: VoiceRow, target: Pick<TargetRow, 'url'>) {
  const property = m.voiceType ? PROPERTY[m.voiceType] : 'mention-of'
  const url = m.sourceUrl ?? `${target.url}#${m.id}`
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
    'wm-target': target.url,
    'wm-protocol': m.kind,
    name: m.title ?? undefined,
    content: { text: m.excerpt ?? m.title ?? '' },
    [property]: target.url,
    'wm-property': property,
    'wm-private': false,
    ...(m.kind === 'review' && m.rating !== null ? { rating: m.rating } : {}),
  }
}

export function jf2Feed(target: Pick<TargetRow, 'url' | 'title'>, items: readonly VoiceRow[], nextUrl: string | null) {
  return {
    type: 'feed',
    name: `What people say about ${target.title}`,
    children: items.map((m) => jf2Entry(m, target)),
    ...(nextUrl ? { next_url: nextUrl } : {}),
  }
}
