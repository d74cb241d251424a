/**
 * The hub's Shopify hook against Shopify's own library: each delivery below goes both to
 * `@shopify/shopify-api` (v13, its Cloudflare Workers adapter, `shopify.webhooks.validate`) and to
 * `POST /hooks/{site}/shopify`, and the hub must never take (200) what the library refuses on the
 * signature. Where they differ, it is on purpose and the case says why:
 *
 * - the library requires X-Shopify-API-Version and X-Shopify-Webhook-Id; the hub reads neither
 *   as a condition (it dedupes on the webhook id, else the event id, else the body's hash);
 * - the hub also refuses another shop's domain, a delivery first sent over 7 days ago, and the
 *   newer "events" headers (Shopify-Hmac-Sha256 without X-), which it does not read — the
 *   library accepts all three, as it checks the signature and the headers' presence only.
 */
import '@shopify/shopify-api/adapters/cf-worker'

import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api'
import { beforeAll, describe, expect, it } from 'vitest'

import { createSite } from '../helpers/factories'
import { callAt, DAY, testClock } from '../helpers/http'
import { keepingQueue } from '../helpers/outbox'
import { connect, type ShopFixture, shopifyOrder, shopifyProduct } from '../helpers/shops'

const clock = testClock()
let shop: ShopFixture

beforeAll(async () => {
  shop = await connect(await createSite({ settings: { lang: 'ja', currency: 'JPY' } }), 'shopify')
})

/** The library as an app configures it, with the shop's webhook secret as the app's secret key. */
const libraryFor = (secret: string) =>
  shopifyApi({
    apiKey: 'glasshouse-test-app',
    apiSecretKey: secret,
    hostName: 'hub.test',
    apiVersion: ApiVersion.October25,
    isEmbeddedApp: false,
    logger: { level: LogSeverity.Error },
  })

/** Shopify's base64 HMAC-SHA256, computed here (not with src/connectors/signature.ts). */
async function hmac(body: string, secret: string) {
  const enc = new TextEncoder()
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(body)))
  return btoa(Array.from(mac, (b) => String.fromCharCode(b)).join(''))
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
/** `s` with its character at `at` replaced by the base64 digit `change` makes of it. */
const withDigit = (s: string, at: number, change: (digit: number) => number) =>
  `${s.slice(0, at)}${ALPHABET[change(ALPHABET.indexOf(s.charAt(at))) % 64] ?? ''}${s.slice(at + 1)}`

type Case = {
  name: string
  /** The bytes sent (default: an order). */
  body?: string
  /** The body the signature is of (default: the body sent). */
  signedBody?: string
  /** The secret it is signed with (default: the shop's). */
  secret?: string
  /** The header's value made from the right signature (null: no header). */
  signature?: (right: string) => string | null
  headers?: Record<string, string | null>
  /** What the library answers: valid, or its reason. */
  library: 'valid' | 'invalid_hmac' | 'missing_hmac' | 'missing_body' | 'missing_headers'
  hub: 200 | 400 | 401 | 403
}

const order = JSON.stringify(shopifyOrder(5_500_000_001, [101, 102]))
const japanese = JSON.stringify(
  shopifyOrder(5_500_000_002, [103], {
    note: '贈り物です。のし紙をお願いします — 🎁',
    line_items: [{ id: 1, product_id: 103, title: '手ぬぐい「藍」', quantity: 1, price: '1980' }],
  }),
)
// Shopify's largest orders: 250 line items (about 60 KB).
const large = JSON.stringify(
  shopifyOrder(
    5_500_000_003,
    Array.from({ length: 250 }, (_, i) => 1000 + i),
  ),
)

