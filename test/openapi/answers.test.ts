/**
 * The API description against the API itself. /openapi.json must be a valid OpenAPI 3.1
 * document (checked against the specification's own schema, @hyperjump/json-schema), and every
 * documented operation is called, with what it needs seeded through the API, its answer checked
 * against the description (test/helpers/openapi.ts). A handler that answers a field its schema
 * does not list, leaves out a required one, or answers a value outside an enum fails. The
 * operations are called by three files, each for some tags (ANSWER_FILES): this one the
 * description itself, sites (and their exports) and webhooks; answers-voices.test.ts linkbacks, targets, voices,
 * feeds and watched feeds; answers-commerce.test.ts reviews, storefront events and affiliates.
 */
import { validate as validateOpenApi } from '@hyperjump/json-schema/openapi-3-1'
import { beforeAll, describe, expect, it } from 'vitest'

import type { OpenApiDocument } from '../../src/openapi/document'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call, callAt, OPERATOR_TOKEN, testClock } from '../helpers/http'
import {
  ANSWER_FILES,
  apiChecked,
  checked,
  loadDescription,
  NOT_CALLED,
  operationsOf,
  problemsWith,
  uncalledOf,
} from '../helpers/openapi'
import { pingVoice } from '../helpers/voices'
import { download, drain, type ExportJson, fileNamed, startExport } from '../helpers/exports'
import { drainImport, startImport, uploadFile } from '../helpers/imports'
import wxr from '../fixtures/imports/wordpress-6.1-export.xml?raw'

/** The schema of OpenAPI 3.1 documents whose Schema Objects are JSON Schema 2020-12 (our jsonSchemaDialect). */
const OAS_31 = 'https://spec.openapis.org/oas/3.1/schema-draft-2020-12'

let doc: OpenApiDocument

beforeAll(async () => {
  doc = await loadDescription()
})

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

describe('every documented operation of sites and webhooks answers as described', () => {
  let s: SiteFixture
  let product: { id: string; url: string }

  beforeAll(async () => {
    s = await createSite(PUBLISH_PINGS_AT_ONCE)
    product = await createTarget(s, unique('tee'), 'T-shirt')
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
    await apiChecked(
      'post',
      '/api/sites/{site}/sentiment/rescore',
      `/api/sites/${slug}/sentiment/rescore`,
      OPERATOR_TOKEN,
      undefined,
      200,
    )
    await apiChecked(
      'post',
      '/api/sites/{site}/sentiment/rescore',
      `/api/sites/${slug}/sentiment/rescore?cursor=nonsense`,
      OPERATOR_TOKEN,
      undefined,
      400,
    )
    // A deleted shop: its state in the answer, its restoration, and 410 once deleted.
    await apiChecked('delete', '/api/sites/{site}', `/api/sites/${slug}`, OPERATOR_TOKEN, undefined, 200)
    await apiChecked('get', '/api/sites/{site}', `/api/sites/${slug}`, OPERATOR_TOKEN, undefined, 200)
    await apiChecked('delete', '/api/sites/{site}', `/api/sites/${slug}`, OPERATOR_TOKEN, undefined, 410)
    await apiChecked('post', '/api/sites/{site}/restore', `/api/sites/${slug}/restore`, OPERATOR_TOKEN, undefined, 200)
    await apiChecked('post', '/api/sites/{site}/restore', `/api/sites/${slug}/restore`, OPERATOR_TOKEN, undefined, 409)
    // Error answers are described too: the shared error body.
    await apiChecked('get', '/api/sites/{site}', '/api/sites/no-such-shop', OPERATOR_TOKEN, undefined, 404)
    await apiChecked('post', '/api/sites', '/api/sites', OPERATOR_TOKEN, { slug: 'Not A Slug' }, 400)
  })

  it('a shop’s export and its files', async () => {
    const shop = await createSite(PUBLISH_PINGS_AT_ONCE)
    await pingVoice(shop, (await createTarget(shop)).id)
    const clock = testClock()
    const started = await startExport(shop.slug, clock, shop.key)
    const { id } = await checked<{ id: string }>('post', '/api/sites/{site}/exports', started.res)
    await checked('post', '/api/sites/{site}/exports', (await startExport(shop.slug, clock)).res)
    await drain(started.queue.sent, clock, 100)
    const base = `/api/sites/${shop.slug}/exports`
    await apiChecked('get', '/api/sites/{site}/exports', base, shop.key, undefined, 200)
    const done = await apiChecked<ExportJson>(
      'get',
      '/api/sites/{site}/exports/{id}',
      `${base}/${id}`,
      shop.key,
      undefined,
      200,
    )
    await apiChecked('get', '/api/sites/{site}/exports/{id}', `${base}/exp_none`, shop.key, undefined, 404)
    const file = '/exports/{id}/{file}'
    await checked('get', file, await download(fileNamed(done, 'voices.jsonl'), clock))
    await checked('get', file, await download(fileNamed(done, 'voices.csv'), clock))
    await checked('get', file, await call(`/exports/${id}/voices.csv?expires=1&sig=x`))
    const link = new URL(fileNamed(done, 'voices.csv').url!)
    await checked('get', file, await callAt(clock() + 2 * 3_600_000)(link.pathname + link.search))
  })

  it('a shop’s import and its report', async () => {
    const shop = await createSite()
    const clock = testClock()
    const made = await startImport(shop.slug, { format: 'wordpress', auto_targets: true }, clock, shop.key)
    const { id } = await checked<{ id: string }>('post', '/api/sites/{site}/imports', made.res)
    await checked('post', '/api/sites/{site}/imports', (await startImport(shop.slug, { format: 'zip' }, clock)).res)
    const file = '/api/sites/{site}/imports/{id}/file'
    const up = await uploadFile(shop.slug, id, wxr.replaceAll('https://shop.example', shop.origin), clock, shop.key)
    await checked('put', file, up.res)
    await checked('put', file, (await uploadFile(shop.slug, id, wxr, clock, shop.key)).res)
    await drainImport(up.queue.sent, clock)
    const base = `/api/sites/${shop.slug}/imports`
    await apiChecked('get', '/api/sites/{site}/imports', base, shop.key, undefined, 200)
    await apiChecked('get', '/api/sites/{site}/imports/{id}', `${base}/${id}`, shop.key, undefined, 200)
    await apiChecked('get', '/api/sites/{site}/imports/{id}', `${base}/imp_none`, shop.key, undefined, 404)
    const lines = '/api/sites/{site}/imports/{id}/lines'
    await apiChecked('get', lines, `${base}/${id}/lines?limit=2&lang=ja`, shop.key, undefined, 200)
    await apiChecked('get', lines, `${base}/${id}/lines?outcome=maybe`, shop.key, undefined, 400)
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
})

describe('coverage', () => {
  it('called every documented operation of its tags (Meta, Sites, Webhooks) but the ones not called on purpose', () => {
    expect(uncalledOf(ANSWER_FILES['answers.test.ts'])).toEqual([])
  })

  it('shares every tag of the description among the answer files, each once, and lists only operations that exist', () => {
    const shared = Object.values(ANSWER_FILES).flat()
    expect([...shared].sort()).toEqual(doc.tags.map((t) => t.name).sort())
    const documented = operationsOf(doc).map(({ op }) => op)
    for (const op of Object.keys(NOT_CALLED)) expect(documented, op).toContain(op)
  })
})
