/**
 * Shopify's webhooks (store admin → Settings → Notifications → Webhooks, or an app's
 * subscriptions), read from the payloads of Shopify's Admin REST resources: Order, Refund,
 * Product, and the mandatory privacy topics. Only the fields named here are read; the rest of a
 * payload is ignored, and a field of the wrong type reads as absent.
 */
import * as v from 'valibot'

import {
  clickInAddress,
  dateOf,
  decimalToMinor,
  idOf,
  langOf,
  type OrderFacts,
  personName,
  type ReadDelivery,
} from '../events'
import type { ReaderContext } from './context'

const text = v.nullish(v.string())
const lenient = <T extends v.GenericSchema>(schema: T) => v.fallback(v.nullish(schema), null)
const Person = v.looseObject({
  first_name: lenient(v.string()),
  last_name: lenient(v.string()),
  email: lenient(v.string()),
})

const Order = v.looseObject({
  id: v.unknown(),
  name: lenient(v.string()),
  email: lenient(v.string()),
  contact_email: lenient(v.string()),
  customer: lenient(v.looseObject({ ...Person.entries, locale: text })),
  billing_address: lenient(Person),
  customer_locale: lenient(v.string()),
  currency: lenient(v.string()),
  subtotal_price: v.unknown(),
  financial_status: lenient(v.string()),
  fulfillment_status: lenient(v.string()),
  cancelled_at: lenient(v.string()),
  processed_at: lenient(v.string()),
  created_at: lenient(v.string()),
  updated_at: lenient(v.string()),
  landing_site: lenient(v.string()),
  referring_site: lenient(v.string()),
  line_items: v.fallback(v.array(v.looseObject({ product_id: v.unknown() })), []),
  note_attributes: v.fallback(v.array(v.looseObject({ name: v.unknown(), value: v.unknown() })), []),
  fulfillments: v.fallback(v.array(v.looseObject({ created_at: v.unknown() })), []),
})

const Refund = v.looseObject({
  id: v.unknown(),
  order_id: v.unknown(),
  refund_line_items: v.fallback(v.array(v.looseObject({ subtotal: v.unknown() })), []),
  transactions: v.fallback(
    v.array(v.looseObject({ amount: v.unknown(), kind: v.unknown(), status: v.unknown(), currency: v.unknown() })),
    [],
  ),
})

const Product = v.looseObject({
  id: v.unknown(),
  title: lenient(v.string()),
  handle: lenient(v.string()),
  status: lenient(v.string()),
  published_at: lenient(v.string()),
  updated_at: lenient(v.string()),
  tags: lenient(v.string()),
  product_type: lenient(v.string()),
})

const Redact = v.looseObject({
  customer: lenient(v.looseObject({ email: lenient(v.string()) })),
  orders_to_redact: v.fallback(v.array(v.unknown()), []),
})

const PAID = new Set(['paid', 'partially_refunded', 'refunded'])

async function orderFacts(data: v.InferOutput<typeof Order>, ctx: ReaderContext): Promise<OrderFacts | null> {
  const orderId = idOf(data.id)
  if (!orderId) return null
  const currency = (data.currency ?? ctx.currency).toUpperCase()
  const lang = langOf(data.customer_locale ?? data.customer?.locale)
  const email = data.email || data.contact_email || data.customer?.email || null
  const person = data.customer?.first_name || data.customer?.last_name ? data.customer : data.billing_address
  const attribute = data.note_attributes.find((a) => a.name === ctx.clickParam)?.value
  const fulfilled = data.fulfillments.map((f) => dateOf(f.created_at)).filter((t): t is number => t !== null)
  return {
    orderId,
    label: data.name ?? `#${orderId}`,
    emailSealed: email ? await ctx.sealEmail(email) : null,
    name: personName(person?.first_name, person?.last_name, lang),
    lang,
    products: [...new Set(data.line_items.map((l) => idOf(l.product_id)).filter((p): p is string => p !== null))],
    currency,
    amount: decimalToMinor(data.subtotal_price, currency),
    paidAt: PAID.has(data.financial_status ?? '') ? dateOf(data.processed_at ?? data.created_at) : null,
    deliveredAt:
      data.fulfillment_status === 'fulfilled'
        ? fulfilled.length > 0
          ? Math.max(...fulfilled)
          : dateOf(data.updated_at)
        : null,
    cancelled: data.cancelled_at !== null,
    refundedWhole: false,
    refunds: [],
    clickId:
      typeof attribute === 'string' && attribute.length <= 40
        ? attribute
        : (clickInAddress(data.landing_site, ctx.clickParam) ?? clickInAddress(data.referring_site, ctx.clickParam)),
    changedAt: dateOf(data.updated_at),
  }
}

