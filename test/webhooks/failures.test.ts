/**
 * A failed webhook delivery says what happened in words, from a code stored in its attempt log:
 * could not connect, timed out, answered 500, a refused address — never the runtime's own text.
 * Tried against the fixture web (a 500, a server that hangs, one that drops the connection).
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { deliver, DELIVERY_LIMITS } from '../../src/webhooks/deliver'
import { deliveryFailureWords, failureCode, failureOf } from '../../src/webhooks/failures'
import { servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'
import { pingVoice } from '../helpers/voices'

type Delivery = {
  id: string
  last_error: string | null
  attempt_log: { status: number | null; error: string | null }[]
}

let site: SiteFixture

const deliveriesOf = async (id: string) =>
  (await (await api('GET', `/api/webhooks/${id}/deliveries`, undefined, site.key)).json<{ items: Delivery[] }>()).items

/** An endpoint at a fixture address, and its first delivery once the queue has tried it. */
async function firstDelivery(url: string) {
  const made = await api('POST', `/api/sites/${site.slug}/webhooks`, { url, events: ['mention.received'] }, site.key)
  const { id } = await made.json<{ id: string }>()
  await pingVoice(site, (await createTarget(site)).id)
  const [d] = await eventually(
    () => deliveriesOf(id),
    (items) => (items[0]?.attempt_log.length ?? 0) > 0,
  )
  return { endpoint: id, delivery: d! }
}

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
})

describe('a failed delivery’s attempt', () => {
  it('records an answer of 500 as http_500: “answered 500”', async () => {
    const url = `https://${unique('hooks')}.example/in`
    await servePage(url, { status: 500, body: 'oops', headers: { 'Content-Type': 'text/plain' } })
    const { delivery } = await firstDelivery(url)
    expect(delivery.attempt_log[0]).toMatchObject({ status: 500, error: 'http_500' })
    expect(delivery.last_error).toBe('http_500')
    expect(deliveryFailureWords('http_500', 'en', 15)).toBe('answered 500')
    expect(deliveryFailureWords('http_500', 'ja', 15)).toBe('500を返しました')
  })

  it('records a dropped connection as connect_failed, and keeps the runtime’s text out of the log', async () => {
    const url = `https://${unique('hooks')}.example/in`
    await servePage(url, { dropConnection: true })
    const { delivery } = await firstDelivery(url)
    expect(delivery.attempt_log[0]).toMatchObject({ status: null, error: 'connect_failed' })
    expect(JSON.stringify(delivery)).not.toMatch(/internal error|reference|dropped/i)
    expect(deliveryFailureWords('connect_failed', 'en', 15)).toBe('could not connect to the address')
    expect(deliveryFailureWords('connect_failed', 'ja', 15)).toBe('アドレスに接続できませんでした')
  })

  it('records a receiver that does not answer in time as timeout: “timed out after 15 s”', async () => {
    const url = `https://${unique('hooks')}.example/in`
    await servePage(url, { status: 500 })
    const { delivery } = await firstDelivery(url)
    await servePage(url, { status: 200, body: 'late', delayMs: 1500, headers: { 'Content-Type': 'text/plain' } })
    const deps = { db: getDb(env.DB), policy: { allowLoopback: false }, secretsKey: env.WEBHOOK_SECRETS_KEY }
    await deliver({ ...deps, limits: { ...DELIVERY_LIMITS, timeoutMs: 200 } }, delivery.id, 2)
    const row = await env.DB.prepare('SELECT last_error, attempt_log FROM webhook_deliveries WHERE id = ?')
      .bind(delivery.id)
      .first<{ last_error: string; attempt_log: string }>()
    expect(row!.last_error).toBe('timeout')
    expect(row!.attempt_log).not.toMatch(/no complete answer/)
    expect(deliveryFailureWords('timeout', 'en', DELIVERY_LIMITS.timeoutMs / 1000)).toBe('timed out after 15 s')
    expect(deliveryFailureWords('timeout', 'ja', 15)).toBe('15秒でタイムアウトしました')
  })
})

