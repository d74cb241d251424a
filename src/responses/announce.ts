/**
 * Telling a blogger that the shop answered: when a response is published to a voice that
 * came by Webmention or Pingback, the hub sends a Webmention from the response's public page
 * (`/responses/{id}`, an h-entry in-reply-to the post) to the post, so the answer can appear
 * under it. One queue message per response; the post's endpoint is discovered and the
 * Webmention sent through the same guarded fetcher as source checks (address policy, size,
 * time and redirect limits). The message is an outbox row (src/outbox/) recorded with the
 * response, so a lost queue message is sent again by the cron. Transient failures retry with
 * backoff, up to `ANNOUNCE_ATTEMPTS` tries in all; every attempt is recorded on the response.
 */
import * as v from 'valibot'

import { batchAll, type Db, getDb } from '../db/client'
import type { AnnounceReason, FetchRefusal, ResponseWebmentionState } from '../db/schema'
import type { VoiceRow } from '../voices/store'
import { consumeEach, type Handled, retryDelaySeconds } from '../common/queue-consumer'
import { type AddressPolicy, hubHostOf, policyOf } from '../common/address-policy'
import { type Clock, systemClock } from '../common/clock'
import { FETCH_LIMITS, type FetchedSource, type FetchLimits, fetchSource } from '../common/fetch-source'
import { discoverEndpoint } from './endpoint-discovery'
import { type Announcement, findResponseWithVoice, recordAnnouncement } from './store'
import { responsePageUrl } from '../common/hub-urls'
import {
  byAttempt,
  markGaveUp,
  markSent,
  type MessageKey,
  reschedule,
  startAttempt,
  stillAttempt,
} from '../outbox/outbox'

export const AnnounceMessage = v.object({
  responseId: v.pipe(v.string(), v.maxLength(64)),
  /**
   * The response's public page: the Webmention's source. Absent from one recorded by the upgrade
   * for an older release's announcement: the page is then on the hub's HUB_ORIGIN.
   */
  page: v.optional(v.pipe(v.string(), v.url(), v.maxLength(2048))),
})
export type AnnounceMessage = v.InferOutput<typeof AnnounceMessage>

/** Tries in all before the last failure stands (the first and six retries, 30 s doubling: about half an hour). */
export const ANNOUNCE_ATTEMPTS = 7

const keyOf = (responseId: string): MessageKey => ({ kind: 'announce', ref: responseId })

export type AnnounceDeps = { db: Db; policy: AddressPolicy; limits?: FetchLimits; now?: Clock }

/** A status worth asking again later: the blog is down, busy or briefly refusing. */
const isTransientStatus = (status: number) => status === 408 || status === 429 || status >= 500

/** What one try met: the reason code, and the refusal or HTTP status when they are part of it. */
type Met = { reason: AnnounceReason; refusal?: FetchRefusal; status?: number }
type Step = ({ kind: 'done'; state: 'sent' | 'failed' | 'no_endpoint' } & Met) | ({ kind: 'transient' } & Met)

/** What a fetch of the post or the endpoint that did not end in a 2xx answer means. */
function failureOf(fetched: FetchedSource, what: 'post' | 'endpoint'): Step {
  if (fetched.kind === 'refused')
    return { kind: 'done', state: 'failed', reason: `${what}_refused`, refusal: fetched.reason }
  if (fetched.kind === 'unreachable')
    return { kind: 'transient', reason: fetched.reason === 'timeout' ? `${what}_timeout` : `${what}_unreachable` }
  const met: Met = { reason: `${what}_error`, status: fetched.status }
  return isTransientStatus(fetched.status) ? { kind: 'transient', ...met } : { kind: 'done', state: 'failed', ...met }
}

