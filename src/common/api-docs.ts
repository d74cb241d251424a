/**
 * What a route says about itself for the API description (`GET /openapi.json`, `GET /docs`,
 * src/openapi/). Each documented route carries an `apiDoc({...})` middleware next to its
 * handler; the JSON validators (./validation.ts) and the credential checks remember their
 * schemas and schemes here, so the description is read from the routes the app really
 * registers, with the very valibot schemas that validate their input.
 *
 * The registry is keyed by the handler functions themselves: nothing is stored per request,
 * and the middlewares cost one call each.
 */
import type { MiddlewareHandler } from 'hono'
import type { GenericSchema } from 'valibot'

import type { ErrorCode } from './errors'

/** The ways a caller proves who it is (their wording is in src/openapi/document.ts). */
export type SecurityScheme =
  'operatorToken' | 'siteKey' | 'partnerKey' | 'storefrontSignature' | 'shopifySignature' | 'wooCommerceSignature'

/** The JSON media types an answer may have; each needs the schema of its body. */
export type JsonMedia = 'application/json' | 'application/ld+json'

/**
 * A body that is not JSON: text (text/xml, text/csv, text/html …), an image, XML, or JSON Lines.
 * A file served in one of several such types (by its name) lists them all. No JSON
 * type fits here, so a JSON answer cannot be documented without its schema.
 */
export type OtherMedia =
  `text/${string}` | `image/${string}` | 'application/xml' | `application/${string}+xml` | 'application/jsonl'

/**
 * One answer of an operation: what it means, and what its body is. A JSON body names the
 * valibot schema of what the handler answers (the schema its answer is typed by, ./outputs.ts),
 * so no JSON answer goes undescribed; another media type says which (text/xml, text/csv …);
 * `media: null` is an answer without a body (204, 302, 304). The description refuses to build
 * with a JSON media type and no schema (a cast past these types; src/openapi/document.ts).
 */
export type ResponseDoc =
  | { description: string; schema: GenericSchema; media?: JsonMedia }
  | { description: string; media: OtherMedia | readonly [OtherMedia, ...OtherMedia[]]; schema?: never }
  | { description: string; media: null }

/** A body the handler reads itself (forms, XML-RPC), rather than through `jsonBody`. */
export type BodyDoc = {
  /** The media types it is accepted in. */
  media: readonly string[]
  /** The fields, when the handler validates them with a valibot schema. */
  schema?: GenericSchema
  description?: string
  /** A sample body, shown as it is (XML-RPC). */
  example?: string
}

/** A query the handler reads itself; `names` maps the schema's keys to the query's names. */
export type QueryDoc = { schema: GenericSchema; names?: Readonly<Record<string, string>> }

export type RouteDoc = {
  /** The feature it belongs to: one section of the docs page. */
  tag: string
  summary: string
  description?: string
  /** The path as the description writes it, for a route whose pattern holds a regular expression. */
  path?: string
  /** What each path parameter is, where the usual wording (site, target) does not fit. */
  params?: Readonly<Record<string, string>>
  body?: BodyDoc
  query?: QueryDoc
  /** The answers, by status. */
  responses: Readonly<Record<number, ResponseDoc>>
  /**
   * Errors besides the ones the description adds itself: 400 for validated input, 401 for a
   * route behind a credential, 415 for a JSON body.
   */
  errors?: readonly ErrorCode[]
  /** Protocol endpoints answer failures in their own format: no JSON error bodies are listed. */
  ownErrors?: true
  /** Credentials the handler checks itself (rather than through a guarding middleware). */
  security?: readonly SecurityScheme[]
  /** Only the operator token may do this (a site key is answered 403). */
  operatorOnly?: true
}

export type InputDoc = { target: 'json' | 'query'; schema: GenericSchema }

const docs = new WeakMap<object, RouteDoc>()
const inputs = new WeakMap<object, InputDoc>()
const guards = new WeakMap<object, readonly SecurityScheme[]>()

/** The route's entry in the API description: put it first among the route's handlers. */
export function apiDoc(doc: RouteDoc): MiddlewareHandler {
  const documented: MiddlewareHandler = (_c, next) => next()
  docs.set(documented, doc)
  return documented
}

/** `apiDoc` for a router whose routes share a tag (and often their path parameters). */
export const apiDocsFor =
  (shared: Pick<RouteDoc, 'tag' | 'params'>) =>
  (doc: Omit<RouteDoc, 'tag'>): MiddlewareHandler =>
    apiDoc({ ...shared, ...doc })

/** Remembers that `handler` validates the request's `target` against `schema`. */
export function documentInput<H extends object>(handler: H, target: InputDoc['target'], schema: GenericSchema): H {
  inputs.set(handler, { target, schema })
  return handler
}

/** Remembers that `middleware` lets a request through only with one of `schemes`. */
export function documentGuard<H extends object>(middleware: H, schemes: readonly SecurityScheme[]): H {
  guards.set(middleware, schemes)
  return middleware
}

export const routeDocOf = (handler: object) => docs.get(handler)
export const inputOf = (handler: object) => inputs.get(handler)
export const guardOf = (handler: object) => guards.get(handler)
