/** What the corrections API answers: the answer as it now is, or the refusal of a stale edit with it. */
import * as v from 'valibot'

import { ResponseCreated } from '../voices/outputs'

/** The answer after an edit or withdrawal: as published answers are shown, with its page and its Webmention's state. */
export const CorrectedOut = ResponseCreated

/** A refused edit: the error, and — when the answer changed meanwhile — the answer as it now is. */
export const StaleOut = v.strictObject({
  error: v.strictObject({ code: v.literal('conflict'), message: v.string(), request_id: v.string() }),
  current: v.pipe(
    v.optional(CorrectedOut),
    v.description('The current version (when the edit was made on an older one): edit it instead, nothing is lost.'),
  ),
})
