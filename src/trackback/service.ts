/**
 * Receiving a TrackBack ping: find the target, throttle, store or refresh the voice.
 *
 * A repeated ping from the same source page to the same target updates the existing voice
 * and answers success (Movable Type's rule, which stops its resend loop); see
 * ../mentions/ingest.ts for why concurrent deliveries still make one voice.
 */
import type { Db } from '../db/client'
import { newVoiceRow, recordVoice } from '../mentions/ingest'
import { findMentionBySource, recentArrivalsFromHost } from '../mentions/store'
import { findSiteBySlug } from '../sites/store'
import { findTarget } from '../targets/store'
import type { TrackbackPing, TrackbackRejection } from './protocol'

/** Movable Type's defaults: a blog may send 10 new pings an hour and 50 a day. */
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

export type TrackbackDeps = {
  db: Db
  /** Flood limits from the Rate Limiting binding: per client address and per source host. */
  clientLimiter: RateLimit
  sourceLimiter: RateLimit
}

export type TrackbackRequest = {
  siteSlug: string
  targetId: string
  ping: TrackbackPing
  clientIp: string
  now: number
}

export type TrackbackOutcome =
  | { ok: true; mentionId: string; created: boolean }
  | ({ ok: false } & TrackbackRejection)

export async function receiveTrackback(deps: TrackbackDeps, req: TrackbackRequest): Promise<TrackbackOutcome> {
  const { db } = deps
  const site = await findSiteBySlug(db, req.siteSlug)
  const target = site && (await findTarget(db, site.id, req.targetId))
  if (!site || !target) return { ok: false, reason: 'unknown_target', target: req.targetId }

  const [byClient, bySource] = await Promise.all([
    deps.clientLimiter.limit({ key: `${site.id}:${req.clientIp}` }),
    deps.sourceLimiter.limit({ key: `${site.id}:${req.ping.sourceHost}` }),
  ])
  if (!byClient.success || !bySource.success) return { ok: false, reason: 'throttled' }

  const existing = await findMentionBySource(db, site.id, target.id, req.ping.url)
  if (!existing && (await blogOverLimit(db, site.id, req.ping.sourceHost, req.now))) {
    return { ok: false, reason: 'throttled' }
  }

  const row = newVoiceRow(
    {
      siteId: site.id,
      targetId: target.id,
      kind: 'trackback',
      // Published at once for now; link-back verification (a later issue) will start it as pending.
      status: 'published',
      sourceUrl: req.ping.url,
      title: req.ping.title,
      excerpt: req.ping.excerpt,
      blogName: req.ping.blogName,
    },
    req.now
  )
  const recorded = await recordVoice(db, row)
  return { ok: true, ...recorded }
}
