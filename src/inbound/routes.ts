/**
 * `POST /hooks/{site}/orders` — the storefront's signed events (Standard Webhooks). The
 * answers: 202 with the invitation made, 200 when the order already had one, 401 unsigned,
 * stale or forged, 409 a replayed `webhook-id`, 400 a body that is not a valid order.
 */
import { bodyLimit } from 'hono/body-limit'

import { getDb } from '../db/client'
import { newRouter } from '../env'
import { invitationJson, receiveOrder } from '../reviews/invitations'
import { problem } from '../shared/errors'
import { pathParam } from '../shared/validation'
import { readSignedEvent } from './service'

export const hookRoutes = newRouter()
  .use(bodyLimit({ maxSize: 64 * 1024, onError: (c) => problem(c, 'payload_too_large', 'An event body is at most 64 KB') }))
  .post('/:site/orders', async (c) => {
    const db = getDb(c.env.DB)
    const now = Date.now()
    const raw = new Uint8Array(await c.req.arrayBuffer())
    const event = await readSignedEvent(db, c.env.WEBHOOK_SECRETS_KEY, pathParam(c.req.param('site')), raw, c.req.raw.headers, now)
    const { invitation, created } = await receiveOrder({ db, secretsKey: c.env.WEBHOOK_SECRETS_KEY }, event, new URL(c.req.url).origin, now)
    return c.json({ invitation: invitationJson(invitation), created }, created ? 202 : 200)
  })
  .all('/:site/orders', (c) => {
    c.header('Allow', 'POST')
    return problem(c, 'method_not_allowed', 'POST a signed order event here')
  })
