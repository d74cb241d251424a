import { describe, expect, it } from 'vitest'

import { createApp } from '../../src/app'
import {
  MODERATION_CATEGORIES,
  REMOVAL_CATEGORIES,
  RESPONSE_STAGES,
  SENTIMENTS,
  VOICE_KINDS,
  VOICE_STATUSES,
  WEBHOOK_EVENTS,
} from '../../src/db/schema'
import { ResponseCreate } from '../../src/voices/inputs'
import {
  endpointsOf,
  isMiddleware,
  type JsonSchema,
  type Method,
  type OpenApiDocument,
  type Operation,
  openApiPath,
  type Parameter,
} from '../../src/openapi/document'
import { call } from '../helpers/http'

/**
 * Routes the API description leaves out on purpose. Every other route the app registers must
 * be in /openapi.json: a new route without an `apiDoc` fails the coverage test below.
 */
const EXCLUDED: Record<string, string> = {
  // Protocol endpoints' answers to any other method (and middleware registered on an exact path).
  'ALL /tb/:site/:target': 'TrackBack answers other methods with an XML error',
  'ALL /webmention/:site': 'Webmention answers other methods with 405',
  'ALL /pingback/:site': 'Pingback answers other methods with 405',
  'ALL /hooks/:site/:kind{orders|conversions}': 'storefront events answer other methods with 405',
  'ALL /hooks/:site/:platform{shopify|woocommerce}': 'the platforms’ hooks answer other methods with 405',
  'ALL /review/:token': 'the review form’s body limit (middleware)',
  'ALL /partners/:site': 'the partner page’s body limit (middleware)',
  'ALL /api/sites/:site/imports/:id/file': 'an import’s upload is authenticated before the API router (middleware)',
  // CORS preflights of the public documents.
  'OPTIONS /feeds/:site/:file{(trust|ledger)\\.json|jsonld}': 'CORS preflight',
  'OPTIONS /feeds/:file{[^/]+\\.(json|jf2)}': 'CORS preflight',
  // HTML pages for people.
  'GET /responses/:id': 'a response’s public page',
  'GET /review/:token': 'the hosted review form',
  'POST /review/:token': 'the hosted review form',
  'POST /review/:token/reviews/:id': 'the hosted review form',
  'POST /review/:token/reviews/:id/delete': 'the hosted review form',
  'POST /review/:token/reviews/:id/verdict': 'the hosted review form',
  'GET /partners/:site': 'the partner’s web page',
  'POST /partners/:site/login': 'the partner’s web page',
  'POST /partners/:site/sign-in': 'the partner’s web page',
  'POST /partners/:site/key': 'the partner’s web page',
  'GET /partners/:site/sign-in/:token': 'the partner’s web page',
  'POST /partners/:site/sign-in/:token': 'the partner’s web page',
  'GET /affiliates/:site/apply': 'the public application page (HTML; the POST is documented)',
  'POST /partners/:site/logout': 'the partner’s web page',
  'POST /partners/:site/links': 'the partner’s web page',
  'POST /partners/:site/posts': 'the partner’s web page',
  'GET /admin/login': 'the operator web UI',
  'POST /admin/login': 'the operator web UI',
  'POST /admin/logout': 'the operator web UI',
  'GET /admin': 'the operator web UI',
  'GET /admin/sites/:site': 'the operator web UI',
  'POST /admin/sites/:site/responses': 'the operator web UI',
  'GET /admin/sites/:site/partners': 'the operator web UI',
  'POST /admin/sites/:site/partners/:id': 'the operator web UI',
  'POST /admin/sites/:site/partners/:id/commissions': 'the operator web UI',
  'GET /admin/sites/:site/settings': 'the operator web UI',
  'POST /admin/sites/:site/exports': 'the operator web UI',
  'GET /admin/sites/:site/overview': 'the operator web UI',
  'GET /admin/sites/:site/partners/:id': 'the operator web UI',
  'POST /admin/sites/:site/programme': 'the operator web UI',
  'POST /admin/sites/:site/partners/:id/sign-in-link': 'the operator web UI',
  'GET /admin/sites/:site/watches': 'the operator web UI',
  'POST /admin/sites/:site/watches': 'the operator web UI',
  'POST /admin/sites/:site/watches/:id/delete': 'the operator web UI',
  'GET /admin/sites/:site/imports': 'the operator web UI',
  'POST /admin/sites/:site/imports': 'the operator web UI',
  'GET /admin/sites/:site/imports/:id': 'the operator web UI',
  'GET /admin/sites/:site/reviews': 'the operator web UI',
  'POST /admin/sites/:site/reviews': 'the operator web UI',
  'POST /admin/sites/:site/reviews/codes': 'the operator web UI',
  'GET /admin/sites/:site/invitations': 'the operator web UI',
  'GET /admin/sites/:site/erasure': 'the operator web UI',
  'POST /admin/sites/:site/erasure': 'the operator web UI',
  'GET /admin/sites/:site/webhooks': 'the operator web UI',
  'POST /admin/sites/:site/webhooks': 'the operator web UI',
  'POST /admin/sites/:site/webhooks/:id/rotate': 'the operator web UI',
  'POST /admin/sites/:site/webhooks/:id': 'the operator web UI',
  'POST /admin/sites/:site/webhooks/:id/enable': 'the operator web UI',
  'POST /admin/sites/:site/webhooks/:id/disable': 'the operator web UI',
  'POST /admin/sites/:site/webhooks/:id/delete': 'the operator web UI',
  'GET /admin/sites/:site/webhooks/:id': 'the operator web UI',
  'POST /admin/sites/:site/webhooks/:id/deliveries/:delivery/resend': 'the operator web UI',
  'POST /admin/sites/:site/webhooks/:id/resend-failed': 'the operator web UI',
  'GET /admin/sites/:site/platform': 'the operator web UI',
  'POST /admin/sites/:site/platform': 'the operator web UI',
  'POST /admin/sites/:site/platform/settings': 'the operator web UI',
  'POST /admin/sites/:site/platform/disconnect': 'the operator web UI',
  'POST /admin/sites/:site/settings': 'the operator web UI',
  'POST /admin/sites/:site/keys': 'the operator web UI',
  'POST /admin/sites/:site/keys/:id/revoke': 'the operator web UI',
  'POST /admin/sites/:site/inbound-secret': 'the operator web UI',
  'GET /admin/sites/:site/targets': 'the operator web UI',
  'POST /admin/sites/:site/targets/:id': 'the operator web UI',
  'POST /admin/sites/:site/targets/:id/merge': 'the operator web UI',
  'POST /admin/sites/:site/targets/:id/delete': 'the operator web UI',
  'GET /admin/mentions/:id': 'the operator web UI',
  'GET /admin/sites/new': 'the operator web UI',
  'POST /admin/sites/new': 'the operator web UI',
  'GET /admin/sites/:site/embed': 'the operator web UI',
  'GET /admin/sites/:site/delete': 'the operator web UI',
  'POST /admin/sites/:site/delete': 'the operator web UI',
  'POST /admin/sites/:site/restore': 'the operator web UI',
  'POST /admin/mentions/:id/sentiment': 'the operator web UI',
  'POST /admin/mentions/:id/responses': 'the operator web UI',
  'POST /admin/mentions/:id/responses/:response/announce': 'the operator web UI',
  'POST /admin/mentions/:id/responses/:response/edit': 'the operator web UI',
  'POST /admin/mentions/:id/responses/:response/withdraw': 'the operator web UI',
  'POST /admin/mentions/:id/moderation': 'the operator web UI',
  'POST /admin/mentions/:id/publish': 'the operator web UI',
  'POST /admin/mentions/:id/dismiss': 'the operator web UI',
  'GET /': 'the demo storefront page',
  'GET /docs': 'this description as a page',
  // Development only (404 in production).
  'POST /__dev/seed': 'development only',
  'POST /__dev/bench/seed': 'development only',
  'POST /__dev/bench/export/start': 'development only',
  'POST /__dev/bench/export/step': 'development only',
  'POST /__dev/bench/import/start': 'development only',
  'POST /__dev/bench/import/step': 'development only',
  'POST /__dev/bench/import/feed': 'development only',
  'POST /__dev/bench/sentiment/read': 'development only',
  'POST /__dev/bench/sentiment/time': 'development only',
  'GET /__dev/bench/floor': 'development only',
  'GET /__dev/bench/no-db': 'development only',
  'GET /__dev/bench/redirect-floor': 'development only',
  'GET /__dev/bench/clicks': 'development only',
  'GET /__dev/bench/shop': 'development only',
  'POST /__dev/bench/ingest-floor': 'development only',
  'POST /__dev/bench/listen/seed': 'development only',
  'POST /__dev/bench/listen/run': 'development only',
  'POST /__dev/bench/listen/floor': 'development only',
  'POST /__dev/bench/listen/due': 'development only',
  // Assets.
  'GET /embed.js': 'the widget’s script',
  'GET /embed/:file{[0-9a-f]{12}\\.js}': 'the widget’s script, by version',
}

