/** What the operator sends to make or change a target: the same rules for the JSON API and the web UI's forms. */
import * as v from 'valibot'

import { TARGET_KINDS } from '../db/schema'
import { HttpUrl, Line, oneOf, say } from '../common/validation'

const TargetId = v.pipe(
  v.string(say('must be a string', '文字で入力してください')),
  v.regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    say('must be 1–64 letters, digits, "-" or "_"', '英数字・「-」・「_」で64文字以内にしてください'),
  ),
)

export const TargetCreate = v.strictObject({
  id: v.optional(TargetId),
  url: HttpUrl,
  title: Line(300),
  kind: oneOf(TARGET_KINDS),
})

export const TargetPatch = v.strictObject({
  title: v.optional(Line(300)),
  kind: v.optional(oneOf(TARGET_KINDS)),
  url: v.optional(HttpUrl),
  /** false registers an automatic target (partners then see it); a registered one stays registered. */
  automatic: v.optional(
    v.literal(
      false,
      say('can only be false (registering an automatic target)', '自動の対象を登録するときだけ指定できます'),
    ),
  ),
})

export const TargetMerge = v.strictObject({
  into: v.pipe(
    v.string(say('must be a target id', '対象を選んでください')),
    v.minLength(1, say('must be a target id', '対象を選んでください')),
    v.maxLength(64, say('must be a target id', '対象を選んでください')),
  ),
})
