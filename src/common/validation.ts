/**
 * The validation toolkit: the JSON routes' body and query validators, the small schemas
 * several routes share, and how a failed parse is said. Messages only: the offending input is
 * never echoed back. Messages are English for the JSON API; a page that parses with
 * `{ lang: 'ja' }` gets them in Japanese (see `say`, and ./form-errors.tsx for forms).
 */
import { vValidator } from '@hono/valibot-validator'
import type { Context } from 'hono'
import * as v from 'valibot'

import { charsetFromContentType } from './charset'
import { documentInput } from './api-docs'
import { AppError, problem } from './errors'
import { parseHttpUrl } from './url'
import { essenceOf, isJsonType } from './media-type'

/** A message in the parse's language: English unless the caller parsed with `{ lang: 'ja' }`. */
export const say =
  (en: string, ja: string) =>
  (issue: { lang?: string | undefined }): string =>
    issue.lang === 'ja' ? ja : en

type Issue = v.BaseIssue<unknown>
type Outcome = { success: boolean; issues?: readonly Issue[] }

/** Where an issue is: `author.name`, or '' for the whole input. */
export const issuePath = (issue: Issue) => issue.path?.map((p) => String(p.key)).join('.') ?? ''

/** An issue's message, with valibot's own wording of missing and unknown keys put in plain words. */
export function issueMessage(issue: Issue): string {
  const ja = issue.lang === 'ja'
  if (issue.kind === 'schema' && issue.received === 'undefined' && issue.expected?.startsWith('"'))
    return ja ? '入力してください' : 'is required'
  if (issue.kind === 'schema' && issue.expected === 'never')
    return ja ? 'この項目は受け付けていません' : 'is not a field this request takes'
  if (issue.kind === 'schema' && issuePath(issue) === '' && issue.expected === 'Object')
    return ja ? '内容が正しくありません' : 'the body must be a JSON object'
  return issue.message
}

const describe = (issue: Issue) => {
  const path = issuePath(issue)
  return path ? `${path}: ${issueMessage(issue)}` : issueMessage(issue)
}

/** The issues of a failed parse as one sentence, fields named (the JSON API's error message). */
export const issuesText = (issues: readonly Issue[] | undefined) => issues?.map(describe).join('; ') ?? 'Invalid input'

/** `input` under `schema`, or an AppError (400) naming every refused field: for bodies read by hand. */
export function valid<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input)
  if (!result.success) throw new AppError('invalid_input', issuesText(result.issues))
  return result.output
}

export const rejectInvalid = (result: Outcome, c: Context) =>
  result.success ? undefined : problem(c, 'invalid_input', issuesText(result.issues))

const jsonValidator = <S extends v.GenericSchema>(schema: S) =>
  vValidator('json', schema, (result, c) => {
    const type = c.req.header('Content-Type')
    if (type !== undefined && !isJsonType(essenceOf(type))) {
      return problem(
        c,
        'unsupported_media_type',
        `This endpoint takes a JSON body: send it with Content-Type: application/json (got ${essenceOf(type).slice(0, 60)})`,
      )
    }
    const charset = charsetFromContentType(type)
    if (charset !== null && !/^utf-?8$/i.test(charset.trim())) {
      return problem(
        c,
        'unsupported_media_type',
        `JSON is always UTF-8: send the body in UTF-8 (got charset ${charset.slice(0, 40)})`,
      )
    }
    // A body without a label is not read at all (it would count as `{}`): say what to send.
    const length = c.req.header('Content-Length')
    const hasBody =
      length === undefined
        ? c.req.raw.body !== null || c.req.header('Transfer-Encoding') !== undefined
        : Number(length) > 0
    if (type === undefined && hasBody) {
      return problem(
        c,
        'unsupported_media_type',
        'This endpoint takes a JSON body: send it with Content-Type: application/json (the request had none)',
      )
    }
    if (!result.success && type === undefined) {
      return problem(
        c,
        'invalid_input',
        `Send a JSON body with Content-Type: application/json (${issuesText(result.issues)})`,
      )
    }
    return rejectInvalid(result, c)
  })

/**
 * A JSON body validated against `schema`. A body labelled as anything but JSON (curl's `-d`
 * sends a form type) is refused with 415 and what to send, instead of being read as `{}`
 * and refused field by field.
 */
export const jsonBody = <S extends v.GenericSchema>(schema: S) => documentInput(jsonValidator(schema), 'json', schema)

/** A query string validated against `schema` (all values are strings). */
export const queryOf = <S extends v.GenericSchema>(schema: S) =>
  documentInput(vValidator('query', schema, rejectInvalid), 'query', schema)

export const Slug = v.pipe(
  v.string(say('must be a string', '文字で入力してください')),
  v.regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    say('must be 1–63 lower-case letters, digits or hyphens', '半角の小文字・数字・ハイフンで63文字以内にしてください'),
  ),
)

export const HttpUrl = v.pipe(
  v.string(say('must be a string', '文字で入力してください')),
  v.maxLength(2048, say('must be at most 2048 characters', '2048文字以内にしてください')),
  v.check(
    (s) => parseHttpUrl(s) !== null,
    say('must be an absolute http(s) URL', 'http:// または https:// で始まるURLを入力してください'),
  ),
  v.metadata({ format: 'uri', description: 'An absolute http(s) URL.' }),
)

/** One of a fixed list of values, with a message that lists them. */
export const oneOf = <const T extends readonly string[]>(values: T) =>
  v.picklist(values, say(`must be one of ${values.join(', ')}`, '選択肢から選んでください'))

/** An e-mail address: trimmed, at most 254 characters (RFC 5321's limit for a path). */
export const Email = v.pipe(
  v.string(say('must be an e-mail address', 'メールアドレスを入力してください')),
  v.trim(),
  v.maxLength(254, say('must be at most 254 characters', '254文字以内にしてください')),
  v.email(say('must be an e-mail address', 'メールアドレスを入力してください')),
)

/** Single-line text: trimmed, 1..max characters. */
export const Line = (max: number) =>
  v.pipe(
    v.string(say('must be a string', '文字で入力してください')),
    v.trim(),
    v.minLength(1, say('must not be empty', '入力してください')),
    v.maxLength(max, say(`must be at most ${max} characters`, `${max}文字以内にしてください`)),
  )

/** Long text, kept with its line breaks: trimmed, 1..max characters. */
export const Paragraphs = Line

/** Optional single-line text of at most `max` characters ('' when left empty). */
export const OptionalLine = (max: number) =>
  v.optional(
    v.pipe(
      v.string(say('must be a string', '文字で入力してください')),
      v.trim(),
      v.maxLength(max, say(`must be at most ${max} characters`, `${max}文字以内にしてください`)),
    ),
    '',
  )

/** A positive page size in a query string: "1".."max". */
export const LimitParam = (max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,9}$/, `limit must be an integer from 1 to ${max}`),
    v.transform(Number),
    v.minValue(1, `limit must be an integer from 1 to ${max}`),
    v.maxValue(max, `limit must be an integer from 1 to ${max}`),
  )

/**
 * A path parameter. Hono types parameters of routes with a validator as possibly
 * undefined; a matched route always has them, and '' would simply find nothing.
 */
export const pathParam = (value: string | undefined): string => value ?? ''