async function fetchDocument() {
  const res = await call('/openapi.json')
  expect(res.status).toBe(200)
  return { res, doc: await res.json<OpenApiDocument>() }
}

function operation(doc: OpenApiDocument, path: string, method: Method): Operation {
  const op = doc.paths[path]?.[method]
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the description`)
  return op
}

const isParameter = (p: unknown): p is Parameter => typeof p === 'object' && p !== null && 'in' in p
const paramsOf = (op: Operation, where: 'path' | 'query') => (op.parameters ?? []).filter((p) => p.in === where)

/** Every value in `node`, depth first (for checks that span the whole document). */
function* walk(node: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, node]
  if (Array.isArray(node)) for (const item of node) yield* walk(item)
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) yield* walk(v, k)
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document, public and cacheable, served without D1', async () => {
    const { res, doc } = await fetchDocument()
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300')
    expect(res.headers.get('X-D1-Queries')).toBe('0')
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(doc.info.title).toBe('Glasshouse')
    // Built once per isolate: the same bytes each time.
    const again = await call('/openapi.json')
    expect(JSON.stringify(await again.json())).toBe(JSON.stringify(doc))
  })

  it('has the public, protocol, partner and operator routes', async () => {
    const { doc } = await fetchDocument()
    for (const [path, method] of [
      ['/webmention/{site}', 'post'],
      ['/tb/{site}/{target}', 'post'],
      ['/pingback/{site}', 'post'],
      ['/status/{site}/{id}', 'get'],
      ['/feeds/{site}.json', 'get'],
      ['/feeds/{site}.jf2', 'get'],
      ['/feeds/{site}/trust.json', 'get'],
      ['/feeds/{site}/ledger.json', 'get'],
      ['/feeds/{site}/jsonld', 'get'],
      ['/hooks/{site}/orders', 'post'],
      ['/reviews/{site}/blog', 'post'],
      ['/affiliates/{site}/apply', 'post'],
      ['/partners/{site}/api/links', 'post'],
      ['/r/{code}', 'get'],
      ['/api/sites', 'get'],
      ['/api/sites', 'post'],
      ['/api/sites/{site}/targets/{target}', 'patch'],
      ['/api/sites/{site}/mentions', 'get'],
      ['/api/mentions/{id}/moderation', 'post'],
      ['/api/webhooks/{id}', 'delete'],
      ['/openapi.json', 'get'],
    ] as const) {
      const op = operation(doc, path, method)
      expect(op.summary).toBeTruthy()
      expect(doc.tags.map((t) => t.name)).toContain(op.tags[0])
    }
    const feed = operation(doc, '/feeds/{site}.json', 'get')
    expect(paramsOf(feed, 'path').map((p) => p.name)).toEqual(['site'])
    expect(feed.security).toBeUndefined()
  })

  it('takes request bodies from the routes’ valibot schemas', async () => {
    const { doc } = await fetchDocument()
    const body = operation(doc, '/api/mentions/{id}/responses', 'post').requestBody
    const schema = body?.content['application/json']?.schema
    expect(Object.keys(schema?.properties ?? {})).toEqual(Object.keys(ResponseCreate.entries))
    expect(schema?.required).toEqual(['stage', 'body', 'author'])
    expect(schema?.additionalProperties).toBe(false)
    const props = schema?.properties as Record<string, JsonSchema>
    expect(props.stage).toMatchObject({ type: 'string', enum: [...RESPONSE_STAGES] })
    expect(props.body).toMatchObject({ type: 'string', minLength: 1, maxLength: 5000 })
    expect(props.author).toMatchObject({ type: 'object', required: ['name'] })

    // A schema with a transform (LimitParam: a string of digits, then a number) is described by its input.
    const list = operation(doc, '/api/sites/{site}/mentions', 'get')
    const query = Object.fromEntries(paramsOf(list, 'query').map((p) => [p.name, p]))
    expect(query.status).toMatchObject({ required: false, schema: { type: 'string', enum: [...VOICE_STATUSES] } })
    expect(query.limit?.schema).toEqual({ type: 'string', pattern: '^\\d{1,9}$' })

    // jf2 reads its query by hand, under webmention.io's names.
    const jf2 = operation(doc, '/feeds/{site}.jf2', 'get')
    const names = paramsOf(jf2, 'query').map((p) => p.name)
    expect([...names].sort()).toEqual(
      ['target', 'target[]', 'domain', 'per-page', 'sort-dir', 'sort-by', 'page', 'since', 'since_id', 'cursor'].sort(),
    )
    // No target: the whole site; webmention.js's target[] and since_id are read too.
    for (const name of ['target', 'target[]']) {
      expect(paramsOf(jf2, 'query').find((p) => p.name === name)).toMatchObject({ required: false, explode: true })
    }
    expect(paramsOf(jf2, 'query').find((p) => p.name === 'since_id')).toMatchObject({ required: false })
  })

  it('documents the linkback wire formats with their media types', async () => {
    const { doc } = await fetchDocument()
    const webmention = operation(doc, '/webmention/{site}', 'post')
    const form = webmention.requestBody?.content['application/x-www-form-urlencoded']?.schema
    expect(form?.required).toEqual(['source', 'target'])
    expect(webmention.responses['400']).toMatchObject({ content: { 'text/plain': {} } })
    expect(webmention.responses['201']).toMatchObject({ content: { 'application/json': {} } })
    const trackback = operation(doc, '/tb/{site}/{target}', 'post')
    expect(trackback.requestBody?.content['application/x-www-form-urlencoded']?.schema?.required).toEqual(['url'])
    expect(trackback.responses['200']).toMatchObject({ content: { 'text/xml': {} } })
    const pingback = operation(doc, '/pingback/{site}', 'post')
    expect(pingback.requestBody?.content['text/xml']?.example).toContain('<methodName>pingback.ping</methodName>')
    const blog = operation(doc, '/reviews/{site}/blog', 'post')
    expect(Object.keys(blog.requestBody?.content ?? {})).toEqual([
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'application/json',
    ])
  })

  it('says which credentials each operation needs, and the error body', async () => {
    const { doc } = await fetchDocument()
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(
      [
        'operatorToken',
        'partnerKey',
        'siteKey',
        'storefrontSignature',
        'shopifySignature',
        'wooCommerceSignature',
      ].sort(),
    )
    expect(operation(doc, '/api/sites', 'get').security).toEqual([{ operatorToken: [] }, { siteKey: [] }])
    const create = operation(doc, '/api/sites', 'post')
    expect(create.security).toEqual([{ operatorToken: [] }])
    expect(create.responses['403']).toEqual({ $ref: '#/components/responses/forbidden' })
    expect(create.responses['401']).toEqual({ $ref: '#/components/responses/unauthorized' })
    expect(create.responses['400']).toEqual({ $ref: '#/components/responses/invalid_input' })
    expect(create.responses['415']).toEqual({ $ref: '#/components/responses/unsupported_media_type' })
    expect(operation(doc, '/partners/{site}/api/summary', 'get').security).toEqual([{ partnerKey: [] }])
    expect(operation(doc, '/hooks/{site}/orders', 'post').security).toEqual([{ storefrontSignature: [] }])
    expect(operation(doc, '/webmention/{site}', 'post').security).toBeUndefined()

    const error = doc.components.schemas.Error
    expect(error?.required).toEqual(['error'])
    const inner = (error?.properties as Record<string, JsonSchema>).error
    expect(inner?.required).toEqual(['code', 'message', 'request_id'])

    // The documented body is the one the API answers with.
    const res = await call('/api/sites', { headers: { Authorization: 'Bearer nope' } })
    expect(res.status).toBe(401)
    expect(Object.keys((await res.json<{ error: object }>()).error)).toEqual(['code', 'message', 'request_id'])
  })

  it('writes every enum of a request and an answer as an enum: category, stage, kind, sentiment, webhook events', async () => {
    const { doc } = await fetchDocument()
    const body = (path: string, method: Method) =>
      (operation(doc, path, method).requestBody?.content['application/json']?.schema?.properties ?? {}) as Record<
        string,
        JsonSchema | undefined
      >
    const answer = (path: string, method: Method, status = '200') => {
      const r = operation(doc, path, method).responses[status]
      return (r && 'content' in r ? Object.values(r.content ?? {})[0]?.schema : undefined) as JsonSchema
    }
    const props = (s: JsonSchema | undefined) => (s?.properties ?? {}) as Record<string, JsonSchema>
    const itemsOf = (s: JsonSchema | undefined) => s?.items as JsonSchema | undefined
    const values = (s: JsonSchema | undefined) =>
      s?.enum ?? (s?.anyOf as JsonSchema[] | undefined)?.flatMap((a) => a.enum ?? [])

    expect(body('/api/mentions/{id}/moderation', 'post').category?.enum).toEqual([...REMOVAL_CATEGORIES, 'spam'])
    const moderation = operation(doc, '/api/mentions/{id}/moderation', 'post').requestBody?.content['application/json']
    expect(moderation?.schema?.required).toEqual(['action', 'reason'])
    expect(itemsOf(body('/api/sites/{site}/webhooks', 'post').events)?.enum).toEqual([...WEBHOOK_EVENTS])

    const voice = answer('/api/mentions/{id}', 'get')
    expect(props(voice).kind?.enum).toEqual([...VOICE_KINDS])
    expect(props(voice).status?.enum).toEqual([...VOICE_STATUSES])
    expect(values(props(voice).sentiment)).toEqual([...SENTIMENTS])
    expect(props(itemsOf(props(voice).responses)).stage?.enum).toEqual([...RESPONSE_STAGES])
    expect(props(itemsOf(props(voice).moderation)).category?.enum).toEqual([...MODERATION_CATEGORIES])
    const ledger = itemsOf(props(answer('/feeds/{site}/ledger.json', 'get')).entries)
    expect(props(ledger).category?.enum).toEqual([...MODERATION_CATEGORIES])
    const endpoint = answer('/api/sites/{site}/webhooks', 'post', '201')
    expect((props(endpoint).events?.anyOf as JsonSchema[])[1]).toMatchObject({ items: { enum: [...WEBHOOK_EVENTS] } })
    expect(props(itemsOf(props(answer('/api/webhooks/{id}/deliveries', 'get')).items)).event?.enum).toEqual([
      ...WEBHOOK_EVENTS,
    ])

    // Anywhere in an answer, a text field with one of these names takes values from a fixed list.
    const coded = /^(kind|stage|sentiment|category|action|state|status|event|events|mode|protocol|lang)$/
    const loose: string[] = []
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, r] of Object.entries(op.responses)) {
          if ('$ref' in r) continue
          for (const [key, value] of walk(r.content)) {
            if (
              !coded.test(key) ||
              typeof value !== 'object' ||
              value === null ||
              !('type' in value || 'anyOf' in value)
            )
              continue
            // A text field (an HTTP status is a number).
            const text = JSON.stringify(value)
            if (text.includes('"string"') && !/"(enum|const)"/.test(text))
              loose.push(`${method} ${path} ${status}: ${key}`)
          }
        }
      }
    }
    expect(loose).toEqual([])
  })

  it('requires every field an answer always has, and leaves unlisted fields out of a JSON answer', async () => {
    const { doc } = await fetchDocument()
    const open: string[] = []
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, r] of Object.entries(op.responses)) {
          if ('$ref' in r || path === '/openapi.json') continue
          for (const [, value] of walk(r.content)) {
            const s = value as JsonSchema | null
            if (s && typeof s === 'object' && s.type === 'object' && s.properties && s.additionalProperties !== false)
              open.push(`${method} ${path} ${status}`)
          }
        }
      }
    }
    expect(open).toEqual([])
    const r = operation(doc, '/api/mentions/{id}', 'get').responses['200']
    const voice = (r && 'content' in r ? r.content?.['application/json']?.schema : undefined) as JsonSchema
    // Every field of a voice is always there (null when it has no value).
    expect([...(voice.required ?? [])].sort()).toEqual(Object.keys(voice.properties ?? {}).sort())
    // A feed item leaves out what it has no value for (JSON Feed's way): those are not required.
    const f = operation(doc, '/feeds/{site}.json', 'get').responses['200']
    const feed = (f && 'content' in f ? f.content?.['application/json']?.schema : undefined) as JsonSchema
    const item = (feed.properties as Record<string, JsonSchema>).items?.items as JsonSchema
    expect(item.required).toEqual(['id', 'content_text', '_glasshouse'])
  })

  it('is well formed: references resolve, path parameters are declared, ids are unique', async () => {
    const { doc } = await fetchDocument()
    const ids = new Set<string>()
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/[^:]*$/)
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
      for (const op of Object.values(item)) {
        expect(ids.has(op.operationId)).toBe(false)
        ids.add(op.operationId)
        expect(op.tags).toHaveLength(1)
        expect(paramsOf(op, 'path').map((p) => p.name)).toEqual(templated)
        expect(Object.keys(op.responses).length).toBeGreaterThan(0)
        for (const status of Object.keys(op.responses)) expect(status).toMatch(/^[1-5]\d\d$/)
        for (const p of op.parameters ?? []) expect(isParameter(p) && (p.in !== 'path' || p.required)).toBe(true)
      }
    }
    for (const [key, value] of walk(doc)) {
      // JSON Schema 2020-12 as OpenAPI 3.1 has it: no 3.0 `nullable`, no per-schema dialect.
      expect(key).not.toBe('nullable')
      expect(key).not.toBe('$schema')
      if (key === '$ref') {
        expect(value).toMatch(/^#\/components\//)
        const target = String(value)
          .slice(2)
          .split('/')
          .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc)
        expect(target, String(value)).toBeTruthy()
      }
    }
  })
})

describe('route coverage', () => {
  const endpoints = endpointsOf(createApp().routes)
  const keyOf = (e: { method: string; path: string }) => `${e.method} ${e.path}`

  it('describes every route the app registers, except the listed ones', async () => {
    const { doc } = await fetchDocument()
    const missing: string[] = []
    for (const e of endpoints) {
      if (keyOf(e) in EXCLUDED) continue
      const path = e.doc?.path ?? openApiPath(e.path)
      if (!doc.paths[path]?.[e.method.toLowerCase() as Method]) missing.push(keyOf(e))
    }
    // A route listed here has no apiDoc: add one next to it (src/common/api-docs.ts) or exclude it above.
    expect(missing, JSON.stringify(missing)).toEqual([])
  })

  it('lists no route that is gone or documented', () => {
    const registered = new Map(endpoints.map((e) => [keyOf(e), e]))
    for (const key of Object.keys(EXCLUDED)) {
      expect(registered.has(key), key).toBe(true)
      expect(registered.get(key)?.doc, key).toBeUndefined()
    }
  })

  it('counts middleware as no route', () => {
    expect(isMiddleware({ method: 'ALL', path: '/api/*' })).toBe(true)
    expect(isMiddleware({ method: 'ALL', path: '/tb/:site/:target' })).toBe(false)
    expect(isMiddleware({ method: 'GET', path: '/feeds/*' })).toBe(false)
  })

  it('writes Hono patterns as OpenAPI paths', () => {
    expect(openApiPath('/api/sites/:site/targets/:target')).toBe('/api/sites/{site}/targets/{target}')
    expect(openApiPath('/feeds/:file{[^/]+\\.json}')).toBe('/feeds/{file}')
    expect(openApiPath('/embed/:file{[0-9a-f]{12}\\.js}')).toBe('/embed/{file}')
    expect(openApiPath('/hooks/:site/:kind{orders|conversions}/x')).toBe('/hooks/{site}/{kind}/x')
  })
})

describe('GET /docs', () => {
  it('shows every operation on a self-contained, cacheable page', async () => {
    const [res, { doc }] = await Promise.all([call('/docs'), fetchDocument()])
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300')
    expect(res.headers.get('X-D1-Queries')).toBe('0')
    const html = await res.text()
    expect(html.startsWith('<!doctype html>')).toBe(true)
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(html).toContain(`id="${op.operationId}"`)
        expect(html).toContain(`<span class="method ${method}">${method}</span>`)
        expect(html).toContain(path.replace(/&/g, '&amp;'))
      }
    }
    for (const tag of doc.tags) expect(html).toContain(`<h2>${tag.name}</h2>`)
    // Parameters and body fields are tables.
    expect(html).toContain('<code>per-page</code>')
    expect(html).toContain('<code>author.name</code>')
    // Answers' fields too, inside lists and nullable objects.
    expect(html).toContain('<code>items[].kind</code>')
    expect(html).toContain('<code>verification.reason</code>')
    // On a phone a table row is a block of labelled lines (test/browser/inbox.e2e.mjs measures the width).
    expect(html).toContain('@media (max-width:600px)')
  })

  it('loads nothing from elsewhere and renders the document’s texts as text', async () => {
    const html = await (await call('/docs')).text()
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link[^>]+stylesheet/i)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i)
    // TrackBack's description mentions XML elements: they show as text, not as markup.
    expect(html).toContain('&lt;error&gt;0&lt;/error&gt;')
    expect(html).not.toContain('<error>')
    expect(html).toContain('&lt;methodName&gt;pingback.ping&lt;/methodName&gt;')
  })
})
