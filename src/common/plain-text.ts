/**
 * Turns text that may carry markup into plain text for storage: tags stripped, entities
 * decoded, NUL and control characters removed, whitespace collapsed. What comes out is
 * still untrusted text: every page that shows it escapes it.
 *
 * A block element (p, div, br, li, a heading, a table cell, an image…) ends a word, so its tag
 * becomes a space; an inline one does not, so its tag just goes: Japanese has no spaces between
 * words, and `<a class="keyword">オーガニック</a>Tシャツ` (Hatena's keyword links) is one word, as a
 * browser shows it.
 */
import { decodeHTML } from 'entities'

// Control characters except tab, newline and carriage return (collapsed below anyway),
// plus the Unicode line/paragraph separators and BOM.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/g

/**
 * Spans whose content is not text a reader sees: script and style blocks (a word break), comments,
 * and ruby annotations — a reading (`<rt>`) and the parentheses shown without ruby support
 * (`<rp>`), which are nothing, as in `藍<rp>(</rp><rt>あい</rt><rp>)</rp>染め`, so the word is
 * `藍染め`. A span ends at its close; `<rt>` and `<rp>` (whose end tags HTML leaves optional) also
 * just before the next `<rt>`, `<rp>`, `<rtc>`, `</rtc>` or `</ruby>`; any span at the end of the
 * text when it is never closed.
 *
 * The whole text is read in one pass: each search starts where the last one ended, and a tag's name
 * and attributes stop at the next `<` or `>`. Patterns that search on to the end from every `<`
 * take quadratic time on text made of many unclosed ones.
 */
const SPAN_OPEN = /<(script|style|rt|rp|rtc)\b[^<>]*>|<!--/gi
const CLOSE = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
  comment: /-->/g,
  // A close, or (`<` alone, not consumed) the start of what ends the annotation.
  annotation: /<\/(?:rt|rp|rtc)\s*>|<(?=(?:rt|rp|rtc)\b|\/(?:rtc|ruby)\s*>)/gi,
}
const TAG = /<\/?[a-zA-Z][^<>]*>/g
const TAG_NAME = /^<\/?([a-zA-Z][a-zA-Z0-9]*)/

/** Elements that sit inside a line of text (HTML's phrasing content that holds text): not word breaks. */
const INLINE = new Set(
  (
    'a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark nobr q rb rp rt rtc ruby s samp small ' +
    'span strike strong sub sup time tt u var wbr'
  ).split(' '),
)

/** A tag's stand-in: nothing for an inline element, a space for anything else. */
const tagBreak = (tag: string) => (INLINE.has(TAG_NAME.exec(tag)?.[1]?.toLowerCase() ?? '') ? '' : ' ')

/** The text without its hidden spans: a script or style block leaves a space, a comment or annotation nothing. */
function withoutSpans(input: string): string {
  let out = ''
  let at = 0
  SPAN_OPEN.lastIndex = 0
  for (let m = SPAN_OPEN.exec(input); m !== null; m = SPAN_OPEN.exec(input)) {
    const name = m[1]?.toLowerCase()
    const close =
      name === undefined ? CLOSE.comment : name === 'script' || name === 'style' ? CLOSE[name] : CLOSE.annotation
    close.lastIndex = SPAN_OPEN.lastIndex
    const end = close.exec(input)
    out += input.slice(at, m.index) + (name === 'script' || name === 'style' ? ' ' : '')
    // A lone `<` (the next annotation, or the ruby's end) is not part of the span.
    at = end === null ? input.length : end[0] === '<' ? end.index : close.lastIndex
    SPAN_OPEN.lastIndex = at
  }
  return out + input.slice(at)
}

export function toPlainText(input: string): string {
  const withoutTags = withoutSpans(input).replace(TAG, tagBreak)
  return decodeHTML(withoutTags).replace(CONTROL, '').replace(/\s+/g, ' ').trim()
}

/**
 * Cuts text to `max` characters (code points, so no surrogate pair is split), ending in
 * `ellipsis` when cut. Movable Type cuts TrackBack excerpts to 252 + "...".
 */
export function truncate(text: string, max: number, ellipsis = '...'): string {
  const chars = Array.from(text)
  if (chars.length <= max) return text
  return (
    chars
      .slice(0, max - ellipsis.length)
      .join('')
      .trimEnd() + ellipsis
  )
}

/** Plain text cut to `max`, or null when nothing is left. */
export function cleanField(input: string | null | undefined, max: number): string | null {
  if (input == null) return null
  const text = truncate(toPlainText(input), max)
  return text === '' ? null : text
}
