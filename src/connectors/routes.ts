/**
 * The shop platforms' roads: `POST /hooks/{site}/shopify` and `/woocommerce` (the platforms'
 * webhooks), and the operator's `GET`/`PUT`/`DELETE /api/sites/{site}/shop` (the connection and
 * its latest deliveries). The hooks answer 200 for anything taken or known (a duplicate, an unused
 * topic, WooCommerce's test), 401 unsigned or forged, 403 another shop's, 400 a body the topic
 * does not carry, 404 a site not connected to that platform, 413 over a megabyte.
 */
import type { Context } from 'hono'

import { apiDocsFor } from '../common/api-docs'
import { jsonBodyLimit, problem } from '../common/errors'
import { publicHubOrigin } from '../common/hub-urls'
import type { Out } from '../common/outputs'
import { jsonBody, pathParam, queryOf } from '../common/validation'
import { getDb } from '../db/client'
import type { ShopPlatform } from '../db/schema'
import { type AppEnv, newRouter } from '../env'
import { connectionJson, connectShop, deliveryJson, disconnectShop, shopOf } from './connection'
import { DeliveriesQuery, ShopConnect } from './inputs'
import { DeliveryReceived, ShopOut } from './outputs'
import { platformName, receiveDelivery } from './receive'

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Shop platforms' })

const hookDoc = (platform: ShopPlatform) =>
  doc({
    summary: `${platformName(platform)} webhooks`,
    description:
      platform === 'shopify'
        ? 'Paste this address into Shopify (Settings → Notifications → Webhooks, JSON) for the topics orders/create, orders/paid, orders/fulfilled, orders/cancelled, refunds/create, products/create, products/update, products/delete (and an app’s customers/redact, shop/redact). Signed with X-Shopify-Hmac-Sha256; X-Shopify-Topic, X-Shopify-Shop-Domain and X-Shopify-Webhook-Id are read. The work continues in a queue: GET /api/sites/{site}/shop shows what each delivery did.'
        : 'Paste this address into WooCommerce (Settings → Advanced → Webhooks, API version 3) for the topics order.created, order.updated, product.created, product.updated, product.deleted. Signed with X-WC-Webhook-Signature; X-WC-Webhook-Topic, X-WC-Webhook-Source and X-WC-Webhook-Delivery-ID are read; the unsigned test WooCommerce sends when a webhook is saved (webhook_id=…) is answered 200.',
    body: { media: ['application/json'] },
    security: [platform === 'shopify' ? 'shopifySignature' : 'wooCommerceSignature'],
    errors: ['forbidden', 'not_found', 'payload_too_large'],
    responses: {
      200: {
        description: 'Taken (its work queued), or known: a duplicate, a topic the hub does not use, a test.',
        schema: DeliveryReceived,
      },
    },
  })

const docs = {
  get: doc({
    summary: 'The site’s shop platform and its latest deliveries',
    description:
      'The connection (null when there is none) with the address to paste into the platform, and the last 20 deliveries: what each did, or why it was refused (reason_text in ?lang=en or ja).',
    query: { schema: DeliveriesQuery },
    responses: { 200: { description: 'The connection and its deliveries.', schema: ShopOut } },
  }),
  put: doc({
    summary: 'Connect the site to Shopify or WooCommerce',
    description:
      'platform, shop_address (name.myshopify.com, or the WooCommerce site’s https:// address) and the secret the platform signs with. The secret is stored sealed and never shown again; after a change the previous one still verifies for a day.',
    body: { media: ['application/json'], schema: ShopConnect },
    responses: { 200: { description: 'Connected.', schema: ShopOut } },
  }),
  remove: doc({
    summary: 'Disconnect the site from its platform',
    description: 'Its hooks answer 404 from now on; targets, invitations and conversions made from it stay.',
    responses: { 204: { description: 'Disconnected.', media: null } },
  }),
}

async function shopAnswer(c: Context<AppEnv>, slug: string, lang: 'en' | 'ja') {
  const { site, connection, deliveries, products } = await shopOf(getDb(c.env.DB), c.var.principal, slug)
  const origin = publicHubOrigin(c.env, c.req.url)
  return {
    connection: connection && connectionJson(origin, site, connection, products, c.var.now()),
    deliveries: deliveries.map((d) => deliveryJson(d, lang)),
  } satisfies Out<typeof ShopOut>
}

const hook = (platform: ShopPlatform) => async (c: Context<AppEnv>) => {
  const delivery = await receiveDelivery(
    {
      db: getDb(c.env.DB),
      secretsKey: c.env.WEBHOOK_SECRETS_KEY,
      queue: c.env.SHOP_QUEUE,
      hubOrigin: publicHubOrigin(c.env, c.req.url),
    },
    platform,
    pathParam(c.req.param('site')),
    new Uint8Array(await c.req.arrayBuffer()),
    c.req.raw.headers,
    c.var.now(),
  )
  return c.json({ delivery: deliveryJson(delivery, 'en') } satisfies Out<typeof DeliveryReceived>, 200)
}

/** /hooks/:site/{shopify,woocommerce}: a platform's order with many lines is larger than a storefront event. */
export const shopHookRoutes = newRouter()
  .use('/:site/:platform{shopify|woocommerce}', jsonBodyLimit(1024, 'A platform webhook'))
  .post('/:site/shopify', hookDoc('shopify'), hook('shopify'))
  .post('/:site/woocommerce', hookDoc('woocommerce'), hook('woocommerce'))
  .all('/:site/:platform{shopify|woocommerce}', (c) => {
    c.header('Allow', 'POST')
    return problem(c, 'method_not_allowed', 'The platform POSTs its webhooks here')
  })

/** /api/sites/:site/shop */
export const siteShopRoutes = newRouter()
  .get('/:site/shop', docs.get, queryOf(DeliveriesQuery), async (c) =>
    c.json(await shopAnswer(c, pathParam(c.req.param('site')), c.req.valid('query').lang ?? 'en')),
  )
  .put('/:site/shop', docs.put, jsonBody(ShopConnect), async (c) => {
    const slug = pathParam(c.req.param('site'))
    await connectShop(
      getDb(c.env.DB),
      c.var.principal,
      slug,
      c.req.valid('json'),
      c.env.WEBHOOK_SECRETS_KEY,
      c.var.now(),
    )
    return c.json(await shopAnswer(c, slug, 'en'))
  })
  .delete('/:site/shop', docs.remove, async (c) => {
    await disconnectShop(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.body(null, 204)
  })
