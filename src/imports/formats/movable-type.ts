/**
 * The Movable Type export format (MT 3–7, MTOS, and the Japanese tools that write it, such as
 * Serene Bach): plain text, one entry after another, each ended by a line of eight dashes. An
 * entry opens with `KEY: value` lines, then sections ended by a line of five dashes; a section
 * begins with its name (`BODY:`, `COMMENT:`, `PING:`…) on a line of its own. A `PING:` section
 * is a TrackBack the entry received: `TITLE:`, `URL:`, `IP:`, `BLOG NAME:`, `DATE:` lines, then
 * its excerpt.
 *
 * Entries are found in the raw bytes (the separators are ASCII lines, which no byte of a
 * Shift_JIS, EUC-JP or UTF-8 character can imitate, and ISO-2022-JP returns to ASCII before each
 * line's end), so a long file is read a few entries at a time from any offset, and each entry is
 * decoded on its own with the file's charset.
 */

const ENTRY_END = '--------'
const SECTION_END = '-----'
const MULTILINE = new Set(['BODY', 'EXTENDED BODY', 'EXCERPT', 'KEYWORDS', 'COMMENT', 'PING'])
const PING_FIELDS = new Set(['TITLE', 'URL', 'IP', 'BLOG NAME', 'DATE'])
const COMMENT_FIELDS = new Set(['AUTHOR', 'EMAIL', 'URL', 'IP', 'DATE'])

/** An entry larger than this is refused rather than read (a real one is a few kilobytes). */
export const MAX_ENTRY_BYTES = 1024 * 1024

export type MtPing = {
  title: string | null
  url: string | null
  ip: string | null
  blogName: string | null
  /** As written: `MM/DD/YYYY hh:mm:ss AM` in the blog's time zone (./dates.ts reads it). */
  date: string | null
  excerpt: string
}

export type MtComment = {
  author: string | null
  email: string | null
  url: string | null
  ip: string | null
  date: string | null
  text: string
}

export type MtEntry = {
  title: string | null
  basename: string | null
  author: string | null
  status: string | null
  date: string | null
  /** BODY then EXTENDED BODY: the entry's own words, where its links to the shop are. */
  body: string
  pings: MtPing[]
  comments: MtComment[]
}

/** Where an entry lies in the file's bytes: `[start, end)`, its closing line left out. */
export type EntrySpan = { start: number; end: number; tooLarge: boolean }

/**
 * Up to `max` entries from byte `from`, and where the next read starts (null at the file's end).
 * Blank text between separators is no entry; text after the last one is, unless blank.
 */
export function entrySpans(bytes: Uint8Array, from: number, max: number): { spans: EntrySpan[]; next: number | null } {
  if (max < 1) throw new RangeError('entrySpans reads at least one entry')
  const spans: EntrySpan[] = []
  let start = Math.max(0, from)
  let lineStart = start
  while (lineStart < bytes.length && spans.length < max) {
    let lineEnd = bytes.indexOf(0x0a, lineStart)
    if (lineEnd === -1) lineEnd = bytes.length
    if (isLine(bytes, lineStart, lineEnd, ENTRY_END)) {
      if (!isBlank(bytes, start, lineStart)) spans.push(span(start, lineStart))
      start = lineEnd + 1
    }
    lineStart = lineEnd + 1
  }
  if (spans.length < max && start < bytes.length) {
    if (!isBlank(bytes, start, bytes.length)) spans.push(span(start, bytes.length))
    return { spans, next: null }
  }
  return { spans, next: start >= bytes.length ? null : start }
}

const span = (start: number, end: number): EntrySpan => ({ start, end, tooLarge: end - start > MAX_ENTRY_BYTES })

/** The line `[start, end)` is `text` (a CR before the line feed allowed, and trailing spaces). */
function isLine(bytes: Uint8Array, start: number, end: number, text: string): boolean {
  let last = end
  while (last > start && (bytes[last - 1] === 0x0d || bytes[last - 1] === 0x20)) last--
  if (last - start !== text.length) return false
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false
  return true
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i]
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x09) return false
  }
  return true
}

/** `KEY: value` → [KEY, value]; null when the line is not one. */
function keyValue(line: string): [string, string] | null {
  const m = /^([A-Z][A-Z ]*?):(?: (.*))?$/.exec(line)
  return m?.[1] ? [m[1], (m[2] ?? '').trim()] : null
}

/** Reads one decoded entry. Unknown keys and sections are passed over, as Movable Type does. */
export function readEntry(text: string): MtEntry {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const meta = new Map<string, string>()
  const entry: MtEntry = {
    title: null,
    basename: null,
    author: null,
    status: null,
    date: null,
    body: '',
    pings: [],
    comments: [],
  }
  let i = 0
  // The header: KEY: value lines up to the first section's end (or straight into a section).
  for (; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.trimEnd() === SECTION_END) {
      i++
      break
    }
    const kv = keyValue(line)
    if (kv && MULTILINE.has(kv[0]) && kv[1] === '') break
    if (kv && !meta.has(kv[0])) meta.set(kv[0], kv[1])
  }
  const body: string[] = []
  while (i < lines.length) {
    // Movable Type leaves a blank line between sections.
    if ((lines[i] ?? '').trim() === '') {
      i++
      continue
    }
    const kv = keyValue(lines[i] ?? '')
    i++
    const content: string[] = []
    for (; i < lines.length && (lines[i] ?? '').trimEnd() !== SECTION_END; i++) content.push(lines[i] ?? '')
    i++ // past the section's end
    if (!kv) continue
    const [name, rest] = kv
    if (name === 'BODY' || name === 'EXTENDED BODY') body.push([rest, ...content].join('\n').trim())
    else if (name === 'PING') entry.pings.push(readPing(content))
    else if (name === 'COMMENT') entry.comments.push(readComment(content))
  }
  entry.title = meta.get('TITLE') ?? null
  entry.basename = meta.get('BASENAME') ?? null
  entry.author = meta.get('AUTHOR') ?? null
  entry.status = meta.get('STATUS') ?? null
  entry.date = meta.get('DATE') ?? null
  entry.body = body.filter((b) => b !== '').join('\n\n')
  return entry
}

/** A section's leading `KEY: value` lines among `known`, and the text after them. */
function fieldsAndText(content: string[], known: ReadonlySet<string>): [Map<string, string>, string] {
  const fields = new Map<string, string>()
  let i = 0
  for (; i < content.length; i++) {
    const kv = keyValue(content[i] ?? '')
    if (!kv || !known.has(kv[0])) break
    if (!fields.has(kv[0])) fields.set(kv[0], kv[1])
  }
  return [fields, content.slice(i).join('\n').trim()]
}

const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value)

function readPing(content: string[]): MtPing {
  const [f, excerpt] = fieldsAndText(content, PING_FIELDS)
  return {
    title: orNull(f.get('TITLE')),
    url: orNull(f.get('URL')),
    ip: orNull(f.get('IP')),
    blogName: orNull(f.get('BLOG NAME')),
    date: orNull(f.get('DATE')),
    excerpt,
  }
}

function readComment(content: string[]): MtComment {
  const [f, text] = fieldsAndText(content, COMMENT_FIELDS)
  return {
    author: orNull(f.get('AUTHOR')),
    email: orNull(f.get('EMAIL')),
    url: orNull(f.get('URL')),
    ip: orNull(f.get('IP')),
    date: orNull(f.get('DATE')),
    text,
  }
}
