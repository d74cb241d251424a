/** What the operator API answers about voices (./present.ts makes them; the API description shows them). */
import * as v from 'valibot'

import {
  ANNOUNCE_REASONS,
  AUTHOR_VERDICTS,
  FETCH_REFUSALS,
  MODERATION_ACTIONS,
  MODERATION_CATEGORIES,
  RESPONSE_STAGES,
  RESPONSE_WEBMENTION_STATES,
  SENTIMENT_SOURCES,
  SENTIMENTS,
  VERIFY_REASONS,
  VERIFY_STATES,
  VOICE_KINDS,
  VOICE_STATUSES,
  VOICE_TYPES,
} from '../db/schema'
import { Count, Int, MaybeTimestamp, PageOf, Timestamp, Words } from '../common/outputs'

export const ResponseOut = v.strictObject({
  id: v.string(),
  stage: v.picklist(RESPONSE_STAGES),
  body: v.string(),
  author: v.strictObject({ name: v.string(), role: v.nullable(v.string()) }),
  created_at: Timestamp,
  version: v.pipe(Int, v.description('1 as first published; each edit adds one (PATCH /api/responses/{id} needs it).')),
  edited_at: v.pipe(MaybeTimestamp, v.description('When the answer was last edited (null: never).')),
  withdrawn: v.pipe(
    v.nullable(v.strictObject({ at: Timestamp, reason: v.string() })),
    v.description('When and why the shop withdrew the answer (its body is then empty); null while it stands.'),
  ),
})

export const VoiceOut = v.strictObject({
  id: v.pipe(v.string(), v.description('m_…')),
  kind: v.picklist(VOICE_KINDS),
  status: v.picklist(VOICE_STATUSES),
  target: v.pipe(
    v.string(),
    v.description(
      "The target's id, or, while target_pending, the URL of the page nobody registered yet (a target comes when the voice is published).",
    ),
  ),
  target_pending: v.boolean(),
  source_url: v.nullable(v.string()),
  title: v.nullable(v.string()),
  excerpt: v.nullable(v.string()),
  author: v.strictObject({ name: v.nullable(v.string()), url: v.nullable(v.string()), photo: v.nullable(v.string()) }),
  blog_name: v.nullable(v.string()),
  rating: v.nullable(Int),
  sentiment: v.nullable(v.picklist(SENTIMENTS)),
  sentiment_by: v.pipe(
    v.nullable(v.picklist(SENTIMENT_SOURCES)),
    v.description('operator, the rating, or suggested from the words until an operator sets it.'),
  ),
  disclosure: v.nullable(v.string()),
  verified_purchase: v.boolean(),
  review: v.pipe(
    v.nullable(
      v.strictObject({
        invitation: v.nullable(v.string()),
        author_verdict: v.nullable(v.picklist(AUTHOR_VERDICTS)),
        author_verdict_at: MaybeTimestamp,
        edited_at: MaybeTimestamp,
        photos: Count,
      }),
    ),
    v.description("A review's own facts: its invitation, the reviewer's word on the answer, edits, photos."),
  ),
  received_at: Timestamp,
  verified_at: MaybeTimestamp,
  published_at: MaybeTimestamp,
  updated_at: Timestamp,
  first_response_at: MaybeTimestamp,
  answered: v.boolean(),
  type: v.nullable(v.picklist(VOICE_TYPES)),
  source_published: v.nullable(v.string()),
  imported_by: v.pipe(
    v.nullable(v.string()),
    v.description(
      'The import that brought the voice from the shop’s history (imp_…; its dates are the original ones); null for a voice the hub received.',
    ),
  ),
  verification: v.pipe(
    v.nullable(
      v.strictObject({
        state: v.picklist(VERIFY_STATES),
        reason: v.pipe(v.nullable(v.picklist(VERIFY_REASONS)), v.description('explanation says it in words.')),
        http_status: v.nullable(Int),
        explanation: v.nullable(v.strictObject({ en: v.nullable(v.string()), ja: v.nullable(v.string()) })),
        attempts: Count,
        requested_at: MaybeTimestamp,
      }),
    ),
    v.description('The check of the source page (null: not a linked voice, or published without a check).'),
  ),
  responses: v.array(ResponseOut),
})

export const VoicePage = PageOf(VoiceOut)

/** Where the Webmention that tells the voice's blog about a response stands (state null: none is due). */
export const AnnouncementOut = v.strictObject({
  state: v.nullable(v.picklist(RESPONSE_WEBMENTION_STATES)),
  reason: v.nullable(v.picklist(ANNOUNCE_REASONS)),
  refusal: v.nullable(v.picklist(FETCH_REFUSALS)),
  http_status: v.nullable(Int),
  attempts: Count,
  at: MaybeTimestamp,
  waiting_since: v.pipe(
    MaybeTimestamp,
    v.description('While it waits to be sent: since when (it was published, or sent again by hand).'),
  ),
  next_attempt_at: v.pipe(
    MaybeTimestamp,
    v.description('While it waits to be sent: when it is tried next (a retry after a failure, or now).'),
  ),
  explanation: v.pipe(Words, v.description('Its state in words, with its times in the shop’s time zone.')),
})

/** One voice with its responses' Webmentions, its moderation log and a review's earlier versions. */
export const VoiceDetailOut = v.strictObject({
  ...VoiceOut.entries,
  responses: v.array(v.strictObject({ ...ResponseOut.entries, webmention: v.nullable(AnnouncementOut) })),
  moderation: v.array(
    v.strictObject({
      action: v.picklist(MODERATION_ACTIONS),
      category: v.picklist(MODERATION_CATEGORIES),
      reason: v.string(),
      actor: v.string(),
      from_status: v.picklist(VOICE_STATUSES),
      to_status: v.picklist(VOICE_STATUSES),
      created_at: Timestamp,
    }),
  ),
  revisions: v.pipe(
    v.array(
      v.strictObject({
        rating: v.nullable(Int),
        title: v.nullable(v.string()),
        body: v.nullable(v.string()),
        written_at: Timestamp,
        replaced_at: Timestamp,
      }),
    ),
    v.description('A review’s earlier versions, oldest first: what each edit by its author replaced.'),
  ),
})

/** A response just published: its public page, and whether a Webmention to the blog is due. */
export const ResponseCreated = v.strictObject({
  ...ResponseOut.entries,
  url: v.string(),
  webmention: v.nullable(v.picklist(RESPONSE_WEBMENTION_STATES)),
})

/** One response on several voices: per voice, the response or why not. */
export const ManyResponsesOut = v.strictObject({
  items: v.array(
    v.variant('ok', [
      v.strictObject({ mention_id: v.string(), ok: v.literal(true), response_id: v.string(), url: v.string() }),
      v.strictObject({ mention_id: v.string(), ok: v.literal(false), error: v.string() }),
    ]),
  ),
})
