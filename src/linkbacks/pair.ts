/**
 * The synchronous checks of a (source, target) pair, shared by Webmention and Pingback
 * (Webmention REC §3.2.1): both valid http(s) URLs, not the same page, the target on one of
 * the site's storefront origins (its fragment ignored), and the source somewhere else.
 * Each protocol words the refusal in its own format.
 */
import { canonicalUrl, fetchableUrl, isUnderOrigins, parseHttpUrl } from '../common/url'
import type { SiteRow } from '../sites/store'
import type { Admission } from './intake'

export type PairRefusal =
  | { reason: 'missing_source' | 'missing_target'; message: string }
  | { reason: 'invalid_source' | 'invalid_target'; message: string }
  | { reason: 'same_url' | 'target_not_here' | 'self_mention'; message: string }

export type CheckedPair =
  { ok: true; source: string; sourceSent: string; target: string } | ({ ok: false } & PairRefusal)

export function checkPair(source: string | null, target: string | null, origins: readonly string[]): CheckedPair {
  if (source === null || source.trim() === '')
    return { ok: false, reason: 'missing_source', message: 'source is missing' }
  if (target === null || target.trim() === '')
    return { ok: false, reason: 'missing_target', message: 'target is missing' }
  const src = parseHttpUrl(source) && canonicalUrl(source)
  if (!src) return { ok: false, reason: 'invalid_source', message: 'source must be an absolute http(s) URL' }
  const tgt = parseHttpUrl(target) && canonicalUrl(target)
  if (!tgt) return { ok: false, reason: 'invalid_target', message: 'target must be an absolute http(s) URL' }
  if (src === tgt) return { ok: false, reason: 'same_url', message: 'source and target are the same page' }
  if (!isUnderOrigins(tgt, origins)) {
    return {
      ok: false,
      reason: 'target_not_here',
      message: `target is not on this site's storefront (${origins.join(', ')})`,
    }
  }
  if (isUnderOrigins(src, origins)) {
    return {
      ok: false,
      reason: 'self_mention',
      message: "source is on this site's own storefront; voices come from elsewhere",
    }
  }
  return { ok: true, source: src, sourceSent: fetchableUrl(source) ?? src, target: tgt }
}

export type CheckedSource = { ok: true; source: string; sourceSent: string } | ({ ok: false } & PairRefusal)

/** The source's checks alone, for voices whose target is named by id (a blog review of a product). */
export function checkSource(source: string | null, origins: readonly string[]): CheckedSource {
  if (source === null || source.trim() === '')
    return { ok: false, reason: 'missing_source', message: 'source is missing' }
  const src = parseHttpUrl(source) && canonicalUrl(source)
  if (!src) return { ok: false, reason: 'invalid_source', message: 'source must be an absolute http(s) URL' }
  if (isUnderOrigins(src, origins)) {
    return {
      ok: false,
      reason: 'self_mention',
      message: "source is on this site's own storefront; voices come from elsewhere",
    }
  }
  return { ok: true, source: src, sourceSent: fetchableUrl(source) ?? src }
}

/**
 * The intake's `admit` for a (source, target) pair named by URL (Webmention, Pingback): the
 * checks above against the site's origins; a verified voice on the target at that URL.
 */
export const admitPair =
  (source: string | null, target: string | null) =>
  (site: Pick<SiteRow, 'origins'>): Admission<{ ok: false } & PairRefusal> => {
    const pair = checkPair(source, target, site.origins)
    if (!pair.ok) return { ok: false, refusal: pair }
    return {
      ok: true,
      target: { url: pair.target },
      sourceUrl: pair.source,
      sourceUrlSent: pair.sourceSent,
      verify: true,
    }
  }
