/** What staff send to correct an answer — the same rules for the JSON API and the console's forms. */
import * as v from 'valibot'

import { RESPONSE_STAGES } from '../db/schema'
import { Line, oneOf, Paragraphs, say } from '../common/validation'

/** The version the edit was made on: the answer's `version` as last read. */
const Version = v.pipe(
  v.number(say('must be the version number you edited', '編集した版の番号が必要です')),
  v.integer(say('must be a whole number', '整数で指定してください')),
  v.minValue(1, say('must be at least 1', '1以上にしてください')),
  v.maxValue(1_000_000, say('must be at most 1000000', '1000000以下にしてください')),
)

export const ResponsePatch = v.strictObject({
  version: Version,
  stage: v.optional(oneOf(RESPONSE_STAGES)),
  body: v.optional(Paragraphs(5000)),
  author: v.optional(v.strictObject({ name: Line(100), role: v.optional(Line(50)) })),
})

/** Why the shop withdraws an answer: shown on the answer's tombstone and in the public ledger. */
export const ResponseWithdrawal = v.strictObject({
  reason: Line(1000),
})
