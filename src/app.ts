import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'

import { adminRoutes } from './admin/routes'
import { applyRoutes, partnerApiRoutes, sitePartnerRoutes } from './affiliates/routes'
import { foundVoiceRoutes, siteWatchRoutes } from './listening/routes'
import { partnerPageRoutes } from './affiliates/partners/page-routes'
import { redirectRoutes } from './affiliates/links/redirect-routes'
import { requireAuth } from './auth/middleware'
import { meteredD1 } from './db/metering'
import { demoRoutes } from './demo/routes'
import { embedRoutes } from './embed/routes'
import { devRoutes } from './dev/routes'
import { isDevelopment, newRouter } from './env'
import { feedRoutes } from './feeds/routes'
import { healthRoutes } from './health/routes'
import { withApiDocs } from './openapi/routes'
import { voiceRoutes, siteVoiceRoutes, siteResponseRoutes } from './voices/routes'
import { statusRoutes } from './linkbacks/routes'
import { pingbackRoutes } from './pingback/routes'
import { responseRoutes } from './responses/routes'
import { responseApiRoutes } from './responses/api-routes'
import { correctionRoutes } from './corrections/routes'
import { type Clock, systemClock } from './common/clock'
import { handleError, problem } from './common/errors'
import { siteRoutes } from './sites/routes'
import { refuseDeletedSite } from './sites/gone-middleware'
import { goneResponse as trackbackGone } from './trackback/protocol'
import { goneFault } from './pingback/xmlrpc'
import { targetRoutes } from './targets/routes'
import { trackbackRoutes } from './trackback/routes'
import { webmentionRoutes } from './webmention/routes'
import { siteWebhookRoutes, webhookRoutes } from './webhooks/routes'
import { hookRoutes } from './inbound/routes'
import { shopHookRoutes, siteShopRoutes } from './connectors/routes'
import { siteReviewRoutes } from './reviews/api'
import { blogReviewRoutes } from './reviews/blog/routes'
import { photoRoutes } from './reviews/photos/routes'
import { reviewRoutes } from './reviews/form/routes'
import { exportDownloadRoutes, siteExportRoutes } from './exports/routes'
import { importFileRoutes, siteImportRoutes } from './imports/routes'

/** Operator API: every route needs a bearer token (docs/operator-api.md). */
const api = newRouter()
  .use(bodyLimit({ maxSize: 64 * 1024 }))
  .use(requireAuth)
  .route('/sites', siteRoutes)
  .route('/sites', targetRoutes)
  .route('/sites', siteVoiceRoutes)
  .route('/sites', siteResponseRoutes)
  .route('/mentions', voiceRoutes)
  .route('/responses', responseApiRoutes)
  .route('/responses', correctionRoutes)
  .route('/mentions', foundVoiceRoutes)
  .route('/sites', siteWebhookRoutes)
  .route('/webhooks', webhookRoutes)
  .route('/sites', siteReviewRoutes)
  .route('/sites', sitePartnerRoutes)
  .route('/sites', siteWatchRoutes)
  .route('/sites', siteExportRoutes)
  .route('/sites', siteImportRoutes)
  .route('/sites', siteShopRoutes)

/** The Worker's app. `now`: its clock (the system clock unless a test injects one); routes read it as `c.var.now()`. */
export function createApp({ now = systemClock }: { now?: Clock } = {}) {
  // GET /openapi.json and /docs describe the routes below (read from the app on first request).
  return withApiDocs(
    newRouter()
      .use(async function clock(c, next) {
        c.set('now', now)
        await next()
      })
      // Every request gets an id: Cloudflare's Ray ID when there is one, so our logs and theirs line up.
      .use(async function requestId(c, next) {
        const id = c.req.header('cf-ray') ?? crypto.randomUUID()
        c.set('requestId', id)
        await next()
        try {
          c.res.headers.set('X-Request-Id', id)
        } catch {
          // A response with immutable headers (e.g. Response.redirect): answer a copy.
          c.res = new Response(c.res.body, c.res)
          c.res.headers.set('X-Request-Id', id)
        }
      })
      // In development and tests, count D1 rows read per request (see src/db/metering.ts).
      .use(async function meterD1(c, next) {
        if (!isDevelopment(c.env)) return next()
        const meter = { rowsRead: 0, queries: 0 }
        c.env = { ...c.env, DB: meteredD1(c.env.DB, meter) }
        await next()
        c.res.headers.set('X-D1-Rows-Read', String(meter.rowsRead))
        c.res.headers.set('X-D1-Queries', String(meter.queries))
      })
      .use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }))
      .route('/', healthRoutes)
      // A deleted shop's roads in answer 410 Gone (src/sites/deleted.ts); its public documents say so themselves.
      .use(
        '/tb/:site/*',
        refuseDeletedSite((_c, message) => trackbackGone(message)),
      )
      .use(
        '/pingback/:site',
        refuseDeletedSite((_c, message) => goneFault(message)),
      )
      .use('/webmention/:site', refuseDeletedSite())
      .use('/webmention/:site/*', refuseDeletedSite())
      .use('/hooks/:site/*', refuseDeletedSite())
      .use('/reviews/:site/*', refuseDeletedSite())
      .use('/affiliates/:site/*', refuseDeletedSite())
      .use('/status/:site/*', refuseDeletedSite())
      .use('/partners/:site', refuseDeletedSite())
      .use('/partners/:site/*', refuseDeletedSite())
      .route('/tb', trackbackRoutes)
      .route('/webmention', webmentionRoutes)
      .route('/pingback', pingbackRoutes)
      .route('/status', statusRoutes)
      .route('/responses', responseRoutes)
      // The platforms' hooks first: their body limit is their own (a storefront event's is smaller).
      .route('/hooks', shopHookRoutes)
      .route('/hooks', hookRoutes)
      .route('/review', reviewRoutes)
      .route('/reviews', blogReviewRoutes)
      .route('/photos', photoRoutes)
      .route('/exports', exportDownloadRoutes)
      .route('/affiliates', applyRoutes)
      .route('/partners', partnerApiRoutes)
      .route('/partners', partnerPageRoutes)
      .route('/r', redirectRoutes)
      .route('/admin', adminRoutes)
      .route('/feeds', feedRoutes)
      .route('/api/sites', importFileRoutes)
      .route('/api', api)
      .route('/__dev', devRoutes)
      .route('/', embedRoutes)
      .route('/', demoRoutes)
      .notFound((c) => problem(c, 'not_found', 'No such route'))
      .onError(handleError),
  )
}
