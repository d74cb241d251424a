/**
 * The hub's OpenAPI 3.1 description, generated from the routes the app registers: each route's
 * `apiDoc` (src/common/api-docs.ts) gives its summary and answers, its `jsonBody` and `queryOf`
 * validators give the request's fields (their valibot schemas, converted to JSON Schema
 * 2020-12 by @valibot/to-json-schema), and the guarding middlewares above it give its
 * credentials. A route without an `apiDoc` is left out (test/openapi/ lists the ones left out
 * on purpose).
 */
import { type ConversionConfig, type JsonSchema, toJsonSchema } from '@valibot/to-json-schema'
import type { RouterRoute } from 'hono/types'
import { COMPOSED_HANDLER } from 'hono/utils/constants'
import type { GenericSchema } from 'valibot'

import {
  guardOf,
  inputOf,
  type InputDoc,
  type ResponseDoc,
  routeDocOf,
  type RouteDoc,
  type SecurityScheme,
} from '../common/api-docs'
import { type ErrorCode, statusOf } from '../common/errors'

export type { JsonSchema }

export type Parameter = {
  name: string
  in: 'path' | 'query'
  required: boolean
  description?: string
  schema: JsonSchema
  style?: 'form'
  explode?: boolean
}

export type MediaTypes = Record<string, { schema?: JsonSchema; example?: string }>

export type Response = { description: string; content?: MediaTypes }
export type ResponseRef = { $ref: string }

export type Operation = {
  operationId: string
  tags: [string]
  summary: string
  description?: string
  parameters?: Parameter[]
  requestBody?: { required: true; description?: string; content: MediaTypes }
  responses: Record<string, Response | ResponseRef>
  security?: Record<string, []>[]
}

export type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace'

export type OpenApiDocument = {
  openapi: '3.1.0'
  jsonSchemaDialect: string
  info: { title: string; version: string; description: string }
  servers: { url: string; description: string }[]
  tags: { name: string; description: string }[]
  paths: Record<string, Partial<Record<Method, Operation>>>
  components: {
    schemas: Record<string, JsonSchema>
    responses: Record<string, Response>
    securitySchemes: Record<SecurityScheme, SecurityDefinition>
  }
}

type SecurityDefinition =
  | { type: 'http'; scheme: 'bearer'; bearerFormat?: string; description: string }
  | { type: 'apiKey'; in: 'header'; name: string; description: string }

/** The features, in the order the docs page shows them. */
export const TAGS: readonly { name: string; description: string }[] = [
  {
    name: 'Linkbacks',
    description: 'TrackBack, Pingback and Webmention: how blogs tell the hub they wrote about a page.',
  },
  {
    name: 'Feeds',
    description: 'Public documents for storefronts: voices, trust figures, the moderation ledger, JSON-LD.',
  },
  { name: 'Reviews', description: 'Blog reviews, review photos, and the operator side of invitations and coupons.' },
  { name: 'Storefront events', description: 'Signed events the storefront sends: orders and conversions.' },
  {
    name: 'Shop platforms',
    description: 'Shopify and WooCommerce webhooks in, and the site’s connection to its platform.',
  },
  {
    name: 'Affiliates',
    description: 'Applications, tracking-link redirects, and the staff side of partners and commissions.',
  },
  {
    name: 'Partner API',
    description: "An approved partner's own links, numbers and posts (Authorization: Bearer gh_pk_…).",
  },
  { name: 'Sites', description: 'Sites, their settings and keys (operator API).' },
  { name: 'Targets', description: 'The pages voices are about (operator API).' },
  {
    name: 'Voices',
    description: 'What people said: listing, sentiment, official responses, moderation (operator API).',
  },
  { name: 'Webhooks', description: 'Outbound webhook endpoints and their deliveries (operator API).' },
  { name: 'Listening', description: 'Feeds a site watches for voices that never pinged (operator API).' },
  { name: 'Meta', description: 'This description.' },
]

