/**
 * `GET /embed.js` — the storefront widget, `<glasshouse-voices>` (src/embed/client/). A module
 * script any storefront may load: CORS open, a short max-age so a new version reaches
 * storefronts within minutes. `GET /embed/{version}.js` is the same code under its version,
 * cacheable for a year (the ETag and the `X-Widget-Version` header name the current one).
 */
import type { Context } from 'hono'

import { type AppEnv, newRouter } from '../env'
import { etagMatches } from '../feeds/http-cache'
import { WIDGET_JS, WIDGET_VERSION } from './widget.generated'

const ETAG = `"w-${WIDGET_VERSION}"`

function script(c: Context<AppEnv>, cacheControl: string) {
  const headers = {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': cacheControl,
    'Access-Control-Allow-Origin': '*',
    ETag: ETAG,
    'X-Widget-Version': WIDGET_VERSION,
  }
  if (etagMatches(c.req.header('If-None-Match'), ETAG)) return c.body(null, 304, headers)
  return c.body(WIDGET_JS, 200, headers)
}

export const embedRoutes = newRouter()
  .get('/embed.js', (c) => script(c, 'public, max-age=300, stale-while-revalidate=86400'))
  .get('/embed/:file{[0-9a-f]{12}\\.js}', (c) => {
    // An older version's URL gets the current code, briefly cached: there is only one widget to serve.
    if (c.req.param('file') !== `${WIDGET_VERSION}.js`) return script(c, 'public, max-age=300')
    return script(c, 'public, max-age=31536000, immutable')
  })
