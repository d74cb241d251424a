/**
 * GET /openapi.json's own answer, in outline: an OpenAPI 3.1 document (its full rules are the
 * specification's: https://spec.openapis.org/oas/v3.1.0; test/openapi/ checks the document
 * against them).
 */
import * as v from 'valibot'

export const OpenApiOut = v.looseObject({
  openapi: v.literal('3.1.0'),
  jsonSchemaDialect: v.string(),
  info: v.looseObject({ title: v.string(), version: v.string(), description: v.string() }),
  servers: v.array(v.looseObject({ url: v.string() })),
  tags: v.array(v.looseObject({ name: v.string(), description: v.string() })),
  paths: v.record(v.string(), v.record(v.string(), v.looseObject({ operationId: v.string() }))),
  components: v.looseObject({}),
})
