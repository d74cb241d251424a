/** What a reviewer sends: the same rules for the hosted form, the blog-review endpoint and edits. */
import * as v from 'valibot'

import { Email, Line, OptionalLine, Paragraphs, say } from '../common/validation'

const STARS = say('must be a whole number from 1 to 5', '1〜5の星で選んでください')

/** Whole stars from 1 to 5, as a number or a form's string. */
export const Rating = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\s*\d+\s*$/, STARS), v.transform(Number))], STARS),
  v.integer(STARS),
  v.minValue(1, STARS),
  v.maxValue(5, STARS),
)

export const ReviewText = Paragraphs(5000)
export const ReviewTitle = OptionalLine(100)
export const DisplayName = Line(50)

export const Entry = v.object({ rating: Rating, title: ReviewTitle, text: ReviewText })

/** A buyer's erasure request: by their address, their order id, or both. */
export const ErasureInput = v.pipe(
  v.strictObject({
    email: v.optional(Email),
    order_id: v.optional(Line(100)),
    remove_reviews: v.optional(v.boolean(say('must be true or false', 'はい・いいえで選んでください'))),
  }),
  v.check(
    (r) => r.email !== undefined || r.order_id !== undefined,
    say('name the buyer by e-mail address or order id', 'メールアドレスか注文番号で購入者を指定してください'),
  ),
)
export type ErasureRequest = v.InferOutput<typeof ErasureInput>
