/**
 * What follows an operator's change to a voice, wherever it was made (JSON API or web UI):
 * the site's webhooks hear of a published response, a voice taken out of the feed or one
 * published by hand — each event prepared here and recorded by the write engine in the batch of
 * the change (src/voices/write.ts), then queued — and a published response's announcement,
 * recorded with it, is sent to the voice's blog (Webmention, when due).
 */
import { getDb } from '../db/client'
import { NO_OUTBOUND, type Outbound, type OutboxMessage, sendRecorded } from '../outbox/outbox'
import { type ResponseFacts, voiceEvents } from '../webhooks/events'
import type { TellResponse } from '../voices/answers'
import type { Tell } from '../voices/write'
import type { VoiceRow } from '../voices/store'
import type { Clock } from '../common/clock'

/** What an operator's changes of voices tell the site's webhooks, for the batches that make them. */
export type Tells = {
  /** A response published on a voice: `response.published`. */
  response: TellResponse
  /** A response edited (with its new version): `response.updated`. */
  updated: (voice: VoiceRow, response: ResponseFacts) => Promise<Outbound>
  /** A response withdrawn (with the reason): `response.withdrawn`. */
  withdrawn: (voice: VoiceRow, response: ResponseFacts) => Promise<Outbound>
  /** A moderation step: `mention.removed` when it takes the voice out of the feed. */
  moderated: Tell
  /** A voice staff published by hand (one found in a watched feed): `mention.published`. */
  published: Tell
}

export function tellsOf(env: Env, hubOrigin: string, clock: Clock): Tells {
  const events = voiceEvents(getDb(env.DB), env.WEBHOOK_QUEUE, hubOrigin, clock)
  return {
    response: (voice, response) => events(voice.siteId, 'response.published', voice, response),
    updated: (voice, response) => events(voice.siteId, 'response.updated', voice, response),
    withdrawn: (voice, response) => events(voice.siteId, 'response.withdrawn', voice, response),
    moderated: (voice) =>
      voice.status === 'removed' || voice.status === 'spam'
        ? events(voice.siteId, 'mention.removed', voice)
        : Promise.resolve(NO_OUTBOUND),
    published: (voice) =>
      voice.status === 'published' ? events(voice.siteId, 'mention.published', voice) : Promise.resolve(NO_OUTBOUND),
  }
}

/** Sends a published response's announcement, recorded with it: if this send is lost, the cron's outbox sweep sends it. */
export async function sendAnnouncement(env: Env, announcement: OutboxMessage | null, clock: Clock) {
  if (announcement) await sendRecorded(getDb(env.DB), env.ANNOUNCE_QUEUE, [announcement], clock())
}
