/** What the operator sends to change a voice — the same rules for the JSON API and the web UI's forms. */
import * as v from 'valibot'

import { MODERATION_ACTIONS, RESPONSE_STAGES, SENTIMENTS } from '../db/schema'
import { Line, oneOf, Paragraphs } from '../shared/validation'

export const MentionPatch = v.strictObject({
  sentiment: v.nullable(oneOf(SENTIMENTS)),
})

const Body = Paragraphs(5000)

export const ResponseCreate = v.strictObject({
  stage: oneOf(RESPONSE_STAGES),
  body: Body,
  author: v.strictObject({ name: Line(100), role: v.optional(Line(50)) }),
})

export const ModerationCreate = v.strictObject({
  action: oneOf(MODERATION_ACTIONS),
  category: v.optional(v.pipe(v.string(), v.maxLength(40))),
  reason: Line(1000),
})

/** One response for several voices of a site (e.g. a resolution report that closes every complaint about one fault). */
export const ManyResponseCreate = v.strictObject({
  mention_ids: v.pipe(
    v.array(v.pipe(v.string('must be mention ids'), v.maxLength(64)), 'must be a list of mention ids'),
    v.minLength(1, 'must name at least one voice'),
    v.maxLength(50, 'must name at most 50 voices')
  ),
  ...ResponseCreate.entries,
})
