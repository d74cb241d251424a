/**
 * Turns text that may carry markup into plain text for storage: tags stripped, entities
 * decoded, NUL and control characters removed, whitespace collapsed. What comes out is
 * still untrusted text: every page that shows it escapes it.
 */
import { decodeHTML } from 'entities'

// Control characters except tab, newline and carriage return (collapsed below anyway),
// plus the Unicode line/paragraph separators and BOM.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/g

export function toPlainText(input: string): string {
  const withoutBlocks = input.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
  const withoutTags = withoutBlocks.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
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