const CASES: Case[] = [
  { name: 'a valid delivery', library: 'valid', hub: 200 },
  { name: 'signed with another secret', secret: 'shpss_not-the-shops-secret', library: 'invalid_hmac', hub: 401 },
  {
    name: 'the body altered by one byte after signing',
    body: order.replace('"currency":"JPY"', '"currency":"JPZ"'),
    signedBody: order,
    library: 'invalid_hmac',
    hub: 401,
  },
  {
    name: 'the signature of a different body',
    signedBody: JSON.stringify(shopifyOrder(5_500_000_009, [101])),
    library: 'invalid_hmac',
    hub: 401,
  },
  { name: 'no HMAC header', signature: () => null, library: 'missing_hmac', hub: 401 },
  { name: 'an empty HMAC header', signature: () => '', library: 'missing_hmac', hub: 401 },
  {
    name: 'the HMAC in hex instead of base64',
    signature: (s) => Array.from(atob(s), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(''),
    library: 'invalid_hmac',
    hub: 401,
  },
  // A header's value loses its leading and trailing whitespace on the way in (RFC 9110; the fetch
  // Headers both receive), so these arrive as the right signature.
  { name: 'base64 with a trailing newline', signature: (s) => `${s}\n`, library: 'valid', hub: 200 },
  { name: 'base64 with spaces around it', signature: (s) => `  ${s} `, library: 'valid', hub: 200 },
  {
    name: 'base64 with a space inside',
    signature: (s) => `${s.slice(0, 20)} ${s.slice(20)}`,
    library: 'invalid_hmac',
    hub: 401,
  },
  { name: 'base64 without its padding', signature: (s) => s.replace(/=$/, ''), library: 'invalid_hmac', hub: 401 },
  {
    // The last character's low two bits are padding: a decoder that ignores them (atob does) reads the same 32 bytes.
    name: 'base64 with non-zero padding bits',
    signature: (s) => withDigit(s, 42, (d) => d | 1),
    library: 'invalid_hmac',
    hub: 401,
  },
  { name: 'a Japanese UTF-8 body', body: japanese, library: 'valid', hub: 200 },
  { name: 'a large order (250 line items)', body: large, library: 'valid', hub: 200 },
  { name: 'an empty body, signed', body: '', library: 'missing_body', hub: 400 },
  { name: 'no topic', headers: { 'X-Shopify-Topic': null }, library: 'missing_headers', hub: 400 },
  { name: 'no shop domain', headers: { 'X-Shopify-Shop-Domain': null }, library: 'missing_headers', hub: 403 },
  // The hub dedupes on X-Shopify-Event-Id (or the body's hash) when the webhook id is missing.
  { name: 'no webhook id', headers: { 'X-Shopify-Webhook-Id': null }, library: 'missing_headers', hub: 200 },
  { name: 'no API version', headers: { 'X-Shopify-API-Version': null }, library: 'missing_headers', hub: 200 },
  // The hub refuses more than the library, never less.
  {
    name: "another shop's domain",
    headers: { 'X-Shopify-Shop-Domain': 'someone-else.myshopify.com' },
    library: 'valid',
    hub: 403,
  },
  {
    name: 'first sent 8 days ago',
    headers: { 'X-Shopify-Triggered-At': new Date(clock() - 8 * DAY).toISOString() },
    library: 'valid',
    hub: 403,
  },
]

/** The headers Shopify sends (as test/helpers/shops.ts sends them), with `signature`, and `changes` over them. */
function shopifyHeaders(signature: string | null, changes: Record<string, string | null> = {}) {
  const all: Record<string, string | null> = {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': 'orders/paid',
    'X-Shopify-Hmac-Sha256': signature,
    'X-Shopify-Shop-Domain': shop.address,
    'X-Shopify-API-Version': '2025-10',
    'X-Shopify-Webhook-Id': crypto.randomUUID(),
    'X-Shopify-Event-Id': crypto.randomUUID(),
    'X-Shopify-Triggered-At': new Date(clock()).toISOString(),
    ...changes,
  }
  return new Headers(Object.entries(all).filter((e): e is [string, string] => e[1] !== null))
}

/** The same delivery to the library and to the hub: what each says. */
async function both(headers: Headers, body: string, secret = shop.secret) {
  const url = `https://hub.test/hooks/${shop.slug}/shopify`
  const rawRequest = new Request(url, { method: 'POST', headers, body })
  const verdict = await libraryFor(secret).webhooks.validate({ rawBody: body, rawRequest })
  const res = await callAt(clock, { SHOP_QUEUE: keepingQueue().queue })(`/hooks/${shop.slug}/shopify`, {
    method: 'POST',
    headers,
    body,
  })
  return { library: verdict.valid ? 'valid' : verdict.reason, hub: res.status, text: await res.text() }
}

describe('the Shopify hook against @shopify/shopify-api', () => {
  it.each(CASES)('$name: library $library, hub $hub', async (c) => {
    const body = c.body ?? order
    const right = await hmac(c.signedBody ?? body, c.secret ?? shop.secret)
    const signature = c.signature ? c.signature(right) : right
    const got = await both(shopifyHeaders(signature, c.headers), body)
    expect({ library: got.library, hub: got.hub }, got.text).toEqual({ library: c.library, hub: c.hub })
    // The rule itself: whatever the library refuses on its signature, the hub refuses too.
    if (['invalid_hmac', 'missing_hmac', 'missing_body'].includes(got.library)) expect(got.hub).not.toBe(200)
  })

  it("refuses the newer events headers (Shopify-Hmac-Sha256, no X-), which the library takes: the hub reads Shopify's webhook headers only", async () => {
    const body = JSON.stringify(shopifyProduct(5_500_000_010, 'furoshiki', '風呂敷'))
    const headers = new Headers({
      'Content-Type': 'application/json',
      'Shopify-Topic': 'products/create',
      'Shopify-Hmac-Sha256': await hmac(body, shop.secret),
      'Shopify-Shop-Domain': shop.address,
      'Shopify-API-Version': '2025-10',
      'Shopify-Webhook-Id': crypto.randomUUID(),
      'Shopify-Event-Id': crypto.randomUUID(),
    })
    const got = await both(headers, body)
    expect({ library: got.library, hub: got.hub }).toEqual({ library: 'valid', hub: 401 })
  })

  it('agrees with the library on other bodies and on a change of any one character of the signature', async () => {
    for (let i = 0; i < 11; i++) {
      const body = JSON.stringify(shopifyOrder(5_500_100_000 + i, [i], { note: `${'注文'.repeat(i)}${i}` }))
      const right = await hmac(body, shop.secret)
      // Characters 0, 4, … 40 of the signature, each changed to its neighbour in the alphabet.
      const at = i * 4
      const changed = withDigit(right, at, (d) => d + 1)
      expect(await both(shopifyHeaders(right), body)).toMatchObject({ library: 'valid', hub: 200 })
      expect(await both(shopifyHeaders(changed), body)).toMatchObject({ library: 'invalid_hmac', hub: 401 })
    }
  })
})
