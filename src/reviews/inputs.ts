/** What a reviewer sends: the same rules for the hosted form, the blog-review endpoint and edits. */
import * as v from 'valibot'

import { issuesText, Line, Paragraphs } from '../shared/validation'

/** Whole stars from 1 to 5, as a number or a form's string. */
export const Rating = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\s*\d+\s*$/, 'must be a whole number from 1 to 5'), v.transform(Number))], 'must be a whole number from 1 to 5'),
  v.integer('must be a whole number from 1 to 5'),
  v.minValue(1, 'must be from 1 to 5'),
  v.maxValue(5, 'must be from 1 to 5')
)

export const ReviewText = Paragraphs(5000)
export const ReviewTitle = v.optional(v.pipe(v.string('must be a string'), v.trim(), v.maxLength(100, 'must be at most 100 characters')), '')
export const DisplayName = Line(50)

export const Entry = v.object({ rating: Rating, title: ReviewTitle, text: ReviewText })

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string }

/** Checks `input` against `schema`, naming the field in the message ("Product A — text: must not be empty"). */
export function check<T extends v.GenericSchema>(schema: T, input: unknown, label?: string): Checked<v.InferOutput<T>> {
  const r = v.safeParse(schema, input)
  if (r.success) return { ok: true, value: r.output }
  return { ok: false, message: label ? `${label} — ${issuesText(r.issues)}` : issuesText(r.issues) }
}
