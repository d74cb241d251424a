/**
 * Taking in a linkback, whatever protocol brought it (TrackBack, Pingback, Webmention):
 * find the site and target, let the protocol check the pair against the site, throttle
 * floods, store the voice — `pending` until its source is verified — and queue the check
 * of the source page. Protocol modules parse their wire format, call `receiveLinkback`, and
 * turn its outcome into their own answer.
 *
 * A new voice costs one D1 statement: an insert guarded by everything it relied on (the
 * site's origins and settings as remembered, the target, the blog's limits, no voice yet
 * for this pair). When the guard stops it, a second read says why: a repeat, a blog over
 * its limits, or a remembered site that changed — then the request starts again from D1.
 *
 * Repeats (same target, same source page) never make a second voice: the protocol's
 * `repeat` rule says whether one is an update that asks for a new check (Webmention,
 * TrackBack; quick repeats coalesce into the check already waiting) or is refused
 * (Pingback answers fault 0x30 so that WordPress stops retrying).
 */
import { and } from 'drizzle-orm'

import { type Db, getDb } from '../db/client'
import type { VoiceKind } from '../db/schema'
import { insertVoiceIf, newVoiceRow, recordVoice } from '../voices/ingest'
import { arrivalsOf, fewerArrivalsThan, type VoiceRow, voiceBySource } from '../voices/store'
import { suggestedFields } from '../sentiment/fields'
import type { Clock } from '../common/clock'
import { AppError } from '../common/errors'
import { blogOf } from '../common/blog'
import { sameSiteConfig, siteBySlug, siteConfigIs, type SiteRow } from '../sites/store'
import { noTargetAt, targetByUrl, targetIs } from '../targets/store'
import { hubHostOf, onHosts, policyOf } from '../common/address-policy'
import { firstDelayOf } from '../verification/queue'
import { checkMessage, recordCheck, reopenCheck } from '../verification/checks'
import { allOutbound, type Outbound, sendRecorded } from '../outbox/outbox'
import { voiceHasRev } from '../stats/store'
import { type VoiceEvents, voiceEvents } from '../webhooks/events'
import { BLOG_LIMITS, type Throttle, throttleText } from './limits'
import { forget, type NamedTarget, siteNamed, type TargetRef, targetNamed } from './lookup'
import { allOf } from '../db/conditions'

/** True while a blog has room in every window (part of the new voice's guard). */
const blogHasRoom = (siteId: number, blog: string, now: number) =>
  and(...BLOG_LIMITS.map(({ windowMs, max }) => fewerArrivalsThan(siteId, blog, now - windowMs, max)))

export type IntakeDeps = {
  db: Db
  /** Flood limits from the Rate Limiting binding: per client address and per blog (./limits.ts). */
  clientLimiter: RateLimit
  sourceLimiter: RateLimit
  queue: Queue
  /** Seconds before a source is first fetched. */
  firstDelaySeconds: number
  /** Prepares the webhook events of every new voice, for the batch that stores it. */
  events: VoiceEvents
  /** The hub's own hosts (HUB_ORIGIN's, the request's): a source there is refused, never fetched. */
  hubHosts: readonly string[]
  /** The host the request came to, handed to the check so that it never fetches the hub either. */
  requestHost: string | null
}

/** What a protocol's checks of the pair against the site decided. */
export type Admission<R> =
  | {
      ok: true
      target: TargetRef
      /** Canonical source URL (identifies the voice). */
      sourceUrl: string
      /** The source URL as sent (fetched for verification). */
      sourceUrlSent: string
      /** Publish only once the source links back (false: TrackBack on a site that turned it off). */
      verify: boolean
    }
  | { ok: false; refusal: R }

export type Linkback<R> = {
  siteSlug: string
  protocol: Extract<VoiceKind, 'trackback' | 'pingback' | 'webmention' | 'review' | 'affiliate'>
  /** The protocol's checks that need the site (its origins, its settings). */
  admit: (site: SiteRow) => Admission<R>
  /** What the ping itself says (TrackBack); Webmention and Pingback carry nothing. */
  text?: Partial<Pick<VoiceRow, 'title' | 'excerpt' | 'blogName'>>
  /** What a submission says besides the page (a blog review's rating and name, an affiliate post's partner); not refreshed by repeats. */
  review?: Partial<
    Pick<
      VoiceRow,
      | 'rating'
      | 'sentiment'
      | 'sentimentBy'
      | 'authorName'
      | 'verifiedPurchase'
      | 'disclosure'
      | 'invitationId'
      | 'partnerId'
    >
  >
  /** Whether a repeat of this existing voice is taken as an update (and a new check) or refused. */
  repeat: (existing: VoiceRow) => boolean
  clientIp: string
  now: number
}

