import { logFailure } from '../common/errors'
import { bodyLimit } from 'hono/body-limit'
import * as v from 'valibot'

import { newRouter } from '../env'
import { apiDoc } from '../common/api-docs'
import { intakeDeps } from '../linkbacks/intake'
import { clientIpOf } from '../common/client-ip'
import { errorResponse, parsePing, successResponse } from './protocol'
import { receiveTrackback } from './service'

/** Pings are a few hundred bytes; 64 KB leaves room for long excerpts in any charset. */
const MAX_PING_BYTES = 64 * 1024

/** The ping's fields as the API description shows them (parsePing reads the bytes itself, in any charset it knows). */
const PingFields = v.object({
  url: v.pipe(v.string(), v.description('The post that mentions the page: an absolute http(s) URL.')),
  title: v.optional(v.pipe(v.string(), v.description("The post's title (kept to 255 characters)."))),
  excerpt: v.optional(v.pipe(v.string(), v.description('An excerpt of the post (kept to 255 characters).'))),
  blog_name: v.optional(v.pipe(v.string(), v.description("The blog's name (kept to 255 characters)."))),
  charset: v.optional(
    v.pipe(
      v.string(),
      v.description(
        'The charset of the fields: UTF-8, Shift_JIS, EUC-JP or ISO-2022-JP (else the Content-Type charset, else detected).',
      ),
    ),
  ),
})

/** POST /tb/:site/:target — TrackBack 1.2. Every answer is HTTP 200 + XML, never a 500. */
export const trackbackRoutes = newRouter()
  .post(
    '/:site/:target',
    apiDoc({
      tag: 'Linkbacks',
      summary: 'Send a TrackBack ping (TrackBack 1.2)',
      description:
        'What Movable Type, WordPress and Japanese blog tools send. Every answer is HTTP 200 with an XML body: <error>0</error> when the ping was queued for verification, else <error>1</error> and a <message>.',
      body: { media: ['application/x-www-form-urlencoded'], schema: PingFields },
      ownErrors: true,
      responses: {
        200: { description: 'The TrackBack answer: error 0 (queued) or 1 with a message.', media: 'text/xml' },
      },
    }),
    bodyLimit({
      maxSize: MAX_PING_BYTES,
      onError: () => errorResponse({ reason: 'too_large', limitBytes: MAX_PING_BYTES }),
    }),
    async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer())
      const parsed = parsePing(body, c.req.header('Content-Type') ?? null)
      if (!parsed.ok) return errorResponse(parsed)

      const outcome = await receiveTrackback(intakeDeps(c.env, c.req.url, c.var.now), {
        siteSlug: c.req.param('site'),
        targetId: c.req.param('target'),
        ping: parsed.ping,
        clientIp: clientIpOf(c.req),
        now: c.var.now(),
      })
      return outcome.ok ? successResponse() : errorResponse(outcome)
    },
  )
  .all('/:site/:target', () => errorResponse({ reason: 'not_post' }))
  // Even our own failures answer in TrackBack's format, so senders log a message, not a 500.
  .onError((err, c) => {
    logFailure(c, 'trackback failed', err)
    return errorResponse({ reason: 'internal' })
  })
