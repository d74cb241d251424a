/**
 * The API description against the API itself, shared by test/openapi/answers*.test.ts. Each of
 * those files calls the documented operations of some tags (ANSWER_FILES) and checks every answer
 * against the description: its status must be one the description lists, its media type the one
 * it gives, and a JSON body must validate against the schema given for that status
 * (@cfworker/json-schema). Each file then checks it called every operation of its tags: the
 * calls are recorded here, per file (a test file has its own copy of this module).
 */
import { Validator } from '@cfworker/json-schema'
import { expect } from 'vitest'

import type { Method, OpenApiDocument } from '../../src/openapi/document'
import { api, call } from './http'

/**
 * Which file calls the operations of which tags; answers.test.ts checks that every tag of the
 * description is here once.
 */
export const ANSWER_FILES = {
  'answers.test.ts': ['Meta', 'Sites', 'Webhooks'],
  'answers-voices.test.ts': ['Linkbacks', 'Targets', 'Voices', 'Feeds', 'Listening'],
  'answers-commerce.test.ts': ['Reviews', 'Storefront events', 'Shop platforms', 'Affiliates', 'Partner API'],
} as const satisfies Record<string, readonly string[]>

/** Documented operations no file calls, and why (none today: every one is called). */
export const NOT_CALLED: Record<string, string> = {}

const BASE = 'https://hub.test/openapi.json'

let described: OpenApiDocument | undefined
const called = new Set<string>()

/** Reads /openapi.json for the file's checks (in its beforeAll). */
export async function loadDescription(): Promise<OpenApiDocument> {
  described = await (await call('/openapi.json')).json<OpenApiDocument>()
  return described
}

const description = () => described ?? expect.fail('loadDescription() first, in beforeAll')

const pointer = (...parts: string[]) => parts.map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1')).join('')
const essence = (type: string | null) => (type ?? '').split(';')[0]!.trim().toLowerCase()

/** What is wrong with `body` as the answer `status` of `method path` in `media` (empty: nothing). */
export function problemsWith(method: Method, path: string, status: number, media: string, body: unknown): string[] {
  const doc = description()
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
export async function checked<T = Record<string, unknown>>(method: Method, path: string, res: Response): Promise<T> {
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
export const apiChecked = async <T = Record<string, unknown>>(
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

/** Every documented operation (`get /api/sites`) and the tag it is under. */
export const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ op: `${method} ${path}`, tag: op.tags[0] })),
  )

/** The documented operations of `tags` this file has not called (those in NOT_CALLED aside). */
export const uncalledOf = (tags: readonly string[]) =>
  operationsOf(description())
    .filter(({ op, tag }) => tags.includes(tag) && !called.has(op) && !(op in NOT_CALLED))
    .map(({ op }) => op)
