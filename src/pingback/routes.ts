import { logFailure } from '../common/errors'
import { bodyLimit } from 'hono/body-limit'

import { newRouter } from '../env'
import { apiDoc } from '../common/api-docs'
import { intakeDeps } from '../linkbacks/intake'
import { statusUrl } from '../common/hub-urls'
import { clientIpOf } from '../common/client-ip'
import { pathParam } from '../common/validation'
import { receivePingback } from './service'
import { FAULT, type Fault, faultXml, parsePingbackCall, successXml } from './xmlrpc'

/** A pingback.ping call is a few hundred bytes. */
const MAX_BODY_BYTES = 64 * 1024

/** A pingback.ping call, as the API description's example. */
const PING_EXAMPLE = `<?xml version="1.0"?>
<methodCall>
  <methodName>pingback.ping</methodName>
  <params>
    <param><value><string>https://blog.example/2024/05/tshirt</string></value></param>
    <param><value><string>https://shop.example/products/tshirt</string></value></param>
  </params>
</methodCall>
`

/** Faults travel with HTTP 200: WordPress reads any other status as a transport error. */
const xml = (body: string) =>
  new Response(body, { status: 200, headers: { 'Content-Type': 'text/xml; charset=UTF-8' } })
const fault = (f: Fault) => xml(faultXml(f))

/** POST /pingback/:site — Pingback 1.0 (`pingback.ping` only; no system.multicall: no amplification). */
export const pingbackRoutes = newRouter()
  .post(
    '/:site',
    apiDoc({
      tag: 'Linkbacks',
      summary: 'Send a Pingback (Pingback 1.0, XML-RPC)',
      description:
        'An XML-RPC methodCall of pingback.ping(source, target); no system.multicall. Every answer is HTTP 200 with an XML-RPC methodResponse: a string naming the status URL, or a fault (code and message).',
      body: { media: ['text/xml'], description: 'An XML-RPC methodCall.', example: PING_EXAMPLE },
      ownErrors: true,
      responses: { 200: { description: 'The XML-RPC answer: success or a fault.', media: 'text/xml' } },
    }),
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => fault({ code: FAULT.generic, message: 'The request is larger than 64 KB' }),
    }),
    async (c) => {
      const call = parsePingbackCall(new Uint8Array(await c.req.arrayBuffer()), c.req.header('Content-Type') ?? null)
      if (!call.ok) return fault(call)
      const slug = pathParam(c.req.param('site'))
      const outcome = await receivePingback(intakeDeps(c.env, c.req.url, c.var.now), {
        siteSlug: slug,
        source: call.source,
        target: call.target,
        clientIp: clientIpOf(c.req),
        now: c.var.now(),
      })
      if (!outcome.ok) return fault(outcome)
      const status = statusUrl(new URL(c.req.url).origin, slug, outcome.voiceId)
      return xml(
        successXml(`Pingback from ${outcome.source} to ${outcome.target} was queued for verification: ${status}`),
      )
    },
  )
  .all(
    '/:site',
    () =>
      new Response('XML-RPC server accepts POST requests only.', {
        status: 405,
        headers: { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' },
      }),
  )
  // Our own failures are faults too, never a 500 that WordPress would log as a transport error.
  .onError((err, c) => {
    logFailure(c, 'pingback failed', err)
    return fault({ code: FAULT.generic, message: 'The hub could not take this pingback now; try again later' })
  })
