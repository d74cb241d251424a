/**
 * The public feeds' shapes, as the API description shows them: the JSON Feed 1.1 document with
 * its `_glasshouse` extension (./render.ts), and webmention.io's jf2 (./jf2.ts).
 */
import * as v from 'valibot'

import { RESPONSE_STAGES, SENTIMENTS, VOICE_KINDS, VOICE_TYPES } from '../db/schema'
import { Int, Timestamp } from '../common/outputs'
import { LedgerSummaryOut, RatingSummaryOut, SiteRef, TargetRefOut, TrustFiguresOut } from '../trust/outputs'

const Author = v.strictObject({
  name: v.optional(v.string()),
  url: v.optional(v.string()),
  avatar: v.optional(v.string()),
})

export const FeedItemOut = v.strictObject({
  id: v.string(),
  url: v.optional(
    v.pipe(v.string(), v.description('The page the voice is on (none for a review written on the hub).')),
  ),
  title: v.optional(v.string()),
  content_text: v.pipe(v.string(), v.description('Plain text: whoever renders it as HTML must escape it.')),
  date_published: v.optional(Timestamp),
  date_modified: v.optional(Timestamp),
  authors: v.optional(v.array(Author)),
  _glasshouse: v.strictObject({
    kind: v.picklist(VOICE_KINDS),
    type: v.pipe(
      v.nullable(v.picklist(VOICE_TYPES)),
      v.description('What a Webmention source does (null: not known).'),
    ),
    source_published: v.pipe(v.nullable(v.string()), v.description("The source's own date, as it writes it.")),
    target: v.string(),
    sentiment: v.nullable(v.picklist(SENTIMENTS)),
    sentiment_suggested: v.pipe(
      v.boolean(),
      v.description("True while the sentiment is the hub's suggestion, not the shop's reading."),
    ),
    rating: v.nullable(Int),
    blog_name: v.nullable(v.string()),
    disclosure: v.nullable(v.string()),
    verified_purchase: v.boolean(),
    photos: v.array(v.strictObject({ url: v.string(), type: v.string() })),
    edited_at: v.pipe(v.nullable(Timestamp), v.description('When the reviewer last edited the review (null: never).')),
    author_verdict: v.pipe(
      v.nullable(v.strictObject({ resolved: v.boolean(), date: v.optional(Timestamp) })),
      v.description("The reviewer's word on the shop's answer: did it resolve their problem?"),
    ),
    responses: v.array(
      v.strictObject({
        id: v.string(),
        url: v.pipe(v.string(), v.description("The response's public page (an h-entry in reply to the voice).")),
        stage: v.picklist(RESPONSE_STAGES),
        author: v.strictObject({ name: v.string(), role: v.nullable(v.string()) }),
        content_text: v.pipe(v.string(), v.description('The answer; empty once the shop withdrew it.')),
        date_published: v.optional(Timestamp),
        date_modified: v.pipe(
          v.optional(Timestamp),
          v.description('When the shop last edited the answer (absent: never); its page lists the earlier versions.'),
        ),
        version: v.pipe(v.number(), v.description('1 as first published; each edit adds one.')),
        withdrawn: v.pipe(
          v.nullable(v.strictObject({ date: Timestamp, reason: v.string() })),
          v.description('The tombstone of an answer the shop withdrew: when and why. Null while it stands.'),
        ),
      }),
    ),
  }),
})

/** GET /feeds/{site}.json: JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the `_glasshouse` extension. */
export const JsonFeedOut = v.strictObject({
  version: v.literal('https://jsonfeed.org/version/1.1'),
  title: v.string(),
  home_page_url: v.optional(v.string()),
  feed_url: v.string(),
  next_url: v.optional(v.string()),
  description: v.string(),
  items: v.array(FeedItemOut),
  _glasshouse: v.strictObject({
    site: SiteRef,
    target: v.nullable(TargetRefOut),
    stats: TrustFiguresOut,
    rating: RatingSummaryOut,
    moderation: LedgerSummaryOut,
  }),
})

const JF2_PROPERTIES = ['in-reply-to', 'like-of', 'repost-of', 'bookmark-of', 'mention-of'] as const

/** One jf2 entry, as webmention.io writes it; the property its `wm-property` names holds the target's URL. */
const Jf2EntryOut = v.strictObject({
  type: v.literal('entry'),
  author: v.strictObject({ type: v.literal('card'), name: v.string(), photo: v.string(), url: v.string() }),
  url: v.string(),
  published: v.optional(v.string()),
  'wm-received': v.optional(Timestamp),
  'wm-id': v.string(),
  'wm-source': v.string(),
  'wm-target': v.string(),
  'wm-protocol': v.picklist(VOICE_KINDS),
  name: v.optional(v.string()),
  content: v.strictObject({ text: v.string() }),
  'wm-property': v.picklist(JF2_PROPERTIES),
  'wm-private': v.literal(false),
  rating: v.optional(Int),
  'in-reply-to': v.optional(v.string()),
  'like-of': v.optional(v.string()),
  'repost-of': v.optional(v.string()),
  'bookmark-of': v.optional(v.string()),
  'mention-of': v.optional(v.string()),
})

/** GET /feeds/{site}.jf2: webmention.io's `mentions.jf2`. */
export const Jf2FeedOut = v.strictObject({
  type: v.literal('feed'),
  name: v.string(),
  children: v.array(Jf2EntryOut),
  next_url: v.optional(v.string()),
})