export type IntakeOutcome<R> =
  | { ok: true; voiceId: string; created: boolean; target: NamedTarget; sourceUrl: string }
  | { ok: false; reason: 'unknown_site' | 'unknown_target' | 'hub_source' }
  | { ok: false; reason: 'throttled'; throttle: Throttle }
  | { ok: false; reason: 'refused'; refusal: R }
  | { ok: false; reason: 'repeat'; existing: VoiceRow }

/**
 * For JSON endpoints built on the intake (blog reviews, partners' posts): a refused outcome as
 * the AppError to answer with, in the caller's words for what differs.
 */
export function intakeError(
  outcome: Extract<IntakeOutcome<{ message: string }>, { ok: false }>,
  words: { unknownTarget: string; things: string; repeat: (existingId: string) => string },
): AppError {
  switch (outcome.reason) {
    case 'refused':
      return new AppError('invalid_input', outcome.refusal.message)
    case 'unknown_site':
      return new AppError('not_found', 'Site not found')
    case 'unknown_target':
      return new AppError('invalid_input', words.unknownTarget)
    case 'hub_source':
      return new AppError('invalid_input', HUB_SOURCE)
    case 'throttled':
      return new AppError('rate_limited', throttleText(outcome.throttle, words.things))
    case 'repeat':
      return new AppError('conflict', words.repeat(outcome.existing.id))
  }
}

/** Why a source on the hub's own host is refused, in every protocol's answer. */
export const HUB_SOURCE =
  'the source is on this hub itself: voices come from other sites, and the hub never fetches itself'

/** Why a page nobody registered is refused, when the site does not make targets by itself. */
export const UNLISTED_TARGET = 'the target is not a page this shop lists: it registers its pages itself'

/** The remembered site or target changed under the request: start again from D1. */
const STALE = Symbol('stale')

export async function receiveLinkback<R>(deps: IntakeDeps, lb: Linkback<R>): Promise<IntakeOutcome<R>> {
  const limits = floodLimits(deps, lb.clientIp)
  const first = await attempt(deps, lb, limits, false)
  if (first !== STALE) return first
  const again = await attempt(deps, lb, limits, true)
  // Changed again between two reads a few milliseconds apart: the sender may simply retry.
  return again === STALE ? { ok: false, reason: 'throttled', throttle: { limit: 'busy', blog: '' } } : again
}

/** The Rate Limiting calls, made at most once per request however many attempts it takes. */
function floodLimits(deps: IntakeDeps, clientIp: string) {
  let byClient: Promise<boolean> | undefined
  let bySource: Promise<boolean> | undefined
  return {
    client: (siteId: number) =>
      (byClient ??= deps.clientLimiter.limit({ key: `${siteId}:${clientIp}` }).then((r) => r.success)),
    source: (siteId: number, blog: string) =>
      (bySource ??= deps.sourceLimiter.limit({ key: `${siteId}:${blog}` }).then((r) => r.success)),
  }
}

