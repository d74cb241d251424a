/**
 * The API description against the API itself. /openapi.json must be a valid OpenAPI 3.1
 * document (checked against the specification's own schema, @hyperjump/json-schema), and every
 * documented operation is called here, with what it needs seeded through the API: the answer's
 * status must be one the description lists, its media type the one it gives, and a JSON body
 * must validate against the schema given for that status (@cfworker/json-schema). A handler
 * that answers a field its schema does not list, leaves out a required one, or answers a value
 * outside an enum fails here. The operations this file cannot call are in NOT_CALLED, with why;
 * the last test fails when an operation is neither called nor listed.
 */
import { Validator } from '@cfworker/json-schema'
import { validate as validateOpenApi } from '@hyperjump/json-schema/openapi-3-1'
import { beforeAll, describe, expect, it } from 'vitest'

import type { Method, OpenApiDocument } from '../../src/openapi/document'
import { runAt, rss2, item } from '../helpers/listening'
import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call, callAt, OPERATOR_TOKEN } from '../helpers/http'
import { freshIp, sendWebmention, settled } from '../helpers/linkbacks'
import { inboundSecret, invite, order, postSigned, reviewPath } from '../helpers/reviews'
import { pingVoice } from '../helpers/voices'

/** Documented operations this file does not call, and why (none today: every one is called below). */
const NOT_CALLED: Record<string, string> = {}

/** The smallest PNG the review form takes (it knows images by their first bytes). */
function png(): Uint8Array {
  const chunk = (type: string, data: number[]) => [
    0,
    0,
    0,
    data.length,
    ...new TextEncoder().encode(type),
    ...data,
    0,
    0,
    0,
    0,
  ]
  return new Uint8Array([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
    ...chunk('IDAT', [1, 2, 3]),
    ...chunk('IEND', []),
  ])
}

const BASE = 'https://hub.test/openapi.json'
/** The schema of OpenAPI 3.1 documents whose Schema Objects are JSON Schema 2020-12 (our jsonSchemaDialect). */
const OAS_31 = 'https://spec.openapis.org/oas/3.1/schema-draft-2020-12'

type FeedPhotos = { items: { content_text: string; _glasshouse: { photos: { url: string }[] } }[] }

let doc: OpenApiDocument
const called = new Set<string>()

beforeAll(async () => {
  doc = await (await call('/openapi.json')).json<OpenApiDocument>()
})

const pointer = (...parts: string[]) => parts.map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1')).join('')
const essence = (type: string | null) => (type ?? '').split(';')[0]!.trim().toLowerCase()

/** What is wrong with `body` as the answer `status` of `method path` in `media` (empty: nothing). */
function problemsWith(method: Method, path: string, status: number, media: string, body: unknown): string[] {
  const op = doc.paths[path]?.[method]
  if (!op) return [`${method} ${path} is not in the description`]
  const answer = op.responses[String(status)]
  if (!answer) return [`${method} ${path} does not document ${status}`]
  const at =
    '$ref' in answer
      ? pointer('components', 'responses', answer.$ref.split('/').pop() ?? '')
      : pointer('paths', path, method, 'responses', String(status))
  const content = ('$ref' in answer ? doc.components.responses[answer.$ref.split('/').pop() ?? ''] : answer)?.content
  if (!content) return body === '' ? [] : [`${status} is documented without a body, but one came`]
  const documented = Object.keys(content).find(
    (m) => m === media || (m.endsWith('/*') && media.startsWith(m.slice(0, -1))),
  )
  if (!documented) return [`${status} came as ${media}; the description gives ${Object.keys(content).join(', ')}`]
  const validator = new Validator(
    { $ref: `${BASE}#${at}${pointer('content', documented, 'schema')}` },
    '2020-12',
    false,
  )
  validator.addSchema(doc, BASE)
  const result = validator.validate(body)
  return result.errors.map((e) => `${e.instanceLocation}: ${e.error}`)
}

/** The answer checked against the description; its JSON (or text) for the test to go on with. */
async function checked<T = Record<string, unknown>>(method: Method, path: string, res: Response): Promise<T> {
  called.add(`${method} ${path}`)
  const media = essence(res.headers.get('Content-Type'))
  const text = await res.text()
  const json = media.endsWith('json')
  const body: unknown = json && text !== '' ? JSON.parse(text) : text
  expect(
    problemsWith(method, path, res.status, media, body),
    `${method.toUpperCase()} ${path} → ${res.status}: ${text.slice(0, 300)}`,
  ).toEqual([])
  return body as T
}

