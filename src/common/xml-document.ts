/**
 * XML documents from outside (an XML-RPC call, a blog's feed) as text, read one way: the charset
 * of the Content-Type when the body is labelled as XML, else the XML declaration's encoding, else
 * UTF-8 — decoded strictly, never guessed. Documents that declare a DOCTYPE or entities are
 * refused (no entity expansion), and only well-formed ones get through.
 */
import { type XMLParser, XMLValidator } from 'fast-xml-parser'

import { charsetFromContentType, decodeStrict, normalizeCharset } from './charset'

export type XmlText =
  | { ok: true; text: string }
  | { ok: false; reason: 'unsupported_encoding'; label: string }
  | { ok: false; reason: 'not_decodable'; charset: string }
  | { ok: false; reason: 'doctype' | 'malformed' }

export type XmlRefusal = Exclude<XmlText, { ok: true }>

/**
 * fast-xml-parser deprecates its validator for the fast-xml-validator package, but that one needs
 * Node's Buffer when it loads, which the Worker does not have (no nodejs_compat): keep this one.
 */
// eslint-disable-next-line @typescript-eslint/no-deprecated
export const isWellFormed = (text: string) => XMLValidator.validate(text) === true

/**
 * The text declares a DOCTYPE or entities, looked for outside CDATA and comments (a post quoting
 * markup in its text is not a DOCTYPE): refused, so no entity is ever expanded.
 */
export const declaresEntities = (text: string) =>
  /<!DOCTYPE|<!ENTITY/i.test(text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, ''))

/** The body's text, checked: decoded as it says, no DOCTYPE, well formed. */
export function readXmlDocument(body: Uint8Array, contentType: string | null, labelledXml: boolean): XmlText {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 200))
  const fromHeader = labelledXml ? charsetFromContentType(contentType) : null
  const declared = fromHeader ?? /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ?? null
  const label = declared === null ? { ok: true as const, charset: 'utf-8' } : normalizeCharset(declared)
  if (!label.ok) return { ok: false, reason: 'unsupported_encoding', label: label.label }
  const decoded = decodeStrict(body, label.charset)
  if (decoded === null) return { ok: false, reason: 'not_decodable', charset: label.charset }
  // Whitespace before the declaration is not well-formed XML, but senders write it and readers read past it.
  const text = decoded.replace(/^\ufeff/, '').trimStart()
  if (declaresEntities(text)) return { ok: false, reason: 'doctype' }
  if (!isWellFormed(text)) return { ok: false, reason: 'malformed' }
  return { ok: true, text }
}

/**
 * Parses checked text; null when the parser still refuses it (well-formed documents it will not
 * take: nesting deeper than it allows, elements named like object internals).
 */
export function parseXmlText(parser: XMLParser, text: string): Record<string, unknown> | null {
  try {
    const doc: unknown = parser.parse(text)
    return typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : null
  } catch {
    return null
  }
}
