/**
 * Shop platforms in tests: connecting a site, and sending webhooks signed and headed as Shopify
 * and WooCommerce send them, with payloads shaped as their documented examples (Shopify's Admin
 * REST Order, Refund and Product; WooCommerce's REST API v3 order and product).
 */
import { env } from 'cloudflare:workers'
import { eq, like } from 'drizzle-orm'
import { expect } from 'vitest'

import type { Clock } from '../../src/common/clock'
import { getDb } from '../../src/db/client'
import { canonicalUrl } from '../../src/common/url'
import { conversions, invitations, shopDeliveries, targets } from '../../src/db/schema'
import { signatureOf } from '../../src/connectors/signature'
import { type SiteFixture, unique } from './factories'
import { api, callAt } from './http'
import { consume, keepingQueue } from './outbox'

export type Delivery = {
  id: string
  topic: string
  outcome: string
  reasons: string[]
  reason_text: string
  subject: string | null
}

export type ShopFixture = SiteFixture & { secret: string; address: string }

/** Connects the site to `platform` with a fresh secret; the address is `name.myshopify.com` or the site's origin. */
export async function connect(site: SiteFixture, platform: 'shopify' | 'woocommerce'): Promise<ShopFixture> {
  const secret = `shpss_${unique('secret')}`
  const address = platform === 'shopify' ? `${site.slug}.myshopify.com` : site.origin
  const res = await api('PUT', `/api/sites/${site.slug}/shop`, { platform, shop_address: address, secret }, site.key)
  expect(res.status, await res.clone().text()).toBe(200)
  return { ...site, secret, address }
}

export type SendOptions = {
  clock: Clock
  /** Send this signature header as it is (a test that signs the platform's way itself). */
  signature?: string
  /** Sign with this secret instead of the connection's. */
  secret?: string
  headers?: Record<string, string | null>
  id?: string
}

/** POSTs `body` to the platform's hook as it would; the answer, and the queue message it made (if any). */
export async function sendWebhook(
  shop: ShopFixture,
  platform: 'shopify' | 'woocommerce',
  topic: string,
  body: unknown,
  o: SendOptions,
) {
  const raw = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
  const signature = o.signature ?? (await signatureOf(raw, o.secret ?? shop.secret))
  const id = o.id ?? crypto.randomUUID()
  const headers: Record<string, string | null> =
    platform === 'shopify'
      ? {
          'Content-Type': 'application/json',
          'X-Shopify-Topic': topic,
          'X-Shopify-Hmac-Sha256': signature,
          'X-Shopify-Shop-Domain': shop.address,
          'X-Shopify-API-Version': '2025-10',
          'X-Shopify-Webhook-Id': id,
          'X-Shopify-Event-Id': crypto.randomUUID(),
          'X-Shopify-Triggered-At': new Date(o.clock()).toISOString(),
        }
      : {
          'Content-Type': 'application/json',
          'User-Agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
          'X-WC-Webhook-Source': `${shop.origin}/`,
          'X-WC-Webhook-Topic': topic,
          'X-WC-Webhook-Resource': topic.split('.')[0] ?? '',
          'X-WC-Webhook-Event': topic.split('.')[1] ?? '',
          'X-WC-Webhook-Signature': signature,
          'X-WC-Webhook-ID': '12',
          'X-WC-Webhook-Delivery-ID': id,
        }
  const merged = Object.fromEntries(
    Object.entries({ ...headers, ...o.headers }).filter((e): e is [string, string] => e[1] !== null),
  )
  const queue = keepingQueue()
  const res = await callAt(o.clock, { SHOP_QUEUE: queue.queue })(`/hooks/${shop.slug}/${platform}`, {
    method: 'POST',
    headers: merged,
    body: raw,
  })
  return { res, sent: queue.sent, id }
}

/** Sends a webhook and works its queue message; the delivery as the API shows it after. */
export async function deliver(
  shop: ShopFixture,
  platform: 'shopify' | 'woocommerce',
  topic: string,
  body: unknown,
  o: SendOptions,
) {
  const { res, sent } = await sendWebhook(shop, platform, topic, body, o)
  expect(res.status, await res.clone().text()).toBe(200)
  const { delivery } = await res.json<{ delivery: Delivery }>()
  if (sent.length > 0) expect((await consume('shop', sent, o.clock)).acked).toBe(sent.length)
  const row = await getDb(env.DB).select().from(shopDeliveries).where(eq(shopDeliveries.id, delivery.id)).get()
  return { ...delivery, outcome: row?.outcome, reasons: row?.reason?.split(' ') ?? [] }
}

export async function deliveries(shop: SiteFixture, lang = 'en') {
  const res = await api('GET', `/api/sites/${shop.slug}/shop?lang=${lang}`, undefined, shop.key)
  expect(res.status).toBe(200)
  return (await res.json<{ deliveries: Delivery[] }>()).deliveries
}

/** A Shopify product (Admin REST Product, as products/create sends it). */
export const shopifyProduct = (id: number, handle: string, title: string, extra: Record<string, unknown> = {}) => ({
  id,
  title,
  body_html: '<p>手ぬぐい</p>',
  vendor: 'Glasshouse Test',
  product_type: 'Textiles',
  created_at: '2026-11-01T10:00:00+09:00',
  handle,
  updated_at: '2026-11-01T10:00:00+09:00',
  published_at: '2026-11-01T10:00:00+09:00',
  template_suffix: null,
  published_scope: 'web',
  tags: 'japan, cotton',
  status: 'active',
  admin_graphql_api_id: `gid://shopify/Product/${id}`,
  variants: [{ id: id * 10, product_id: id, title: 'Default Title', price: '1980', sku: `SKU-${id}` }],
  options: [{ id: id * 100, product_id: id, name: 'Title', position: 1, values: ['Default Title'] }],
  images: [],
  image: null,
  ...extra,
})

