/**
 * The storefront's signed events (Standard Webhooks): `POST /hooks/{site}/orders` (review
 * invitations) and `POST /hooks/{site}/conversions` (affiliate sales and refunds). The
 * answers: 202 with what was made, 200 when the order already had it, 401 unsigned, stale or
 * forged, 409 a replayed `webhook-id`, 400 a body that is not a valid event.
 */
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'

import { getDb } from '../db/client'
import { type AppEnv, newRouter } from '../env'
import { conversionJson, receiveConversion } from '../affiliates/conversions'
import { invitationJson, receiveOrder } from '../reviews/invitations'
import { emitter } from '../webhooks/events'
import { problem } from '../shared/errors'
import { pathParam } from '../shared/validation'
import { readSignedEvent } from './service'

/** The request's event, checked (signature, freshness, replay) for the site in the path. */
async function signedEventOf(c: Context<AppEnv>) {
  const db = getDb(c.env.DB)
  const now = Date.now()
  const raw = new Uint8Array(await c.req.arrayBuffer())
  const event = await readSignedEvent(
    db,
    c.env.WEBHOOK_SECRETS_KEY,
    pathParam(c.req.param('site')),
    raw,
    c.req.raw.headers,
    now,
  )
  return { db, event, now }
}

export const hookRoutes = newRouter()
  .use(
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => problem(c, 'payload_too_large', 'An event body is at most 64 KB'),
    }),
  )
  .post('/:site/orders', async (c) => {
    const { db, event, now } = await signedEventOf(c)
    const { invitation, created } = await receiveOrder(
      { db, secretsKey: c.env.WEBHOOK_SECRETS_KEY },
      event,
      new URL(c.req.url).origin,
      now,
    )
    return c.json({ invitation: invitationJson(invitation), created }, created ? 202 : 200)
  })
  .post('/:site/conversions', async (c) => {
    const { db, event, now } = await signedEventOf(c)
    const { conversion, created } = await receiveConversion({ db, emit: emitter(db, c.env.WEBHOOK_QUEUE) }, event, now)
    return c.json({ conversion: conversionJson(conversion), created }, created ? 202 : 200)
  })
  .all('/:site/:kind{orders|conversions}', (c) => {
    c.header('Allow', 'POST')
    return problem(c, 'method_not_allowed', 'POST a signed event here')
  })
