/** The operator's webhook endpoints: create (secret shown once), list, rotate, change, delete, delivery log, resend. */
import { assertSiteAccess, type Principal } from '../common/principal'
import type { WebhookEvent, WebhookMode } from '../db/schema'
import { newId } from '../common/crypto'
import { AppError } from '../common/errors'
import { loadSite } from '../sites/service'
import { type AddressPolicy, hubHostOf, policyOf } from '../common/address-policy'
import { checkRemoteUrl } from '../reasons/remote-url'
import { batchAll, type Db, getDb } from '../db/client'
import { type MessageProgress, messagesOf, reopenRecorded, sendRecorded } from '../outbox/outbox'
import { readSettings } from '../sites/settings'
import { findSiteById } from '../sites/store'
import { deliveryMessage } from './messages'
import { forgetEndpoints } from './events'
import { newSecret, seal } from '../common/secrets'
import {
  deleteEndpoint,
  deliveriesOf,
  type DeliveryRow,
  type EndpointRow,
  endpointsOfSite,
  failedSince,
  findDelivery,
  findEndpoint,
  insertEndpointUnderCap,
  reopenDeliveries,
  updateEndpoint,
} from './store'

/** After a rotation the old secret keeps signing (a second signature) for a day. */
export const ROTATION_GRACE_MS = 24 * 3600 * 1000
const MAX_RESEND = 100

export type WebhookDeps = { db: Db; policy: AddressPolicy; secretsKey: string | undefined; queue: Queue }

/** What the webhook services need, for a request that came to `requestUrl`. */
export const webhookDeps = (env: Env, requestUrl: string): WebhookDeps => ({
  db: getDb(env.DB),
  // Never the hub itself: neither HUB_ORIGIN's host nor the one this request came to.
  policy: policyOf(env, [hubHostOf(requestUrl)]),
  secretsKey: env.WEBHOOK_SECRETS_KEY,
  queue: env.WEBHOOK_QUEUE,
})

/** Endpoint URLs pass the same address checks as source fetches, and must be https outside development. */
const checkUrl = (url: string, policy: AddressPolicy) => checkRemoteUrl(url, policy, { field: 'url', httpsOnly: true })

/** Endpoints per site: each event is signed and queued once per endpoint. */
export const MAX_ENDPOINTS = 20

export type EndpointInput = { url: string; events?: WebhookEvent[] | undefined; mode?: WebhookMode | undefined }

export async function createEndpoint(deps: WebhookDeps, p: Principal, slug: string, input: EndpointInput, now: number) {
  const site = await loadSite(deps.db, p, slug)
  const url = checkUrl(input.url, deps.policy)
  const secret = newSecret()
  const row: EndpointRow = {
    id: newId('ep'),
    siteId: site.id,
    url,
    events: [...new Set(input.events ?? [])],
    mode: input.mode ?? 'standard',
    secretSealed: await seal(secret, deps.secretsKey),
    previousSealed: null,
    previousUntil: null,
    failingSince: null,
    disabledAt: null,
    disabledReason: null,
    createdAt: now,
  }
  const inserted = await insertEndpointUnderCap(deps.db, row, MAX_ENDPOINTS)
  if (inserted.meta.changes !== 1)
    throw new AppError(
      'conflict',
      `A site has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first`,
      `送信先は1サイトにつき${MAX_ENDPOINTS}件までです。先にどれかを削除してください`,
    )
  forgetEndpoints(site.id)
  return { endpoint: row, secret }
}

export async function loadEndpoint(db: Db, p: Principal, id: string) {
  const e = await findEndpoint(db, id)
  if (!e) throw new AppError('not_found', 'Webhook endpoint not found', '送信先が見つかりません')
  assertSiteAccess(p, e.siteId, 'Webhook endpoint')
  return e
}

/** An endpoint of the site named in the path (the web UI's pages are per site). */
export async function endpointOfSite(db: Db, p: Principal, slug: string, id: string) {
  const site = await loadSite(db, p, slug)
  const e = await findEndpoint(db, id)
  if (!e || e.siteId !== site.id)
    throw new AppError('not_found', 'Webhook endpoint not found', '送信先が見つかりません')
  return { site, endpoint: e }
}

export async function endpointsOf(db: Db, p: Principal, slug: string) {
  return (await siteWithEndpoints(db, p, slug)).endpoints
}

/** The site and its endpoints, in the reads one page needs. */
export async function siteWithEndpoints(db: Db, p: Principal, slug: string) {
  const site = await loadSite(db, p, slug)
  return { site, endpoints: await endpointsOfSite(db, site.id) }
}

/** A new secret; the old one keeps signing beside it for a day, so receivers can switch without missing a message. */
export async function rotateSecret(deps: WebhookDeps, p: Principal, id: string, now: number) {
  const e = await loadEndpoint(deps.db, p, id)
  const secret = newSecret()
  const previousUntil = now + ROTATION_GRACE_MS
  await updateEndpoint(deps.db, e.id, {
    secretSealed: await seal(secret, deps.secretsKey),
    previousSealed: e.secretSealed,
    previousUntil,
  })
  forgetEndpoints(e.siteId)
  return { secret, previousUntil }
}