/** One try: fetch the post, discover its endpoint, post `source` and `target` to it. */
async function attempt(deps: AnnounceDeps, voice: VoiceRow, page: string): Promise<Step> {
  const post = voice.sourceUrlSent ?? voice.sourceUrl
  if (post === null) return { kind: 'done', state: 'no_endpoint', reason: 'no_endpoint' }
  const limits = deps.limits ?? FETCH_LIMITS
  const fetched = await fetchSource(post, deps.policy, limits)
  if (fetched.kind !== 'answered' || fetched.status < 200 || fetched.status >= 300) return failureOf(fetched, 'post')
  const endpoint = await discoverEndpoint(fetched)
  if (!endpoint) return { kind: 'done', state: 'no_endpoint', reason: 'no_endpoint' }
  const sent = await fetchSource(endpoint, deps.policy, limits, {
    post: {
      body: new URLSearchParams({ source: page, target: post }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    },
  })
  if (sent.kind === 'answered' && sent.status >= 200 && sent.status < 300)
    return { kind: 'done', state: 'sent', reason: 'accepted', status: sent.status }
  return failureOf(sent, 'endpoint')
}

export async function announce(deps: AnnounceDeps, msg: AnnounceMessage, queueAttempts: number): Promise<Handled> {
  const now = (deps.now ?? systemClock)()
  const key = keyOf(msg.responseId)
  // Counted in the outbox: a copy of a message already handled, or not yet due, is not an attempt.
  const attempts = await startAttempt(deps.db, key, now, queueAttempts)
  if (attempts === null) return { kind: 'done' }
  // What this attempt records stands only while no newer round (staff sending it again) began.
  const mine = stillAttempt(key, attempts)
  const settle = (state: ResponseWebmentionState, reason?: AnnounceReason) =>
    state === 'sent'
      ? markSent(deps.db, key, now, byAttempt(attempts))
      : markGaveUp(deps.db, key, now, reason, byAttempt(attempts))
  /** Ends the announcement with this attempt: its record on the response and its outbox message, in one batch. */
  const finish = async (state: ResponseWebmentionState, reason: AnnounceReason, fields: Partial<Announcement> = {}) => {
    await batchAll(deps.db, [
      recordAnnouncement(
        deps.db,
        msg.responseId,
        { webmentionReason: reason, webmentionAt: now, ...fields, webmentionState: state },
        mine,
      ),
      settle(state, reason),
    ])
    return { kind: 'done' } as const
  }
  const found = await findResponseWithVoice(deps.db, msg.responseId)
  if (!found || found.response.webmentionState !== 'queued') {
    // Settled already (or the response is gone): the outbox says the same.
    await settle(found?.response.webmentionState ?? 'failed')
    return { kind: 'done' }
  }
  if (found.voice.status !== 'published' || found.voice.sourceUrl === null) return finish('skipped', 'voice_not_public')
  // No address of the hub to send it from (HUB_ORIGIN unset): staff can send it again from the console.
  if (msg.page === undefined) return finish('failed', 'queue_unavailable')
  const step = await attempt(deps, found.voice, msg.page)
  const record = {
    webmentionAttempts: attempts,
    webmentionReason: step.reason,
    webmentionRefusal: step.refusal ?? null,
    webmentionHttpStatus: step.status ?? null,
    webmentionAt: now,
  }
  if (step.kind === 'transient' && attempts < ANNOUNCE_ATTEMPTS) {
    const delaySeconds = retryDelaySeconds(attempts)
    await batchAll(deps.db, [
      recordAnnouncement(deps.db, msg.responseId, record, mine),
      reschedule(deps.db, key, now + delaySeconds * 1000, attempts, step.reason, now),
    ])
    return { kind: 'retry', delaySeconds }
  }
  return finish(step.kind === 'transient' ? 'failed' : step.state, step.reason, record)
}

/** Retries exhausted on the queue's count (the dead-letter queue): the last recorded failure stands. */
export async function announcementFailed(deps: AnnounceDeps, msg: AnnounceMessage) {
  const now = (deps.now ?? systemClock)()
  const found = await findResponseWithVoice(deps.db, msg.responseId)
  await batchAll(deps.db, [
    ...(found?.response.webmentionState === 'queued'
      ? [recordAnnouncement(deps.db, msg.responseId, { webmentionState: 'failed', webmentionAt: now })]
      : []),
    markGaveUp(deps.db, keyOf(msg.responseId), now),
  ])
}

export async function consumeAnnouncements(batch: MessageBatch, env: Env, clock: Clock): Promise<void> {
  const deps: AnnounceDeps = { db: getDb(env.DB), policy: policyOf(env), now: clock }
  await consumeEach(batch, {
    name: 'response announcement',
    schema: AnnounceMessage,
    handle: (msg, attempts) => {
      const page = msg.page ?? (env.HUB_ORIGIN ? responsePageUrl(env.HUB_ORIGIN, msg.responseId) : undefined)
      // The response page's host is the hub's own: neither the post nor its endpoint may be there.
      const policy = policyOf(env, page ? [hubHostOf(page)] : [])
      return announce({ ...deps, policy }, { ...msg, page }, attempts)
    },
    giveUp: (msg) => announcementFailed(deps, msg),
  })
}
