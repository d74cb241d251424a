/**
 * A site's webhook addresses (added with their format and events, given a new secret, stopped and
 * started, deleted) and one address's deliveries, each sent again or every failed one since a time.
 * Each form done answers with a redirect (a new secret travels in the flash, shown once).
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { checkForm, InvalidForm } from '../../../common/form-errors'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { readSettings } from '../../../sites/settings'
import { EndpointCreate, EndpointPatch } from '../../../webhooks/inputs'
import {
  changeEndpoint,
  createEndpoint,
  endpointOfSite,
  removeEndpoint,
  resendDelivery,
  resendFailedSince,
  rotateSecret,
  siteEndpointLog,
  siteWithEndpoints,
  webhookDeps,
} from '../../../webhooks/service'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { parseLocalDateTime } from '../../kit/dates'
import { redirectWith, type ShownOnce, takeFlash } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { DeliveriesPage, type TypedDeliveries, WebhooksPage } from './page'
import { WORDS, type Words } from './words'

const webhooksPath = (c: Context<AdminEnv>) =>
  `/admin/sites/${encodeURIComponent(pathParam(c.req.param('site')))}/webhooks`
const deliveriesPath = (c: Context<AdminEnv>) =>
  `${webhooksPath(c)}/${encodeURIComponent(pathParam(c.req.param('id')))}`

/** A site's webhook addresses; a secret just made is shown once. */
async function renderWebhooks(
  c: Context<AdminEnv>,
  notice: Notice | null,
  once: ShownOnce | null = null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
  chosenEvents?: readonly string[],
) {
  const slug = pathParam(c.req.param('site'))
  const { site, endpoints } = await siteWithEndpoints(getDb(c.env.DB), c.get('principal'), slug)
  return c.html(
    <WebhooksPage
      ctx={{
        ...pageContext(c, WORDS, readSettings(site.settings).time_zone),
        path: `/admin/sites/${encodeURIComponent(site.slug)}/webhooks`,
      }}
      site={site}
      endpoints={endpoints}
      notice={notice}
      once={once}
      values={values}
      chosenEvents={chosenEvents}
    />,
    status,
  )
}

/** One address's deliveries, newest first (the 100 newest); after a refused form, what was typed into it. */
async function renderDeliveries(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  typed: TypedDeliveries = {},
) {
  const db = getDb(c.env.DB)
  const slug = pathParam(c.req.param('site'))
  const id = pathParam(c.req.param('id'))
  const { site, endpoint, deliveries } = await siteEndpointLog(db, c.get('principal'), slug, id, 100)
  return c.html(
    <DeliveriesPage
      ctx={{
        ...pageContext(c, WORDS, readSettings(site.settings).time_zone),
        path: `/admin/sites/${encodeURIComponent(site.slug)}/webhooks/${encodeURIComponent(endpoint.id)}`,
      }}
      site={site}
      endpoint={endpoint}
      deliveries={deliveries}
      notice={notice}
      typed={typed}
    />,
    status,
  )
}

/** The endpoint of this page's site, with the site (another site's id is a 404, as everywhere). */
const siteEndpoint = (c: Context<AdminEnv>) =>
  endpointOfSite(getDb(c.env.DB), c.get('principal'), pathParam(c.req.param('site')), pathParam(c.req.param('id')))

