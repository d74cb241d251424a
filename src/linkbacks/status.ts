/**
 * The status URL of a received linkback: what a sender (and anyone holding the link) may
 * learn about it — queued, verified, rejected or deleted, with the reason in words.
 * Every protocol's answer names it: Webmention's 201 Location, Pingback's success string,
 * the operator API.
 */
import type { Db } from '../db/client'
import { findMention, type MentionRow } from '../mentions/store'
import { AppError } from '../shared/errors'
import { findSiteBySlug } from '../sites/store'
import { findTarget } from '../targets/store'
import { reasonCode } from '../verification/verdict'

export const statusUrl = (hubOrigin: string, siteSlug: string, mentionId: string) =>
  `${hubOrigin}/status/${encodeURIComponent(siteSlug)}/${encodeURIComponent(mentionId)}`

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

const SUMMARY = {
  queued: 'Waiting for the hub to fetch the source and find the link to the target',
  verified: 'The source links to the target',
  rejected: 'The hub did not accept this linkback',
  deleted: 'The source no longer links to the target; the voice left the feed',
  accepted: 'Published without a link check (this site does not verify TrackBack pings)',
} as const

export function statusJson(m: MentionRow, targetUrl: string) {
  const status = m.verifyState ?? 'accepted'
  const reason = m.verifyReason
  return {
    status,
    reason: reasonCode(reason),
    summary: reason ?? SUMMARY[status],
    source: m.sourceUrl,
    target: targetUrl,
    protocol: m.kind,
    attempts: m.verifyAttempts,
    received_at: iso(m.receivedAt),
    verified_at: iso(m.verifiedAt),
    voice: { id: m.id, status: m.status, type: m.mentionType },
  }
}

/** A linkback's status, looked up within its site only: another site's id answers like a missing one. */
export async function linkbackStatus(db: Db, siteSlug: string, id: string) {
  const [site, mention] = await Promise.all([findSiteBySlug(db, siteSlug), findMention(db, id)])
  if (!site || !mention || mention.siteId !== site.id || mention.sourceUrl === null) {
    throw new AppError('not_found', 'No such linkback')
  }
  const target = await findTarget(db, site.id, mention.targetId)
  return statusJson(mention, target?.url ?? '')
}