/** Topics that carry an Order. */
const ORDER_TOPICS = new Set(['orders/create', 'orders/paid', 'orders/fulfilled', 'orders/updated', 'orders/cancelled'])

/** What a Shopify delivery of `topic` says; `null` when its body is not what the topic carries. */
export async function readShopify(topic: string, body: unknown, ctx: ReaderContext): Promise<ReadDelivery | null> {
  if (ORDER_TOPICS.has(topic)) {
    const parsed = v.safeParse(Order, body)
    const order = parsed.success ? await orderFacts(parsed.output, ctx) : null
    return order && { event: { kind: 'order', order }, subject: order.label }
  }
  if (topic === 'refunds/create') {
    const parsed = v.safeParse(Refund, body)
    const orderId = parsed.success ? idOf(parsed.output.order_id) : null
    const key = parsed.success ? idOf(parsed.output.id) : null
    if (!parsed.success || !orderId || !key) return null
    // A sale is counted only in the site's currency, which is then the shop's: the lines' subtotals are in
    // it (shop money), while the transactions are in the buyer's (presentment) currency, read only when the same.
    const currency = ctx.currency.toUpperCase()
    const sum = (values: unknown[]) => values.reduce<number>((t, x) => t + (decimalToMinor(x, currency) ?? 0), 0)
    const items = sum(parsed.output.refund_line_items.map((l) => l.subtotal))
    const money = sum(
      parsed.output.transactions
        .filter((t) => t.kind === 'refund' && t.status === 'success')
        .filter((t) => typeof t.currency !== 'string' || t.currency.toUpperCase() === currency)
        .map((t) => t.amount),
    )
    return { event: { kind: 'refund', orderId, key, amount: items || money, currency }, subject: `#${orderId}` }
  }
  if (topic === 'products/create' || topic === 'products/update') {
    const parsed = v.safeParse(Product, body)
    const productId = parsed.success ? idOf(parsed.output.id) : null
    if (!parsed.success || !productId) return null
    const p = parsed.output
    const title = (p.title ?? '').trim() || (p.handle ?? productId)
    const url = p.handle ? `${ctx.storefront}/products/${encodeURIComponent(p.handle)}` : null
    const labels = [...(p.tags ?? '').split(','), p.product_type ?? ''].map((t) => t.trim()).filter(Boolean)
    const live = (p.status ?? 'active') === 'active' && p.published_at !== null
    const changedAt = dateOf(p.updated_at)
    return { event: { kind: 'product', product: { productId, title, url, live, labels, changedAt } }, subject: title }
  }
  if (topic === 'products/delete') {
    const productId = body && typeof body === 'object' && 'id' in body ? idOf(body.id) : null
    return productId ? { event: { kind: 'product_deleted', productId }, subject: productId } : null
  }
  if (topic === 'customers/redact') {
    const parsed = v.safeParse(Redact, body)
    if (!parsed.success) return null
    const email = parsed.output.customer?.email
    return {
      event: {
        kind: 'redact_customer',
        emailSealed: email ? await ctx.sealEmail(email) : null,
        orderIds: parsed.output.orders_to_redact.map(idOf).filter((o): o is string => o !== null),
      },
      subject: null,
    }
  }
  if (topic === 'shop/redact') return { event: { kind: 'redact_shop' }, subject: null }
  return { ignored: true, subject: null }
}
