/**
 * The storefront's signed events (Standard Webhooks): `POST /hooks/{site}/orders` (review
 * invitations) and `POST /hooks/{site}/conversions` (affiliate sales and refunds). The
 * answers: 202 with what was made, 200 when the order already had it, 401 unsigned, stale or
 * forged, 409 a replayed `webhook-id`, 400 a body that is not a valid event.
 */
import type { Context } from 'hono'

import { getDb } from '../db/client'
import { type AppEnv, newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { ConversionReceived } from '../affiliates/outputs'
import { OrderReceived } from '../reviews/outputs'
import { Conversion, conversionJson, receiveConversion } from '../affiliates/commissions/conversions'
import { invitationJson, Order, receiveOrder } from '../reviews/invitations/invitations'
import { emitter } from '../webhooks/events'
import { jsonBodyLimit, problem } from '../common/errors'
import { pathParam } from '../common/validation'
import { readSignedEvent } from './service'

/** The request's event, checked (signature, freshness, replay) for the site in the path. */
async function signedEventOf(c: Context<AppEnv>) {
  const db = getDb(c.env.DB)
  const now = c.var.now()
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

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Storefront events' })

const docs = {
  orders: doc({
    summary: 'An order was delivered: invite the buyer to review',
    description:
      'A signed Standard Webhooks event; the body is the order, or { type, data } with the order as data. 202 when an invitation was made, 200 when the order already had one; a replayed webhook-id is 409.',
    body: { media: ['application/json'], schema: Order },
    security: ['storefrontSignature'],
    errors: ['not_found', 'conflict', 'payload_too_large'],
    responses: {
      200: { description: 'The order already had its invitation (created: false).', schema: OrderReceived },
      202: { description: 'The invitation was made (created: true).', schema: OrderReceived },
    },
  }),
  conversions: doc({
    summary: 'A sale or refund to attribute to an affiliate click',
    description:
      'A signed Standard Webhooks event; the body is the conversion, or { type, data } with it as data. amount is in minor units (cents, yen), as a JSON integer or a string of digits.',
    body: { media: ['application/json'], schema: Conversion },
    security: ['storefrontSignature'],
    errors: ['not_found', 'conflict', 'payload_too_large'],
    responses: {
      200: { description: 'Already recorded (created: false).', schema: ConversionReceived },
      202: { description: 'Recorded (created: true).', schema: ConversionReceived },
    },
  }),
}

export const hookRoutes = newRouter()
  .use(jsonBodyLimit(64, 'An event body'))
  .post('/:site/orders', docs.orders, async (c) => {
    const { db, event, now } = await signedEventOf(c)
    const { invitation, created } = await receiveOrder(
      { db, secretsKey: c.env.WEBHOOK_SECRETS_KEY },
      event,
      new URL(c.req.url).origin,
      now,
    )
    return c.json(
      { invitation: invitationJson(invitation, c.var.now()), created } satisfies Out<typeof OrderReceived>,
      created ? 202 : 200,
    )
  })
  .post('/:site/conversions', docs.conversions, async (c) => {
    const { db, event, now } = await signedEventOf(c)
    const { conversion, created } = await receiveConversion(
      { db, emit: emitter(db, c.env.WEBHOOK_QUEUE, c.var.now) },
      event,
      now,
    )
    return c.json(
      { conversion: conversionJson(conversion), created } satisfies Out<typeof ConversionReceived>,
      created ? 202 : 200,
    )
  })
  .all('/:site/:kind{orders|conversions}', (c) => {
    c.header('Allow', 'POST')
    return problem(c, 'method_not_allowed', 'POST a signed event here')
  })
