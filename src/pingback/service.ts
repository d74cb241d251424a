/**
 * Receiving a Pingback: the pair checks shared with Webmention, then the linkback intake.
 * The link itself is verified asynchronously; the answer names the status URL. A ping for
 * a pair already registered is fault 0x30, which makes WordPress stop retrying.
 */
import { type IntakeDeps, receiveLinkback } from '../linkbacks/intake'
import { checkPair, type PairRefusal } from '../linkbacks/pair'
import { findMentionBySource } from '../mentions/store'
import { findSiteBySlug } from '../sites/store'
import { targetForUrl } from '../targets/service'
import { reasonCode } from '../verification/verdict'
import { FAULT, type Fault } from './xmlrpc'

/** A page that was just found without the link is not fetched again for a while. */
const NO_LINK_QUIET_MS = 10 * 60 * 1000

export type PingbackRequest = { siteSlug: string; source: string; target: string; clientIp: string; now: number }

export type PingbackOutcome = { ok: true; mentionId: string; source: string; target: string } | ({ ok: false } & Fault)

const PAIR_FAULT: Record<PairRefusal['reason'], number> = {
  missing_source: FAULT.sourceMissing,
  invalid_source: FAULT.sourceMissing,
  missing_target: FAULT.targetMissing,
  invalid_target: FAULT.targetMissing,
  target_not_here: FAULT.targetNotEnabled,
  same_url: FAULT.generic,
  self_mention: FAULT.accessDenied,
}

export async function receivePingback(deps: IntakeDeps, req: PingbackRequest): Promise<PingbackOutcome> {
  const site = await findSiteBySlug(deps.db, req.siteSlug)
  if (!site) return { ok: false, code: FAULT.targetNotEnabled, message: 'There is no site with this name on this hub' }
  const pair = checkPair(req.source, req.target, site.origins)
  if (!pair.ok) return { ok: false, code: PAIR_FAULT[pair.reason], message: pair.message }

  const target = await targetForUrl(deps.db, site, pair.target, req.now)
  const known = await findMentionBySource(deps.db, site.id, target.id, pair.source)
  if (known?.status === 'rejected' && reasonCode(known.verifyReason) === 'no_link' && req.now - known.updatedAt < NO_LINK_QUIET_MS) {
    return { ok: false, code: FAULT.noLink, message: 'The source page does not link to the target (checked a few minutes ago)' }
  }
  const outcome = await receiveLinkback(deps, {
    site,
    target,
    protocol: 'pingback',
    sourceUrl: pair.source,
    sourceUrlSent: pair.sourceSent,
    verify: true,
    onRepeat: 'duplicate',
    clientIp: req.clientIp,
    now: req.now,
  })
  if (outcome.ok) return { ok: true, mentionId: outcome.mentionId, source: pair.source, target: target.url }
  if (outcome.reason === 'duplicate') return { ok: false, code: FAULT.alreadyRegistered, message: 'The pingback has already been registered.' }
  return { ok: false, code: FAULT.accessDenied, message: 'Too many pingbacks from this sender or blog; try again later' }
}
