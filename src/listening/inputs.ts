/** What the operator sends to set up a watch: the same rules for the JSON API and the console. */
import * as v from 'valibot'

import { HttpUrl, Line, say } from '../common/validation'

/** The shop's name and products to listen for: 1 to 20 words or phrases. */
const Keywords = v.pipe(
  v.array(Line(100), say('must be a list of keywords', 'キーワードの一覧を入力してください')),
  v.minLength(1, say('at least one keyword', 'キーワードを1つ以上入力してください')),
  v.maxLength(20, say('at most 20 keywords', 'キーワードは20個までです')),
)

export const WatchCreate = v.strictObject({ feed_url: HttpUrl, keywords: Keywords })
export const WatchPatch = v.strictObject({ feed_url: v.optional(HttpUrl), keywords: v.optional(Keywords) })
export type WatchInput = v.InferOutput<typeof WatchCreate>
export type WatchChange = v.InferOutput<typeof WatchPatch>
