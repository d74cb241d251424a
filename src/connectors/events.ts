/**
 * What a platform's webhook says, in the hub's words: an order (placed, paid, delivered,
 * cancelled, refunded), a refund, a product made, changed or deleted, or a privacy request.
 * Each platform's reader (./platforms/) makes these from its own payloads; the queue's consumer
 * (./apply.ts) does the work. The buyer's address is sealed before an event is stored or queued.
 */
import { MAX_AMOUNT } from '../affiliates/commissions/money'

export type OrderFacts = {
  /** The platform's order id (stable; what invitations and conversions are keyed by). */
  orderId: string
  /** What staff call it: Shopify's "#1001", WooCommerce's number. */
  label: string
  emailSealed: string | null
  name: string | null
  lang: 'en' | 'ja' | null
  /** The platform's product ids of its lines, each once. */
  products: string[]
  currency: string
  /** The sale's amount in minor units: the items after discounts, before shipping and tax. */
  amount: number | null
  paidAt: number | null
  deliveredAt: number | null
  cancelled: boolean
  /** The order was refunded whole (WooCommerce's `refunded` status). */
  refundedWhole: boolean
  /** Refunds listed in the order itself (WooCommerce), each with its own key. */
  refunds: { key: string; amount: number }[]
  /** The affiliate click id the storefront kept with the order (its attributes or its landing address). */
  clickId: string | null
  /**
   * When the platform last changed the order (Shopify's `updated_at`, WooCommerce's
   * `date_modified_gmt`): a delivery of an older version, arriving late, changes nothing.
   */
  changedAt: number | null
}

export type ProductFacts = {
  productId: string
  title: string
  /** The product's page on the storefront; null when the payload names none. */
  url: string | null
  /** Published and for sale (not a draft, archived or private product). */
  live: boolean
  /** Its tags and categories (names and slugs), for the site's "which products are targets" setting. */
  labels: string[]
  /**
   * When the platform last changed it (Shopify's `updated_at`, WooCommerce's `date_modified_gmt`):
   * an older version arriving later — out of order, or replayed — changes nothing.
   */
  changedAt: number | null
}

export type ShopEvent =
  | { kind: 'order'; order: OrderFacts }
  | { kind: 'refund'; orderId: string; key: string; amount: number; currency: string }
  | { kind: 'product'; product: ProductFacts }
  | { kind: 'product_deleted'; productId: string }
  | { kind: 'redact_customer'; emailSealed: string | null; orderIds: string[] }
  | { kind: 'redact_shop' }

/** What a reader makes of a delivery: an event, or a topic the hub does not use. */
export type ReadDelivery = { event: ShopEvent; subject: string | null } | { ignored: true; subject: string | null }

/** Digits after the decimal point of a currency's amounts (JPY 0, USD 2, KWD 3), from the runtime's ICU data. */
function minorDigits(currency: string): number | null {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? null
  } catch {
    return null
  }
}

/**
 * A platform's decimal amount ("1980", "19.80", 19.8) in minor units of `currency`, rounded half
 * up; null when it is not a plain non-negative decimal, or is more than MAX_AMOUNT.
 */
export function decimalToMinor(value: unknown, currency: string): number | null {
  const digits = minorDigits(currency)
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value
  if (digits === null || typeof text !== 'string') return null
  const m = /^\s*([0-9]{1,15})(?:\.([0-9]{0,12}))?\s*$/.exec(text)
  if (!m) return null
  const fraction = m[2] ?? ''
  const kept = BigInt((m[1] ?? '0') + fraction.padEnd(digits, '0').slice(0, digits))
  const rounded = Number(fraction.charAt(digits) >= '5' ? kept + 1n : kept)
  return rounded <= MAX_AMOUNT ? rounded : null
}

/** A platform's date ("2026-12-01T10:00:00+09:00", or WooCommerce's GMT "2026-12-01T01:00:00") as ms; null if none. */
export function dateOf(value: unknown, utcWithoutZone = false): number | null {
  if (typeof value !== 'string' || value === '') return null
  const zoned = utcWithoutZone && !/(Z|[+-]\d\d:?\d\d)$/i.test(value) ? `${value}Z` : value
  const at = Date.parse(zoned)
  return Number.isFinite(at) ? at : null
}

/** The buyer's language from a platform locale ("ja", "ja-JP", "en-US"); null for others. */
export function langOf(locale: unknown): 'en' | 'ja' | null {
  if (typeof locale !== 'string') return null
  const base = locale.toLowerCase().split(/[-_]/)[0]
  return base === 'ja' || base === 'en' ? base : null
}

/** A person's name as they are addressed: family name first in Japanese. */
export function personName(first: unknown, last: unknown, lang: 'en' | 'ja' | null): string | null {
  const parts = [first, last].map((p) => (typeof p === 'string' ? p.trim() : '')).filter((p) => p !== '')
  if (parts.length === 0) return null
  const ordered = lang === 'ja' || /[\u3040-\u30ff\u4e00-\u9fff]/.test(parts.join('')) ? parts.reverse() : parts
  return ordered.join(' ').slice(0, 100)
}

/** An id as the platforms send it (a JSON number or string) as text; null when it is neither. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value)
  if (typeof value === 'string' && /^[A-Za-z0-9_:/.-]{1,100}$/.test(value.trim())) return value.trim()
  return null
}

/** The click id in a landing address's query (`?gh_click=…`, relative or absolute), or null. */
export function clickInAddress(address: unknown, param: string): string | null {
  if (typeof address !== 'string' || address === '') return null
  try {
    const value = new URL(address, 'https://storefront.invalid/').searchParams.get(param)
    return value && value.length <= 40 ? value : null
  } catch {
    return null
  }
}
