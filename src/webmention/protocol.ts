/**
 * Webmention (W3C Recommendation, 2017) on the wire: the form body in, plain-text refusals
 * and the JSON of an accepted request out. Pure.
 */
import { decodeStrict } from '../common/charset'
import { parseFormBytes } from '../common/form-bytes'
import { essenceOf } from '../common/media-type'

export type WebmentionForm = { source: string | null; target: string | null }

export type FormRefusal = { reason: 'unsupported_content_type' | 'not_utf8'; message: string }

/**
 * Reads `source` and `target` from an application/x-www-form-urlencoded body (the only
 * encoding senders use, REC §3.1.3). Other fields (Private Webmention's `code`, `vouch`)
 * are ignored; the first of a repeated field wins.
 */
export function parseWebmentionForm(
  body: Uint8Array,
  contentType: string | null,
): ({ ok: true } & WebmentionForm) | ({ ok: false } & FormRefusal) {
  const mediaType = essenceOf(contentType)
  if (mediaType !== 'application/x-www-form-urlencoded') {
    return {
      ok: false,
      reason: 'unsupported_content_type',
      message: 'send source and target as application/x-www-form-urlencoded',
    }
  }
  const fields: WebmentionForm = { source: null, target: null }
  for (const { name, value } of parseFormBytes(body)) {
    if (name !== 'source' && name !== 'target') continue
    if (fields[name] !== null) continue
    const text = decodeStrict(value, 'utf-8')
    if (text === null) return { ok: false, reason: 'not_utf8', message: `${name} is not UTF-8` }
    fields[name] = text
  }
  return { ok: true, ...fields }
}

/** A refusal as the REC's 400 (or 429) body: "code" then a sentence, as webmention.rocks does. */
export const refusalText = (code: string, message: string) => `${code}\n\n${message}\n`