const SECURITY_SCHEMES: Record<SecurityScheme, SecurityDefinition> = {
  operatorToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator token (the ADMIN_TOKEN secret): Authorization: Bearer <ADMIN_TOKEN>. May do everything.',
  },
  siteKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'gh_sk_…',
    description: 'A site key (gh_sk_…): Authorization: Bearer gh_sk_…. Sees and changes its own site only.',
  },
  partnerKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'gh_pk_…',
    description:
      "An affiliate partner's key (gh_pk_…), valid only on its own site's /partners/{site}/api routes: Authorization: Bearer gh_pk_….",
  },
  storefrontSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description:
      "Standard Webhooks: the body signed with the site's inbound secret (webhook-id, webhook-timestamp and webhook-signature headers).",
  },
  shopifySignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Shopify-Hmac-Sha256',
    description:
      "Shopify's signature: the base64 HMAC-SHA256 of the raw body under the secret saved with the site's connection (docs/platforms.md).",
  },
  wooCommerceSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-WC-Webhook-Signature',
    description:
      "WooCommerce's signature: the base64 HMAC-SHA256 of the raw body under the webhook's secret saved with the site's connection (docs/platforms.md).",
  },
}

/** What each error code means, for the shared error answers. */
const ERROR_MEANING: Record<ErrorCode, string> = {
  invalid_input: 'The input was refused; the message names every refused field.',
  unauthorized: 'No valid credential.',
  forbidden: 'The credential may not do this (e.g. a site key where the operator token is needed).',
  not_found: 'No such resource (or another site’s).',
  method_not_allowed: 'The method is not allowed here.',
  conflict: 'A duplicate, or a transition that makes no sense in the current state.',
  gone: 'The resource existed and is gone.',
  payload_too_large: 'The body is over the limit.',
  rate_limited: 'Too many requests; try again later.',
  unsupported_media_type: 'The body is not labelled as the media type this endpoint takes, or is not UTF-8.',
  internal: 'An unexpected error (logged with the request id).',
}

/** The words for path parameters that mean the same everywhere. */
const PARAMS: Record<string, string> = {
  site: "The site's slug.",
  target: "A target's id (the storefront's product or page id).",
}

/**
 * A valibot schema as JSON Schema 2020-12: `input`, what a request sends (before any
 * transform; transforms and custom checks have no JSON Schema equivalent and are left out);
 * `output`, what a handler answers (src/common/outputs.ts and each feature's outputs.ts), which
 * must convert whole but for the input rules it reuses (trimming, custom checks).
 */
export function jsonSchemaOf(schema: GenericSchema, side: 'input' | 'output' = 'input'): JsonSchema {
  const config: ConversionConfig = {
    target: 'draft-2020-12',
    typeMode: side,
    errorMode: side === 'input' ? 'ignore' : 'throw',
    ...(side === 'output' ? { ignoreActions: ['trim', 'check', 'partial_check', 'forward'] } : {}),
    // `v.required(…)` (every setting answered) wraps each field: its JSON Schema is the field's.
    overrideSchema: ({ valibotSchema: s }) =>
      s.type === 'non_optional' && 'wrapped' in s ? jsonSchemaOf(s.wrapped as GenericSchema, side) : undefined,
  }
  const converted = toJsonSchema(schema, config)
  delete converted.$schema
  return converted
}

/** A route's handler as registered: a sub-app with its own error handler wraps it. */
function unwrapped(handler: object): object {
  let h = handler
  for (;;) {
    const inner = (h as Record<string, unknown>)[COMPOSED_HANDLER]
    if (typeof inner !== 'function') return h
    h = inner
  }
}

/** `/feeds/:file{[^/]+\.json}` → `/feeds/{file}`; parameter patterns may hold braces of their own. */
export function openApiPath(honoPath: string): string {
  let out = ''
  for (let i = 0; i < honoPath.length; i++) {
    const ch = honoPath.charAt(i)
    if (ch !== ':') {
      out += ch
      continue
    }
    const name = /^[A-Za-z0-9_]+/.exec(honoPath.slice(i + 1))?.[0] ?? ''
    out += `{${name}}`
    i += name.length
    if (honoPath.charAt(i + 1) === '{') {
      let depth = 0
      do {
        i++
        const c = honoPath.charAt(i)
        if (c === '\\') i++
        else if (c === '{') depth++
        else if (c === '}') depth--
      } while (depth > 0 && i < honoPath.length)
    }
    if (honoPath.charAt(i + 1) === '?') i++
  }
  return out
}

