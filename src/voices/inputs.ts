/** What the operator sends to change a voice — the same rules for the JSON API and the web UI's forms. */
import * as v from 'valibot'

import { RESPONSE_STAGES, SENTIMENTS, VOICE_MODERATION_ACTIONS } from '../db/schema'
import { Line, oneOf, Paragraphs, say } from '../common/validation'
import { REMOVAL_CATEGORIES, type RemovalCategory } from './moderation'

export const VoicePatch = v.strictObject({
  sentiment: v.nullable(oneOf(SENTIMENTS)),
})

const Body = Paragraphs(5000)

export const ResponseCreate = v.strictObject({
  stage: oneOf(RESPONSE_STAGES),
  body: Body,
  author: v.strictObject({ name: Line(100), role: v.optional(Line(50)) }),
})

export const ModerationCreate = v.pipe(
  v.strictObject({
    action: oneOf(VOICE_MODERATION_ACTIONS),
    /** A removal's category; `spam` for the spam action (the only one it takes); a restoration takes none. */
    category: v.optional(oneOf([...REMOVAL_CATEGORIES, 'spam'] as const)),
    reason: Line(1000),
  }),
  // Said here too (the rule lives in ./moderation.ts) so that a form shows it with the other fields' problems.
  v.forward(
    v.partialCheck(
      [['action'], ['category']],
      (m) => m.action !== 'remove' || REMOVAL_CATEGORIES.includes(m.category as RemovalCategory),
      say(`a removal needs a category: one of ${REMOVAL_CATEGORIES.join(', ')}`, '削除には分類を選んでください'),
    ),
    ['category'],
  ),
)

/** One response for several voices of a site (e.g. a resolution report that closes every complaint about one fault). */
export const ManyResponseCreate = v.strictObject({
  mention_ids: v.pipe(
    v.array(v.pipe(v.string('must be mention ids'), v.maxLength(64)), 'must be a list of mention ids'),
    v.minLength(1, say('must name at least one voice', '声を1件以上選んでください')),
    v.maxLength(50, say('must name at most 50 voices', '一度に選べる声は50件までです')),
  ),
  ...ResponseCreate.entries,
})
