import type { Context } from 'hono'
import * as v from 'valibot'

import { getDb } from '../db/client'
import { type AppEnv, newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import { isoTime as iso, type Out } from '../common/outputs'
import { jsonBody, LimitParam, pathParam, queryOf } from '../common/validation'
import { failureCode } from './failures'
import type { DeliveryRow, EndpointRow } from './store'
import { EndpointCreate, EndpointPatch, ResendFailed } from './inputs'
import { DeliveryList, DeliveryOut, EndpointCreated, EndpointList, EndpointOut, Resent, SecretRotated } from './outputs'
import {
  changeEndpoint,
  createEndpoint,
  deliveryLog,
  endpointsOf,
  removeEndpoint,
  resendDelivery,
  resendFailedSince,
  rotateSecret,
  webhookDeps,
} from './service'

const LogQuery = v.object({ limit: v.optional(LimitParam(100)) })

const endpointJson = (e: EndpointRow): Out<typeof EndpointOut> => ({
  id: e.id,
  url: e.url,
  events: e.events.length === 0 ? 'all' : e.events,
  mode: e.mode,
  created_at: iso(e.createdAt),
  failing_since: iso(e.failingSince),
  disabled_at: iso(e.disabledAt),
  disabled_reason: e.disabledReason,
  secret_rotated_until: iso(e.previousUntil),
})

const deliveryJson = (d: DeliveryRow): Out<typeof DeliveryOut> => ({
  id: d.id,
  event: d.event,
  state: d.state,
  attempts: d.attempts,
  last_status: d.lastStatus,
  last_error: failureCode(d.lastError),
  last_attempt_at: iso(d.lastAttemptAt),
  attempt_log: d.attemptLog.map((a) => ({
    at: iso(a.at),
    status: a.status,
    error: failureCode(a.error),
    body: a.body,
  })),
  created_at: iso(d.createdAt),
  payload: d.payload,
})

const deps = (c: Context<AppEnv>) => webhookDeps(c.env, c.req.url)

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const ENDPOINT_ID = { id: "The endpoint's id (ep_…)." }

const doc = apiDocsFor({ tag: 'Webhooks' })

const docs = {
  create: doc({
    summary: 'Add a webhook endpoint',
    description:
      'https only, never the hub itself; events default to all; mode standard (Standard Webhooks) or slack. The signing secret is in this answer once.',
    errors: ['not_found', 'conflict'],
    responses: { 201: { description: 'The endpoint and its secret.', schema: EndpointCreated } },
  }),
  list: doc({
    summary: "List a site's webhook endpoints",
    errors: ['not_found'],
    responses: { 200: { description: 'The endpoints.', schema: EndpointList } },
  }),
  change: doc({
    summary: 'Change a webhook endpoint',
    description:
      'URL, events, mode; enabled: false stops sending (events meanwhile are not queued for it), true starts again (also after the hub stopped it).',
    params: ENDPOINT_ID,
    errors: ['not_found'],
    responses: { 200: { description: 'The endpoint.', schema: EndpointOut } },
  }),
  remove: doc({
    summary: 'Delete a webhook endpoint',
    params: ENDPOINT_ID,
    errors: ['not_found'],
    responses: { 204: { description: 'Deleted.', media: null } },
  }),
  rotate: doc({
    summary: "Rotate an endpoint's secret",
    description: 'The old secret keeps signing beside the new one for 24 hours.',
    params: ENDPOINT_ID,
    errors: ['not_found', 'conflict'],
    responses: {
      200: { description: 'The new secret, and until when the old one still signs.', schema: SecretRotated },
    },
  }),
  deliveries: doc({
    summary: "An endpoint's recent deliveries",
    params: ENDPOINT_ID,
    errors: ['not_found'],
    responses: { 200: { description: 'The newest deliveries first.', schema: DeliveryList } },
  }),
  resend: doc({
    summary: 'Send a delivery again',
    params: { id: "The endpoint's id (ep_…).", delivery: "The delivery's id." },
    errors: ['not_found', 'conflict'],
    responses: { 202: { description: 'The delivery, queued.', schema: DeliveryOut } },
  }),
  resendFailed: doc({
    summary: 'Send every failed delivery since a time again',
    params: ENDPOINT_ID,
    errors: ['not_found', 'conflict'],
    responses: { 202: { description: 'The deliveries queued.', schema: Resent } },
  }),
}

/** /api/sites/:site/webhooks */
export const siteWebhookRoutes = newRouter()
  .post('/:site/webhooks', docs.create, jsonBody(EndpointCreate), async (c) => {
    const { endpoint, secret } = await createEndpoint(
      deps(c),
      c.var.principal,
      pathParam(c.req.param('site')),
      c.req.valid('json'),
      c.var.now(),
    )
    // The secret is shown here once; the hub keeps it only sealed.
    return c.json({ ...endpointJson(endpoint), secret } satisfies Out<typeof EndpointCreated>, 201)
  })
  .get('/:site/webhooks', docs.list, async (c) => {
    const items = await endpointsOf(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.json({ items: items.map(endpointJson) } satisfies Out<typeof EndpointList>)
  })

/** /api/webhooks/:id */
export const webhookRoutes = newRouter()
  .patch('/:id', docs.change, jsonBody(EndpointPatch), async (c) => {
    return c.json(
      endpointJson(
        await changeEndpoint(deps(c), c.var.principal, pathParam(c.req.param('id')), c.req.valid('json'), c.var.now()),
      ),
    )
  })
  .delete('/:id', docs.remove, async (c) => {
    await removeEndpoint(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('id')))
    return c.body(null, 204)
  })
  .post('/:id/rotate', docs.rotate, async (c) => {
    const { secret, previousUntil } = await rotateSecret(
      deps(c),
      c.var.principal,
      pathParam(c.req.param('id')),
      c.var.now(),
    )
    return c.json({ secret, previous_secret_valid_until: iso(previousUntil) } satisfies Out<typeof SecretRotated>)
  })
  .get('/:id/deliveries', docs.deliveries, queryOf(LogQuery), async (c) => {
    const items = await deliveryLog(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('id')),
      c.req.valid('query').limit ?? 50,
    )
    return c.json({ items: items.map(deliveryJson) } satisfies Out<typeof DeliveryList>)
  })
  .post('/:id/deliveries/:delivery/resend', docs.resend, async (c) => {
    const d = await resendDelivery(
      deps(c),
      c.var.principal,
      pathParam(c.req.param('id')),
      pathParam(c.req.param('delivery')),
      c.var.now(),
    )
    return c.json(deliveryJson(d), 202)
  })
  .post('/:id/resend-failed', docs.resendFailed, jsonBody(ResendFailed), async (c) => {
    const ids = await resendFailedSince(
      deps(c),
      c.var.principal,
      pathParam(c.req.param('id')),
      Date.parse(c.req.valid('json').since),
      c.var.now(),
    )
    return c.json({ resent: ids } satisfies Out<typeof Resent>, 202)
  })
