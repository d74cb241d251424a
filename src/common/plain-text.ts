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
 * One pass over the text, whatever it holds: a tag's name and attributes stop at the next `<` or
 * `>`, and a block or comment ends at its first close (or the end of the text). Patterns that
 * search on to the end from every `<` take quadratic time on text made of many unclosed ones.
 */
const BLOCK_OPEN = /<(script|style)\b[^<>]*>/gi
const CLOSE = { script: /<\/script\s*>/gi, style: /<\/style\s*>/gi, comment: /-->/g }
const COMMENT_OPEN = /<!--/g
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

/** The text with each span from an `open` match to its close (or to the end) replaced by a space. */
function withoutSpans(input: string, open: RegExp, closeOf: (m: RegExpExecArray) => RegExp): string {
  let out = ''
  let at = 0
  open.lastIndex = 0
  for (let m = open.exec(input); m !== null; m = open.exec(input)) {
    const close = closeOf(m)
    close.lastIndex = open.lastIndex
    const end = close.exec(input)
    out += `${input.slice(at, m.index)} `
    at = end === null ? input.length : close.lastIndex
    open.lastIndex = at
  }
  return out + input.slice(at)
}

export function toPlainText(input: string): string {
  const withoutBlocks = withoutSpans(input, BLOCK_OPEN, (m) =>
    (m[1] ?? '').toLowerCase() === 'style' ? CLOSE.style : CLOSE.script,
  )
  const withoutTags = withoutSpans(withoutBlocks, COMMENT_OPEN, () => CLOSE.comment).replace(TAG, tagBreak)
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
