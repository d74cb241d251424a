/** Each platform's headers and reader, so that one route takes both (../receive.ts). */
import type { ShopPlatform } from '../../db/schema'
import type { ReadDelivery } from '../events'
import type { ReaderContext } from './context'
import { readShopify } from './shopify'
import { readWooCommerce } from './woocommerce'

/** What a delivery's headers say. `source`: the shop that sent it, as the platform names it. */
export type DeliveryHeaders = {
  signature: string | null
  topic: string | null
  deliveryId: string | null
  source: string | null
  /** When the platform sent it first (Shopify's X-Shopify-Triggered-At), if it says. */
  triggeredAt: string | null
}

export type PlatformSpec = {
  headers: (h: Headers) => DeliveryHeaders
  /** The shop address as stored on the connection, from what the operator typed or a header says; null if it is not one. */
  shopAddress: (text: string) => string | null
  read: (topic: string, body: unknown, ctx: ReaderContext) => Promise<ReadDelivery | null>
}

/** A Shopify shop's permanent domain: `name.myshopify.com`. */
function shopifyDomain(text: string): string | null {
  const host = text
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '')
  return /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/.test(host) ? host : null
}

/** A WooCommerce site's origin (its webhooks' X-WC-Webhook-Source is its home address). */
function siteOrigin(text: string): string | null {
  try {
    const url = new URL(text.trim())
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null
  } catch {
    return null
  }
}

export const PLATFORMS: Record<ShopPlatform, PlatformSpec> = {
  shopify: {
    headers: (h) => ({
      signature: h.get('x-shopify-hmac-sha256'),
      topic: h.get('x-shopify-topic'),
      // The same delivery retried keeps its webhook id; the event id is shared by the webhooks of one event.
      deliveryId: h.get('x-shopify-webhook-id') ?? h.get('x-shopify-event-id'),
      source: h.get('x-shopify-shop-domain'),
      triggeredAt: h.get('x-shopify-triggered-at'),
    }),
    shopAddress: shopifyDomain,
    read: readShopify,
  },
  woocommerce: {
    headers: (h) => ({
      signature: h.get('x-wc-webhook-signature'),
      topic: h.get('x-wc-webhook-topic'),
      deliveryId: h.get('x-wc-webhook-delivery-id'),
      source: h.get('x-wc-webhook-source'),
      triggeredAt: null,
    }),
    shopAddress: siteOrigin,
    read: readWooCommerce,
  },
}