describe('a delivery logged before the codes', () => {
  it('answers codes through the API, never the runtime’s text it holds', async () => {
    const made = await api(
      'POST',
      `/api/sites/${site.slug}/webhooks`,
      { url: `https://${unique('hooks')}.example/in` },
      site.key,
    )
    const { id: endpoint } = await made.json<{ id: string }>()
    const { site_id } = (await env.DB.prepare('SELECT site_id FROM webhook_endpoints WHERE id = ?')
      .bind(endpoint)
      .first<{ site_id: number }>())!
    const old = ['answered 503', 'refused: private_address', 'timeout: no complete answer within 15000 ms']
    const last = 'connect_error: internal error; reference = 8fk2abc'
    const log = [...old, last].map((error, i) => ({ at: 1_700_000_000_000 + i, status: null, error, body: null }))
    await env.DB.prepare(
      `INSERT INTO webhook_deliveries (id, site_id, endpoint_id, event, payload, state, attempts, last_error,
         last_attempt_at, attempt_log, created_at) VALUES (?, ?, ?, 'mention.received', '{}', 'failed', 4, ?, ?, ?, ?)`,
    )
      .bind(unique('msg'), site_id, endpoint, last, 1_700_000_000_003, JSON.stringify(log), 1_700_000_000_000)
      .run()
    const [delivery] = await deliveriesOf(endpoint)
    expect(delivery!.last_error).toBe('connect_failed')
    expect(delivery!.attempt_log.map((a) => a.error)).toEqual([
      'http_503',
      'private_address',
      'timeout',
      'connect_failed',
    ])
    expect(JSON.stringify(delivery)).not.toMatch(/internal error|reference|answered|refused|within/)
  })

  it('reads an old text as its code, and one it cannot read as failed', () => {
    expect(failureCode('answered 410')).toBe('http_410')
    expect(failureCode('refused: hub_itself')).toBe('hub_itself')
    expect(failureCode('connect_error: DNS lookup failed')).toBe('dns')
    expect(failureCode('the endpoint is disabled')).toBe('disabled')
    expect(failureCode('kj/async-io.c++: something')).toBe('failed')
    expect(failureCode('refused: a_reason_gone_since')).toBe('failed')
    expect(failureCode('http_500')).toBe('http_500')
    expect(failureCode(null)).toBeNull()
  })
})

describe('failureOf and the words', () => {
  it('tells DNS and TLS failures from other connection failures when the runtime says which', () => {
    const unreachable = (detail: string) => failureOf({ kind: 'unreachable', reason: 'connect_error', detail })
    expect(unreachable('DNS lookup failed')).toBe('dns')
    expect(unreachable('TLS handshake failed: certificate has expired')).toBe('tls')
    expect(unreachable('internal error; reference = 8fk2abc')).toBe('connect_failed')
    expect(failureOf({ kind: 'refused', reason: 'private_address', url: 'https://10.0.0.1/' })).toBe('private_address')
  })

  it('says every code in both languages, and never shows a text it does not know', () => {
    expect(deliveryFailureWords('dns', 'en', 15)).toBe('the address’s host name was not found')
    expect(deliveryFailureWords('tls', 'ja', 15)).toBe('アドレスとの安全な接続（TLS）に失敗しました')
    expect(deliveryFailureWords('http_301', 'en', 15)).toContain('the hub does not follow redirects')
    expect(deliveryFailureWords('private_address', 'en', 15)).toBe(
      'The address points to a private, loopback or reserved address.',
    )
    expect(deliveryFailureWords('disabled', 'en', 15)).toBe('not sent: sending to this address is stopped')
    // Attempts logged before the codes: read as codes; anything else is a failure in plain words.
    expect(deliveryFailureWords('answered 503', 'en', 15)).toBe('answered 503')
    expect(deliveryFailureWords('refused: hub_itself', 'en', 15)).toContain('on this hub itself')
    expect(deliveryFailureWords('connect_error: internal error; reference = x1', 'en', 15)).toBe(
      'could not connect to the address',
    )
    expect(deliveryFailureWords('kj/async-io.c++: something', 'ja', 15)).toBe('届けられませんでした')
  })
})
