/**
 * Receiving a Webmention: the synchronous checks of REC §3.2.1, then the linkback intake,
 * which stores the voice pending and queues the fetch of the source (§3.2.2 is asynchronous).
 */
import { HUB_SOURCE, type IntakeDeps, receiveLinkback, UNLISTED_TARGET } from '../linkbacks/intake'
import { throttleText } from '../linkbacks/limits'
import { admitPair, type PairRefusal } from '../linkbacks/pair'
import type { ErrorCode } from '../common/errors'
import type { WebmentionForm } from './protocol'

export type WebmentionRequest = WebmentionForm & { siteSlug: string; clientIp: string; now: number }

/** A refusal: its reason (the first line of the plain-text answer) and, from the error vocabulary, its kind. */
export type WebmentionRefusal = { ok: false; code: ErrorCode } & (
  PairRefusal | { reason: 'unknown_site' | 'throttled'; message: string }
)

export type WebmentionOutcome =
  { ok: true; voiceId: string; source: string; target: string; created: boolean } | WebmentionRefusal

export async function receiveWebmention(deps: IntakeDeps, req: WebmentionRequest): Promise<WebmentionOutcome> {
  const outcome = await receiveLinkback(deps, {
    siteSlug: req.siteSlug,
    protocol: 'webmention',
    admit: admitPair(req.source, req.target),
    // A repeat means the post changed (or was deleted): check it again (§3.2.3).
    repeat: () => true,
    clientIp: req.clientIp,
    now: req.now,
  })
  if (outcome.ok) {
    return {
      ok: true,
      voiceId: outcome.voiceId,
      source: outcome.sourceUrl,
      target: outcome.target.url,
      created: outcome.created,
    }
  }
  switch (outcome.reason) {
    case 'refused':
      return { ...outcome.refusal, code: 'invalid_input' }
    case 'unknown_target':
      return { ok: false, code: 'invalid_input', reason: 'target_not_here', message: UNLISTED_TARGET }
    // Repeats are never refused.
    case 'unknown_site':
    case 'repeat':
      return {
        ok: false,
        code: 'not_found',
        reason: 'unknown_site',
        message: 'There is no site with this name on this hub',
      }
    case 'throttled':
      return {
        ok: false,
        code: 'rate_limited',
        reason: 'throttled',
        message: throttleText(outcome.throttle, 'Webmentions'),
      }
    case 'hub_source':
      return { ok: false, code: 'invalid_input', reason: 'invalid_source', message: HUB_SOURCE }
  }
}
