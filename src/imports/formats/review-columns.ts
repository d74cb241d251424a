/**
 * Reviews from another service, as CSV: which column holds what. Glasshouse's own columns (those
 * of an export's reviews.csv among them, so one hub's reviews move to another), and
 * the columns of Judge.me's review CSV (the form it exports and imports) and of Okendo's import
 * template, each documented by the service. A file's header row names its columns; each of our
 * fields is the first of its names the header has (case and spacing aside).
 */
import { cellOf, matchColumns } from './csv'

export const REVIEW_FIELDS = [
  'id',
  'status',
  'product',
  'product_id',
  'sku',
  'rating',
  'title',
  'body',
  'author_name',
  'author_email',
  'date',
  'verified_purchase',
  'photo_urls',
] as const
export type ReviewField = (typeof REVIEW_FIELDS)[number]

/** Each field's column names, ours first. `product` is a product page's URL, handle, id or SKU. */
const NAMES: Record<ReviewField, readonly string[]> = {
  id: ['id', 'review_id', 'review id'],
  // A Glasshouse export's review status; PowerReviews-like "Review Status" reads the same way.
  status: ['status', 'review status'],
  product: [
    'product',
    'target_id',
    'product_url',
    'product_handle',
    'handle',
    'product_id',
    'productid',
    'sku',
    'page id',
  ],
  // A file with several product columns (Okendo's handle, productId and sku): each row's first non-blank one.
  product_id: ['product_id', 'productid'],
  sku: ['sku'],
  rating: ['rating', 'stars', 'review score', 'score'],
  title: ['title', 'review title'],
  body: ['body', 'review text', 'review content', 'content'],
  author_name: ['author_name', 'reviewer_name', 'name', 'review display', 'display name'],
  author_email: ['author_email', 'reviewer_email', 'email'],
  date: ['date', 'published_at', 'received_at', 'review_date', 'datecreated', 'review date', 'created_at'],
  verified_purchase: ['verified_purchase', 'verified buyer', 'isverifiedbuyer', 'verified'],
  photo_urls: ['photo_urls', 'photos', 'picture_urls', 'imageurls', 'image urls'],
}

const HANDLE_COLUMNS = new Set(['product_handle', 'handle'])

/** Which service a header looks like it came from: a column only that service names so. */
const SIGNATURES: readonly [string, string][] = [
  ['reviewer_email', 'judge.me'],
  ['picture_urls', 'judge.me'],
  ['datecreated', 'okendo'],
  ['imageurls', 'okendo'],
  ['author_email', 'glasshouse'],
  ['target_id', 'glasshouse'],
  ['verified_purchase', 'glasshouse'],
]

export type ReviewColumns = {
  /** Where each field is in a row (absent: the file has no such column). */
  at: Partial<Record<ReviewField, number>>
  source: 'glasshouse' | 'judge.me' | 'okendo' | 'other'
  /** The product column holds Shopify product handles (Judge.me's `product_handle`, Okendo's `handle`). */
  handles: boolean
  /** Columns no field uses: shown in the report, so nothing is dropped unseen. */
  unused: string[]
}

export type ColumnsRefusal = { missing: ReviewField[] }

/** The header's columns, or the fields a review cannot do without that it lacks. */
export function reviewColumns(header: readonly string[]): ReviewColumns | ColumnsRefusal {
  const matched = matchColumns(header, REVIEW_FIELDS, NAMES, ['product', 'rating', 'body'])
  if ('missing' in matched) return matched
  const source = (SIGNATURES.find(([name]) => matched.names.includes(name))?.[1] ?? 'other') as ReviewColumns['source']
  const product = matched.at.product === undefined ? '' : (matched.names[matched.at.product] ?? '')
  return { at: matched.at, source, handles: HANDLE_COLUMNS.has(product), unused: matched.unused }
}

export type ReviewRow = {
  id: string | null
  /** The first of `products`. */
  product: string
  /** The row's product cells that are not blank, the product column's first. */
  products: string[]
  /** The product column's cell when it holds a Shopify handle. */
  handle: string | null
  rating: number
  title: string | null
  body: string
  authorName: string | null
  authorEmail: string | null
  date: string | null
  verifiedPurchase: boolean | null
  photoUrls: string[]
}

export type RowRefusal = 'no_product' | 'rating_not_1_to_5' | 'no_body' | 'not_published'

/** Statuses a file may give a review that was public there (any other — removed, spam, pending… — stays out). */
const PUBLIC_STATUSES = new Set(['published', 'approved', 'publish'])

/** What a Glasshouse export wrote before a cell a spreadsheet would run as a formula. */
const NEUTRALISED = /^'(?=[=+\-@\t\r])/

const YES = new Set(['1', 'true', 'yes', 'y', 'verified', 'はい', '○'])
const NO = new Set(['0', 'false', 'no', 'n', 'いいえ', '×', ''])

/** One row as a review, or why it cannot be one. Cells are kept as written: the importer cleans them. */
export function reviewRow(row: readonly string[], columns: ReviewColumns): ReviewRow | RowRefusal {
  // A Glasshouse export neutralised formulas with an apostrophe: the review's own words come back without it.
  const clean = columns.source === 'glasshouse' ? (raw: string) => raw.replace(NEUTRALISED, '') : undefined
  const cell = (field: ReviewField) => cellOf(row, columns.at, field, clean)
  const status = cell('status')?.toLowerCase()
  if (status !== undefined && !PUBLIC_STATUSES.has(status)) return 'not_published'
  const products = [...new Set([cell('product'), cell('product_id'), cell('sku')].filter((p) => p !== null))]
  const [product] = products
  if (!product) return 'no_product'
  const rating = Number(cell('rating'))
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) return 'rating_not_1_to_5'
  const body = cell('body')
  if (!body) return 'no_body'
  const verified = cell('verified_purchase')?.toLowerCase() ?? ''
  return {
    id: cell('id'),
    product,
    products,
    handle: columns.handles ? cell('product') : null,
    rating,
    title: cell('title'),
    body,
    authorName: cell('author_name'),
    authorEmail: cell('author_email'),
    date: cell('date'),
    verifiedPurchase: YES.has(verified) ? true : NO.has(verified) ? (verified === '' ? null : false) : null,
    // Judge.me separates its picture URLs with commas, Okendo with commas or spaces.
    photoUrls: (cell('photo_urls') ?? '').split(/[\s,]+/).filter((u) => u !== ''),
  }
}
