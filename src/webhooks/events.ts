/**
 * Turning what happened into deliveries: for each active endpoint of the site subscribed to
 * the event, a delivery row (its id is the stable `webhook-id`; its payload the bytes sent on
 * every attempt) and its outbox message (src/outbox/).
 *
 * Two steps, so that an event is never lost between the change that causes it and its
 * deliveries: `eventPreparer` (and `voiceEvents` for a voice's events) resolves the endpoints
 * and makes the rows, whose statements go into the batch of the change itself, guarded like
 * it; `send()` queues them after that batch. `emitter` and `eventSink` do both at once in a
 * batch of their own, for an event that is itself the change (a clicks report).
 *
 * A site's endpoints are remembered by the isolate for 30 seconds, so sites without webhooks
 * pay nothing per voice; a new endpoint starts receiving within that time.
 */
import type { SQL } from 'drizzle-orm'

import { batchAll, type Db } from '../db/client'
import type { WebhookEvent } from '../db/schema'
import type { VoiceRow, ResponseRow } from '../voices/store'
import { responsePageUrl } from '../common/hub-urls'
import { type Clock, systemClock } from '../common/clock'
import { newId } from '../common/crypto'
import { RecentCache } from '../common/recent-cache'
import { findSiteById } from '../sites/store'
import { type EventData, type VoiceEventData, payloadFor } from './payloads'
import { NO_OUTBOUND, type Outbound, recordMessages, sendRecorded } from '../outbox/outbox'
import {
  activeEndpointsOfSite,
  type DeliveryRow,
  type EndpointRow,
  insertDeliveries,
  insertDeliveriesWhere,
} from './store'
import { deliveryMessage } from './messages'

const endpointsBySite = new RecentCache<number, EndpointRow[]>(30 * 1000, 1_000)

/** Forgets what this isolate remembers of a site's endpoints (after a change to them). */
export const forgetEndpoints = (siteId: number) => {
  endpointsBySite.delete(siteId)
}

/** A response as its event tells it; an edit's event adds its new version, a withdrawal's its reason. */
export type ResponseFacts = Pick<ResponseRow, 'id' | 'stage' | 'body' | 'authorName'> & {
  version?: number
  reason?: string
}

/** Prepares any event of a site for the batch of the change that causes it; `dataOf` builds the payload's `data` from the site's slug. */
export type EventPreparer = (
  siteId: number,
  event: WebhookEvent,
  dataOf: (site: string) => EventData,
) => Promise<Outbound>

/** Prepares a voice's event (`voice` as the change leaves it) for the change's batch. */
export type VoiceEvents = (
  siteId: number,
  event: WebhookEvent,
  voice: VoiceRow,
  response?: ResponseFacts,
) => Promise<Outbound>

/** A voice's event at once (it follows no change of its own); `prepare` for the batch of a change. */
export type EventSink = ((...args: Parameters<VoiceEvents>) => Promise<void>) & { prepare: VoiceEvents }

/** Any event of a site at once (the event is the change); `prepare` for the batch of a change. */
export type Emitter = ((...args: Parameters<EventPreparer>) => Promise<void>) & { prepare: EventPreparer }

/** The event preparer of a Worker: D1 for the rows, the webhook queue for the deliveries. */
export function eventPreparer(db: Db, queue: Queue, now: Clock = systemClock): EventPreparer {
  return async (siteId, event, dataOf) => {
    let endpoints = endpointsBySite.get(siteId)
    if (!endpoints) {
      endpoints = await activeEndpointsOfSite(db, siteId)
      endpointsBySite.set(siteId, endpoints)
    }
    const subscribed = endpoints.filter((e) => e.events.length === 0 || e.events.includes(event))
    if (subscribed.length === 0) return NO_OUTBOUND
    const site = await findSiteById(db, siteId)
    const data = dataOf(site?.slug ?? String(siteId))
    const at = now()
    const rows: DeliveryRow[] = subscribed.map((e) => ({
      id: newId('msg'),
      siteId,
      endpointId: e.id,
      event,
      payload: payloadFor(e.mode, event, data, at),
      state: 'pending',
      attempts: 0,
      lastStatus: null,
      lastError: null,
      lastAttemptAt: null,
      attemptLog: [],
      createdAt: at,
    }))
    const messages = rows.map(deliveryMessage)
    return {
      statements: (guard?: SQL) => [
        ...(guard ? insertDeliveriesWhere(db, rows, guard) : insertDeliveries(db, rows)),
        ...recordMessages(db, messages, at, guard),
      ],
      send: () => sendRecorded(db, queue, messages, at),
    }
  }
}

/** Prepares a site's voice events, with a response's page on `hubOrigin` (when known). */
export function voiceEvents(db: Db, queue: Queue, hubOrigin: string | null, now: Clock = systemClock): VoiceEvents {
  const prepare = eventPreparer(db, queue, now)
  return (siteId, event, voice, response) =>
    prepare(siteId, event, (site) => eventData(site, voice, response, hubOrigin))
}

/** The one-step form of `prepare`: the event's deliveries in a batch of their own, then queued. */
function atOnce<A extends unknown[]>(db: Db, prepare: (...args: A) => Promise<Outbound>) {
  const emitNow = async (...args: A) => {
    const outbound = await prepare(...args)
    await batchAll(db, outbound.statements())
    await outbound.send()
  }
  return Object.assign(emitNow, { prepare })
}

/** Delivers any event of a site: at once, or `prepare`d for the batch of the change that causes it. */
export const emitter = (db: Db, queue: Queue, now: Clock = systemClock): Emitter =>
  atOnce(db, eventPreparer(db, queue, now))

/** Delivers a site's voice events: at once, or `prepare`d for the batch of the change that causes them. */
export const eventSink = (db: Db, queue: Queue, hubOrigin: string | null, now: Clock = systemClock): EventSink =>
  atOnce(db, voiceEvents(db, queue, hubOrigin, now))

function eventData(site: string, m: VoiceRow, r: ResponseFacts | undefined, hubOrigin: string | null): VoiceEventData {
  return {
    site,
    mention: {
      id: m.id,
      kind: m.kind,
      status: m.status,
      sentiment: m.sentiment,
      rating: m.rating,
      target: m.targetId,
      target_pending: m.targetPending,
      url: m.sourceUrl,
      title: m.title,
      excerpt: m.excerpt,
      author: m.authorName ?? m.blogName,
    },
    ...(r
      ? {
          response: {
            id: r.id,
            stage: r.stage,
            body: r.body,
            author: r.authorName,
            url: hubOrigin ? responsePageUrl(hubOrigin, r.id) : '',
            ...(r.version === undefined ? {} : { version: r.version }),
            ...(r.reason === undefined ? {} : { reason: r.reason }),
          },
        }
      : {}),
  }
}