/** A request as `api` sends it (JSON, a token), checked against the description of `method path`. */
const apiChecked = async <T = Record<string, unknown>>(
  method: Method,
  path: string,
  url: string,
  token: string,
  body?: unknown,
  status?: number,
) => {
  const res = await api(method.toUpperCase(), url, body, token)
  if (status !== undefined) expect(res.status, await res.clone().text()).toBe(status)
  return checked<T>(method, path, res)
}

/** A voice published by a verified Webmention about `page` (an unregistered page makes an automatic target). */
async function webmentionVoice(s: SiteFixture, page: string) {
  const source = `https://${unique('blog')}.example/post`
  await servePage(source, { body: html(`<p>About <a href="${page}">this</a>.</p>`) })
  const sent = await sendWebmention(s.slug, { source, target: page })
  expect(sent.status, await sent.clone().text()).toBe(201)
  await checked('post', '/webmention/{site}', sent)
  const location = sent.headers.get('Location')!
  expect((await settled(location)).status).toBe('verified')
  return (
    await checked<{ voice: { id: string } }>('get', '/status/{site}/{id}', await call(new URL(location).pathname))
  ).voice.id
}

describe('GET /openapi.json as a document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const out = await validateOpenApi(OAS_31, doc as never, 'BASIC')
    expect(out.valid, JSON.stringify(out).slice(0, 2000)).toBe(true)
    // The validator does tell a broken document: a response that is not a Response Object.
    const broken = structuredClone(doc)
    ;(broken.paths['/api/sites']!.get!.responses as Record<string, unknown>)['200'] = { content: 'json' }
    expect((await validateOpenApi(OAS_31, broken as never)).valid).toBe(false)
  })

  it('answers as its own description says', async () => {
    await checked('get', '/openapi.json', await call('/openapi.json'))
  })

  it('describes the health check, whole or naming what is missing', async () => {
    await checked('get', '/healthz', await call('/healthz'))
    await checked('get', '/healthz', await callAt(Date.now(), { ADMIN_TOKEN: undefined })('/healthz'))
  })

  it('gives every answer with a body a schema, and every JSON one the schema its handler is typed by', () => {
    const missing: string[] = []
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, answer] of Object.entries(op.responses)) {
          if ('$ref' in answer) continue
          for (const [media, { schema }] of Object.entries(answer.content ?? {})) {
            const json = media.endsWith('json')
            if (!schema || (json && (schema.type === undefined || Object.keys(schema).length < 2)))
              missing.push(`${method} ${path} ${status} ${media}`)
          }
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('catches an answer that strays from its schema: an extra field, a missing one, a value outside an enum', async () => {
    const s = await createSite()
    const site = await apiChecked('get', '/api/sites/{site}', `/api/sites/${s.slug}`, s.key)
    expect(problemsWith('get', '/api/sites/{site}', 200, 'application/json', site)).toEqual([])
    const extra = problemsWith('get', '/api/sites/{site}', 200, 'application/json', { ...site, owner: 'x' })
    expect(extra.join('\n')).toContain('owner')
    const nameless: Record<string, unknown> = { ...site }
    delete nameless.name
    expect(problemsWith('get', '/api/sites/{site}', 200, 'application/json', nameless).join('\n')).toContain('name')
    const settings = { ...(site.settings as object), lang: 'fr' }
    expect(problemsWith('get', '/api/sites/{site}', 200, 'application/json', { ...site, settings })).not.toEqual([])
    expect(problemsWith('get', '/api/sites/{site}', 200, 'text/html', '<p>')).not.toEqual([])
    expect(problemsWith('get', '/api/sites/{site}', 418, 'application/json', {})).not.toEqual([])
  })
})

