/**
 * A JSON answer cannot be documented without the schema of its body: the types refuse it, and
 * the description refuses to build when a cast gets one past them.
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'

import { apiDoc, type ResponseDoc } from '../../src/common/api-docs'
import { buildDocument } from '../../src/openapi/document'

const documented = (answer: ResponseDoc) =>
  new Hono().get('/thing', apiDoc({ tag: 'Sites', summary: 'A thing', responses: { 200: answer } }), (c) =>
    c.text('a thing'),
  ).routes

describe('ResponseDoc', () => {
  it('refuses a JSON media type without a schema, in the types', () => {
    // @ts-expect-error: a JSON answer names its schema
    const json: ResponseDoc = { description: 'A thing.', media: 'application/json' }
    // @ts-expect-error: JSON-LD too
    const jsonLd: ResponseDoc = { description: 'A thing.', media: 'application/ld+json' }
    // @ts-expect-error: and without a media type, the answer is JSON
    const bare: ResponseDoc = { description: 'A thing.' }
    const text: ResponseDoc = { description: 'A thing.', media: 'text/plain' }
    expect([json, jsonLd, bare, text]).toHaveLength(4)
  })

  it('refuses to build a description with a JSON answer and no schema', () => {
    for (const media of ['application/json', 'application/ld+json', 'application/problem+json; charset=utf-8'])
      expect(() => buildDocument(documented({ description: 'A thing.', media } as unknown as ResponseDoc))).toThrow(
        `GET /thing 200: a JSON answer (${media}) needs its schema`,
      )
    expect(() => buildDocument(documented({ description: 'A thing.' } as unknown as ResponseDoc))).toThrow(
      'GET /thing 200: a JSON answer (application/json) needs its schema',
    )
  })

  it('builds a JSON answer with its schema, and a text answer without one', () => {
    const json = buildDocument(documented({ description: 'A thing.', schema: v.object({ id: v.string() }) }))
    expect(json.paths['/thing']?.get?.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { type: 'object' } } },
    })
    const text = buildDocument(documented({ description: 'A thing.', media: 'text/csv' }))
    expect(text.paths['/thing']?.get?.responses['200']).toEqual({
      description: 'A thing.',
      content: { 'text/csv': { schema: { type: 'string' } } },
    })
  })
})
