/**
 * Receiving a Webmention: the synchronous checks of REC §3.2.1, then the linkback intake,
 * which stores the voice pending and queues the fetch of the source (§3.2.2 is asynchronous).
 */
import { type IntakeDeps, receiveLinkback } from '../linkbacks/intake'
import { checkPair, type PairRefusal } from '../linkbacks/pair'
import { findSiteBySlug } from '../sites/store'
import { targetForUrl } from '../targets/service'
import type { WebmentionForm } from './protocol'

export type WebmentionRequest = WebmentionForm & { siteSlug: string; clientIp: string; now: number }

export type WebmentionOutcome =
  | { ok: true; mentionId: string; source: string; target: string; created: boolean }
  | ({ ok: false } & PairRefusal)
  | { ok: false; reason: 'unknown_site' | 'throttled'; message: string }

export async function receiveWebmention(deps: IntakeDeps, req: WebmentionRequest): Promise<WebmentionOutcome> {
  const site = await findSiteBySlug(deps.db, req.siteSlug)
  if (!site) return { ok: false, reason: 'unknown_site', message: 'There is no site with this name on this hub' }
  const pair = checkPair(req.source, req.target, site.origins)
  if (!pair.ok) return pair

  const target = await targetForUrl(deps.db, site, pair.target, req.now)
  const outcome = await receiveLinkback(deps, {
    site,
    target,
    protocol: 'webmention',
    sourceUrl: pair.source,
    sourceUrlSent: pair.sourceSent,
    verify: true,
    onRepeat: 'recheck',
    clientIp: req.clientIp,
    now: req.now,
  })
  if (!outcome.ok) return { ok: false, reason: 'throttled', message: 'Too many Webmentions from this sender or blog; try again in a minute' }
  return { ok: true, mentionId: outcome.mentionId, source: pair.source, target: target.url, created: outcome.created }
}
