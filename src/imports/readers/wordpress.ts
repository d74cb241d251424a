/**
 * A WordPress export (WXR), a window of items at a time: each item's TrackBacks and Pingbacks
 * become voices about the post they were on (its address, mapped to a target, or the storefront
 * pages its words link to); ordinary comments only when the import asks for them, as kind
 * `comment`. The prologue is read by the first step; its charset and blog address ride in the
 * position.
 */
import { readHtml } from '../../common/source-page'
import { cleanField } from '../../common/plain-text'
import { isUnderOrigins } from '../../common/url'
import type { Charset } from '../../common/charset'
import { readSettings } from '../../sites/settings'
import { readLocalDate } from '../formats/dates'
import {
  MAX_PROLOGUE_BYTES,
  readItem,
  readPrologue,
  scanItems,
  type WxrComment,
  type WxrItem,
} from '../formats/wordpress'
import { readWindow } from '../files'
import { type FormatReader, positionOf, type StepContext } from '../step'
import type { StepRecord, VoiceRecord } from '../voices'

/** Bytes read at a time; a window is doubled up to MAX_ITEM_BYTES for an item larger than it. */
const WINDOW_BYTES = 1024 * 1024
const MAX_ITEM_BYTES = 8 * 1024 * 1024
/** Items one step reads at most, with comments or not (a blog's pages and menus have none). */
const ITEMS_PER_STEP = 200

type Position = { at: number; charset: Charset; blog: string | null }
const isPosition = (v: unknown): v is Position =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Position).at === 'number' &&
  typeof (v as Position).charset === 'string'

const LINKBACK_TYPES: Record<string, VoiceRecord['kind']> = { trackback: 'trackback', pingback: 'pingback' }

/** WordPress writes `0000-00-00 00:00:00` for no date; `date_gmt` is UTC, `date` the blog's own clock. */
function dateOf(c: WxrComment, timeZone: string): number | null {
  return readLocalDate(c.dateGmt, 'UTC') ?? readLocalDate(c.date, timeZone)
}

/** A TrackBack's comment is `<strong>title</strong>` then the excerpt; a Pingback's is the excerpt, its author the page's title. */
function linkbackText(c: WxrComment, kind: VoiceRecord['kind']) {
  if (kind === 'trackback') {
    const m = /^\s*<strong>([\s\S]*?)<\/strong>\s*([\s\S]*)$/i.exec(c.content)
    return { title: m?.[1] ?? null, excerpt: m ? m[2] : c.content, blogName: c.author }
  }
  return { title: c.author, excerpt: c.content, blogName: null }
}

const SKIPPED_STATES: Record<string, string> = {
  '0': 'not_approved',
  spam: 'spam_on_old_blog',
  trash: 'trashed_on_old_blog',
}

async function recordsOf(ctx: StepContext, item: WxrItem, blog: string | null, itemAt: number): Promise<StepRecord[]> {
  if (item.comments.length === 0) return []
  const timeZone = readSettings(ctx.site.settings).time_zone
  const base = item.link ?? blog ?? 'https://invalid.example/'
  // The storefront pages the post's words link to, after the post's own address.
  const links = item.content ? [...(await readHtml(item.content, base)).links] : []
  const about = [item.link, ...links.filter((l) => isUnderOrigins(l, ctx.site.origins)), ...links]
  const post = item.postId ? `post ${item.postId}` : `item at byte ${itemAt}`
  return item.comments.map((c): StepRecord => {
    const place = `${post}, comment ${c.id ?? '?'}`
    const skipped = SKIPPED_STATES[c.approved]
    const type = c.type === '' ? 'comment' : c.type
    const kind = LINKBACK_TYPES[type] ?? (type === 'comment' ? 'comment' : null)
    const subject = kind === 'comment' ? c.author : c.authorUrl
    if (kind === null) return { place, subject, outcome: 'skipped', reason: 'other_comment_type' }
    if (skipped) return { place, subject, outcome: 'skipped', reason: skipped }
    const at = dateOf(c, timeZone)
    if (kind === 'comment') {
      if (!ctx.row.options.comments) return { place, subject, outcome: 'skipped', reason: 'comment_not_asked' }
      return {
        place,
        kind,
        source: null,
        about,
        at,
        key: `wordpress:${blog ?? ''}:${c.id ?? `${item.postId ?? itemAt}:${c.dateGmt ?? c.date ?? ''}`}`,
        fields: {
          excerpt: c.content,
          authorName: c.author,
          authorUrl: c.authorUrl,
          title: cleanField(item.title, 300),
        },
      }
    }
    return {
      place,
      kind,
      source: c.authorUrl ?? '',
      about,
      at,
      fields: { ...linkbackText(c, kind), sourcePublished: at === null ? null : new Date(at).toISOString() },
    }
  })
}

export const readWordpress: FormatReader = async (ctx) => {
  let position = positionOf(ctx.row.cursor, isPosition)
  let origin: string | null | undefined
  if (!position) {
    const head = await readWindow(ctx.bucket, ctx.key, 0, MAX_PROLOGUE_BYTES + WINDOW_BYTES)
    if (!head) return { ok: false, reason: 'file_missing' }
    const prologue = readPrologue(head)
    if ('reason' in prologue) return { ok: false, reason: prologue.reason }
    position = { at: prologue.itemsFrom, charset: prologue.charset, blog: prologue.blogUrl }
    origin = prologue.blogUrl
  }
  const records: StepRecord[] = []
  let at = position.at
  let window = WINDOW_BYTES
  let items = 0
  while (records.length < ctx.records && items < ITEMS_PER_STEP) {
    const bytes = await readWindow(ctx.bucket, ctx.key, at, window)
    if (!bytes) return { ok: false, reason: 'file_missing' }
    const atFileEnd = at + bytes.length >= ctx.row.fileBytes
    const scan = scanItems(bytes, Math.max(1, Math.min(5, ctx.records - records.length)), position.charset)
    items += scan.spans.length
    for (const span of scan.spans) {
      const item = readItem(bytes.subarray(span.start, span.end), position.charset)
      const itemAt = at + span.start
      if (!item)
        records.push({ place: `item at byte ${itemAt}`, subject: null, outcome: 'refused', reason: 'malformed_item' })
      else records.push(...(await recordsOf(ctx, item, position.blog, itemAt)))
    }
    if (scan.end) return { ok: true, records, cursor: null, origin }
    if (scan.spans.length === 0) {
      // A file that ends without closing its channel ends here; an item larger than the window gets a larger one.
      if (atFileEnd) return { ok: true, records, cursor: null, origin }
      if (window >= MAX_ITEM_BYTES) return { ok: false, reason: 'item_too_large' }
      window *= 2
      continue
    }
    at += scan.consumed
    window = WINDOW_BYTES
  }
  return { ok: true, records, cursor: JSON.stringify({ ...position, at } satisfies Position), origin }
}
