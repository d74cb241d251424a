/**
 * The one validation hook for JSON routes, and the small schemas several routes share.
 * Messages only: the offending input is never echoed back.
 */
import type { Context } from 'hono'
import * as v from 'valibot'

import { problem } from './errors'
import { parseHttpUrl } from './url'

type Outcome = { success: boolean; issues?: readonly v.BaseIssue<unknown>[] }

const describe = (issue: v.BaseIssue<unknown>) => {
  const path = issue.path?.map((p) => String(p.key)).join('.')
  return path ? `${path}: ${issue.message}` : issue.message
}

/** The issues of a failed parse as one sentence, fields named (for forms as for JSON). */
export const issuesText = (issues: readonly v.BaseIssue<unknown>[] | undefined) => issues?.map(describe).join('; ') ?? 'Invalid input'

export const rejectInvalid = (result: Outcome, c: Context) =>
  result.success
    ? undefined
    : problem(c, 'invalid_input', issuesText(result.issues))

export const Slug = v.pipe(
  v.string('must be a string'),
  v.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1–63 lower-case letters, digits or hyphens')
)

export const HttpUrl = v.pipe(
  v.string('must be a string'),
  v.maxLength(2048, 'must be at most 2048 characters'),
  v.check((s) => parseHttpUrl(s) !== null, 'must be an absolute http(s) URL')
)

/** One of a fixed list of values, with a message that lists them. */
export const oneOf = <const T extends readonly string[]>(values: T) =>
  v.picklist(values, `must be one of ${values.join(', ')}`)

/** Single-line text: trimmed, 1..max characters. */
export const Line = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`)
  )

/** Long text, kept with its line breaks: trimmed, 1..max characters. */
export const Paragraphs = (max: number) =>
  v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`))

/** A positive page size in a query string: "1".."max". */
export const LimitParam = (max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,3}$/, `limit must be an integer from 1 to ${max}`),
    v.transform(Number),
    v.minValue(1, `limit must be an integer from 1 to ${max}`),
    v.maxValue(max, `limit must be an integer from 1 to ${max}`)
  )

/**
 * A path parameter. Hono types parameters of routes with a validator as possibly
 * undefined; a matched route always has them, and '' would simply find nothing.
 */
export const pathParam = (value: string | undefined): string => value ?? ''
