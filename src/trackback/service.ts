/**
 * Receiving a TrackBack ping: find the target, throttle, store or refresh the voice.
 *
 * A repeated ping from the same source page to the same target updates the existing voice
 * and answers success (Movable Type's rule, which stops its resend loop); see
 * ../mentions/ingest.ts for why concurrent deliveries still make one voice.
 */
import type { Db } from '../db/client'
import { newId, randomToken } from '../shared/crypto'
import { recordVoice } from '../mentions/ingest'
import { countRecentFromHost, findMentionBySource, type MentionRow } from '../mentions/store'
import { findSiteBySlug } from '../sites/store'
import { findTarget } from '../targets/store'
import type { TrackbackPing, TrackbackRejection } from './protocol'

/** Movable Type's defaults: a blog may send 10 new pings an hour and 50 a day. */
export const BLOG_LIMITS = [
  { windowMs: 60 * 60 * 1000, max: 10 },
  { windowMs: 24 * 60 * 60 * 1000, max: 50 },
] as const

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
  if (!existing) {
    for (const { windowMs, max } of BLOG_LIMITS) {
      const recent = await countRecentFromHost(db, site.id, req.ping.sourceHost, req.now - windowMs, max)
      if (recent >= max) return { ok: false, reason: 'throttled' }
    }
  }

  const row: MentionRow = {
    id: newId('m'),
    siteId: site.id,
    targetId: target.id,
    kind: 'trackback',
    status: 'published',
    sourceUrl: req.ping.url,
    sourceHost: req.ping.sourceHost,
    title: req.ping.title,
    excerpt: req.ping.excerpt,
    authorName: null,
    authorUrl: null,
    authorPhoto: null,
    blogName: req.ping.blogName,
    rating: null,
    sentiment: null,
    disclosure: null,
    verifiedPurchase: false,
    receivedAt: req.now,
    verifiedAt: null,
    updatedAt: req.now,
    publishedAt: req.now,
    firstResponseAt: null,
    rev: randomToken(16),
  }
  const recorded = await recordVoice(db, row)
  return { ok: true, ...recorded }
}
