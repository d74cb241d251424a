/**
 * What follows an operator's change to a voice, wherever it was made (JSON API or web UI):
 * a published response's announcement, recorded with it, is sent to the voice's blog (Webmention, when due) and to the
 * site's webhooks; a voice taken out of the feed is told to the webhooks.
 */
import { getDb } from '../db/client'
import type { ResponseStage } from '../db/schema'
import { type OutboxMessage, sendRecorded } from '../outbox/outbox'
import { eventSink } from '../webhooks/events'
import type { VoiceRow } from '../voices/store'
import type { Clock } from '../common/clock'

export type PublishedResponse = {
  id: string
  stage: ResponseStage
  body: string
  author_name: string
  webmention_state: 'queued' | null
}

export async function responsePublished(
  env: Env,
  hubOrigin: string,
  voice: VoiceRow,
  response: PublishedResponse,
  announcement: OutboxMessage | null,
  clock: Clock,
) {
  const db = getDb(env.DB)
  // Recorded with the response: if this send is lost, the cron's outbox sweep sends it.
  if (announcement) await sendRecorded(db, env.ANNOUNCE_QUEUE, [announcement], clock())
  await eventSink(db, env.WEBHOOK_QUEUE, hubOrigin, clock)(voice.siteId, 'response.published', voice, {
    id: response.id,
    stage: response.stage,
    body: response.body,
    authorName: response.author_name,
  })
}

export async function voiceModerated(env: Env, hubOrigin: string, voice: VoiceRow, clock: Clock) {
  if (voice.status !== 'removed' && voice.status !== 'spam') return
  await eventSink(getDb(env.DB), env.WEBHOOK_QUEUE, hubOrigin, clock)(voice.siteId, 'mention.removed', voice)
}

/** A voice staff published by hand (one found in a watched feed). */
export async function voicePublished(env: Env, hubOrigin: string, voice: VoiceRow, clock: Clock) {
  if (voice.status !== 'published') return
  await eventSink(getDb(env.DB), env.WEBHOOK_QUEUE, hubOrigin, clock)(voice.siteId, 'mention.published', voice)
}
