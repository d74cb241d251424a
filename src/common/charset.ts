/**
 * Charset handling for bytes that arrive in whatever encoding the sender's blog uses —
 * Japanese blogs still send Shift_JIS (CP932), EUC-JP and ISO-2022-JP.
 *
 * `TextDecoder` knows the WHATWG labels only; blog software sends others (`CP932`,
 * `EUC_JP`, `Shift-JIS ` with spaces, comma lists). `normalizeCharset` maps those, and
 * `decodeStrict` never guesses: undecodable bytes are an error, never stored mojibake.
 */
import { parameterOf } from './media-type'

export type Charset = 'utf-8' | 'shift_jis' | 'euc-jp' | 'iso-2022-jp' | (string & {})

/** Labels TextDecoder does not know, or knows under another name, seen from blog software. */
const ALIASES: Record<string, Charset> = {
  cp932: 'shift_jis',
  ms932: 'shift_jis',
  'ibm-943': 'shift_jis',
  'windows-932': 'shift_jis',
  'windows-31j': 'shift_jis',
  sjis: 'shift_jis',
  'sjis-win': 'shift_jis',
  'sjis-open': 'shift_jis',
  'sjis-mobile': 'shift_jis',
  'shift-jis': 'shift_jis',
  shiftjis: 'shift_jis',
  x_sjis: 'shift_jis',
  'x-sjis': 'shift_jis',
  euc_jp: 'euc-jp',
  eucjp: 'euc-jp',
  'eucjp-win': 'euc-jp',
  'eucjp-ms': 'euc-jp',
  'eucjp-open': 'euc-jp',
  cp51932: 'euc-jp',
  'x-euc-jp': 'euc-jp',
  ujis: 'euc-jp',
  jis: 'iso-2022-jp',
  iso2022jp: 'iso-2022-jp',
  iso_2022_jp: 'iso-2022-jp',
  'iso-2022-jp-ms': 'iso-2022-jp',
  cp50220: 'iso-2022-jp',
  cp50221: 'iso-2022-jp',
  cp50222: 'iso-2022-jp',
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  // ASCII is a subset of UTF-8; WHATWG would map it to windows-1252 instead, which turns
  // the UTF-8 that such senders really send into mojibake.
  ascii: 'utf-8',
  'us-ascii': 'utf-8',
}

/** Encodings refused outright: UTF-7 smuggles markup past filters (WordPress refuses it too). */
const REFUSED = /^(utf-?7|x-utf-?7|unicode-1-1-utf-7|csunicode11utf7)$/

export type CharsetLabel = { ok: true; charset: Charset } | { ok: false; label: string }

/**
 * Maps a charset label as blog software sends it to a label TextDecoder accepts:
 * trims, strips quotes, takes the first of a comma list, and applies known aliases.
 */
export function normalizeCharset(raw: string): CharsetLabel {
  const label = (raw.split(',')[0] ?? '')
    .trim()
    .replace(/^["']|["']$/g, '')
    .trim()
    .toLowerCase()
  if (label === '' || REFUSED.test(label)) return { ok: false, label: raw.trim() }
  const alias = ALIASES[label] ?? ALIASES[label.replace(/\s+/g, '')]
  if (alias) return { ok: true, charset: alias }
  try {
    return { ok: true, charset: new TextDecoder(label).encoding }
  } catch {
    return { ok: false, label: raw.trim() }
  }
}

/** The `charset` parameter of a Content-Type header, if any. */
export const charsetFromContentType = (contentType: string | null | undefined): string | null =>
  parameterOf(contentType, 'charset')

/** Decodes bytes, or returns null when they are not valid in `charset`. */
export function decodeStrict(bytes: Uint8Array, charset: Charset): string | null {
  try {
    return new TextDecoder(charset, { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return null
  }
}

const ESC = 0x1b

/** ISO-2022-JP switches character sets with ESC $ @, ESC $ B, ESC ( J, ESC ( B, ESC ( I. */
function hasIso2022JpEscapes(bytes: Uint8Array): boolean {
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (bytes[i] !== ESC) continue
    const a = bytes[i + 1]
    const b = bytes[i + 2]
    if (a === 0x24 && (b === 0x40 || b === 0x42)) return true
    if (a === 0x28 && (b === 0x42 || b === 0x4a || b === 0x49)) return true
  }
  return false
}

/**
 * How Japanese a decoded text looks: kana and common kanji score, half-width katakana
 * and private-use or rare characters count against. EUC-JP text read as Shift_JIS turns
 * into half-width katakana soup, and Shift_JIS read as EUC-JP into rare kanji.
 */
function japaneseScore(text: string): number {
  let score = 0
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0
    if (cp < 0x80) continue
    if (cp >= 0x3040 && cp <= 0x30ff)
      score += 2 // hiragana, katakana
    else if (cp >= 0x3000 && cp <= 0x303f)
      score += 1 // CJK punctuation
    else if (cp >= 0x4e00 && cp <= 0x9fff)
      score += 1 // CJK ideographs
    else if (cp >= 0xff01 && cp <= 0xff5e)
      score += 1 // full-width ASCII
    else if (cp >= 0xff61 && cp <= 0xff9f)
      score -= 1 // half-width katakana
    else score -= 2
  }
  return score
}

/**
 * Picks the charset of undeclared bytes, in WordPress's order of trust: ISO-2022-JP
 * escapes (7-bit, so they would otherwise pass as UTF-8), valid UTF-8, then EUC-JP
 * against Shift_JIS by which decodes cleanly and reads more like Japanese.
 * Returns null when no candidate decodes every value.
 */
export function detectCharset(values: readonly Uint8Array[]): Charset | null {
  const all = concat(values)
  if (hasIso2022JpEscapes(all)) return 'iso-2022-jp'
  const decodesAll = (charset: Charset) => values.every((v) => decodeStrict(v, charset) !== null)
  if (decodesAll('utf-8')) return 'utf-8'
  const candidates = (['euc-jp', 'shift_jis'] as const).filter(decodesAll)
  const [first, ...others] = candidates
  if (first === undefined) return null
  if (others.length === 0) return first
  const score = (charset: Charset) => values.reduce((sum, v) => sum + japaneseScore(decodeStrict(v, charset) ?? ''), 0)
  return score('euc-jp') >= score('shift_jis') ? 'euc-jp' : 'shift_jis'
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length + 1 // a zero gap, so an escape cannot span two values
  }
  return out
}