/** A Shopify order in yen with a Japanese buyer and two products (Admin REST Order, as orders/create sends it). */
export function shopifyOrder(id: number, products: number[], extra: Record<string, unknown> = {}) {
  const address = {
    first_name: '花子',
    last_name: '山田',
    address1: '千代田区千代田1-1',
    city: '千代田区',
    province: '東京都',
    country: 'Japan',
    zip: '100-0001',
    phone: '03-1234-5678',
    country_code: 'JP',
    province_code: 'JP-13',
  }
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${1000 + (id % 1000)}`,
    order_number: 1000 + (id % 1000),
    email: 'Hanako.Yamada@example.jp',
    contact_email: 'Hanako.Yamada@example.jp',
    created_at: '2026-12-01T10:00:00+09:00',
    processed_at: '2026-12-01T10:00:00+09:00',
    updated_at: '2026-12-01T10:00:05+09:00',
    currency: 'JPY',
    presentment_currency: 'JPY',
    customer_locale: 'ja',
    financial_status: 'paid',
    fulfillment_status: null,
    cancelled_at: null,
    cancel_reason: null,
    subtotal_price: '3960',
    total_price: '4510',
    total_tax: '360',
    taxes_included: true,
    total_discounts: '0',
    landing_site: '/products/tenugui',
    referring_site: 'https://blog.example.jp/post',
    note: null,
    note_attributes: [],
    customer: {
      id: id + 1,
      email: 'Hanako.Yamada@example.jp',
      first_name: '花子',
      last_name: '山田',
      locale: 'ja',
      currency: 'JPY',
    },
    billing_address: address,
    shipping_address: address,
    line_items: products.map((p, i) => ({
      id: id * 10 + i,
      product_id: p,
      variant_id: p * 10,
      title: `商品${i + 1}`,
      name: `商品${i + 1}`,
      quantity: 1,
      price: '1980',
      sku: `SKU-${p}`,
      fulfillment_status: null,
    })),
    fulfillments: [],
    refunds: [],
    ...extra,
  }
}

/** A WooCommerce order (REST API v3, as order.created sends it). */
export function wooOrder(id: number, products: number[], extra: Record<string, unknown> = {}) {
  return {
    id,
    parent_id: 0,
    status: 'processing',
    currency: 'JPY',
    version: '9.4.2',
    prices_include_tax: true,
    date_created: '2026-12-01T10:00:00',
    date_created_gmt: '2026-12-01T01:00:00',
    date_modified: '2026-12-01T10:00:05',
    date_modified_gmt: '2026-12-01T01:00:05',
    discount_total: '0',
    shipping_total: '550',
    total: '4510',
    total_tax: '0',
    customer_id: 0,
    billing: {
      first_name: '太郎',
      last_name: '佐藤',
      company: '',
      address_1: '大阪市北区梅田1-1',
      city: '大阪市',
      state: 'JP27',
      postcode: '530-0001',
      country: 'JP',
      email: 'taro@example.jp',
      phone: '06-1234-5678',
    },
    payment_method: 'bacs',
    date_paid: '2026-12-01T10:00:00',
    date_paid_gmt: '2026-12-01T01:00:00',
    date_completed: null,
    date_completed_gmt: null,
    number: String(id),
    meta_data: [],
    line_items: products.map((p, i) => ({
      id: id * 10 + i,
      name: `商品${i + 1}`,
      product_id: p,
      variation_id: 0,
      quantity: 1,
      subtotal: '1980',
      total: '1980',
      sku: `SKU-${p}`,
      price: 1980,
    })),
    refunds: [],
    ...extra,
  }
}

/** A WooCommerce product (REST API v3, as product.created sends it). */
export const wooProduct = (id: number, permalink: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  slug: permalink.split('/').filter(Boolean).at(-1),
  permalink,
  date_created_gmt: '2026-11-01T01:00:00',
  type: 'simple',
  status: 'publish',
  catalog_visibility: 'visible',
  sku: `WC-${id}`,
  price: '1980',
  categories: [{ id: 15, name: '雑貨', slug: 'zakka' }],
  tags: [{ id: 20, name: 'Gift', slug: 'gift' }],
  ...extra,
})

/** The target at a storefront page (as the hub keeps its address: canonical, no trailing slash). */
export const targetAt = (url: string) =>
  getDb(env.DB)
    .select()
    .from(targets)
    .where(eq(targets.url, canonicalUrl(url) ?? url))
    .get()

/** The invitation of a platform's order. */
export const invitationOf = (orderId: number) =>
  getDb(env.DB)
    .select()
    .from(invitations)
    .where(eq(invitations.orderId, String(orderId)))
    .get()

/** An order's sale and its refunds (stored as `{order}#{refund}`). */
export const conversionsOf = (orderId: number) =>
  getDb(env.DB)
    .select()
    .from(conversions)
    .where(like(conversions.orderId, `${orderId}%`))
    .all()
