/**
 * The WooCommerce hook against WooCommerce's own way of signing (it has no verifier on npm):
 * `WC_Webhook` sends `wp_json_encode($payload)` — PHP's json_encode, which writes "/" as "\/" and
 * everything beyond ASCII as \uXXXX (UTF-16, emoji as a surrogate pair) — signed
 * `base64_encode(hash_hmac('sha256', $payload, $secret, true))`. Both are done here from scratch
 * (WebCrypto, not src/shops/signature.ts), and the hub must take those exact bytes, and read them
 * back to the same Japanese text and addresses.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { canonicalUrl } from '../../src/common/url'
import { getDb } from '../../src/db/client'
import { targets } from '../../src/db/schema'
import { createSite } from '../helpers/factories'
import { callAt, testClock } from '../helpers/http'
import { consume, keepingQueue } from '../helpers/outbox'
import { connect, deliveries, type ShopFixture, wooOrder, wooProduct } from '../helpers/shops'

const clock = testClock()
let shop: ShopFixture

beforeAll(async () => {
  shop = await connect(await createSite({ settings: { lang: 'ja', currency: 'JPY' } }), 'woocommerce')
})

/** PHP's json_encode($value) with its default flags (`unicode`: with JSON_UNESCAPED_UNICODE). */
function phpJsonEncode(value: unknown, unicode = false) {
  const json = JSON.stringify(value).replaceAll('/', '\\/')
  return unicode ? json : json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** base64_encode(hash_hmac('sha256', $payload, $secret, true)) */
async function wooSignature(payload: string, secret: string) {
  const enc = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const raw = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(payload)))
  return btoa(Array.from(raw, (b) => String.fromCharCode(b)).join(''))
}

/** POSTs `payload` as WooCommerce's Hookshot does, signed over `signedPayload` (default: the same bytes). */
async function post(topic: string, payload: string, signedPayload = payload) {
  const queue = keepingQueue()
  const res = await callAt(clock, { SHOP_QUEUE: queue.queue })(`/hooks/${shop.slug}/woocommerce`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
      'X-WC-Webhook-Source': `${shop.origin}/`,
      'X-WC-Webhook-Topic': topic,
      'X-WC-Webhook-Resource': topic.split('.')[0] ?? '',
      'X-WC-Webhook-Event': topic.split('.')[1] ?? '',
      'X-WC-Webhook-Signature': await wooSignature(signedPayload, shop.secret),
      'X-WC-Webhook-ID': '31',
      'X-WC-Webhook-Delivery-ID': crypto.randomUUID(),
    },
    body: payload,
  })
  return { res, sent: queue.sent }
}

describe('the WooCommerce hook against WooCommerce’s signing', () => {
  it('takes wp_json_encode’s bytes (escaped slashes, \\u-escaped Japanese and emoji) and reads them back', async () => {
    const permalink = `${shop.origin}/product/tenugui-ai/`
    const payload = phpJsonEncode(wooProduct(8_800_001, permalink, '手ぬぐい「藍」🎁'))
    expect(payload).toContain('\\/product\\/tenugui-ai\\/')
    expect(payload).toContain('\\u624b\\u306c\\u3050\\u3044')
    expect(payload).toContain('\\ud83c\\udf81')
    expect(/^[\x20-\x7e]*$/.test(payload)).toBe(true)

    const { res, sent } = await post('product.created', payload)
    expect(res.status, await res.clone().text()).toBe(200)
    expect((await consume('shop', sent, clock)).acked).toBe(1)
    expect((await deliveries(shop))[0]).toMatchObject({ reasons: ['product_saved'], subject: '手ぬぐい「藍」🎁' })
    const target = await getDb(env.DB)
      .select()
      .from(targets)
      .where(eq(targets.url, canonicalUrl(permalink) ?? ''))
      .get()
    expect(target).toMatchObject({ title: '手ぬぐい「藍」🎁', kind: 'product' })
  })

  it('takes the raw UTF-8 form too (JSON_UNESCAPED_UNICODE, slashes still escaped)', async () => {
    const payload = phpJsonEncode(
      wooOrder(8_800_002, [8_800_001], { customer_note: '熨斗をお願いします / 贈答用' }),
      true,
    )
    expect(payload).toContain('熨斗をお願いします \\/ 贈答用')
    const { res } = await post('order.created', payload)
    expect(res.status, await res.clone().text()).toBe(200)
    const { delivery } = await res.json<{ delivery: { id: string; outcome: string } }>()
    expect(delivery.outcome).toBe('queued')
  })

  it('checks the bytes, not their meaning: the same JSON with "/" unescaped is another body, refused', async () => {
    const escaped = phpJsonEncode(wooProduct(8_800_003, `${shop.origin}/product/furoshiki/`, '風呂敷'))
    const plain = escaped.replaceAll('\\/', '/')
    expect(JSON.parse(plain)).toEqual(JSON.parse(escaped))
    const { res } = await post('product.created', plain, escaped)
    expect(res.status).toBe(401)
    expect((await deliveries(shop)).filter((d) => d.reasons.includes('bad_signature'))).toHaveLength(1)
  })
})