export const webhooksRoutes = consoleRouter()
  .get('/sites/:site/webhooks', async (c) => {
    const { notice, once } = await takeFlash(c, WORDS)
    return renderWebhooks(c, notice, once)
  })
  .post('/sites/:site/webhooks', (c) =>
    onForm(
      c,
      (notice, status) => renderWebhooks(c, notice, null, status, c.get('form').text, c.get('form').all.get('events')),
      async () => {
        const ctx = pageContext(c, WORDS)
        const events = c.get('form').all.get('events') ?? []
        const input = checkForm(
          EndpointCreate,
          { url: field(c, 'url')?.trim() ?? '', mode: field(c, 'mode') ?? 'standard', events },
          ctx.lang,
          {
            url: { field: 'url', label: ctx.t.endpointUrl },
            mode: { field: 'mode', label: ctx.t.endpointMode },
            events: { field: 'events', label: ctx.t.endpointEvents },
          },
        )
        const slug = pathParam(c.req.param('site'))
        const made = await createEndpoint(webhookDeps(c.env, c.req.url), c.get('principal'), slug, input, c.var.now())
        return redirectWith<Words>(c, webhooksPath(c), { once: { kind: 'webhook-secret', value: made.secret } })
      },
    ),
  )
  // The address's format and events (none ticked: every event).
  .post('/sites/:site/webhooks/:id', (c) =>
    onForm(
      c,
      (notice, status) =>
        renderDeliveries(c, notice, status, {
          change: { mode: field(c, 'mode'), events: c.get('form').all.get('events') ?? [] },
        }),
      async () => {
        const ctx = pageContext(c, WORDS)
        const { endpoint: e } = await siteEndpoint(c)
        const patch = checkForm(
          EndpointPatch,
          { mode: field(c, 'mode') ?? '', events: c.get('form').all.get('events') ?? [] },
          ctx.lang,
          {
            mode: { field: 'mode', label: ctx.t.endpointMode },
            events: { field: 'events', label: ctx.t.endpointEvents },
          },
        )
        await changeEndpoint(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, patch, c.var.now())
        return redirectWith<Words>(c, deliveriesPath(c), { say: 'saved' })
      },
    ),
  )
  .post('/sites/:site/webhooks/:id/rotate', async (c) => {
    const { endpoint: e } = await siteEndpoint(c)
    const out = await rotateSecret(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, c.var.now())
    return redirectWith<Words>(c, webhooksPath(c), { once: { kind: 'webhook-secret', value: out.secret } })
  })
  .post('/sites/:site/webhooks/:id/enable', async (c) => {
    const { endpoint: e } = await siteEndpoint(c)
    await changeEndpoint(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, { enabled: true }, c.var.now())
    return redirectWith<Words>(c, webhooksPath(c), { say: 'endpointEnabled' })
  })
  .post('/sites/:site/webhooks/:id/disable', async (c) => {
    const { endpoint: e } = await siteEndpoint(c)
    await changeEndpoint(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, { enabled: false }, c.var.now())
    return redirectWith<Words>(c, webhooksPath(c), { say: 'endpointStopped' })
  })
  .post('/sites/:site/webhooks/:id/delete', async (c) => {
    const { endpoint: e } = await siteEndpoint(c)
    await removeEndpoint(getDb(c.env.DB), c.get('principal'), e.id)
    return redirectWith<Words>(c, webhooksPath(c), { say: 'endpointDeleted' })
  })
  .get('/sites/:site/webhooks/:id', async (c) => renderDeliveries(c, (await takeFlash(c, WORDS)).notice))
  .post('/sites/:site/webhooks/:id/deliveries/:delivery/resend', (c) =>
    onForm(
      c,
      (notice, status) => renderDeliveries(c, notice, status),
      async () => {
        const { endpoint: e } = await siteEndpoint(c)
        const delivery = pathParam(c.req.param('delivery'))
        await resendDelivery(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, delivery, c.var.now())
        return redirectWith<Words>(c, deliveriesPath(c), { say: 'resent' })
      },
    ),
  )
  .post('/sites/:site/webhooks/:id/resend-failed', (c) =>
    onForm(
      c,
      (notice, status) => renderDeliveries(c, notice, status, { since: field(c, 'since') ?? '' }),
      async () => {
        const ctx = pageContext(c, WORDS)
        const { site, endpoint: e } = await siteEndpoint(c)
        const since = parseLocalDateTime(field(c, 'since')?.trim() ?? '', readSettings(site.settings).time_zone)
        if (since === null)
          throw new InvalidForm([{ field: 'since', label: ctx.t.resendFailedSince, message: ctx.t.dateNeeded }])
        const ids = await resendFailedSince(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, since, c.var.now())
        return redirectWith<Words>(c, deliveriesPath(c), { say: 'resentMany', values: { n: ids.length } })
      },
    ),
  )
