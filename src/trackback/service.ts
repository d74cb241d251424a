/**
 * Receiving a TrackBack ping: find the target, then hand the voice to the linkback intake,
 * which throttles, stores it (pending until its source links back, unless the site turned
 * `verify_links` off) and queues the check of the source page.
 *
 * A repeated ping from the same source page to the same target updates the existing voice
 * and answers success (Movable Type's rule, which stops its resend loop).
 */
import { type IntakeDeps, receiveLinkback } from '../linkbacks/intake'
import { readSettings } from '../sites/settings'
import { findSiteBySlug } from '../sites/store'
import { findTarget } from '../targets/store'
import type { TrackbackPing, TrackbackRejection } from './protocol'

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

export async function receiveTrackback(deps: IntakeDeps, req: TrackbackRequest): Promise<TrackbackOutcome> {
  const site = await findSiteBySlug(deps.db, req.siteSlug)
  const target = site && (await findTarget(deps.db, site.id, req.targetId))
  if (!site || !target) return { ok: false, reason: 'unknown_target', target: req.targetId }

  const outcome = await receiveLinkback(deps, {
    site,
    target,
    protocol: 'trackback',
    sourceUrl: req.ping.url,
    sourceUrlSent: req.ping.sentUrl,
    text: { title: req.ping.title, excerpt: req.ping.excerpt, blogName: req.ping.blogName },
    verify: readSettings(site.settings).verify_links,
    onRepeat: 'recheck',
    clientIp: req.clientIp,
    now: req.now,
  })
  if (outcome.ok) return { ok: true, mentionId: outcome.mentionId, created: outcome.created }
  // TrackBack has no duplicate answer: a repeat is an update (onRepeat 'recheck' never yields one).
  return { ok: false, reason: 'throttled' }
}
