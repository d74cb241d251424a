/**
 * WooCommerce's webhooks end to end: the test WooCommerce sends when a webhook is saved, then
 * products (their permalinks on the storefront) and orders through their statuses — processing
 * (a sale for the click kept in the order's meta), completed (the review invitation), refunded
 * in parts and whole — signed and headed as WooCommerce sends them, each delivery once. WooCommerce
 * has no verifier on npm: its signing (`base64_encode(hash_hmac('sha256', $payload, $secret, true))`
 * over `wp_json_encode`'s bytes) is done here from scratch too, and the hub must take those bytes.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { approvedPartner, clickOn } from '../helpers/affiliates'
import { createSite, unique } from '../helpers/factories'
import { api, callAt, DAY, testClock } from '../helpers/http'
import { consume } from '../helpers/outbox'
import {
  connect,
  conversionsOf,
  deliver,
  deliveries,
  invitationOf,
  sendWebhook,
  type ShopFixture,
  targetAt,
  wooOrder,
  wooProduct,
} from '../helpers/shops'

const clock = testClock(Date.now())
let shop: ShopFixture
let n = 0
const nextId = () => 1_000_000 + (Date.now() % 1_000_000) * 10 + n++

beforeAll(async () => {
  shop = await connect(await createSite({ settings: { lang: 'ja', currency: 'JPY' } }), 'woocommerce')
})

describe('the webhook’s first test', () => {
  it('answers WooCommerce’s unsigned ping (webhook_id=…) with 200, and nothing else unsigned', async () => {
    const res = await callAt(clock)(`/hooks/${shop.slug}/woocommerce`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'WooCommerce/9.4.2 Hookshot' },
      body: 'webhook_id=12',
    })
    expect(res.status).toBe(200)
    expect((await deliveries(shop, 'ja'))[0]).toMatchObject({
      outcome: 'done',
      reasons: ['ping'],
      reason_text: 'Webhook保存時のWooCommerceからのテスト',
    })
    const forged = await callAt(clock)(`/hooks/${shop.slug}/woocommerce`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-WC-Webhook-Topic': 'order.created' },
      body: JSON.stringify(wooOrder(1, [1])),
    })
    expect(forged.status).toBe(401)
  })
})

describe('products and orders', () => {
  let tenugui: number
  beforeAll(async () => {
    tenugui = nextId()
    const made = await deliver(
      shop,
      'woocommerce',
      'product.created',
      wooProduct(tenugui, `${shop.origin}/product/tenugui-${tenugui}/`, '手ぬぐい'),
      { clock },
    )
    expect(made.reasons).toEqual(['product_saved'])
  })

  it('makes the product’s permalink a target, and refuses a permalink off the storefront', async () => {
    expect(await targetAt(`${shop.origin}/product/tenugui-${tenugui}/`)).toMatchObject({ title: '手ぬぐい' })
    const away = await deliver(
      shop,
      'woocommerce',
      'product.created',
      wooProduct(nextId(), 'https://evil.example/product/x/', 'X'),
      { clock },
    )
    expect(away.reasons).toEqual(['product_off_site'])
    expect(await targetAt('https://evil.example/product/x/')).toBeUndefined()
    const priv = wooProduct(nextId(), `${shop.origin}/product/secret/`, 'Secret', { status: 'private' })
    expect((await deliver(shop, 'woocommerce', 'product.updated', priv, { clock })).reasons).toEqual([
      'product_not_live',
    ])
  })

  it('a processing order with the click in its meta is a sale; completed invites; refunds take back in parts, then whole', async () => {
    const partner = await approvedPartner(shop)
    const target = await targetAt(`${shop.origin}/product/tenugui-${tenugui}/`)
    const { clickId } = await clickOn(shop, partner.key, target?.id ?? '')
    const id = nextId()
    const now = new Date(clock()).toISOString().slice(0, 19)
    const order = wooOrder(id, [tenugui, 0], {
      meta_data: [{ id: 1, key: '_gh_click', value: clickId }],
      date_paid_gmt: now,
      date_created_gmt: now,
    })
    const placed = await deliver(shop, 'woocommerce', 'order.created', order, { clock })
    expect(placed.reasons).toEqual(['not_yet', 'sale'])
    // total 4510 less 550 shipping (tax included in the prices): 3960 yen.
    expect(await conversionsOf(id)).toMatchObject([{ event: 'sale', amount: 3960, commission: 396 }])

    const completed = { ...order, status: 'completed', date_completed_gmt: now }
    expect((await deliver(shop, 'woocommerce', 'order.updated', completed, { clock })).reasons).toEqual([
      'invited',
      'sale',
    ])
    expect(await invitationOf(id)).toMatchObject({ customerName: '佐藤 太郎', dueAt: Date.parse(`${now}Z`) + 7 * DAY })

    const partly = { ...completed, refunds: [{ id: 301, reason: '', total: '-1000.00' }] }
    expect((await deliver(shop, 'woocommerce', 'order.updated', partly, { clock })).reasons).toContain('refund')
    // The same refund listed again in a later update takes nothing more.
    await deliver(shop, 'woocommerce', 'order.updated', partly, { clock })
    const whole = { ...partly, status: 'refunded' }
    await deliver(shop, 'woocommerce', 'order.updated', whole, { clock })
    const rows = await conversionsOf(id)
    expect(rows.map((r) => r.amount).sort((x, y) => x - y)).toEqual([-2960, -1000, 3960])
    expect(rows.reduce((t, r) => t + r.commission, 0)).toBe(0)
  })

  it('a cancelled order gets no invitation', async () => {
    const id = nextId()
    const cancelled = wooOrder(id, [tenugui], { status: 'cancelled' })
    expect((await deliver(shop, 'woocommerce', 'order.updated', cancelled, { clock })).reasons).toContain(
      'invitation_cancelled',
    )
    expect(await invitationOf(id)).toBeUndefined()
  })

  it('takes each X-WC-Webhook-Delivery-ID once, and PHP’s escaped JSON as it is sent', async () => {
    const id = unique('delivery')
    const p = nextId()
    // wp_json_encode escapes "/" and may escape non-ASCII characters.
    const raw = JSON.stringify(wooProduct(p, `${shop.origin}/product/furoshiki-${p}/`, '風呂敷'))
      .replaceAll('/', '\\/')
      .replace('風呂敷', '\\u98a8\\u5442\\u6577')
    const first = await sendWebhook(shop, 'woocommerce', 'product.created', raw, { clock, id })
    const again = await sendWebhook(shop, 'woocommerce', 'product.created', raw, { clock, id })
    expect([first.res.status, again.res.status]).toEqual([200, 200])
    expect([first.sent.length, again.sent.length]).toEqual([1, 0])
    const { delivery } = await again.res.json<{ delivery: { outcome: string } }>()
    expect(delivery.outcome).toBe('duplicate')
  })

  it('refuses a forged signature and another site’s source', async () => {
    const body = wooProduct(nextId(), `${shop.origin}/product/y/`, 'Y')
    expect(
      (await sendWebhook(shop, 'woocommerce', 'product.created', body, { clock, secret: 'wrong-secret' })).res.status,
    ).toBe(401)
    const other = { clock, headers: { 'X-WC-Webhook-Source': 'https://another-shop.example/' } }
    expect((await sendWebhook(shop, 'woocommerce', 'product.created', body, other)).res.status).toBe(403)
    expect(await targetAt(`${shop.origin}/product/y/`)).toBeUndefined()
  })

  it('ignores topics it does not use (coupons, customers)', async () => {
    const d = await deliver(shop, 'woocommerce', 'coupon.created', { id: 5, code: 'SAVE10' }, { clock })
    expect(d).toMatchObject({ outcome: 'ignored', reasons: ['topic_unused'] })
  })
})

describe('the connection (PUT/GET/DELETE /api/sites/{site}/shop)', () => {
  it('refuses what is not a connection, naming the field', async () => {
    const s = await createSite()
    const put = (body: unknown) => api('PUT', `/api/sites/${s.slug}/shop`, body, s.key)
    const cases: [unknown, string][] = [
      [{}, 'platform'],
      [{ platform: 'magento', shop_address: s.origin, secret: 'long-enough' }, 'platform'],
      [{ platform: 'shopify', shop_address: s.origin, secret: 'long-enough' }, 'shop_address'],
      [{ platform: 'shopify', shop_address: 'x.myshopify.com.evil.example', secret: 'long-enough' }, 'shop_address'],
      [{ platform: 'woocommerce', shop_address: 'javascript:alert(1)', secret: 'long-enough' }, 'shop_address'],
      [{ platform: 'woocommerce', shop_address: s.origin, secret: 'short' }, 'secret'],
      [{ platform: 'woocommerce', shop_address: s.origin, secret: 12345678 }, 'secret'],
    ]
    for (const [body, field] of cases) {
      const res = await put(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json<{ error: { message: string } }>()).error.message).toContain(field)
    }
    const big = await put({ platform: 'woocommerce', shop_address: s.origin, secret: 'x'.repeat(70 * 1024) })
    expect(big.status).toBe(413)
    const ok = await put({
      platform: 'shopify',
      shop_address: `https://${s.slug.toUpperCase()}.myshopify.com/admin`,
      secret: 'long-enough',
    })
    expect(ok.status).toBe(200)
    const { connection } = await ok.json<{ connection: { shop_address: string; hook_url: string } }>()
    expect(connection).toMatchObject({
      shop_address: `${s.slug}.myshopify.com`,
      hook_url: `http://hub.test/hooks/${s.slug}/shopify`,
    })
    expect(JSON.stringify(connection)).not.toContain('long-enough')
  })

  it('one site’s key can neither read nor change another site’s connection', async () => {
    const mine = await createSite()
    const theirs = await connect(await createSite(), 'woocommerce')
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const body =
        method === 'PUT' ? { platform: 'woocommerce', shop_address: mine.origin, secret: 'long-enough' } : undefined
      expect((await api(method, `/api/sites/${theirs.slug}/shop`, body, mine.key)).status, method).toBe(404)
    }
    const still = await sendWebhook(theirs, 'woocommerce', 'coupon.created', { id: 1 }, { clock })
    expect(still.res.status).toBe(200)
  })

  it('keeps at most ten refusals a minute per site (a flood of forged posts fills nothing)', async () => {
    const s = await connect(await createSite(), 'woocommerce')
    for (let i = 0; i < 15; i++) {
      const { res } = await sendWebhook(s, 'woocommerce', 'order.created', wooOrder(i, [1]), {
        clock,
        secret: 'forged',
      })
      expect(res.status).toBe(401)
    }
    expect((await deliveries(s)).filter((d) => d.outcome === 'refused')).toHaveLength(10)
  })

  it('keeps at most ten unsigned pings a minute per site too (anyone can post webhook_id=…)', async () => {
    const s = await connect(await createSite(), 'woocommerce')
    for (let i = 0; i < 15; i++) {
      const res = await callAt(clock)(`/hooks/${s.slug}/woocommerce`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `webhook_id=${i}`,
      })
      expect(res.status).toBe(200)
    }
    const rows = await env.DB.prepare(
      'SELECT count(*) AS n FROM shop_deliveries WHERE site_id = (SELECT id FROM sites WHERE slug = ?)',
    )
      .bind(s.slug)
      .first<{ n: number }>()
    expect(rows?.n).toBe(10)
  })

  it('after a disconnect the hooks answer 404; other methods 405', async () => {
    const s = await connect(await createSite(), 'woocommerce')
    expect((await api('DELETE', `/api/sites/${s.slug}/shop`, undefined, s.key)).status).toBe(204)
    expect((await sendWebhook(s, 'woocommerce', 'coupon.created', { id: 1 }, { clock })).res.status).toBe(404)
    expect((await callAt(clock)(`/hooks/${s.slug}/woocommerce`)).status).toBe(405)
    expect((await api('GET', `/api/sites/${s.slug}/shop`, undefined, s.key)).status).toBe(200)
  })
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

/** POSTs `payload` as WooCommerce's Hookshot does, signed here over `signedPayload` (default: the same bytes). */
const post = async (topic: string, payload: string, signedPayload = payload) =>
  sendWebhook(shop, 'woocommerce', topic, payload, { clock, signature: await wooSignature(signedPayload, shop.secret) })

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
    const target = await targetAt(permalink)
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
    expect((await deliveries(shop))[0]?.reasons).toEqual(['bad_signature'])
  })
})
