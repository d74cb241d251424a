/**
 * Reviews from another service as CSV — Judge.me's review CSV, Okendo's import template or
 * Glasshouse's own columns (../formats/review-columns.ts) — read a window of rows at a time: each
 * row becomes a published review about its product with its stars, date, verified-purchase flag,
 * reviewer's name and photos, or a line saying why not. A review has no source page: it is known
 * by an idempotency key (the service's review id, else a hash of its product, author, date and
 * words), so the same file imported again adds nothing. A header without the columns a review
 * needs stops the import, naming them.
 */
import { sha256Hex } from '../../common/crypto'
import { fetchableUrl } from '../../common/url'
import { photoStore } from '../../reviews/photos/photos'
import { readSettings } from '../../sites/settings'
import { targetsOf } from '../../targets/store'
import { readLocalDate } from '../formats/dates'
import {
  type ReviewColumns,
  reviewColumns,
  type ReviewRow,
  reviewRow,
  type RowRefusal,
} from '../formats/review-columns'
import { storeImportedPhotos } from '../review-photos'
import { MAX_PHOTOS } from '../../reviews/photos/photos'
import { type FormatReader, type StepContext } from '../step'
import { importedKeys } from '../store'
import type { StepRecord, VoiceRecord } from '../voices'
import { type CsvRow, readCsvRows } from './csv-file'

/** Photos one step fetches at most: a file full of photos is read a few rows a step. */
export const PHOTOS_PER_STEP = 12

/** The longest review id kept as it is in the key (a longer one is hashed). */
const MAX_ID_CHARS = 200

type Row = { number: number; review: ReviewRow | RowRefusal }

/** How many of `rows` (at least one) a step takes before their photos pass the step's budget. */
function rowsWithinBudget(rows: readonly Row[]): number {
  let photos = 0
  for (const [i, row] of rows.entries()) {
    if (typeof row.review === 'string') continue
    photos += Math.min(row.review.photoUrls.length, MAX_PHOTOS)
    if (photos > PHOTOS_PER_STEP) return Math.max(1, i)
  }
  return rows.length
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$|^\d{1,2}\/\d{1,2}\/\d{4}$/
const ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z| ?UTC| ?GMT| ?[+-]\d{2}:?\d{2})$/i

/**
 * A review's date: ISO 8601 with a zone or offset (Glasshouse, Okendo), `YYYY-MM-DD hh:mm:ss UTC`
 * (Judge.me), or a date (YYYY-MM-DD, YYYY/MM/DD, MM/DD/YYYY) or date and time without a zone, read
 * in the shop's time zone. Null: not read.
 */
export function readReviewDate(raw: string | null, timeZone: string): number | null {
  if (raw === null) return null
  // 2019/06/01, as Japanese spreadsheets write a date, is 2019-06-01.
  const text = raw.replace(/^(\d{4})\/(\d{1,2})\/(\d{1,2})/, (_, y: string, m: string, d: string) => {
    return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
  })
  if (DATE_ONLY.test(text)) return readLocalDate(`${text} 00:00:00`, timeZone)
  const local = readLocalDate(text, timeZone)
  if (local !== null || !ZONED.test(text)) return local
  const iso = text
    .replace(' ', 'T')
    .replace(/ ?(?:UTC|GMT)$/i, 'Z')
    .replace(/ ?([+-]\d{2}):?(\d{2})$/, '$1:$2')
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : ms
}

/** The row's idempotency key: the service and its review id, else a hash of what the review is. */
async function keyOf(source: ReviewColumns['source'], r: ReviewRow): Promise<string> {
  if (r.id !== null && r.id.length <= MAX_ID_CHARS) return `reviews_csv:${source}:${r.id}`
  const what = r.id ?? [r.product, r.authorName ?? '', r.date ?? '', r.body].join('\n')
  return `reviews_csv:${source}:sha256:${await sha256Hex(what)}`
}

/**
 * What a row's product cells may name, in order: each cell itself (a storefront URL, or a handle,
 * id or SKU the import's `targets` map names) and the page of the shop's target whose id it is;
 * last, for a Shopify handle (Judge.me's `product_handle`, Okendo's `handle`), the page
 * `{first origin}/products/{handle}` — a guess, but that is where Shopify shows a product.
 */