/** A middleware's path (`/api/*`, `/partners/:site/api/*`) as a test of route paths. */
function coverage(middlewarePath: string): RegExp {
  const pattern = middlewarePath
    .split(/(\*|:[A-Za-z0-9_]+)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${pattern}$`)
}

/** Middleware registered with `use` (every method, a path ending in `*`), as opposed to an endpoint. */
export const isMiddleware = (r: Pick<RouterRoute, 'method' | 'path'>) => r.method === 'ALL' && r.path.endsWith('*')

/** One method and path of the app, with what its handlers say about it. */
export type Endpoint = {
  method: string
  path: string
  doc: RouteDoc | undefined
  inputs: InputDoc[]
  security: SecurityScheme[]
}

/** Every endpoint the app registers (not its middleware), in registration order. */
export function endpointsOf(routes: readonly RouterRoute[]): Endpoint[] {
  const guards = routes.flatMap((r) => {
    const schemes = isMiddleware(r) ? guardOf(unwrapped(r.handler)) : undefined
    return schemes ? [{ covers: coverage(r.path), schemes }] : []
  })
  const byKey = new Map<string, Endpoint>()
  for (const r of routes) {
    if (isMiddleware(r)) continue
    const key = `${r.method} ${r.path}`
    let endpoint = byKey.get(key)
    if (!endpoint) {
      const security = guards.filter((g) => g.covers.test(r.path)).flatMap((g) => g.schemes)
      endpoint = { method: r.method, path: r.path, doc: undefined, inputs: [], security: [...new Set(security)] }
      byKey.set(key, endpoint)
    }
    const handler = unwrapped(r.handler)
    endpoint.doc ??= routeDocOf(handler)
    const input = inputOf(handler)
    if (input) endpoint.inputs.push(input)
  }
  return [...byKey.values()]
}

const errorBody = { $ref: '#/components/schemas/Error' }

/** Whether an answer's media type is JSON (application/json or any application/…+json). */
const isJsonMedia = (media: string) => /^application\/(?:[^/;]+\+)?json(?:;|$)/i.test(media.trim())

/**
 * An answer: a JSON body by the schema the handler's answer is typed by; any other body is text or
 * bytes. A JSON answer without a schema is refused (`where`: the operation and status, for the message).
 */
function response(doc: ResponseDoc, where: string): Response {
  const { description } = doc
  if (doc.media === null) return { description }
  const types: readonly string[] = typeof doc.media === 'object' ? doc.media : [doc.media ?? 'application/json']
  // The types refuse it already; this stops a cast past them.
  const json = types.find(isJsonMedia)
  if (!doc.schema && json) throw new Error(`${where}: a JSON answer (${json}) needs its schema`)
  const schema: JsonSchema = doc.schema ? jsonSchemaOf(doc.schema, 'output') : { type: 'string' }
  return { description, content: Object.fromEntries(types.map((media) => [media, { schema }])) }
}

function queryParameters(schema: GenericSchema, names: Readonly<Record<string, string>> = {}): Parameter[] {
  const json = jsonSchemaOf(schema)
  const required = new Set(json.required ?? [])
  return Object.entries(json.properties ?? {}).map(([key, property]) => {
    const prop: JsonSchema = typeof property === 'boolean' ? {} : { ...property }
    const { description } = prop
    delete prop.description
    const param: Parameter = { name: names[key] ?? key, in: 'query', required: required.has(key), schema: prop }
    if (description !== undefined) param.description = description
    if (prop.type === 'array') Object.assign(param, { style: 'form', explode: true })
    return param
  })
}

const operationId = (method: string, path: string) =>
  `${method.toLowerCase()}_${path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`

function operationOf(endpoint: Endpoint, doc: RouteDoc): Operation {
  const path = doc.path ?? openApiPath(endpoint.path)
  const op: Operation = {
    operationId: operationId(endpoint.method, path),
    tags: [doc.tag],
    summary: doc.summary,
    responses: {},
  }
  if (doc.description !== undefined) op.description = doc.description

  const parameters: Parameter[] = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    description: doc.params?.[name] ?? PARAMS[name] ?? name,
    schema: { type: 'string' },
  }))
  for (const input of endpoint.inputs) if (input.target === 'query') parameters.push(...queryParameters(input.schema))
  if (doc.query) parameters.push(...queryParameters(doc.query.schema, doc.query.names))
  if (parameters.length > 0) op.parameters = parameters

  const json = endpoint.inputs.find((i) => i.target === 'json')
  if (json) {
    op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchemaOf(json.schema) } } }
  } else if (doc.body) {
    const { media, schema, description, example } = doc.body
    const content: MediaTypes = {}
    for (const type of media) {
      content[type] = {
        ...(schema ? { schema: jsonSchemaOf(schema) } : { schema: { type: 'string' } }),
        ...(example === undefined ? {} : { example }),
      }
    }
    op.requestBody = { required: true, content, ...(description === undefined ? {} : { description }) }
  }

  for (const [status, answer] of Object.entries(doc.responses))
    op.responses[status] = response(answer, `${endpoint.method} ${path} ${status}`)

  const security = [...endpoint.security, ...(doc.security ?? [])].filter(
    (scheme) => !doc.operatorOnly || scheme === 'operatorToken',
  )
  if (security.length > 0) op.security = security.map((scheme) => ({ [scheme]: [] }))

  if (!doc.ownErrors) {
    const errors = new Set<ErrorCode>()
    if (endpoint.inputs.length > 0 || doc.body || doc.query) errors.add('invalid_input')
    if (security.length > 0) errors.add('unauthorized')
    if (doc.operatorOnly) errors.add('forbidden')
    for (const code of doc.errors ?? []) errors.add(code)
    if (json) errors.add('unsupported_media_type')
    const sorted = [...errors].sort((a, b) => statusOf(a) - statusOf(b))
    for (const code of sorted) op.responses[String(statusOf(code))] ??= { $ref: `#/components/responses/${code}` }
  }
  return op
}

/** The description of every documented endpoint among `routes`. */
export function buildDocument(routes: readonly RouterRoute[]): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  const used = new Set<string>()
  for (const endpoint of endpointsOf(routes)) {
    const { doc } = endpoint
    // `all` routes are the protocol endpoints' answers to other methods: not operations of their own.
    if (!doc || endpoint.method === 'ALL') continue
    const path = doc.path ?? openApiPath(endpoint.path)
    ;(paths[path] ??= {})[endpoint.method.toLowerCase() as Method] = operationOf(endpoint, doc)
    used.add(doc.tag)
  }
  const responses: Record<string, Response> = {}
  for (const code of Object.keys(ERROR_MEANING) as ErrorCode[]) {
    responses[code] = {
      description: `${code}: ${ERROR_MEANING[code]}`,
      content: { 'application/json': { schema: errorBody } },
    }
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Glasshouse',
      version: '0.1.0',
      description:
        'A hub that gathers what people say about a shop elsewhere on the web and serves it, criticism included, next to the shop’s answers. JSON in and out, except where a protocol says otherwise (TrackBack, Pingback, Webmention). Every answer carries an X-Request-Id header; JSON errors carry it as error.request_id.',
    },
    servers: [{ url: '/', description: 'This hub' }],
    tags: TAGS.filter((t) => used.has(t.name)),
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          description:
            'Every JSON error: a code (one per HTTP status), a message that says what to fix, and the request id.',
          properties: {
            error: {
              type: 'object',
              properties: {
                code: { type: 'string', enum: Object.keys(ERROR_MEANING) },
                message: { type: 'string' },
                request_id: {
                  type: 'string',
                  description: "The request's X-Request-Id: quote it when reporting a problem.",
                },
              },
              required: ['code', 'message', 'request_id'],
            },
          },
          required: ['error'],
        },
      },
      responses,
      securitySchemes: SECURITY_SCHEMES,
    },
  }
}
