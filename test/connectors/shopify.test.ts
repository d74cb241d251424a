/**
 * Shopify's webhooks end to end: signed as Shopify signs them, through the hook and the queue,
 * into targets (products), review invitations (fulfilled orders), affiliate conversions (paid
 * orders with the click kept in the cart's attributes, refunds, cancellations) and erasures (the
 * privacy topics) — each delivery once.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { targets } from '../../src/db/schema'
import { approvedPartner, clickOn } from '../helpers/affiliates'
import { createSite, unique } from '../helpers/factories'
import { api, DAY, testClock } from '../helpers/http'
import { consume } from '../helpers/outbox'
import {
  connect,
  conversionsOf,
  invitationOf,
  targetAt,
  deliver,
  deliveries,
  sendWebhook,
  type ShopFixture,
  shopifyOrder,
  shopifyProduct,
} from '../helpers/shops'

const db = () => getDb(env.DB)
const clock = testClock(Date.parse('2026-12-06T02:00:00Z'))
let shop: ShopFixture
let n = 0
const nextId = () => 7_000_000_000_000 + Date.now() * 10 + n++

beforeAll(async () => {
  shop = await connect(
    await createSite({ settings: { lang: 'ja', currency: 'JPY', affiliate_commission_percent: 10 } }),
    'shopify',
  )
})

describe('products', () => {
  it('makes a registered target of a product, keeps it in step, and keeps it (and its voices) when the product is deleted', async () => {
    const id = nextId()
    const made = await deliver(shop, 'shopify', 'products/create', shopifyProduct(id, `tenugui-${id}`, '手ぬぐい 藍'), {
      clock,
    })
    expect(made).toMatchObject({ outcome: 'done', reasons: ['product_saved'], subject: '手ぬぐい 藍' })
    const target = await targetAt(`${shop.origin}/products/tenugui-${id}`)
    expect(target).toMatchObject({ id: `shopify-${id}`, title: '手ぬぐい 藍', kind: 'product', automatic: false })

    await deliver(shop, 'shopify', 'products/update', shopifyProduct(id, `tenugui-ai-${id}`, '手ぬぐい（藍）'), {
      clock,
    })
    const moved = await db()
      .select()
      .from(targets)
      .where(eq(targets.id, target?.id ?? ''))
      .get()
    expect(moved).toMatchObject({ title: '手ぬぐい（藍）', url: `${shop.origin}/products/tenugui-ai-${id}` })
    // An older version arriving late (out of order, or replayed under a new id) changes nothing.
    const older = shopifyProduct(id, `tenugui-${id}`, '手ぬぐい 藍', { updated_at: '2026-10-01T10:00:00+09:00' })
    expect((await deliver(shop, 'shopify', 'products/update', older, { clock })).reasons).toEqual(['product_stale'])
    expect(await targetAt(`${shop.origin}/products/tenugui-ai-${id}`)).toMatchObject({ title: '手ぬぐい（藍）' })

    const gone = await deliver(shop, 'shopify', 'products/delete', { id }, { clock })
    expect(gone.reasons).toEqual(['product_deleted'])
    expect(
      await db()
        .select()
        .from(targets)
        .where(eq(targets.id, target?.id ?? ''))
        .get(),
    ).toBeDefined()
  })

  it('keeps ids past 2^53 exactly (Shopify’s test notifications carry them)', async () => {
    const raw = JSON.stringify(shopifyProduct(1, unique('big'), 'Example T-Shirt')).replace(
      '"id":1,',
      '"id":820982911946154508,',
    )
    const made = await deliver(shop, 'shopify', 'products/create', raw, { clock })
    expect(made.reasons).toEqual(['product_saved'])
    expect(await db().select().from(targets).where(eq(targets.id, 'shopify-820982911946154508')).get()).toBeDefined()
  })

  it('leaves drafts, archived products and (with the setting) untagged products out', async () => {
    const draft = await deliver(
      shop,
      'shopify',
      'products/create',
      shopifyProduct(nextId(), unique('d'), 'Draft', { status: 'draft' }),
      { clock },
    )
    expect(draft.reasons).toEqual(['product_not_live'])
    const tagged = await createSite({ settings: { shop_target_tag: 'review-me' } })
    const s = await connect(tagged, 'shopify')
    const plain = await deliver(s, 'shopify', 'products/create', shopifyProduct(nextId(), unique('p'), 'Plain'), {
      clock,
    })
    expect(plain.reasons).toEqual(['product_untagged'])
    const chosen = await deliver(
      s,
      'shopify',
      'products/create',
      shopifyProduct(nextId(), unique('p'), 'Chosen', { tags: 'sale, Review-Me' }),
      { clock },
    )
    expect(chosen.reasons).toEqual(['product_saved'])
  })
})

describe('orders', () => {
  let a: number
  let b: number
  beforeAll(async () => {
    a = nextId()
    b = nextId()
    await deliver(shop, 'shopify', 'products/create', shopifyProduct(a, `a-${a}`, '手ぬぐい'), { clock })
    await deliver(shop, 'shopify', 'products/create', shopifyProduct(b, `b-${b}`, '風呂敷'), { clock })
  })

  it('invites the buyer after fulfilment (not payment), in their language, for every product of the order, once', async () => {
    const id = nextId()
    const paid = await deliver(shop, 'shopify', 'orders/create', shopifyOrder(id, [a, b, a]), { clock })
    expect(paid.reasons).toEqual(['not_yet'])
    expect(await invitationOf(id)).toBeUndefined()

    const fulfilledAt = '2026-12-03T09:00:00+09:00'
    const order = shopifyOrder(id, [a, b], {
      fulfillment_status: 'fulfilled',
      fulfillments: [{ id: 1, status: 'success', created_at: fulfilledAt, shipment_status: null }],
    })
    const done = await deliver(shop, 'shopify', 'orders/fulfilled', order, { clock })
    expect(done.reasons).toEqual(['invited'])
    const invitation = await invitationOf(id)
    expect(invitation).toMatchObject({ lang: 'ja', customerName: '山田 花子', state: 'scheduled' })
    expect(invitation?.items).toHaveLength(2)
    expect(invitation?.dueAt).toBe(Date.parse(fulfilledAt) + 7 * DAY)
    expect(invitation?.emailSealed).not.toContain('example.jp')

    const again = await deliver(shop, 'shopify', 'orders/updated', order, { clock })
    expect(again.reasons).toEqual(['already_invited'])
  })

  it('says why an order gets no invitation: no address, or no product that is a target', async () => {
    const fulfilled = { fulfillment_status: 'fulfilled', fulfillments: [{ created_at: '2026-12-02T00:00:00Z' }] }
    const unknown = await deliver(shop, 'shopify', 'orders/fulfilled', shopifyOrder(nextId(), [nextId()], fulfilled), {
      clock,
    })
    expect(unknown.reasons).toEqual(['no_products'])
    const anonymous = shopifyOrder(nextId(), [a], { ...fulfilled, email: null, contact_email: null, customer: null })
    expect((await deliver(shop, 'shopify', 'orders/fulfilled', anonymous, { clock })).reasons).toEqual(['no_email'])
    // A product deleted on Shopify is no longer named by orders (its target and voices stay).
    const gone = nextId()
    await deliver(shop, 'shopify', 'products/create', shopifyProduct(gone, `gone-${gone}`, 'Gone'), { clock })
    await deliver(shop, 'shopify', 'products/delete', { id: gone }, { clock })
    const late = shopifyOrder(nextId(), [gone], fulfilled)
    expect((await deliver(shop, 'shopify', 'orders/fulfilled', late, { clock })).reasons).toEqual(['no_products'])
  })

  it('with shop_invite_on = paid, invites from the paid order', async () => {
    const s = await connect(
      await createSite({ settings: { shop_invite_on: 'paid', review_invitation_delay_days: 3 } }),
      'shopify',
    )
    const p = nextId()
    await deliver(s, 'shopify', 'products/create', shopifyProduct(p, `p-${p}`, 'Tee'), { clock })
    const id = nextId()
    expect((await deliver(s, 'shopify', 'orders/paid', shopifyOrder(id, [p]), { clock })).reasons).toEqual(['invited'])
    expect((await invitationOf(id))?.dueAt).toBe(Date.parse('2026-12-01T10:00:00+09:00') + 3 * DAY)
  })

  it('leaves an older version of an order that arrives late (cancelled first, then the payment delivered)', async () => {
    const partner = await approvedPartner(shop)
    const { clickId } = await clickOn(shop, partner.key, `shopify-${a}`)
    const id = nextId()
    const paid = shopifyOrder(id, [a], {
      note_attributes: [{ name: 'gh_click', value: clickId }],
      processed_at: new Date().toISOString(),
      fulfillment_status: 'fulfilled',
      fulfillments: [{ created_at: '2026-12-02T00:00:00Z' }],
      updated_at: '2026-12-02T00:00:00Z',
    })
    const cancelled = { ...paid, cancelled_at: '2026-12-02T01:00:00Z', updated_at: '2026-12-02T01:00:00Z' }
    expect((await deliver(shop, 'shopify', 'orders/cancelled', cancelled, { clock })).reasons).toContain(
      'invitation_cancelled',
    )
    expect((await deliver(shop, 'shopify', 'orders/fulfilled', paid, { clock })).reasons).toEqual(['order_stale'])
    expect(await invitationOf(id)).toBeUndefined()
    // The cancelled order was paid: its sale is recorded and taken back whole, and the late payment adds nothing.
    const rows = await conversionsOf(id)
    expect(rows.map((r) => r.amount).sort((x, y) => x - y)).toEqual([-3960, 3960])
    expect(rows.reduce((t, r) => t + r.commission, 0)).toBe(0)
  })

  it('withdraws a cancelled order’s invitation that was not sent', async () => {
    const id = nextId()
    const fulfilled = { fulfillment_status: 'fulfilled', fulfillments: [{ created_at: '2026-12-02T00:00:00Z' }] }
    await deliver(shop, 'shopify', 'orders/fulfilled', shopifyOrder(id, [a], fulfilled), { clock })
    const cancelled = shopifyOrder(id, [a], {
      ...fulfilled,
      cancelled_at: '2026-12-02T05:00:00Z',
      financial_status: 'refunded',
    })
    const d = await deliver(shop, 'shopify', 'orders/cancelled', cancelled, { clock })
    expect(d.reasons).toContain('invitation_cancelled')
    expect(await invitationOf(id)).toMatchObject({ state: 'expired', emailSealed: null, customerName: null })
  })

  it('attributes a paid order to the affiliate click kept in the cart’s attributes; refunds and a cancellation take it back, never past the sale', async () => {
    const partner = await approvedPartner(shop)
    const target = await targetAt(`${shop.origin}/products/a-${a}`)
    const { clickId } = await clickOn(shop, partner.key, target?.id ?? '')
    const id = nextId()
    const order = shopifyOrder(id, [a, b], { note_attributes: [{ name: 'gh_click', value: clickId }] })
    const paidAt = Date.now()
    const c = testClock(paidAt)
    const sale = await deliver(
      shop,
      'shopify',
      'orders/paid',
      { ...order, processed_at: new Date(paidAt).toISOString() },
      { clock: c },
    )
    expect(sale.reasons).toEqual(['not_yet', 'sale'])
    // The same order again (orders/create after orders/paid): one sale.
    await deliver(
      shop,
      'shopify',
      'orders/create',
      { ...order, processed_at: new Date(paidAt).toISOString() },
      { clock: c },
    )
    let rows = await conversionsOf(id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      event: 'sale',
      amount: 3960,
      commission: 396,
      partnerId: partner.id,
      state: 'pending',
    })

    const refund = {
      id: nextId(),
      order_id: id,
      created_at: '2026-12-04T10:00:00+09:00',
      refund_line_items: [{ id: 1, line_item_id: id * 10, quantity: 1, subtotal: 1980, total_tax: 180 }],
      transactions: [{ id: 9, amount: '2178', kind: 'refund', status: 'success', currency: 'JPY' }],
    }
    expect((await deliver(shop, 'shopify', 'refunds/create', refund, { clock: c })).reasons).toEqual(['refund'])
    const cancelled = { ...order, cancelled_at: '2026-12-05T00:00:00Z', financial_status: 'refunded' }
    expect((await deliver(shop, 'shopify', 'orders/cancelled', cancelled, { clock: c })).reasons).toContain('refund')
    // A refund after the whole sale was taken back takes nothing more.
    const late = { ...refund, id: nextId() }
    expect((await deliver(shop, 'shopify', 'refunds/create', late, { clock: c })).reasons).toEqual([
      'nothing_to_reverse',
    ])
    rows = await conversionsOf(id)
    expect(rows.map((r) => r.amount).sort((x, y) => x - y)).toEqual([-1980, -1980, 3960])
    expect(rows.reduce((t, r) => t + r.commission, 0)).toBe(0)
  })

  it('counts cents for a shop in dollars (19.80 is 1980) and reads the click from the landing address', async () => {
    const s = await connect(await createSite({ settings: { currency: 'USD' } }), 'shopify')
    const p = nextId()
    await deliver(s, 'shopify', 'products/create', shopifyProduct(p, `usd-${p}`, 'Mug'), { clock })
    const partner = await approvedPartner(s)
    const { clickId } = await clickOn(s, partner.key, `shopify-${p}`)
    const id = nextId()
    const order = shopifyOrder(id, [p], {
      currency: 'USD',
      subtotal_price: '19.80',
      processed_at: new Date().toISOString(),
      landing_site: `/products/usd-${p}?utm_source=blog&gh_click=${clickId}`,
    })
    expect((await deliver(s, 'shopify', 'orders/paid', order, { clock: testClock(Date.now()) })).reasons).toContain(
      'sale',
    )
    expect(await conversionsOf(id)).toMatchObject([{ amount: 1980, currency: 'USD', commission: 198 }])
  })

  it('reads a refund of a yen shop paid in dollars (Shopify Markets) in yen: the lines in shop money, the dollar transactions not', async () => {
    const partner = await approvedPartner(shop)
    const { clickId } = await clickOn(shop, partner.key, `shopify-${a}`)
    const id = nextId()
    const paidAt = Date.now()
    const order = shopifyOrder(id, [a, b], {
      presentment_currency: 'USD',
      note_attributes: [{ name: 'gh_click', value: clickId }],
      processed_at: new Date(paidAt).toISOString(),
    })
    const c = testClock(paidAt)
    expect((await deliver(shop, 'shopify', 'orders/paid', order, { clock: c })).reasons).toContain('sale')
    const lines = {
      id: nextId(),
      order_id: id,
      refund_line_items: [{ id: 1, line_item_id: id * 10, quantity: 1, subtotal: 1980, total_tax: 180 }],
      transactions: [{ id: 9, amount: '14.52', kind: 'refund', status: 'success', currency: 'USD' }],
    }
    expect((await deliver(shop, 'shopify', 'refunds/create', lines, { clock: c })).reasons).toEqual(['refund'])
    // Shipping only, refunded in dollars: no yen amount to take back.
    const shipping = { ...lines, id: nextId(), refund_line_items: [] }
    expect((await deliver(shop, 'shopify', 'refunds/create', shipping, { clock: c })).reasons).toEqual([
      'nothing_to_reverse',
    ])
    expect((await conversionsOf(id)).map((r) => r.amount).sort((x, y) => x - y)).toEqual([-1980, 3960])
  })

  it('never takes back more than the sale when a cancellation and refunds are worked at once (one queue batch)', async () => {
    const partner = await approvedPartner(shop)
    const { clickId } = await clickOn(shop, partner.key, `shopify-${a}`)
    const id = nextId()
    const paidAt = Date.now()
    const order = shopifyOrder(id, [a, b], {
      note_attributes: [{ name: 'gh_click', value: clickId }],
      processed_at: new Date(paidAt).toISOString(),
    })
    const c = testClock(paidAt)
    expect((await deliver(shop, 'shopify', 'orders/paid', order, { clock: c })).reasons).toContain('sale')
    const refund = {
      id: nextId(),
      order_id: id,
      refund_line_items: [{ id: 1, line_item_id: id * 10, quantity: 2, subtotal: 3960, total_tax: 360 }],
      transactions: [{ id: 9, amount: '3960', kind: 'refund', status: 'success', currency: 'JPY' }],
    }
    const cancelled = { ...order, cancelled_at: '2026-12-05T00:00:00Z', financial_status: 'refunded' }
    const sent = [
      ...(await sendWebhook(shop, 'shopify', 'orders/cancelled', cancelled, { clock: c })).sent,
      ...(await sendWebhook(shop, 'shopify', 'refunds/create', refund, { clock: c })).sent,
      ...(await sendWebhook(shop, 'shopify', 'refunds/create', { ...refund, id: nextId() }, { clock: c })).sent,
    ]
    // The loser of the race is tried again by the queue, and then finds nothing left to take back.
    if ((await consume('shop', sent, c)).retried > 0) await consume('shop', sent, c, 2)
    const rows = await conversionsOf(id)
    expect(rows).toHaveLength(2)
    expect(rows.reduce((t, r) => t + r.amount, 0)).toBe(0)
    expect(rows.reduce((t, r) => t + r.commission, 0)).toBe(0)
  })

  it('makes no invitation for an order delivered too long ago', async () => {
    const old = { fulfillment_status: 'fulfilled', fulfillments: [{ created_at: '2026-09-01T00:00:00Z' }] }
    expect(
      (await deliver(shop, 'shopify', 'orders/fulfilled', shopifyOrder(nextId(), [a], old), { clock })).reasons,
    ).toEqual(['too_old'])
  })

  it('records no sale without a click, and a sale in another currency not for partners', async () => {
    const id = nextId()
    expect((await deliver(shop, 'shopify', 'orders/paid', shopifyOrder(id, [a]), { clock })).reasons).toEqual([
      'not_yet',
    ])
    const usd = shopifyOrder(nextId(), [a], {
      currency: 'USD',
      subtotal_price: '19.80',
      landing_site: '/products/a?gh_click=abc',
    })
    expect((await deliver(shop, 'shopify', 'orders/paid', usd, { clock })).reasons).toEqual([
      'not_yet',
      'other_currency',
    ])
    expect(await conversionsOf(id)).toHaveLength(0)
  })
})

describe('privacy topics', () => {
  it('customers/redact erases the buyer’s invitations by address and by order; shop/redact every invitation', async () => {
    const p = nextId()
    await deliver(shop, 'shopify', 'products/create', shopifyProduct(p, `r-${p}`, 'Bag'), { clock })
    const fulfilled = { fulfillment_status: 'fulfilled', fulfillments: [{ created_at: '2026-12-02T00:00:00Z' }] }
    const first = nextId()
    const second = nextId()
    await deliver(shop, 'shopify', 'orders/fulfilled', shopifyOrder(first, [p], fulfilled), { clock })
    await deliver(
      shop,
      'shopify',
      'orders/fulfilled',
      shopifyOrder(second, [p], { ...fulfilled, email: 'other@example.jp', customer: null }),
      { clock },
    )
    const redact = {
      shop_id: 954889,
      shop_domain: shop.address,
      customer: { id: 191167, email: 'hanako.yamada@example.jp', phone: '555-625-1199' },
      orders_to_redact: [second],
    }
    expect((await deliver(shop, 'shopify', 'customers/redact', redact, { clock })).reasons).toEqual(['erased'])
    for (const id of [first, second])
      expect(await invitationOf(id)).toMatchObject({ emailSealed: null, emailHash: null, customerName: null })
    const erasures = await api('GET', `/api/sites/${shop.slug}/erasure`, undefined, shop.key)
    expect(JSON.stringify(await erasures.json())).toContain(String(second))

    const s = await connect(await createSite(), 'shopify')
    const q = nextId()
    await deliver(s, 'shopify', 'products/create', shopifyProduct(q, `q-${q}`, 'Cap'), { clock })
    const order = nextId()
    await deliver(s, 'shopify', 'orders/fulfilled', shopifyOrder(order, [q], fulfilled), { clock })
    expect(
      (await deliver(s, 'shopify', 'shop/redact', { shop_id: 1, shop_domain: s.address }, { clock })).reasons,
    ).toEqual(['erased'])
    expect(await invitationOf(order)).toMatchObject({ emailSealed: null, customerName: null })
  })
})

describe('each delivery once, and refusals', () => {
  it('takes a retried delivery (the same X-Shopify-Webhook-Id) once', async () => {
    const id = crypto.randomUUID()
    const product = shopifyProduct(nextId(), unique('once'), 'Once')
    const first = await sendWebhook(shop, 'shopify', 'products/create', product, { clock, id })
    const retry = await sendWebhook(shop, 'shopify', 'products/create', product, { clock, id })
    expect([first.res.status, retry.res.status]).toEqual([200, 200])
    expect(first.sent).toHaveLength(1)
    expect(retry.sent).toHaveLength(0)
    expect((await retry.res.json<{ delivery: { outcome: string } }>()).delivery.outcome).toBe('duplicate')
  })

  it('refuses unsigned, forged, other shops’, stale and malformed deliveries, storing nothing of them', async () => {
    const shop = await connect(await createSite(), 'shopify')
    const body = shopifyProduct(nextId(), unique('x'), 'Forged')
    const cases: [Parameters<typeof sendWebhook>[4], number, string][] = [
      [{ clock, headers: { 'X-Shopify-Hmac-Sha256': null } }, 401, 'unsigned'],
      [{ clock, secret: 'not-the-secret' }, 401, 'bad_signature'],
      [{ clock, headers: { 'X-Shopify-Hmac-Sha256': 'c2lnbmF0dXJl' } }, 401, 'bad_signature'],
      [{ clock, headers: { 'X-Shopify-Shop-Domain': 'someone-else.myshopify.com' } }, 403, 'other_shop'],
      [{ clock, headers: { 'X-Shopify-Topic': null } }, 400, 'no_topic'],
      [{ clock, headers: { 'X-Shopify-Triggered-At': '2026-10-01T00:00:00Z' } }, 403, 'stale'],
    ]
    for (const [o, status, reason] of cases) {
      const { res, sent } = await sendWebhook(shop, 'shopify', 'products/create', body, o)
      expect(res.status, reason).toBe(status)
      expect(sent).toHaveLength(0)
      expect((await deliveries(shop))[0]).toMatchObject({ outcome: 'refused', reasons: [reason] })
    }
    expect(await targetAt(`${shop.origin}/products/${body.handle}`)).toBeUndefined()
    for (const [raw, reason] of [
      ['{"id": 1,', 'malformed'],
      ['[1, 2]', 'malformed'],
      [new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'not_utf8'],
    ] as const) {
      const { res } = await sendWebhook(shop, 'shopify', 'orders/create', raw, { clock })
      expect(res.status).toBe(400)
      expect((await deliveries(shop))[0]?.reasons).toEqual([reason])
    }
  })

  it('answers a topic it does not use with 200 (ignored), a body over a megabyte with 413, a site not connected with 404', async () => {
    const ignored = await deliver(shop, 'shopify', 'inventory_levels/update', { inventory_item_id: 1 }, { clock })
    expect(ignored).toMatchObject({ outcome: 'ignored', reasons: ['topic_unused'] })
    const big = { ...shopifyOrder(nextId(), [1]), note: 'x'.repeat(1024 * 1024) }
    expect((await sendWebhook(shop, 'shopify', 'orders/create', big, { clock })).res.status).toBe(413)
    const other = await createSite()
    const { res } = await sendWebhook(
      { ...other, secret: 'whatever-secret', address: `${other.slug}.myshopify.com` },
      'shopify',
      'orders/create',
      {},
      { clock },
    )
    expect(res.status).toBe(404)
    expect((await sendWebhook(shop, 'woocommerce', 'order.created', {}, { clock })).res.status).toBe(404)
  })

  it('keeps the previous secret for a day after the operator pastes a new one', async () => {
    const s = await connect(await createSite(), 'shopify')
    const res = await api(
      'PUT',
      `/api/sites/${s.slug}/shop`,
      { platform: 'shopify', shop_address: s.address, secret: 'shpss_new-secret-1234' },
      s.key,
    )
    expect(
      (await res.json<{ connection: { previous_valid_until: string | null } }>()).connection.previous_valid_until,
    ).not.toBeNull()
    // Saved again with the same new secret (the form sent twice): the old one keeps its day.
    const again = { platform: 'shopify', shop_address: s.address, secret: 'shpss_new-secret-1234' }
    expect((await api('PUT', `/api/sites/${s.slug}/shop`, again, s.key)).status).toBe(200)
    const body = shopifyProduct(nextId(), unique('old'), 'Old')
    expect((await sendWebhook(s, 'shopify', 'products/create', body, { clock: () => Date.now() })).res.status).toBe(200)
    expect(
      (await sendWebhook(s, 'shopify', 'products/create', body, { clock: () => Date.now() + 2 * DAY })).res.status,
    ).toBe(401)
    const fresh = { ...s, secret: 'shpss_new-secret-1234' }
    expect(
      (await sendWebhook(fresh, 'shopify', 'products/create', body, { clock: () => Date.now() + 2 * DAY })).res.status,
    ).toBe(200)
  })
})
