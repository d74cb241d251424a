/**
 * Reading an HTML form that must be UTF-8 (the hosted review form, the blog-review form).
 * Browsers send a page's forms in the page's charset, and ours are UTF-8; anything else — an
 * old phone's Shift_JIS, a script's Latin-1 — is refused with a clear error, never stored as
 * mojibake. URL-encoded bodies are decoded byte by byte and strictly; multipart bodies are
 * parsed by the runtime (which would replace bad bytes with U+FFFD, so a U+FFFD means the
 * client did not send UTF-8).
 */
import { charsetFromContentType, decodeStrict, normalizeCharset } from './charset'
import { AppError } from './errors'
import { parseFormBytes } from './form-bytes'

export type FormFields = { text: Map<string, string>; files: Map<string, File[]> }

export type FormRead = { ok: true; fields: FormFields } | { ok: false; status: 400 | 415; message: string }

const NOT_UTF8 = 'The form was not sent as UTF-8. Please use a current browser, or send UTF-8.'

export async function readUtf8Form(req: Request): Promise<FormRead> {
  const type = (req.headers.get('Content-Type') ?? '').toLowerCase()
  const declared = charsetFromContentType(type)
  if (declared !== null) {
    const label = normalizeCharset(declared)
    if (!label.ok || label.charset !== 'utf-8') return { ok: false, status: 400, message: `${NOT_UTF8} (charset ${declared.slice(0, 40)})` }
  }
  const fields: FormFields = { text: new Map(), files: new Map() }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const pair of parseFormBytes(new Uint8Array(await req.arrayBuffer()))) {
      const value = decodeStrict(pair.value, 'utf-8')
      if (value === null) return { ok: false, status: 400, message: NOT_UTF8 }
      if (!fields.text.has(pair.name)) fields.text.set(pair.name, value)
    }
    return { ok: true, fields }
  }
  if (type.startsWith('multipart/form-data')) {
    let data: FormData
    try {
      data = await req.formData()
    } catch {
      return { ok: false, status: 400, message: 'The multipart form could not be read' }
    }
    for (const [name, value] of data) {
      if (typeof value === 'string') {
        if (value.includes('\uFFFD')) return { ok: false, status: 400, message: NOT_UTF8 }
        if (!fields.text.has(name)) fields.text.set(name, value)
      } else if (value.size > 0) {
        fields.files.set(name, [...(fields.files.get(name) ?? []), value])
      }
    }
    return { ok: true, fields }
  }
  return { ok: false, status: 415, message: 'Send the form as application/x-www-form-urlencoded or multipart/form-data' }
}

/**
 * A public form endpoint's fields, sent as a JSON object or as a form (UTF-8 either way); throws
 * AppError for anything else, so the route answers a clear 400 or 415.
 */
export async function readFields(req: Request): Promise<Record<string, unknown>> {
  const type = (req.headers.get('Content-Type') ?? '').toLowerCase()
  if (type.startsWith('application/json')) {
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
