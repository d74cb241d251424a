/**
 * Receiving a Pingback: the pair checks shared with Webmention, then the linkback intake.
 * The link itself is verified asynchronously; the answer names the status URL. A ping for
 * a pair already registered is fault 0x30, which makes WordPress stop retrying.
 */
import type { VoiceStatus } from '../db/schema'
import { HUB_SOURCE, type IntakeDeps, receiveLinkback, UNLISTED_TARGET } from '../linkbacks/intake'
import { throttleText } from '../linkbacks/limits'
import { admitPair, type PairRefusal } from '../linkbacks/pair'
import type { VoiceRow } from '../voices/store'
import { FAULT, type Fault } from './xmlrpc'

/** A page that was just found without the link is not fetched again for a while. */
const NO_LINK_QUIET_MS = 10 * 60 * 1000

export type PingbackRequest = { siteSlug: string; source: string; target: string; clientIp: string; now: number }

export type PingbackOutcome = { ok: true; voiceId: string; source: string; target: string } | ({ ok: false } & Fault)

const PAIR_FAULT: Record<PairRefusal['reason'], number> = {
  missing_source: FAULT.sourceMissing,
  invalid_source: FAULT.sourceMissing,
  missing_target: FAULT.targetMissing,
  invalid_target: FAULT.targetMissing,
  target_not_here: FAULT.targetNotEnabled,
  same_url: FAULT.generic,
  self_mention: FAULT.accessDenied,
}

/** Statuses from which a repeated Pingback is news (the author put the link back), not a duplicate. */
const REOPENED: readonly VoiceStatus[] = ['rejected', 'gone']

/** The voice's page was fetched a few minutes ago and had no link: fetching it again now would be for nothing. */
const recentlyWithoutLink = (m: VoiceRow, now: number) =>
  m.status === 'rejected' &&
  (m.verifyReason === 'no_link' || m.verifyReason === 'no_link_in_first_mb') &&
  now - m.updatedAt < NO_LINK_QUIET_MS

export async function receivePingback(deps: IntakeDeps, req: PingbackRequest): Promise<PingbackOutcome> {
  const outcome = await receiveLinkback(deps, {
    siteSlug: req.siteSlug,
    protocol: 'pingback',
    admit: admitPair(req.source, req.target),
    repeat: (existing) => REOPENED.includes(existing.status) && !recentlyWithoutLink(existing, req.now),
    clientIp: req.clientIp,
    now: req.now,
  })
  if (outcome.ok) return { ok: true, voiceId: outcome.voiceId, source: outcome.sourceUrl, target: outcome.target.url }
  switch (outcome.reason) {
    case 'refused':
      return { ok: false, code: PAIR_FAULT[outcome.refusal.reason], message: outcome.refusal.message }
    case 'repeat':
      return recentlyWithoutLink(outcome.existing, req.now)
        ? {
            ok: false,
            code: FAULT.noLink,
            message: 'The source page does not link to the target (checked a few minutes ago)',
          }
        : { ok: false, code: FAULT.alreadyRegistered, message: 'The pingback has already been registered.' }
    case 'unknown_site':
      return { ok: false, code: FAULT.targetNotEnabled, message: 'There is no site with this name on this hub' }
    case 'unknown_target':
      return { ok: false, code: FAULT.targetNotEnabled, message: UNLISTED_TARGET }
    case 'throttled':
      return { ok: false, code: FAULT.accessDenied, message: throttleText(outcome.throttle, 'pingbacks') }
    case 'hub_source':
      return { ok: false, code: FAULT.accessDenied, message: HUB_SOURCE }
  }
}
