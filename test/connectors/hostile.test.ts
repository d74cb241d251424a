/**
 * What a hostile sender (or a platform's odd payload) cannot do to the hooks: every body shape a
 * signed delivery may carry, for every topic the hub reads, is answered without a 500, and what
 * is taken is worked by the queue without throwing.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { createSite } from '../helpers/factories'
import { testClock } from '../helpers/http'
import { consume } from '../helpers/outbox'
import { connect, sendWebhook, type ShopFixture } from '../helpers/shops'

const clock = testClock(Date.parse('2026-12-06T02:00:00Z'))
let shopify: ShopFixture
let woo: ShopFixture

beforeAll(async () => {
  shopify = await connect(await createSite(), 'shopify')
  woo = await connect(await createSite(), 'woocommerce')
})

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)

/** Bodies that are JSON (or not quite) but not what any topic carries, or carry it oddly. */
const BODIES: (string | Uint8Array)[] = [
  '',
  'null',
  '"string"',
  '42',
  '1e400',
  'true',
  '[]',
  '{}',
  '[{"id":1}]',
  deep(5000),
  `{"a":${deep(3000)}}`,
  '{"id":null}',
  '{"id":-1}',
  '{"id":1.5}',
  '{"id":123456789012345678901234567890}',
  '{"id":"1\\u0000"}',
  '{"id":{"x":1}}',
  '{"id":[1]}',
  '{"id":1,"order_id":2,"line_items":null,"refund_line_items":{"a":1},"transactions":"x"}',
  '{"id":1,"order_id":2,"refund_line_items":[null,1,{"subtotal":"1e9"}],"transactions":[null,{"kind":"refund","status":"success","amount":"-5"}]}',
  '{"id":1,"currency":"ZZZZ","subtotal_price":"99999999999999999999","financial_status":"paid","processed_at":"not a date","click":"x"}',
  '{"id":1,"currency":{},"total":[],"status":7,"billing":"x","meta_data":{"a":1},"refunds":[null,{"id":1,"total":-5}]}',
  '{"id":1,"title":{"x":1},"handle":"../../etc","tags":["a"],"status":null,"published_at":1}',
  '{"id":1,"name":"\\u0000","permalink":"javascript:alert(1)","status":"publish","categories":[null,1]}',
  '{"customer":[],"orders_to_redact":"x"}',
  '{"customer":{"email":{}},"orders_to_redact":[null,{},1e300,"x"]}',
  '{"__proto__":{"id":1},"constructor":{"prototype":{"id":2}}}',
  new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  new Uint8Array([0x7b, 0x00, 0x7d]),
]

const TOPICS = {
  shopify: [
    'orders/create',
    'orders/paid',
    'orders/fulfilled',
    'orders/cancelled',
    'orders/updated',
    'refunds/create',
    'products/create',
    'products/update',
    'products/delete',
    'customers/redact',
    'shop/redact',
  ],
  woocommerce: [
    'order.created',
    'order.updated',
    'order.restored',
    'product.created',
    'product.updated',
    'product.deleted',
    'product.restored',
  ],
} as const

describe('hostile bodies', () => {
  for (const platform of ['shopify', 'woocommerce'] as const)
    it(`${platform}: no body shape makes the hook or its queue work fail`, async () => {
      const shop = platform === 'shopify' ? shopify : woo
      for (const topic of TOPICS[platform])
        for (const body of BODIES) {
          const { res, sent } = await sendWebhook(shop, platform, topic, body, { clock })
          const label = `${topic} ${typeof body === 'string' ? body.slice(0, 60) : `bytes ${body.join(',')}`}`
          expect(res.status, label).toBeLessThan(500)
          expect([200, 400], label).toContain(res.status)
          if (sent.length > 0) expect((await consume('shop', sent, clock)).acked, label).toBe(sent.length)
        }
    })

  it('answers odd topic headers without a 500', async () => {
    for (const topic of ['<script>alert(1)</script>', 'orders/create ', 'ORDERS/CREATE', 'x'.repeat(5000), '\t', '%00'])
      for (const [platform, shop] of [
        ['shopify', shopify],
        ['woocommerce', woo],
      ] as const) {
        const { res } = await sendWebhook(shop, platform, topic, '{"id":1}', { clock })
        expect(res.status, topic).toBeLessThan(500)
      }
  })
})