describe('every documented operation answers as described', () => {
  let s: SiteFixture
  let product: { id: string; url: string }
  let voice: string

  beforeAll(async () => {
    s = await createSite(PUBLISH_PINGS_AT_ONCE)
    product = await createTarget(s, unique('tee'), 'T-shirt')
    // A verified Webmention about a page nobody registered: a voice with a check, and an automatic target.
    voice = await webmentionVoice(s, `${s.origin}/old/mug-page`)
  })

  it('sites and their keys', async () => {
    const slug = unique('oa')
    const created = {
      slug,
      name: 'Shop',
      origins: [`https://${slug}.example`],
      settings: { cache_seconds: 0, lang: 'en', time_zone: 'UTC' },
    }
    await apiChecked('post', '/api/sites', '/api/sites', OPERATOR_TOKEN, created, 201)
    await apiChecked('get', '/api/sites', '/api/sites?limit=2', OPERATOR_TOKEN, undefined, 200)
    await apiChecked('get', '/api/sites/{site}', `/api/sites/${slug}`, OPERATOR_TOKEN, undefined, 200)
    await apiChecked('patch', '/api/sites/{site}', `/api/sites/${slug}`, OPERATOR_TOKEN, { name: 'Shop 2' }, 200)
    const key = await apiChecked<{ id: string }>(
      'post',
      '/api/sites/{site}/keys',
      `/api/sites/${slug}/keys`,
      OPERATOR_TOKEN,
      { label: 'k' },
      201,
    )
    await apiChecked('get', '/api/sites/{site}/keys', `/api/sites/${slug}/keys`, OPERATOR_TOKEN, undefined, 200)
    await apiChecked(
      'delete',
      '/api/sites/{site}/keys/{key}',
      `/api/sites/${slug}/keys/${key.id}`,
      OPERATOR_TOKEN,
      undefined,
      204,
    )
    await apiChecked(
      'post',
      '/api/sites/{site}/stats/rebuild',
      `/api/sites/${slug}/stats/rebuild`,
      OPERATOR_TOKEN,
      undefined,
      200,
    )
    // Error answers are described too: the shared error body.
    await apiChecked('get', '/api/sites/{site}', '/api/sites/no-such-shop', OPERATOR_TOKEN, undefined, 404)
    await apiChecked('post', '/api/sites', '/api/sites', OPERATOR_TOKEN, { slug: 'Not A Slug' }, 400)
  })

  it('targets', async () => {
    const base = `/api/sites/${s.slug}/targets`
    const id = unique('mug')
    const body = { id, url: `${s.origin}/products/${id}`, title: 'Mug', kind: 'product' }
    await apiChecked('post', '/api/sites/{site}/targets', base, s.key, body, 201)
    await apiChecked('get', '/api/sites/{site}/targets', `${base}?limit=5`, s.key, undefined, 200)
    await apiChecked('get', '/api/sites/{site}/targets/{target}', `${base}/${id}`, s.key, undefined, 200)
    await apiChecked('patch', '/api/sites/{site}/targets/{target}', `${base}/${id}`, s.key, { title: 'Big mug' }, 200)
    // The automatic target of the Webmention's page, merged into the mug.
    const auto = await apiChecked<{ items: { id: string }[] }>(
      'get',
      '/api/sites/{site}/targets',
      `${base}?automatic=true`,
      s.key,
    )
    const merged = `${base}/${auto.items[0]!.id}/merge`
    await apiChecked('post', '/api/sites/{site}/targets/{target}/merge', merged, s.key, { into: id }, 200)
    const spare = await createTarget(s)
    await apiChecked('delete', '/api/sites/{site}/targets/{target}', `${base}/${spare.id}`, s.key, undefined, 204)
  })

  it('voices, responses, moderation, and a linkback’s status', async () => {
    const pinged = await call(`/tb/${s.slug}/${product.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': freshIp() },
      body: new URLSearchParams({
        url: `https://${unique('blog')}.example/p`,
        title: 'Tee',
        excerpt: 'Soft.',
      }).toString(),
    })
    expect(await checked('post', '/tb/{site}/{target}', pinged)).toContain('<error>0</error>')
    await pingVoice(s, product.id, { title: 'Second' })
    const list = await apiChecked<{ items: { id: string }[] }>(
      'get',
      '/api/sites/{site}/mentions',
      `/api/sites/${s.slug}/mentions?limit=10`,
      s.key,
      undefined,
      200,
    )
    const ids = list.items.map((m) => m.id)
    const one = `/api/mentions/${voice}`
    await apiChecked('patch', '/api/mentions/{id}', one, s.key, { sentiment: 'negative' }, 200)
    const answer = { stage: 'apology', body: 'Sorry, we are on it.', author: { name: 'Aiko', role: 'Owner' } }
    await apiChecked('post', '/api/mentions/{id}/responses', `${one}/responses`, s.key, answer, 201)
    const many = { ...answer, stage: 'resolution', body: 'Fixed.', mention_ids: ids.slice(0, 2) }
    await apiChecked('post', '/api/sites/{site}/responses', `/api/sites/${s.slug}/responses`, s.key, many, 201)
    const removal = { action: 'remove', category: 'off_topic', reason: 'Not about the shop' }
    await apiChecked('post', '/api/mentions/{id}/moderation', `${one}/moderation`, s.key, removal, 200)
    const restoring = { action: 'restore', reason: 'It is about the shop' }
    await apiChecked('post', '/api/mentions/{id}/moderation', `${one}/moderation`, s.key, restoring, 200)
    // The voice with its response's Webmention, its moderation log, its check.
    const detail = await apiChecked<{ moderation: unknown[]; responses: unknown[] }>(
      'get',
      '/api/mentions/{id}',
      one,
      s.key,
    )
    expect(detail.moderation).toHaveLength(2)
    expect(detail.responses.length).toBeGreaterThan(0)
    // An unknown category is refused by the enum the description shows.
    const wrong = { action: 'remove', category: 'rude', reason: 'x' }
    await apiChecked('post', '/api/mentions/{id}/moderation', `${one}/moderation`, s.key, wrong, 400)
    const pingback = await call(`/pingback/${s.slug}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', 'CF-Connecting-IP': freshIp() },
      body: `<?xml version="1.0"?><methodCall><methodName>pingback.ping</methodName><params><param><value><string>https://${unique('blog')}.example/p</string></value></param><param><value><string>${product.url}</string></value></param></params></methodCall>`,
    })
    expect(await checked('post', '/pingback/{site}', pingback)).toContain('methodResponse')
  })

  it('the public feeds, and an unchanged one answered 304', async () => {
    const feed = await call(`/feeds/${s.slug}.json?target=${product.id}`)
    const etag = feed.headers.get('ETag')!
    await checked('get', '/feeds/{site}.json', feed)
    await checked(
      'get',
      '/feeds/{site}.json',
      await call(`/feeds/${s.slug}.json`, { headers: { 'If-None-Match': etag } }),
    )
    await checked(
      'get',
      '/feeds/{site}.jf2',
      await call(`/feeds/${s.slug}.jf2?target=${encodeURIComponent(product.url)}`),
    )
    // The whole site, as webmention.io's `?domain=` answers it.
    await checked('get', '/feeds/{site}.jf2', await call(`/feeds/${s.slug}.jf2?per-page=5&page=0`))
    await checked('get', '/feeds/{site}/trust.json', await call(`/feeds/${s.slug}/trust.json?target=${product.id}`))
    const ledger = await checked<{ entries: unknown[] }>(
      'get',
      '/feeds/{site}/ledger.json',
      await call(`/feeds/${s.slug}/ledger.json`),
    )
    expect(ledger.entries.length).toBeGreaterThan(0)
    await checked('get', '/feeds/{site}/jsonld', await call(`/feeds/${s.slug}/jsonld?target=${product.id}`))
    await checked('get', '/feeds/{site}.json', await call('/feeds/no-such-shop.json'))
  })

  it('watched feeds and the voices found in them', async () => {
    const feedUrl = `https://${unique('search')}.example/rss`
    const pages = [1, 2].map(() => `https://${unique('blog')}.example/${unique('post')}`)
    await servePage(feedUrl, {
      headers: { 'Content-Type': 'application/rss+xml' },
      body: rss2(pages.map((url) => item(url, 'Tanaka Goods', 'Tanaka Goods tee')).join('')),
    })
    const base = `/api/sites/${s.slug}/watches`
    const made = await apiChecked<{ id: string }>(
      'post',
      '/api/sites/{site}/watches',
      base,
      s.key,
      { feed_url: feedUrl, keywords: ['Tanaka Goods'] },
      201,
    )
    await runAt(Date.now())
    await apiChecked('get', '/api/sites/{site}/watches', base, s.key, undefined, 200)
    await apiChecked(
      'patch',
      '/api/sites/{site}/watches/{id}',
      `${base}/${made.id}`,
      s.key,
      { keywords: ['Tanaka'] },
      200,
    )
    const found = await apiChecked<{ items: { id: string }[] }>(
      'get',
      '/api/sites/{site}/mentions',
      `/api/sites/${s.slug}/mentions?kind=discovered`,
      s.key,
    )
    expect(found.items).toHaveLength(2)
    await apiChecked(
      'post',
      '/api/mentions/{id}/publish',
      `/api/mentions/${found.items[0]!.id}/publish`,
      s.key,
      { target: product.id },
      200,
    )
    await apiChecked(
      'post',
      '/api/mentions/{id}/dismiss',
      `/api/mentions/${found.items[1]!.id}/dismiss`,
      s.key,
      undefined,
      200,
    )
    await apiChecked('delete', '/api/sites/{site}/watches/{id}', `${base}/${made.id}`, s.key, undefined, 204)
  })

  it('webhook endpoints and their deliveries', async () => {
    const base = `/api/sites/${s.slug}/webhooks`
    const made = await apiChecked<{ id: string }>(
      'post',
      '/api/sites/{site}/webhooks',
      base,
      s.key,
      { url: 'https://hooks.example/in', events: ['mention.removed'] },
      201,
    )
    await apiChecked('get', '/api/sites/{site}/webhooks', base, s.key, undefined, 200)
    const one = `/api/webhooks/${made.id}`
    await apiChecked(
      'patch',
      '/api/webhooks/{id}',
      one,
      s.key,
      { events: ['mention.removed', 'response.published'] },
      200,
    )
    await apiChecked('post', '/api/webhooks/{id}/rotate', `${one}/rotate`, s.key, undefined, 200)
    // A removal makes a delivery.
    const source = await pingVoice(s, product.id, { title: 'Buy pills' })
    const mentions = await (
      await api('GET', `/api/sites/${s.slug}/mentions?limit=50`, undefined, s.key)
    ).json<{
      items: { id: string; source_url: string }[]
    }>()
    const spam = mentions.items.find((m) => m.source_url === source)!.id
    await api('POST', `/api/mentions/${spam}/moderation`, { action: 'spam', reason: 'Spam' }, s.key)
    const log = await apiChecked<{ items: { id: string }[] }>(
      'get',
      '/api/webhooks/{id}/deliveries',
      `${one}/deliveries`,
      s.key,
      undefined,
      200,
    )
    expect(log.items.length).toBeGreaterThan(0)
    const resend = `${one}/deliveries/${log.items[0]!.id}/resend`
    await apiChecked('post', '/api/webhooks/{id}/deliveries/{delivery}/resend', resend, s.key, undefined, 202)
    const since = { since: new Date(Date.now() - 3_600_000).toISOString() }
    await apiChecked('post', '/api/webhooks/{id}/resend-failed', `${one}/resend-failed`, s.key, since, 202)
    await apiChecked('delete', '/api/webhooks/{id}', one, s.key, undefined, 204)
  })

  it('reviews: storefront orders, invitations, coupons, erasure, a blog review', async () => {
    const base = `/api/sites/${s.slug}`
    await apiChecked('post', '/api/sites/{site}/inbound-secret', `${base}/inbound-secret`, s.key, undefined, 201)
    const secret = await inboundSecret(s)
    const bought = order([product.id])
    await checked('post', '/hooks/{site}/orders', await postSigned(s, secret, JSON.stringify(bought)))
    await checked('post', '/hooks/{site}/orders', await postSigned(s, secret, JSON.stringify(bought)))
    await apiChecked('get', '/api/sites/{site}/invitations', `${base}/invitations?limit=5`, s.key, undefined, 200)
    const invitation = `${base}/invitations/${bought.order_id}`
    await apiChecked('get', '/api/sites/{site}/invitations/{order}', invitation, s.key, undefined, 200)
    await apiChecked(
      'post',
      '/api/sites/{site}/coupons',
      `${base}/coupons`,
      s.key,
      { codes: ['OA-1', 'OA-2', 'OA-1'] },
      201,
    )
    await apiChecked('get', '/api/sites/{site}/coupons', `${base}/coupons`, s.key, undefined, 200)
    // A review with a photo, written on the hosted review form: the photo is served as an image.
    const reviewed = await invite(s, secret, order([product.id]))
    const form = new FormData()
    form.set('name', 'Pho')
    form.set('rating_0', '4')
    form.set('text_0', 'With a photo')
    form.append('photos_0', new File([png()], 'p.png', { type: 'image/png' }))
    const sent = await call(await reviewPath(reviewed.id), { method: 'POST', body: form, redirect: 'manual' })
    expect(sent.status, await sent.clone().text()).toBe(303)
    const items = (await (await call(`/feeds/${s.slug}.json?target=${product.id}`)).json<FeedPhotos>()).items
    const photo = items.find((i) => i.content_text === 'With a photo')!._glasshouse.photos[0]!
    await checked('get', '/photos/{review}/{n}', await call(new URL(photo.url).pathname))
    await apiChecked('post', '/api/sites/{site}/erasure', `${base}/erasure`, s.key, { order_id: bought.order_id }, 200)
    await apiChecked('get', '/api/sites/{site}/erasure', `${base}/erasure`, s.key, undefined, 200)
    const post = `https://${unique('blog')}.example/review`
    await servePage(post, { body: html(`<p>A good tee: <a href="${product.url}">this one</a>.</p>`) })
    const review = await call(`/reviews/${s.slug}/blog`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshIp() },
      body: JSON.stringify({ source: post, target: product.id, rating: 4, name: 'Ken' }),
    })
    await checked('post', '/reviews/{site}/blog', review)
  })

  it('affiliates: an application, the decision, the partner API, a click, a sale, the ledger', async () => {
    const applied = await call(`/affiliates/${s.slug}/apply`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshIp() },
      body: JSON.stringify({
        name: 'Blogger',
        email: `${unique('p')}@blog.example`,
        blog_url: 'https://blog.example/',
      }),
    })
    const { id } = await checked<{ id: string }>('post', '/affiliates/{site}/apply', applied)
    const base = `/api/sites/${s.slug}/partners`
    await apiChecked('get', '/api/sites/{site}/partners', `${base}?state=applied`, s.key, undefined, 200)
    const decided = await apiChecked<{ key: string }>(
      'post',
      '/api/sites/{site}/partners/{id}/decision',
      `${base}/${id}/decision`,
      s.key,
      { decision: 'approve' },
      200,
    )
    const partner = `/partners/${s.slug}/api`
    const link = await apiChecked<{ code: string }>(
      'post',
      '/partners/{site}/api/links',
      `${partner}/links`,
      decided.key,
      { target: product.id },
      201,
    )
    await apiChecked('get', '/partners/{site}/api/links', `${partner}/links`, decided.key, undefined, 200)
    const click = await call(`/r/${link.code}`, {
      redirect: 'manual',
      headers: { 'User-Agent': 'Mozilla/5.0 Chrome/130.0' },
    })
    await checked('get', '/r/{code}', click)
    const clickId = new URL(click.headers.get('Location')!).searchParams.get('gh_click')
    const sale = { order_id: unique('sale'), event: 'sale', amount: 5000, currency: 'JPY', click_id: clickId }
    const secret = await inboundSecret(s)
    await checked(
      'post',
      '/hooks/{site}/conversions',
      await postSigned(s, secret, JSON.stringify(sale), { hook: 'conversions' }),
    )
    await apiChecked('get', '/partners/{site}/api/summary', `${partner}/summary`, decided.key, undefined, 200)
    await apiChecked('get', '/partners/{site}/api/commissions', `${partner}/commissions`, decided.key, undefined, 200)
    const post = { url: `https://${unique('blog')}.example/tee`, target: product.id }
    await apiChecked('post', '/partners/{site}/api/posts', `${partner}/posts`, decided.key, post, 202)
    await apiChecked(
      'delete',
      '/partners/{site}/api/links/{code}',
      `${partner}/links/${link.code}`,
      decided.key,
      undefined,
      200,
    )
    const step = `${base}/${id}/commissions`
    await apiChecked('post', '/api/sites/{site}/partners/{id}/commissions', step, s.key, { action: 'approve' }, 200)
    const csv = await checked<string>(
      'get',
      '/api/sites/{site}/commissions.csv',
      await api('GET', `/api/sites/${s.slug}/commissions.csv`, undefined, s.key),
    )
    expect(csv.split('\n').length).toBeGreaterThan(1)
  })
})

describe('coverage', () => {
  it('called every documented operation but the ones listed, each with a reason', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`))
    expect(documented.filter((op) => !called.has(op) && !(op in NOT_CALLED))).toEqual([])
    for (const op of Object.keys(NOT_CALLED)) expect(documented, op).toContain(op)
  })
})
