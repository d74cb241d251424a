/**
 * One error vocabulary for the JSON API: `{ "error": { "code", "message", "request_id" } }`
 * (the id is the request's X-Request-Id, so a report can be matched with the logs).
 * Protocol endpoints (TrackBack, Pingback, Webmention) map domain outcomes to their own
 * wire formats instead; see their modules.
 */
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export type ErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'internal'

const STATUS = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  unsupported_media_type: 415,
  internal: 500,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>

/**
 * An expected failure, thrown by domain code and turned into a JSON error by `onError`. The API
 * speaks English; a failure the console shows may also carry its Japanese wording (`ja`).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly ja?: string,
  ) {
    super(message)
    this.name = 'AppError'
  }

  /** The message in a page's language (English when there is no Japanese wording). */
  messageIn(lang: 'en' | 'ja'): string {
    return lang === 'ja' && this.ja ? this.ja : this.message
  }
}

/** The HTTP status of an error code (pages that answer in HTML use it too). */
export const statusOf = (code: ErrorCode) => STATUS[code]

/** The request's id (set by the app's first middleware); undefined outside a request. */
export const requestIdOf = (c: Context): string | undefined => (c.get('requestId') as string | undefined) ?? undefined

export const problem = (c: Context, code: ErrorCode, message: string) =>
  c.json({ error: { code, message, request_id: requestIdOf(c) } }, STATUS[code])

/**
 * An expected failure as a page shows it: its status, its code, and its message — an AppError's,
 * or null for Hono's own (a body over the limit, a form from another origin), which pages word
 * themselves. Null for anything unexpected (answered as a 500 by `handleError`).
 */
export function expectedFailure(
  err: Error,
  lang: 'en' | 'ja' = 'en',
): { status: ContentfulStatusCode; code: ErrorCode; message: string | null } | null {
  if (err instanceof AppError) return { status: STATUS[err.code], code: err.code, message: err.messageIn(lang) }
  if (err instanceof HTTPException && err.status === 413)
    return { status: 413, code: 'payload_too_large', message: null }
  if (err instanceof HTTPException && err.status === 403) return { status: 403, code: 'forbidden', message: null }
  return null
}

/** `app.onError`: expected errors keep their code; anything else is logged and hidden. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof AppError) return problem(c, err.code, err.message)
  if (err instanceof HTTPException) {
    if (err.status === 413) return problem(c, 'payload_too_large', 'Request body is too large')
    if (err.status === 401) return problem(c, 'unauthorized', err.message || 'Unauthorized')
    if (err.status === 400) return problem(c, 'invalid_input', err.message || 'Bad request')
    return err.getResponse()
  }
  logFailure(c, 'unhandled error', err)
  return problem(c, 'internal', 'Internal error')
}

/** One log line for a failure of ours, with the request id the answer carries. */
export function logFailure(c: Context, msg: string, err: Error) {
  console.error(JSON.stringify({ msg, request_id: requestIdOf(c), error: String(err), stack: err.stack }))
}

/** A JSON endpoint's body limit: over `kilobytes`, a 413 in the error vocabulary naming `what` and the limit. */
export const jsonBodyLimit = (kilobytes: number, what: string) =>
  bodyLimit({
    maxSize: kilobytes * 1024,
    onError: (c) => problem(c, 'payload_too_large', `${what} is at most ${kilobytes} KB`),
  })