function aboutOf(ctx: StepContext, review: ReviewRow, targetUrls: Map<string, string>): string[] {
  const about = review.products.flatMap((p) => {
    const url = targetUrls.get(p)
    return url && !fetchableUrl(p) ? [p, url] : [p]
  })
  const origin = ctx.site.origins[0]
  const { handle } = review
  if (handle && origin && !fetchableUrl(handle) && !/[\s/?#]/.test(handle))
    about.push(`${origin}/products/${encodeURIComponent(handle)}`)
  return about
}

export const readReviewsCsv: FormatReader = async (ctx) => {
  let read = await readCsvRows(ctx, ctx.records)
  if (!read.ok) return read
  const columns = reviewColumns(read.header)
  if ('missing' in columns) return { ok: false, reason: `missing_columns:${columns.missing.join(',')}` }
  let rows: Row[] = read.rows.map((r: CsvRow) => ({ number: r.number, review: reviewRow(r.cells, columns) }))
  const within = rowsWithinBudget(rows)
  if (within < rows.length) {
    // The step ends before the row whose photos would pass the budget: read again to learn where that row starts.
    read = await readCsvRows(ctx, within)
    if (!read.ok) return read
    rows = rows.slice(0, within)
  }
  const reviews = rows.flatMap((r) => (typeof r.review === 'string' ? [] : [r.review]))
  const targets = await targetsOf(
    ctx.db,
    ctx.site.id,
    reviews.flatMap((r) => r.products.filter((p) => !fetchableUrl(p))),
  )
  const targetUrls = new Map(targets.map((t) => [t.id, t.url]))
  const keys = new Map(await Promise.all(reviews.map(async (r) => [r, await keyOf(columns.source, r)] as const)))
  const withPhotos = reviews.filter((r) => r.photoUrls.length > 0)
  const known = await importedKeys(
    ctx.db,
    ctx.site.id,
    withPhotos.map((r) => keys.get(r) ?? ''),
  )
  const timeZone = readSettings(ctx.site.settings).time_zone
  const store = photoStore({ PHOTOS: ctx.bucket })

  const records: StepRecord[] = []
  for (const { number, review } of rows) {
    const place = `row ${number}`
    if (typeof review === 'string') {
      records.push({
        place,
        subject: null,
        outcome: review === 'not_published' ? 'skipped' : 'refused',
        reason: review,
      })
      continue
    }
    const key = keys.get(review) ?? ''
    const about = aboutOf(ctx, review, targetUrls)
    const at = readReviewDate(review.date, timeZone)
    let note = review.date !== null && at === null ? 'date_unreadable' : undefined
    const record: VoiceRecord = {
      place,
      kind: 'review',
      source: null,
      about,
      at,
      key,
      fields: {
        title: review.title,
        excerpt: review.body,
        authorName: review.authorName,
        rating: review.rating,
        verifiedPurchase: review.verifiedPurchase ?? false,
      },
    }
    const target = await ctx.findTarget(about)
    if ('refused' in target) {
      // A product nothing places (neither a page of the shop nor a mapped name) is said in a review's words.
      const reason =
        target.refused === 'no_address' || target.refused === 'not_mapped' ? 'product_not_found' : target.refused
      records.push({ place, subject: review.authorName, outcome: 'refused', reason })
      continue
    }
    // Photos are fetched only for a review this import will add: new, and about one of the shop's targets.
    if (review.photoUrls.length > 0 && store && !known.has(key)) {
      const stored = await storeImportedPhotos(store, ctx.policy, ctx.site.id, key, review.photoUrls)
      record.fields = { ...record.fields, photos: stored.photos }
      note ??= stored.problem ?? undefined
    }
    records.push(note ? { ...record, note } : record)
  }
  return {
    ok: true,
    records,
    cursor: read.cursor,
    origin: ctx.row.cursor === null && columns.source !== 'other' ? columns.source : undefined,
  }
}
