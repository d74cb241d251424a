/**
 * `GET /openapi.json` (the OpenAPI 3.1 description) and `GET /docs` (the same as a page). Both
 * are built from the app's routes on first request and kept for the isolate's life: no D1,
 * the same bytes every time, so they are cacheable.
 */
import type { Hono } from 'hono'
import type { RouterRoute } from 'hono/types'
import { OpenApiOut } from './outputs'

import { type AppEnv, newRouter } from '../env'
import { apiDoc } from '../common/api-docs'
import { buildDocument } from './document'
import { DocsPage } from './page'

const CACHE = 'public, max-age=300'

/** The two routes, describing `routes()` (the whole app's, read when first asked). */
export function apiDocsRoutes(routes: () => readonly RouterRoute[]) {
  let built: Promise<{ json: string; html: string }> | undefined
  const build = async () => {
    const doc = buildDocument(routes())
    // A hono/jsx element renders itself with toString() (a promise only when a component is async).
    const page = (<DocsPage doc={doc} />) as unknown as { toString(): string | Promise<string> }
    return { json: JSON.stringify(doc), html: await page.toString() }
  }
  // A failed build is tried again on the next request rather than kept.
  const current = () =>
    (built ??= build().catch((err: unknown) => {
      built = undefined
      throw err
    }))

  return newRouter()
    .get(
      '/openapi.json',
      apiDoc({
        tag: 'Meta',
        summary: 'This API description (OpenAPI 3.1)',
        description: 'Generated from the routes and their valibot schemas; /docs shows it as a page.',
        responses: { 200: { description: 'The OpenAPI 3.1 document.', schema: OpenApiOut } },
      }),
      async (c) =>
        c.body((await current()).json, 200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': CACHE,
          'Access-Control-Allow-Origin': '*',
        }),
    )
    .get('/docs', async (c) => {
      c.header('Cache-Control', CACHE)
      return c.html((await current()).html)
    })
}

/** `app` with GET /openapi.json and GET /docs added, describing every route it has (these two included). */
export function withApiDocs<A extends Hono<AppEnv>>(app: A): A {
  app.route(
    '/',
    apiDocsRoutes(() => app.routes),
  )
  return app
}
