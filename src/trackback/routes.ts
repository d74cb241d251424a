import { bodyLimit } from 'hono/body-limit'

import { newRouter } from '../env'
import { intakeDeps } from '../linkbacks/intake'
import { clientIpOf } from '../shared/client-ip'
import { errorResponse, parsePing, successResponse } from './protocol'
import { receiveTrackback } from './service'

/** Pings are a few hundred bytes; 64 KB leaves room for long excerpts in any charset. */
const MAX_PING_BYTES = 64 * 1024

/** POST /tb/:site/:target — TrackBack 1.2. Every answer is HTTP 200 + XML, never a 500. */
export const trackbackRoutes = newRouter()
  .post(
    '/:site/:target',
    bodyLimit({
      maxSize: MAX_PING_BYTES,
      onError: () => errorResponse({ reason: 'too_large', limitBytes: MAX_PING_BYTES }),
    }),
    async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer())
      const parsed = parsePing(body, c.req.header('Content-Type') ?? null)
      if (!parsed.ok) return errorResponse(parsed)

      const outcome = await receiveTrackback(intakeDeps(c.env, c.req.url), {
        siteSlug: c.req.param('site'),
        targetId: c.req.param('target'),
        ping: parsed.ping,
        clientIp: clientIpOf(c.req),
        now: Date.now(),
      })
      return outcome.ok ? successResponse() : errorResponse(outcome)
    },
  )
  .all('/:site/:target', () => errorResponse({ reason: 'not_post' }))
  // Even our own failures answer in TrackBack's format, so senders log a message, not a 500.
  .onError((err) => {
    console.error(JSON.stringify({ msg: 'trackback failed', error: String(err), stack: err.stack }))
    return errorResponse({ reason: 'internal' })
  })