export type EndpointPatch = {
  url?: string | undefined
  events?: WebhookEvent[] | undefined
  mode?: WebhookMode | undefined
  enabled?: boolean | undefined
}

/** Staff stopping an address, in the words the hub's own reasons use. */
export const STOPPED_BY_STAFF = 'stopped by the shop'

export async function changeEndpoint(deps: WebhookDeps, p: Principal, id: string, patch: EndpointPatch, now: number) {
  const e = await loadEndpoint(deps.db, p, id)
  const changes: Partial<EndpointRow> = {}
  if (patch.url !== undefined) changes.url = checkUrl(patch.url, deps.policy)
  if (patch.events !== undefined) changes.events = [...new Set(patch.events)]
  if (patch.mode !== undefined) changes.mode = patch.mode
  if (patch.enabled === true) Object.assign(changes, { disabledAt: null, disabledReason: null, failingSince: null })
  if (patch.enabled === false && e.disabledAt === null)
    Object.assign(changes, { disabledAt: now, disabledReason: STOPPED_BY_STAFF })
  if (Object.keys(changes).length > 0) await updateEndpoint(deps.db, e.id, changes)
  forgetEndpoints(e.siteId)
  return { ...e, ...changes }
}

export async function removeEndpoint(db: Db, p: Principal, id: string) {
  const e = await loadEndpoint(db, p, id)
  await deleteEndpoint(db, e.id)
  forgetEndpoints(e.siteId)
}

/** A delivery with its outbox message (null: one from before the outbox). */
export type TrackedDelivery = DeliveryRow & { progress: MessageProgress | null }

async function withProgress(db: Db, rows: DeliveryRow[]): Promise<TrackedDelivery[]> {
  const messages = new Map(
    (
      await messagesOf(
        db,
        'webhook',
        rows.map((d) => d.id),
      )
    ).map((m) => [m.ref, m]),
  )
  return rows.map((d) => ({ ...d, progress: messages.get(d.id) ?? null }))
}

const timeZoneOf = async (db: Db, siteId: number) => {
  const site = await findSiteById(db, siteId)
  return site ? readSettings(site.settings).time_zone : 'UTC'
}

/** An endpoint's newest deliveries, each with where its message stands, and the shop's time zone to say it in. */
export async function deliveryLog(db: Db, p: Principal, id: string, limit: number) {
  const e = await loadEndpoint(db, p, id)
  const [deliveries, timeZone] = await Promise.all([deliveriesOf(db, e.id, limit), timeZoneOf(db, e.siteId)])
  return { deliveries: await withProgress(db, deliveries), timeZone }
}

/** An endpoint of the site named in the path with its newest deliveries (the web UI's page). */
export async function siteEndpointLog(db: Db, p: Principal, slug: string, id: string, limit: number) {
  const found = await endpointOfSite(db, p, slug, id)
  return { ...found, deliveries: await withProgress(db, await deliveriesOf(db, found.endpoint.id, limit)) }
}

/** Puts deliveries back to pending and their outbox messages back to waiting, in one batch; then queues them. */
async function requeue(deps: WebhookDeps, deliveries: Pick<DeliveryRow, 'id' | 'siteId'>[], now: number) {
  if (deliveries.length === 0) return
  const messages = deliveries.map(deliveryMessage)
  await batchAll(deps.db, [
    ...reopenDeliveries(
      deps.db,
      deliveries.map((d) => d.id),
    ),
    ...reopenRecorded(deps.db, messages, now),
  ])
  await sendRecorded(deps.db, deps.queue, messages, now)
}

/** Sends one message again (same `webhook-id`, fresh signature), whatever became of it. */
export async function resendDelivery(
  deps: WebhookDeps,
  p: Principal,
  endpointId: string,
  deliveryId: string,
  now: number,
) {
  const e = await loadEndpoint(deps.db, p, endpointId)
  const d = await findDelivery(deps.db, deliveryId)
  if (!d || d.endpointId !== e.id) throw new AppError('not_found', 'Delivery not found', '送信記録が見つかりません')
  if (e.disabledAt !== null)
    throw new AppError(
      'conflict',
      'The endpoint is disabled; enable it first',
      'この送信先は停止中です。先に再開してください',
    )
  await requeue(deps, [d], now)
  const [progress] = await messagesOf(deps.db, 'webhook', [d.id])
  const delivery: TrackedDelivery = { ...d, state: 'pending', attempts: 0, progress: progress ?? null }
  return { delivery, timeZone: await timeZoneOf(deps.db, e.siteId) }
}

/** Sends again every failed message since a time (at most 100 per call, oldest first). */
export async function resendFailedSince(
  deps: WebhookDeps,
  p: Principal,
  endpointId: string,
  since: number,
  now: number,
) {
  const e = await loadEndpoint(deps.db, p, endpointId)
  if (e.disabledAt !== null)
    throw new AppError(
      'conflict',
      'The endpoint is disabled; enable it first',
      'この送信先は停止中です。先に再開してください',
    )
  const ids = (await failedSince(deps.db, e.id, since, MAX_RESEND)).map((r) => r.id)
  await requeue(
    deps,
    ids.map((id) => ({ id, siteId: e.siteId })),
    now,
  )
  return ids
}
