/**
 * The Shopify part of `npm run bench`: a burst of order webhooks as Shopify sends them when a
 * shop's endpoint comes back after an outage — BENCH_SHOPIFY_ORDERS (1,000) orders/fulfilled
 * deliveries, first triggered over the past hours, 20 in flight, with every 20th delivery sent
 * again (Shopify's retry: the same X-Shopify-Webhook-Id and bytes), some of them racing their
 * original. The bench site is connected to Shopify through the API (PUT /api/sites/bench/shop)
 * and its products created by products/create webhooks first; every delivery is signed here with
 * node:crypto, as Shopify signs (base64 HMAC-SHA256 of the body).
 *
 * It prints the acceptance latency (the hook's answer; the work is left to the queue) p50 and p99
 * against the inbound floor — the ingest bench's route doing one D1 insert, the least a hook can
 * do — sent as many times in the same pool, one floor request after each delivery, so that both
 * see the same machine (locally the queue's consumer shares workerd and the two cores with the
 * hook while the burst lasts); and the floor on an idle hub, before the burst. Then how many
 * answers were 5xx (goal 0); how long the queue took to drain after the last answer; and whether
 * every order got exactly one review invitation (counted in D1, and each order asked for through
 * GET /api/sites/bench/invitations/{order}), no retry doubled one, and no delivery failed.
 */
import { createHmac, randomUUID } from 'node:crypto'

const ORDERS = Number(process.env.BENCH_SHOPIFY_ORDERS ?? 1000)
const IN_FLIGHT = Number(process.env.BENCH_SHOPIFY_IN_FLIGHT ?? 20)
const PRODUCTS = 20
/** Every RETRIED-th order is delivered twice; one retry in RACING is sent right behind its original. */
const RETRIED = 20
const RACING = 10
const SECRET = 'shpss_bench_only_shopify_secret'
const SHOP = 'bench-shop.myshopify.com'
/** Order ids: 9100000000000 + n, so the bench's orders are those whose id starts 9100000. */
const ORDER_BASE = 9_100_000_000_000
const PRODUCT_BASE = 9_200_000_000_000

const sign = (body) => createHmac('sha256', SECRET).update(body).digest('base64')

/** Runs `jobs` (functions) with at most `inFlight` at once; their results in order. */
async function pool(jobs, inFlight) {
  const out = new Array(jobs.length)
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++
      out[i] = await jobs[i]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, jobs.length) }, worker))
  return out
}

/** A product as products/create sends it (Admin REST Product). */
const product = (n) => ({
  id: PRODUCT_BASE + n,
  title: `ベンチ商品 ${n}`,
  body_html: '<p>手ぬぐい</p>',
  vendor: 'Glasshouse Bench',
  product_type: 'Textiles',
  handle: `shopify-bench-${n}`,
  status: 'active',
  tags: 'bench',
  created_at: '2026-11-01T10:00:00+09:00',
  updated_at: '2026-11-01T10:00:00+09:00',
  published_at: '2026-11-01T10:00:00+09:00',
  admin_graphql_api_id: `gid://shopify/Product/${PRODUCT_BASE + n}`,
  variants: [{ id: (PRODUCT_BASE + n) * 10, product_id: PRODUCT_BASE + n, title: 'Default Title', price: '1980' }],
})

/** A fulfilled order in yen from a Japanese buyer, as orders/fulfilled sends it (Admin REST Order). */
function order(n) {
  const id = ORDER_BASE + n
  const address = { first_name: '花子', last_name: '山田', city: '千代田区', province: '東京都', country_code: 'JP' }
  const items = [n % PRODUCTS, (n * 7 + 3) % PRODUCTS]
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#B${n}`,
    order_number: 10_000 + n,
    email: `buyer${n}@example.jp`,
    contact_email: `buyer${n}@example.jp`,
    created_at: '2026-12-01T10:00:00+09:00',
    processed_at: '2026-12-01T10:00:00+09:00',
    updated_at: '2026-12-03T09:00:05+09:00',
    currency: 'JPY',
    customer_locale: 'ja',
    financial_status: 'paid',
    fulfillment_status: 'fulfilled',
    subtotal_price: '3960',
    total_price: '4510',
    customer: { id: id + 1, email: `buyer${n}@example.jp`, first_name: '花子', last_name: '山田', locale: 'ja' },
    billing_address: address,
    shipping_address: address,
    line_items: items.map((p, i) => ({
      id: id * 10 + i,
      product_id: PRODUCT_BASE + p,
      variant_id: (PRODUCT_BASE + p) * 10,
      title: `ベンチ商品 ${p}`,
      quantity: 1,
      price: '1980',
    })),
    fulfillments: [{ id: id * 3, status: 'success', created_at: '2026-12-03T09:00:00+09:00', shipment_status: null }],
    refunds: [],
  }
}

