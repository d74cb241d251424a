/**
 * The form the phrase lists read: NFKC (half-width katakana and full-width Latin letters and digits
 * become their usual forms), lower case, katakana as hiragana (イマイチ and いまいち are one word),
 * with a map back to the original text so an explanation quotes the voice's own words.
 */

const KATAKANA = /[\u30a1-\u30f6]/g

/** Katakana as hiragana; used on the phrase lists' sources too. */
export const toHiragana = (s: string) => s.replace(KATAKANA, (k) => String.fromCharCode(k.charCodeAt(0) - 0x60))

export type Folded = {
  text: string
  /** For each code unit of `text`, the index in the original text it came from. */
  from: number[]
}

/** Typographic apostrophes read as the plain one (didn’t is didn't). */
const QUOTES = /[\u2018\u2019\u02bc\u2032]/g

const COMBINING_KANA_MARK = /^[\u3099\u309a]$/

/** Characters NFKC and lower case leave as they are: most of what Japanese and English text holds. */
const plain = (code: number) =>
  (code >= 0x20 && code < 0x41) ||
  (code > 0x5a && code < 0x7f) ||
  (code >= 0x3041 && code <= 0x3096) ||
  (code >= 0x4e00 && code <= 0x9fff) ||
  code === 0x3001 ||
  code === 0x3002 ||
  code === 0x30fc

export function fold(original: string): Folded {
  const out: string[] = []
  const from: number[] = []
  let at = 0
  for (const ch of original) {
    const code = ch.charCodeAt(0)
    let folded: string
    if (plain(code)) folded = ch
    else if (code >= 0x30a1 && code <= 0x30f6) folded = String.fromCharCode(code - 0x60)
    else folded = toHiragana(ch.normalize('NFKC').toLowerCase()).replace(QUOTES, "'")
    // A half-width voiced mark (ｶﾞ) joins the kana before it.
    if (COMBINING_KANA_MARK.test(folded) && out.length > 0) {
      const joined = ((out.at(-1) ?? '') + folded).normalize('NFC')
      if (joined.length === 1) {
        out[out.length - 1] = joined
        at += ch.length
        continue
      }
    }
    if (folded === '') folded = ' '
    out.push(folded)
    for (let i = 0; i < folded.length; i++) from.push(at)
    at += ch.length
  }
  from.push(original.length)
  return { text: out.join(''), from }
}

/** The stretch of the original text that `[start, end)` of its folded form came from. */
export function originalOf(original: string, folded: Folded, start: number, end: number): string {
  const last = folded.from[end] ?? original.length
  return original.slice(folded.from[start] ?? 0, last)
}
