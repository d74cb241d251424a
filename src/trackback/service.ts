/**
 * Receiving a TrackBack ping: hand the voice to the linkback intake, which finds the
 * target, throttles, stores the voice (pending until its source links back, unless the
 * site turned `verify_links` off) and queues the check of the source page.
 *
 * A repeated ping from the same source page to the same target updates the existing voice
 * and answers success (Movable Type's rule, which stops its resend loop).
 */
import { type IntakeDeps, receiveLinkback } from '../linkbacks/intake'
import { throttleText } from '../linkbacks/limits'
import { readSettings } from '../sites/settings'
import type { TrackbackPing, TrackbackRejection } from './protocol'

export type TrackbackRequest = {
  siteSlug: string
  targetId: string
  ping: TrackbackPing
  clientIp: string
  now: number
}

export type TrackbackOutcome = { ok: true; voiceId: string; created: boolean } | ({ ok: false } & TrackbackRejection)

export async function receiveTrackback(deps: IntakeDeps, req: TrackbackRequest): Promise<TrackbackOutcome> {
  const outcome = await receiveLinkback<never>(deps, {
    siteSlug: req.siteSlug,
    protocol: 'trackback',
    admit: (site) => ({
      ok: true,
      target: { id: req.targetId },
      sourceUrl: req.ping.url,
      sourceUrlSent: req.ping.sentUrl,
      verify: readSettings(site.settings).verify_links,
    }),
    text: { title: req.ping.title, excerpt: req.ping.excerpt, blogName: req.ping.blogName },
    repeat: () => true,
    clientIp: req.clientIp,
    now: req.now,
  })
  if (outcome.ok) return { ok: true, voiceId: outcome.voiceId, created: outcome.created }
  if (outcome.reason === 'throttled')
    return { ok: false, reason: 'throttled', message: throttleText(outcome.throttle, 'TrackBack pings') }
  if (outcome.reason === 'hub_source') return { ok: false, reason: 'hub_source' }
  // A repeat is an update (never refused), and there is nothing site-specific to refuse.
  return { ok: false, reason: 'unknown_target', target: req.targetId }
}
