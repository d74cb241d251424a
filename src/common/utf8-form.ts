/**
 * The one way the hub reads an HTML form: every page's form (staff, partners, reviewers) and
 * the public endpoints that take a form or JSON. Browsers send a page's forms in the page's
 * charset, and ours are UTF-8; anything else — an old phone's Shift_JIS, a script's Latin-1 —
 * is refused with a clear error, never stored as mojibake. URL-encoded bodies are decoded byte
 * by byte and strictly; multipart bodies are parsed by the runtime (which would replace bad
 * bytes with U+FFFD, so a U+FFFD means the client did not send UTF-8). A body that cannot be
 * read (a multipart body cut short, a multipart type without its boundary) is a refusal too,
 * never an exception: the page answers 400 with the form's error.
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'

import { charsetFromContentType, decodeStrict, normalizeCharset } from './charset'
import { AppError } from './errors'
import { parseFormBytes } from './form-bytes'
import type { PageLang } from './page-shell'
import { essenceOf, isJsonType } from './media-type'

export type FormFields = {
  /** The first value of each field. */
  text: Map<string, string>
  /** Every value of each field, in order (a list of ticked boxes). */
  all: Map<string, string[]>
  files: Map<string, File[]>
}

/** Why a form could not be read. */
export type FormReadFailure = 'not_utf8' | 'unreadable' | 'unsupported_type' | 'json_as_form'

/** The media types `readFields` takes (the API description lists them for the public form endpoints). */
export const FIELD_MEDIA_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/json',
] as const

export type FormRead =
  { ok: true; fields: FormFields } | { ok: false; status: 400 | 415; reason: FormReadFailure; message: string }

const WORDS: Record<PageLang, Record<FormReadFailure, string>> = {
  en: {
    not_utf8: 'The form was not sent as UTF-8. Please use a current browser, or send UTF-8.',
    unreadable: 'The form could not be read (it arrived incomplete). Please send it again.',
    unsupported_type: 'Send the form as application/x-www-form-urlencoded or multipart/form-data.',
    json_as_form: 'This looks like JSON sent with a form type: send it with Content-Type: application/json.',
  },
  ja: {
    not_utf8: 'フォームがUTF-8で送信されていません。最新のブラウザーをお使いいただくか、UTF-8で送信してください。',
    unreadable: 'フォームを読み取れませんでした（途中で途切れています）。もう一度送信してください。',
    unsupported_type: 'application/x-www-form-urlencoded または multipart/form-data で送信してください。',
    json_as_form: 'JSONがフォームとして送信されています。Content-Type: application/json を付けて送信してください。',
  },
}

/** Why a form could not be read, in the page's language. */
export const formReadMessage = (reason: FormReadFailure, lang: PageLang) => WORDS[lang][reason]

const refuse = (status: 400 | 415, reason: FormReadFailure): FormRead => ({
  ok: false,
  status,
  reason,
  message: WORDS.en[reason],
})

function add(fields: FormFields, name: string, value: string) {
  if (!fields.text.has(name)) fields.text.set(name, value)
  fields.all.set(name, [...(fields.all.get(name) ?? []), value])
}

export async function readUtf8Form(req: Request): Promise<FormRead> {
  const type = (req.headers.get('Content-Type') ?? '').toLowerCase()
  const declared = charsetFromContentType(type)
  if (declared !== null) {
    const label = normalizeCharset(declared)
    if (!label.ok || label.charset !== 'utf-8') return refuse(400, 'not_utf8')
  }
  const fields: FormFields = { text: new Map(), all: new Map(), files: new Map() }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(await req.arrayBuffer())
    } catch {
      return refuse(400, 'unreadable')
    }
    const first = bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)
    if (first === 0x7b) return refuse(415, 'json_as_form') // '{'
    for (const pair of parseFormBytes(bytes)) {
      const value = decodeStrict(pair.value, 'utf-8')
      if (value === null) return refuse(400, 'not_utf8')
      add(fields, pair.name, value)
    }
    return { ok: true, fields }
  }
  if (type.startsWith('multipart/form-data')) {
    let data: FormData
    try {
      data = await req.formData()
    } catch {
      return refuse(400, 'unreadable')
    }
    for (const [name, value] of data) {
      if (typeof value === 'string') {
        if (value.includes('\uFFFD')) return refuse(400, 'not_utf8')
        add(fields, name, value)
      } else if (value.size > 0) {
        fields.files.set(name, [...(fields.files.get(name) ?? []), value])
      }
    }
    return { ok: true, fields }
  }
  return refuse(415, 'unsupported_type')
}

/**
 * A public form endpoint's fields, sent as a JSON object or as a form (UTF-8 either way); throws
 * AppError for anything else, so the route answers a clear 400 or 415.
 */
export async function readFields(req: Request): Promise<Record<string, unknown>> {
  const type = (req.headers.get('Content-Type') ?? '').toLowerCase()
  if (isJsonType(essenceOf(type))) {
    const text = decodeStrict(new Uint8Array(await req.arrayBuffer()), 'utf-8')
    if (text === null) throw new AppError('invalid_input', 'The body is not UTF-8')
    try {
      const body: unknown = JSON.parse(text)
      if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>
    } catch {
      // Answered below.
    }
    throw new AppError('invalid_input', 'The body is not a JSON object')
  }
  const form = await readUtf8Form(req)
  if (!form.ok) throw new AppError(form.status === 415 ? 'unsupported_media_type' : 'invalid_input', form.message)
  return Object.fromEntries(form.fields.text)
}

/** What routes whose forms `readForms` reads find in their context. */
export type FormEnv = { Bindings: Env; Variables: { form: FormFields } }

/**
 * Middleware for pages with forms: every POST's form is read once, here; one that cannot be read
 * is answered by `refuse` (a page saying what to do, 400 or 415), never a 500.
 */
export const readForms = <E extends FormEnv>(
  refuse: (c: Context<E>, failure: Extract<FormRead, { ok: false }>) => Response | Promise<Response>,
) =>
  createMiddleware<E>(async (c, next) => {
    if (c.req.method !== 'POST') return next()
    const read = await readUtf8Form(c.req.raw)
    if (!read.ok) return refuse(c, read)
    c.set('form', read.fields)
    return next()
  })

/** A field of the form the request carried (read by `readForms`). */
export const formField = <E extends FormEnv>(c: Context<E>, name: string): string | undefined =>
  // Through a generic env Hono's `get` is untyped; `form` is FormEnv's.
  (c.get('form') as FormFields).text.get(name)
