/**
 * A Movable Type export (also MTOS's, Serene Bach's and other forks'), a window of entries at a
 * time: each `PING:` section becomes a TrackBack voice about the entry — mapped by the entry's
 * basename, or the storefront pages its body links to — and comments only when the import asks
 * for them. The charset (UTF-8, Shift_JIS or EUC-JP) is detected from the first window, as the
 * TrackBack receiver detects a ping's, and rides in the position.
 */
import { type Charset, decodeStrict, detectCharset } from '../../common/charset'
import { readHtml } from '../../common/source-page'
import { isUnderOrigins } from '../../common/url'
import { readSettings } from '../../sites/settings'
import { readLocalDate } from '../formats/dates'
import { entrySpans, type MtEntry, readEntry } from '../formats/movable-type'
import { readWindow } from '../files'
import { type FormatReader, positionOf, type StepContext } from '../step'
import type { StepRecord } from '../voices'

const WINDOW_BYTES = 1024 * 1024
/** An entry is at most 1 MB (MAX_ENTRY_BYTES): a window twice that holds a whole one. */
const MAX_WINDOW_BYTES = 4 * 1024 * 1024
const ENTRIES_PER_STEP = 200

type Position = { at: number; charset: Charset }
const isPosition = (v: unknown): v is Position =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Position).at === 'number' &&
  typeof (v as Position).charset === 'string'

/** The bytes up to the window's last line feed (never inside a character in these charsets). */
function wholeLines(bytes: Uint8Array): Uint8Array {
  const end = bytes.lastIndexOf(0x0a)
  return end === -1 ? bytes : bytes.subarray(0, end + 1)
}

async function recordsOf(ctx: StepContext, entry: MtEntry, place: string): Promise<StepRecord[]> {
  const timeZone = readSettings(ctx.site.settings).time_zone
  const links = entry.body ? [...(await readHtml(entry.body, 'https://invalid.example/')).links] : []
  const about = [entry.basename, entry.title, ...links.filter((l) => isUnderOrigins(l, ctx.site.origins)), ...links]
  const pings = entry.pings.map((p, i): StepRecord => ({
    place: `${place}, ping ${i + 1}`,
    kind: 'trackback',
    source: p.url ?? '',
    about,
    at: readLocalDate(p.date, timeZone),
    fields: { title: p.title, excerpt: p.excerpt, blogName: p.blogName },
  }))
  const comments = entry.comments.map((c, i): StepRecord => {
    const at = `${place}, comment ${i + 1}`
    if (!ctx.row.options.comments)
      return { place: at, subject: c.author, outcome: 'skipped', reason: 'comment_not_asked' }
    return {
      place: at,
      kind: 'comment',
      source: null,
      about,
      at: readLocalDate(c.date, timeZone),
      key: `movable_type:${entry.basename ?? entry.title ?? ''}:${c.date ?? ''}:${c.author ?? ''}:${i}`,
      fields: { excerpt: c.text, authorName: c.author, authorUrl: c.url, title: entry.title },
    }
  })
  return [...pings, ...comments]
}

export const readMovableType: FormatReader = async (ctx) => {
  const size = ctx.row.fileBytes
  let position = positionOf(ctx.row.cursor, isPosition)
  const records: StepRecord[] = []
  let entries = 0
  let window = WINDOW_BYTES
  let at = position?.at ?? 0
  while (at < size && records.length < ctx.records && entries < ENTRIES_PER_STEP) {
    const read = await readWindow(ctx.bucket, ctx.key, at, window)
    if (!read) return { ok: false, reason: 'file_missing' }
    const atFileEnd = at + read.length >= size
    const bytes = atFileEnd ? read : wholeLines(read)
    if (!position) {
      const charset = detectCharset([bytes])
      if (charset === null || charset === 'iso-2022-jp') return { ok: false, reason: 'undecodable' }
      position = { at, charset }
    }
    const found = entrySpans(bytes, 0, Math.max(1, Math.min(50, ENTRIES_PER_STEP - entries)))
    // The last span of a window that is not the file's end may be cut: it is read again from its start.
    const spans = !atFileEnd && found.next === null ? found.spans.slice(0, -1) : found.spans
    if (spans.length === 0) {
      if (atFileEnd) {
        at = size
        break
      }
      if (window >= MAX_WINDOW_BYTES) return { ok: false, reason: 'malformed' }
      window *= 2
      continue
    }
    for (const span of spans) {
      entries++
      const place = `entry at byte ${at + span.start}`
      if (span.tooLarge) {
        records.push({ place, subject: null, outcome: 'refused', reason: 'entry_too_large' })
        continue
      }
      const text = decodeStrict(bytes.subarray(span.start, span.end), position.charset)
      if (text === null) {
        records.push({ place, subject: null, outcome: 'refused', reason: 'undecodable' })
        continue
      }
      const entry = readEntry(text)
      records.push(...(await recordsOf(ctx, entry, entry.basename ? `entry ${entry.basename}` : place)))
    }
    // Read to the file's end: done. Else on from the next entry (or the one a cut window left out).
    const last = spans.at(-1)
    if (atFileEnd && found.next === null) at = size
    else at += found.next !== null && spans.length === found.spans.length ? found.next : (last?.end ?? bytes.length)
    window = WINDOW_BYTES
  }
  const done = at >= size
  return {
    ok: true,
    records,
    cursor: done || !position ? null : JSON.stringify({ ...position, at } satisfies Position),
  }
}