/** One delivery, headed as Shopify heads it; `triggeredAt`: when Shopify first tried it. */
function delivery(topic, payload, triggeredAt) {
  const body = JSON.stringify(payload)
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'User-Agent': 'Shopify-Captain-Hook',
      'X-Shopify-Topic': topic,
      'X-Shopify-Hmac-Sha256': sign(body),
      'X-Shopify-Shop-Domain': SHOP,
      'X-Shopify-API-Version': '2025-10',
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Event-Id': randomUUID(),
      'X-Shopify-Triggered-At': new Date(triggeredAt).toISOString(),
    },
  }
}

export async function measureShopifyBurst(hub, { median, p99, token }) {
  const auth = { Authorization: `Bearer ${token}` }
  const send = async (path, d) => {
    const start = performance.now()
    const res = await hub.request('POST', path, d?.body, d?.headers)
    const ms = performance.now() - start
    let outcome = null
    try {
      outcome = JSON.parse(res.body).delivery?.outcome ?? null
    } catch {
      // a floor's or an error's answer
    }
    return { status: res.status, ms, outcome }
  }
  const counts = async () => {
    const res = await hub.request('GET', `/__dev/bench/shop?orders=${String(ORDER_BASE).slice(0, 7)}`)
    if (res.status !== 200) throw new Error(`/__dev/bench/shop: ${res.status} ${res.body}`)
    return JSON.parse(res.body)
  }
  const waitDrained = async (topic) => {
    for (let i = 0; i < 1200; i++) {
      const c = await counts()
      if (!c.outcomes.some((o) => o.topic === topic && o.outcome === 'queued')) return c
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`the queue did not drain the ${topic} deliveries in 5 minutes`)
  }

  const connected = await hub.request(
    'PUT',
    '/api/sites/bench/shop',
    JSON.stringify({ platform: 'shopify', shop_address: SHOP, secret: SECRET }),
    { ...auth, 'Content-Type': 'application/json' },
  )
  if (connected.status !== 200) throw new Error(`connecting the bench site: ${connected.status} ${connected.body}`)
  const made = await pool(
    Array.from(
      { length: PRODUCTS },
      (_, n) => () => send('/hooks/bench/shopify', delivery('products/create', product(n), Date.now())),
    ),
    IN_FLIGHT,
  )
  if (made.some((r) => r.status !== 200)) throw new Error('a products/create delivery was not taken')
  const productsIn = await waitDrained('products/create')
  const saved = productsIn.outcomes.find((o) => o.topic === 'products/create' && o.reason === 'product_saved')?.n ?? 0
  if (saved !== PRODUCTS) throw new Error(`products saved: ${saved} of ${PRODUCTS}`)

  // The burst: the outage's deliveries, oldest first, with the retries among them.
  const now = Date.now()
  const sends = []
  const retries = []
  for (let n = 0; n < ORDERS; n++) {
    const d = delivery('orders/fulfilled', order(n), now - (ORDERS - n) * 15_000)
    sends.push(d)
    if (n % RETRIED === 0) retries.push({ at: n % (RETRIED * RACING) === 0 ? n : n + 2 * IN_FLIGHT, d })
    for (const r of retries.filter((r) => r.at === n)) sends.push(r.d)
  }
  for (const r of retries.filter((r) => r.at >= ORDERS)) sends.push(r.d)

  const floor = () => send('/__dev/bench/ingest-floor')
  // Warm-up, then the floor on an idle hub.
  await pool(
    Array.from({ length: 100 }, () => floor),
    IN_FLIGHT,
  )
  const idle = await pool(
    sends.map(() => floor),
    IN_FLIGHT,
  )
  // The burst, each delivery followed by a floor request in the same pool: both see the same machine.
  const started = performance.now()
  const mixed = await pool(
    sends.flatMap((d) => [() => send('/hooks/bench/shopify', d), floor]),
    2 * IN_FLIGHT,
  )
  const answeredAt = performance.now()
  const burst = mixed.filter((_, i) => i % 2 === 0)
  const during = mixed.filter((_, i) => i % 2 === 1)
  const drained = await waitDrained('orders/fulfilled')
  const drainSeconds = (performance.now() - answeredAt) / 1000

  const asked = await pool(
    Array.from({ length: ORDERS }, (_, n) => async () => {
      const res = await hub.request('GET', `/api/sites/bench/invitations/${ORDER_BASE + n}`, undefined, auth)
      return res.status === 200 && JSON.parse(res.body).order_id === String(ORDER_BASE + n)
    }),
    IN_FLIGHT,
  )

  const floorMs = during.map((r) => r.ms)
  const idleMs = idle.map((r) => r.ms)
  const hookMs = burst.map((r) => r.ms)
  const fivexx = burst.filter((r) => r.status >= 500).length
  const other = burst.filter((r) => r.status !== 200 && r.status < 500).length
  const taken = burst.filter((r) => r.outcome === 'queued').length
  const duplicates = burst.filter((r) => r.outcome === 'duplicate').length
  const of = (outcome, reason) =>
    drained.outcomes
      .filter(
        (o) => o.topic === 'orders/fulfilled' && o.outcome === outcome && (reason === undefined || o.reason === reason),
      )
      .reduce((sum, o) => sum + o.n, 0)
  const invited = of('done', 'invited')
  const failed = of('failed')
  const { orders: invitedOrders, rows: invitationRows } = drained.invitations
  const foundByApi = asked.filter(Boolean).length
  const allOnce =
    invitedOrders === ORDERS && invitationRows === ORDERS && invited === ORDERS && foundByApi === ORDERS && failed === 0
  const fmt = (n) => n.toLocaleString('en')
  const f = (ms) => `${ms.toFixed(1).padStart(6)} ms`

  console.log(
    `\n== A Shopify burst after an outage: ${fmt(ORDERS)} orders/fulfilled webhooks + ${fmt(retries.length)} retries, ${IN_FLIGHT} in flight (and as many floor requests beside them) ==`,
  )
  const row = (name, ms) => `  ${name.padEnd(44)} p50 ${f(median(ms))}  p99 ${f(p99(ms))}`
  console.log(row(`floor (one D1 insert), idle, ${fmt(idleMs.length)}`, idleMs))
  console.log(row(`floor, alongside the burst, ${fmt(floorMs.length)}`, floorMs))
  console.log(
    `${row(`POST /hooks/bench/shopify, ${fmt(hookMs.length)}`, hookMs)}  ratio to the floor alongside: p50 ${(median(hookMs) / median(floorMs)).toFixed(2)}, p99 ${(p99(hookMs) / p99(floorMs)).toFixed(2)} (to the idle floor: ${(median(hookMs) / median(idleMs)).toFixed(2)}, ${(p99(hookMs) / p99(idleMs)).toFixed(2)})`,
  )
  console.log(
    `  answers: ${fmt(burst.length - fivexx - other)} × 200 (${fmt(taken)} taken, ${fmt(duplicates)} duplicates), ${fivexx} 5xx (goal 0: ${fivexx === 0 ? 'met' : 'NOT met'})${other ? `, ${other} other refusals` : ''}; the burst took ${((answeredAt - started) / 1000).toFixed(1)} s (${(burst.length / ((answeredAt - started) / 1000)).toFixed(0)} a second)`,
  )
  console.log(`  the queue had worked every delivery ${drainSeconds.toFixed(1)} s after the last answer`)
  console.log(
    `  invitations: ${fmt(invitationRows)} for ${fmt(invitedOrders)} orders; deliveries worked: ${fmt(invited)} invited, ${fmt(of('done', 'already_invited'))} already invited, ${fmt(failed)} failed; ${fmt(foundByApi)} orders found through GET /api/sites/bench/invitations/{order} (goal: each of the ${fmt(ORDERS)} orders once, no retry doubled: ${allOnce && duplicates === retries.length ? 'met' : 'NOT met'})`,
  )
}
