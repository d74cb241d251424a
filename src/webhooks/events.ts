/**
 * Turning what happened into deliveries: for each active endpoint of the site subscribed to
 * the event, a delivery row (its id is the stable `webhook-id`; its payload the bytes sent on
 * every attempt) and its outbox message (src/outbox/), written in one batch, then queued. A site's endpoints are remembered by the isolate for 30
 * seconds, so sites without webhooks pay nothing per voice; a new endpoint starts receiving
 * within that time.
 */
import { batchAll, type Db } from '../db/client'
import type { WebhookEvent } from '../db/schema'
import type { VoiceRow, ResponseRow } from '../voices/store'
import { responsePageUrl } from '../common/hub-urls'
import { type Clock, systemClock } from '../common/clock'
import { newId } from '../common/crypto'
import { RecentCache } from '../common/recent-cache'
import { findSiteById } from '../sites/store'
import { type EventData, type VoiceEventData, payloadFor } from './payloads'
import { recordMessages, sendRecorded } from '../outbox/outbox'
import { activeEndpointsOfSite, type DeliveryRow, type EndpointRow, insertDeliveries } from './store'
import { deliveryMessage } from './messages'

const endpointsBySite = new RecentCache<number, EndpointRow[]>(30 * 1000, 1_000)

/** Forgets what this isolate remembers of a site's endpoints (after a change to them). */
export const forgetEndpoints = (siteId: number) => {
  endpointsBySite.delete(siteId)
}

export type ResponseFacts = Pick<ResponseRow, 'id' | 'stage' | 'body' | 'authorName'>

export type EventSink = (
  siteId: number,
  event: WebhookEvent,
  voice: VoiceRow,
  response?: ResponseFacts,
) => Promise<void>

/** Hands any event of a site to its endpoints; `dataOf` builds the payload's `data` from the site's slug. */
export type Emitter = (siteId: number, event: WebhookEvent, dataOf: (site: string) => EventData) => Promise<void>

/** The event sink of a Worker for voice events: D1 for the rows, the webhook queue for the deliveries. */
export function eventSink(db: Db, queue: Queue, hubOrigin: string | null, now: Clock = systemClock): EventSink {
  const emit = emitter(db, queue, now)
  return (siteId, event, voice, response) => emit(siteId, event, (site) => eventData(site, voice, response, hubOrigin))
}

/** Delivers any event of a site: a delivery row and a queue message per subscribed endpoint. */
export function emitter(db: Db, queue: Queue, now: Clock = systemClock): Emitter {
  return async (siteId, event, dataOf) => {
    let endpoints = endpointsBySite.get(siteId)
    if (!endpoints) {
      endpoints = await activeEndpointsOfSite(db, siteId)
      endpointsBySite.set(siteId, endpoints)
    }
    const subscribed = endpoints.filter((e) => e.events.length === 0 || e.events.includes(event))
    if (subscribed.length === 0) return
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
    // Each delivery and its outbox message in one batch: if the send below is lost, the cron sends it.
    await batchAll(db, [...insertDeliveries(db, rows), ...recordMessages(db, messages, at)])
    await sendRecorded(db, queue, messages, at)
  }
}

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
          },
        }
      : {}),
  }
}