async function attempt<R>(
  deps: IntakeDeps,
  lb: Linkback<R>,
  limits: ReturnType<typeof floodLimits>,
  fresh: boolean,
): Promise<IntakeOutcome<R> | typeof STALE> {
  const site = await siteNamed(deps.db, lb.siteSlug, fresh)
  if (!site) return { ok: false, reason: 'unknown_site' }
  const admission = lb.admit(site)
  if (!admission.ok) return { ok: false, reason: 'refused', refusal: admission.refusal }
  if (onHosts(admission.sourceUrlSent, deps.hubHosts) || onHosts(admission.sourceUrl, deps.hubHosts))
    return { ok: false, reason: 'hub_source' }
  const blog = blogOf(admission.sourceUrl) ?? ''
  if (!(await limits.client(site.id))) return { ok: false, reason: 'throttled', throttle: { limit: 'client', blog } }
  const target = await targetNamed(deps.db, site, admission.target, fresh)
  if (!target) return { ok: false, reason: 'unknown_target' }

  const row = newVoiceRow(
    {
      siteId: site.id,
      targetId: target.id,
      targetPending: target.pending,
      kind: lb.protocol,
      status: admission.verify ? 'pending' : 'published',
      sourceUrl: admission.sourceUrl,
      sourceUrlSent: admission.sourceUrlSent,
      verifyState: admission.verify ? 'queued' : null,
      verifyRequestedAt: admission.verify ? lb.now : null,
      ...lb.text,
      ...lb.review,
      // A review's stars decide its sentiment; other voices get a suggestion from their words.
      ...suggestedFields({ sentimentBy: lb.review?.sentimentBy ?? null }, lb.text?.title, lb.text?.excerpt),
    },
    lb.now,
  )
  // The per-blog limits only refuse new voices: updates of a known post are never refused.
  const mayCreate = await limits.source(site.id, blog)
  // The target is still what it was (or, for a page nobody registered, still nobody's).
  const targetHolds = target.pending ? noTargetAt(site.id, target.url) : targetIs(site.id, target.id, target.url)
  const guard = allOf(siteConfigIs(site), targetHolds, blogHasRoom(site.id, blog, lb.now))
  // The check's message and the webhook events are recorded with the voice (src/outbox/), only if it is stored:
  // if their queue sends are lost, the cron sends them again.
  const check = row.verifyState === 'queued' ? checkOf(deps, row) : null
  const news = mayCreate ? await newsOf(deps, row) : null
  const stored = voiceHasRev(row.id, row.rev)
  if (
    news &&
    (await insertVoiceIf(deps.db, row, guard, [
      ...(check ? recordCheck(deps.db, check, row.rev, lb.now) : []),
      ...news.statements(stored),
    ]))
  ) {
    if (check) await sendRecorded(deps.db, deps.queue, [check], lb.now)
    await news.send()
    return { ok: true, voiceId: row.id, created: true, target, sourceUrl: admission.sourceUrl }
  }

  // Not stored: say why from D1 as it is now.
  const hour = BLOG_LIMITS[0]
  const [current, [atUrl], known, [lastHour]] = await deps.db.batch([
    siteBySlug(deps.db, lb.siteSlug),
    targetByUrl(deps.db, site.id, target.url),
    voiceBySource(deps.db, site.id, target.id, admission.sourceUrl),
    arrivalsOf(deps.db, site.id, blog, lb.now - hour.windowMs, hour.max),
  ])
  const targetChanged = target.pending ? atUrl !== undefined : atUrl?.id !== target.id
  if (!current[0] || current[0].id !== site.id || !sameSiteConfig(current[0], site) || targetChanged) {
    forget(site, admission.target)
    return STALE
  }
  const existing = known[0]
  if (!existing) {
    const limit = !mayCreate ? 'blog_minute' : (lastHour?.n ?? 0) >= hour.max ? 'blog_hour' : 'blog_day'
    return { ok: false, reason: 'throttled', throttle: { limit, blog } }
  }
  if (!lb.repeat(existing)) return { ok: false, reason: 'repeat', existing }

  // A voice marked spam stays spam whatever its author sends; checking it again costs a fetch for nothing.
  // A voice found in a watched feed is staff's to publish or set aside: a ping neither checks nor changes it
  // (it never had to link, so a check could only take it away).
  const recheck = admission.verify && existing.status !== 'spam' && existing.kind !== 'discovered'
  // A voice deleted meanwhile is stored anew: news, recorded only if it is.
  const again = news ?? (await newsOf(deps, row))
  const recorded = await recordVoice(deps.db, row, {
    refresh: existing.kind === 'discovered' ? {} : { ...lb.text, sourceUrlSent: admission.sourceUrlSent },
    recheck,
    // The new check's message, reopened only if the voice had no check waiting (one that waits takes this request in);
    // a voice deleted meanwhile is stored anew, with its first check's message.
    also: [
      ...(recheck ? reopenCheck(deps.db, checkOf(deps, existing), lb.now) : []),
      ...(check ? recordCheck(deps.db, check, row.rev, lb.now) : []),
      ...again.statements(stored),
    ],
  })
  if (recorded.checkQueued)
    await sendRecorded(deps.db, deps.queue, [checkOf(deps, { id: recorded.voiceId, siteId: row.siteId })], lb.now)
  if (recorded.created) await again.send()
  return { ok: true, voiceId: recorded.voiceId, created: recorded.created, target, sourceUrl: admission.sourceUrl }
}

/** A new voice is news for the site's webhooks; one published at once (no check) is news twice. */
async function newsOf(deps: IntakeDeps, row: VoiceRow): Promise<Outbound> {
  const received = await deps.events(row.siteId, 'mention.received', row)
  if (row.status !== 'published') return received
  return allOutbound([received, await deps.events(row.siteId, 'mention.published', row)])
}

/** The message of a voice's check, due after the first delay (senders ping before their post is live). */
const checkOf = (deps: IntakeDeps, voice: { id: string; siteId: number }) =>
  checkMessage(voice, deps.requestHost, deps.firstDelaySeconds)

/** The intake's dependencies from the Worker's bindings and the request's URL (one place for every protocol route). */
export function intakeDeps(env: Env, requestUrl: string, clock: Clock): IntakeDeps {
  const db = getDb(env.DB)
  const requestHost = hubHostOf(requestUrl)
  return {
    hubHosts: policyOf(env, [requestHost]).forbiddenHosts ?? [],
    requestHost,
    db,
    clientLimiter: env.PING_CLIENT_LIMITER,
    sourceLimiter: env.PING_SOURCE_LIMITER,
    queue: env.VERIFY_QUEUE,
    firstDelaySeconds: firstDelayOf(env),
    events: voiceEvents(db, env.WEBHOOK_QUEUE, null, clock),
  }
}
