/**
 * Taking in a linkback, whatever protocol brought it (TrackBack, Pingback, Webmention):
 * throttle floods, store the voice — `pending` until its source is verified — and queue
 * the check of the source page. Protocol modules parse their wire format, call
 * `receiveLinkback`, and turn its outcome into their own answer.
 *
 * Repeats (same target, same source page) never make a second voice: a Webmention or
 * TrackBack repeat asks for a new check (the post was updated or deleted), and quick
 * repeats coalesce into the check already waiting; a Pingback repeat is a duplicate, which
 * Pingback answers with fault 0x30 so that WordPress stops retrying.
 */
import { type Db, getDb } from '../db/client'
import type { MentionKind, MentionStatus } from '../db/schema'
import { newVoiceRow, recordVoice } from '../mentions/ingest'
import { findMentionBySource, type MentionRow, recentArrivalsFromHost } from '../mentions/store'
import { hostOf } from '../shared/url'
import type { SiteRow } from '../sites/store'
import type { TargetRow } from '../targets/store'
import { firstDelayOf, requestCheck } from '../verification/queue'

/** Movable Type's defaults, for every protocol: a blog may bring 10 new voices an hour and 50 a day. */
export const BLOG_LIMITS = [
  { windowMs: 60 * 60 * 1000, max: 10 },
  { windowMs: 24 * 60 * 60 * 1000, max: 50 },
] as const

const LONGEST = BLOG_LIMITS.reduce((a, b) => (b.windowMs > a.windowMs ? b : a))

/** True when a blog has used up any of its windows (one read of its newest arrivals). */
async function blogOverLimit(db: Db, siteId: number, host: string, now: number): Promise<boolean> {
  const arrivals = await recentArrivalsFromHost(db, siteId, host, now - LONGEST.windowMs, LONGEST.max)
  return BLOG_LIMITS.some(({ windowMs, max }) => arrivals.filter((t) => t > now - windowMs).length >= max)
}

export type IntakeDeps = {
  db: Db
  /** Flood limits from the Rate Limiting binding: per client address and per source host. */
  clientLimiter: RateLimit
  sourceLimiter: RateLimit
  queue: Queue
  /** Seconds before a source is first fetched. */
  firstDelaySeconds: number
}

export type Linkback = {
  site: SiteRow
  target: TargetRow
  protocol: Extract<MentionKind, 'trackback' | 'pingback' | 'webmention'>
  /** Canonical source URL (identifies the voice). */
  sourceUrl: string
  /** The source URL as sent (fetched for verification). */
  sourceUrlSent: string
  /** What the ping itself says (TrackBack); Webmention and Pingback carry nothing. */
  text?: Partial<Pick<MentionRow, 'title' | 'excerpt' | 'blogName'>>
  /** Publish only once the source links back (false: TrackBack on a site that turned it off). */
  verify: boolean
  /** A repeat asks for a new check (Webmention, TrackBack) or is refused as a duplicate (Pingback). */
  onRepeat: 'recheck' | 'duplicate'
  clientIp: string
  now: number
}

export type IntakeOutcome =
  | { ok: true; mentionId: string; created: boolean }
  | { ok: false; reason: 'throttled' }
  | { ok: false; reason: 'duplicate'; mentionId: string }

/** Statuses from which a repeated Pingback is news (the author put the link back), not a duplicate. */
const REOPENED: readonly MentionStatus[] = ['rejected', 'gone']

export async function receiveLinkback(deps: IntakeDeps, lb: Linkback): Promise<IntakeOutcome> {
  const { site } = lb
  const byClient = await deps.clientLimiter.limit({ key: `${site.id}:${lb.clientIp}` })
  if (!byClient.success) return { ok: false, reason: 'throttled' }

  const existing = await findMentionBySource(deps.db, site.id, lb.target.id, lb.sourceUrl)
  const reopened = existing !== undefined && REOPENED.includes(existing.status)
  if (existing && lb.onRepeat === 'duplicate' && !reopened) {
    return { ok: false, reason: 'duplicate', mentionId: existing.id }
  }
  const sourceHost = hostOf(lb.sourceUrl) ?? ''
  if (!existing) {
    // Only new voices count against a blog's limits: updates of a known post are never refused.
    const bySource = await deps.sourceLimiter.limit({ key: `${site.id}:${sourceHost}` })
    if (!bySource.success || (await blogOverLimit(deps.db, site.id, sourceHost, lb.now))) {
      return { ok: false, reason: 'throttled' }
    }
  }

  const row = newVoiceRow(
    {
      siteId: site.id,
      targetId: lb.target.id,
      kind: lb.protocol,
      status: lb.verify ? 'pending' : 'published',
      sourceUrl: lb.sourceUrl,
      sourceUrlSent: lb.sourceUrlSent,
      verifyState: lb.verify ? 'queued' : null,
      verifyRequestedAt: lb.verify ? lb.now : null,
      ...lb.text,
    },
    lb.now
  )
  // A voice marked spam stays spam whatever its author sends; checking it again costs a fetch for nothing.
  const recheck = lb.verify && existing?.status !== 'spam'
  const recorded = await recordVoice(deps.db, row, { refresh: { ...lb.text, sourceUrlSent: lb.sourceUrlSent }, recheck })
  if (!recorded.created && lb.onRepeat === 'duplicate' && !reopened) {
    return { ok: false, reason: 'duplicate', mentionId: recorded.mentionId }
  }
  if (recorded.checkQueued) {
    try {
      await requestCheck(deps.queue, recorded.mentionId, deps.firstDelaySeconds)
    } catch (err) {
      // The voice is stored as queued; the scheduled sweep sends the check again.
      console.error(JSON.stringify({ msg: 'could not queue a check', id: recorded.mentionId, error: String(err) }))
    }
  }
  return { ok: true, mentionId: recorded.mentionId, created: recorded.created }
}

/** The intake's dependencies from the Worker's bindings (one place for every protocol route). */
export const intakeDeps = (env: Env): IntakeDeps => ({
  db: getDb(env.DB),
  clientLimiter: env.PING_CLIENT_LIMITER,
  sourceLimiter: env.PING_SOURCE_LIMITER,
  queue: env.VERIFY_QUEUE,
  firstDelaySeconds: firstDelayOf(env),
})
