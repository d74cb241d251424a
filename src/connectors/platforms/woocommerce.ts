/**
 * WooCommerce's webhooks (WooCommerce → Settings → Advanced → Webhooks, API version 3), read
 * from the REST API's order and product resources, which is what a webhook's payload is. Only
 * the fields named here are read; a field of the wrong type reads as absent.
 */
import * as v from 'valibot'

import { dateOf, decimalToMinor, idOf, langOf, type OrderFacts, personName, type ReadDelivery } from '../events'
import type { ReaderContext } from './context'

const lenient = <T extends v.GenericSchema>(schema: T) => v.fallback(v.nullish(schema), null)
const list = <T extends v.GenericSchema>(item: T) => v.fallback(v.array(item), [])
const Meta = v.looseObject({ key: v.unknown(), value: v.unknown() })
const Term = v.looseObject({ name: lenient(v.string()), slug: lenient(v.string()) })

const Order = v.looseObject({
  id: v.unknown(),
  number: lenient(v.union([v.string(), v.number()])),
  status: lenient(v.string()),
  currency: lenient(v.string()),
  total: v.unknown(),
  total_tax: v.unknown(),
  shipping_total: v.unknown(),
  date_created_gmt: lenient(v.string()),
  date_paid_gmt: lenient(v.string()),
  date_completed_gmt: lenient(v.string()),
  date_modified_gmt: lenient(v.string()),
  billing: lenient(
    v.looseObject({ first_name: lenient(v.string()), last_name: lenient(v.string()), email: lenient(v.string()) }),
  ),
  line_items: list(v.looseObject({ product_id: v.unknown() })),
  meta_data: list(Meta),
  refunds: list(v.looseObject({ id: v.unknown(), total: v.unknown() })),
})

const Product = v.looseObject({
  id: v.unknown(),
  name: lenient(v.string()),
  slug: lenient(v.string()),
  permalink: lenient(v.string()),
  status: lenient(v.string()),
  date_modified_gmt: lenient(v.string()),
  categories: list(Term),
  tags: list(Term),
})

const PAID = new Set(['processing', 'completed', 'refunded'])

/** A stored meta value of the order, by key (the snippet stores the click as `_gh_click`). */
const metaOf = (meta: v.InferOutput<typeof Meta>[], ...keys: string[]) => {
  const value = meta.find((m) => typeof m.key === 'string' && keys.includes(m.key))?.value
  return typeof value === 'string' ? value : null
}

async function orderFacts(o: v.InferOutput<typeof Order>, ctx: ReaderContext): Promise<OrderFacts | null> {
  const orderId = idOf(o.id)
  if (!orderId) return null
  const currency = (o.currency ?? ctx.currency).toUpperCase()
  const minor = (x: unknown) => decimalToMinor(x, currency)
  const total = minor(o.total)
  const status = o.status ?? ''
  const lang = langOf(metaOf(o.meta_data, 'wpml_language', 'pll_lang', '_locale'))
  const click = metaOf(o.meta_data, ctx.clickParam, `_${ctx.clickParam}`)
  return {
    orderId,
    label: `#${o.number ?? orderId}`,
    emailSealed: o.billing?.email ? await ctx.sealEmail(o.billing.email) : null,
    name: personName(o.billing?.first_name, o.billing?.last_name, lang),
    lang,
    products: [
      ...new Set(o.line_items.map((l) => idOf(l.product_id)).filter((p): p is string => p !== null && p !== '0')),
    ],
    currency,
    amount: total === null ? null : Math.max(0, total - (minor(o.total_tax) ?? 0) - (minor(o.shipping_total) ?? 0)),
    paidAt: PAID.has(status) ? dateOf(o.date_paid_gmt ?? o.date_created_gmt, true) : null,
    deliveredAt: status === 'completed' ? dateOf(o.date_completed_gmt ?? o.date_modified_gmt, true) : null,
    cancelled: status === 'cancelled',
    refundedWhole: status === 'refunded',
    refunds: o.refunds.flatMap((r) => {
      const key = idOf(r.id)
      const amount = minor(typeof r.total === 'string' ? r.total.replace(/^-/, '') : r.total)
      return key && amount ? [{ key, amount }] : []
    }),
    clickId: click && click.length <= 40 ? click : null,
    changedAt: dateOf(o.date_modified_gmt, true),
  }
}

/** What a WooCommerce delivery of `topic` says; `null` when its body is not what the topic carries. */
export async function readWooCommerce(topic: string, body: unknown, ctx: ReaderContext): Promise<ReadDelivery | null> {
  if (topic === 'order.created' || topic === 'order.updated' || topic === 'order.restored') {
    const parsed = v.safeParse(Order, body)
    const order = parsed.success ? await orderFacts(parsed.output, ctx) : null
    return order && { event: { kind: 'order', order }, subject: order.label }
  }
  if (topic === 'product.created' || topic === 'product.updated' || topic === 'product.restored') {
    const parsed = v.safeParse(Product, body)
    const productId = parsed.success ? idOf(parsed.output.id) : null
    if (!parsed.success || !productId) return null
    const p = parsed.output
    const title = (p.name ?? '').trim() || (p.slug ?? productId)
    const labels = [...p.categories, ...p.tags].flatMap((t) => [t.name ?? '', t.slug ?? '']).filter(Boolean)
    return {
      event: {
        kind: 'product',
        product: {
          productId,
          title,
          url: p.permalink ?? null,
          live: p.status === 'publish',
          labels,
          changedAt: dateOf(p.date_modified_gmt, true),
        },
      },
      subject: title,
    }
  }
  if (topic === 'product.deleted') {
    const productId = body && typeof body === 'object' && 'id' in body ? idOf(body.id) : null
    return productId ? { event: { kind: 'product_deleted', productId }, subject: productId } : null
  }
  return { ignored: true, subject: null }
}
