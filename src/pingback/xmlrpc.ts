/**
 * Pingback 1.0 over XML-RPC on the wire: the methodCall in, a methodResponse or fault out.
 * Pure. Parsing with fast-xml-parser; a DOCTYPE is refused before parsing, so no entity
 * can be declared or expanded (XXE, billion laughs). Spec: Pingback 1.0 (Hixie, 2002) and XML-RPC.
 */
import { XMLParser } from 'fast-xml-parser'

import { parseXmlText, readXmlDocument, type XmlRefusal } from '../common/xml-document'
import { escapeXml } from '../common/xml'
import { essenceOf } from '../common/media-type'

/** Pingback's fault codes (Pingback 1.0 "Faults") and XML-RPC's interop codes. */
export const FAULT = {
  generic: 0,
  sourceMissing: 0x10,
  noLink: 0x11,
  targetMissing: 0x20,
  targetNotEnabled: 0x21,
  alreadyRegistered: 0x30,
  accessDenied: 0x31,
  parseError: -32700,
  notMethodCall: -32600,
  unknownMethod: -32601,
  badParams: -32602,
} as const

export type Fault = { code: number; message: string }

export type PingbackCall = { ok: true; source: string; target: string } | ({ ok: false } & Fault)

const XML_TYPES = new Set(['text/xml', 'application/xml'])

/**
 * True when the body starts like an XML document (after a BOM and whitespace): an XML
 * declaration, a comment or an element. Widely used senders label their call
 * application/x-www-form-urlencoded (or nothing); WordPress's own receiver reads the raw body
 * whatever the label, so the body decides, not the label.
 */
function looksLikeXml(body: Uint8Array): boolean {
  const head = new TextDecoder('latin1')
    .decode(body.subarray(0, 64))
    .replace(/^(\xef\xbb\xbf|\ufeff)/, '')
    .trimStart()
  return /^<(\?xml[\s?]|!--|[A-Za-z_])/.test(head)
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  // Character references (&#38;) as well as the five XML entities; no others can exist without a DTD.
  // Deprecated for an `entityDecoder` object, but that object would be shared by every parse and
  // keeps a document's XML version; this option builds a fresh decoder for each one.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  htmlEntities: true,
  isArray: (name) => name === 'param',
})

/** The string value of an XML-RPC <value>: typed <string> or untyped text (the default type is string). */
function stringValue(value: unknown): string | null {
  if (typeof value === 'string') return value.trim()
  if (value && typeof value === 'object' && 'string' in value) {
    const s = value.string
    return typeof s === 'string' ? s.trim() : s === '' || s === undefined ? '' : null
  }
  return null
}

/** What a sender is told when its document cannot be read (the wording other XML-RPC servers use). */
function parseErrorOf(r: XmlRefusal): string {
  switch (r.reason) {
    case 'unsupported_encoding':
      return `parse error. unsupported encoding ${r.label}`
    case 'not_decodable':
      return `parse error. not well formed: the body is not valid ${r.charset}`
    case 'doctype':
      return 'parse error. DOCTYPE and entity declarations are not accepted'
    case 'malformed':
      return 'parse error. not well formed'
  }
}

export function parsePingbackCall(body: Uint8Array, contentType: string | null): PingbackCall {
  const mediaType = essenceOf(contentType)
  const labelledXml = XML_TYPES.has(mediaType)
  if (!labelledXml && !looksLikeXml(body)) {
    return {
      ok: false,
      code: FAULT.parseError,
      message: 'parse error. the body is not an XML-RPC document: POST a pingback.ping methodCall (text/xml)',
    }
  }
  const read = readXmlDocument(body, contentType, labelledXml)
  if (!read.ok) return { ok: false, code: FAULT.parseError, message: parseErrorOf(read) }
  const text = read.text

  const parsed = parseXmlText(parser, text)
  if (parsed === null) return { ok: false, code: FAULT.parseError, message: 'parse error. not well formed' }
  const doc = parsed as {
    methodCall?: { methodName?: unknown; params?: { param?: { value?: unknown }[] } | string }
  }
  const call = doc.methodCall
  if (!call || typeof call !== 'object')
    return { ok: false, code: FAULT.notMethodCall, message: 'server error. invalid xml-rpc. not conforming to spec' }
  const method = typeof call.methodName === 'string' ? call.methodName.trim() : ''
  if (method !== 'pingback.ping') {
    return {
      ok: false,
      code: FAULT.unknownMethod,
      message: `server error. requested method ${method.slice(0, 100)} does not exist.`,
    }
  }
  const params = typeof call.params === 'object' ? (call.params.param ?? []) : []
  const values = params.map((p) => stringValue(p.value))
  const [source, target] = values
  if (values.length !== 2 || source == null || target == null) {
    return {
      ok: false,
      code: FAULT.badParams,
      message: 'server error. pingback.ping takes two strings: sourceURI and targetURI',
    }
  }
  return { ok: true, source, target }
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'

export const successXml = (message: string) =>
  `${XML_HEAD}<methodResponse>\n  <params>\n    <param>\n      <value><string>${escapeXml(message)}</string></value>\n    </param>\n  </params>\n</methodResponse>\n`

export const faultXml = ({ code, message }: Fault) =>
  `${XML_HEAD}<methodResponse>\n  <fault>\n    <value>\n      <struct>\n        <member>\n          <name>faultCode</name>\n          <value><int>${code}</int></value>\n        </member>\n        <member>\n          <name>faultString</name>\n          <value><string>${escapeXml(message)}</string></value>\n        </member>\n      </struct>\n    </value>\n  </fault>\n</methodResponse>\n`

/** A deleted shop's Pingback endpoint: a fault, with 410 Gone (src/sites/deleted.ts). */
export const goneFault = (message: string) =>
  new Response(faultXml({ code: FAULT.targetNotEnabled, message }), {
    status: 410,
    headers: { 'Content-Type': 'text/xml; charset=utf-8', 'Cache-Control': 'no-store' },
  })
