/**
 * What an invited buyer does through their link: review the products of the order (once),
 * then edit a review for a while, delete it, and say whether the shop's answer resolved their
 * problem. The link is the only credential: a review belongs to the invitation that wrote it.
 *
 * Submitting is one D1 batch: the invitation is used only if it is still open (a burst of
 * submissions makes one set of reviews), the reviews and the coupon are written under the
 * random claim that use set, and the counters move with them.
 */

import type { Db } from '../../db/client'
import { newVoiceRow } from '../../voices/ingest'
import { moderateVoice } from '../../voices/moderate'
import { changeVoice } from '../../voices/write'
import { findVoice, insertVoiceIfNewWhere, type VoiceRow } from '../../voices/store'
import { sentimentOfRating } from '../../sentiment/fields'
import { randomToken } from '../../common/crypto'
import { AppError } from '../../common/errors'
import { readSettings } from '../../sites/settings'
import { bumpDataVersion, findSiteById, type SiteRow } from '../../sites/store'
import { deltaBetween } from '../../stats/counters'
import { voiceHasRev, statsUpdate } from '../../stats/store'
import { type TargetRow, targetsOf } from '../../targets/store'
import { allOutbound } from '../../outbox/outbox'
import type { Emitter, EventSink } from '../../webhooks/events'
import { invitationOfToken } from '../invitations/links'
import { couponOf } from './coupon'
import { type CleanPhoto, type PhotoStore, storePhotos } from '../photos/photos'
import {
  findInvitation,
  markOpened,
  insertRevisionIf,
  type InvitationRow,
  invitationClaimIs,
  reviewsOfInvitation,
  useInvitation,
} from '../store'
import { DAY } from '../../common/clock'
import { liveSite } from '../../sites/deleted'

export type ReviewDeps = {
  db: Db
  secretsKey: string | undefined
  /** Voice events (mention.received / published / removed), prepared for the batch of the change. */
  events: EventSink
  /** Other site events (review.coupon.issued), prepared for the batch that uses the invitation. */
  emit: Emitter
  /** R2 for photos; null when the Worker has no PHOTOS bucket. */
  photos: PhotoStore | null
}

/** Everything the review page shows for a link. */
export type ReviewLink = {
  invitation: InvitationRow
  site: SiteRow
  targets: TargetRow[]
  reviews: VoiceRow[]
  /** What the link allows now. */
  can: { submit: boolean; edit: boolean }
}

export type EntryInput = { target: string; rating: number; title: string; text: string }

/** The invitation behind a token, or a not_found/gone error for a forged, unknown or expired link. */
export async function openLink(
  deps: Pick<ReviewDeps, 'db' | 'secretsKey'>,
  token: string,
  now: number,
): Promise<ReviewLink> {
  const id = await invitationOfToken(deps.secretsKey, token)
  if (!id) throw new AppError('not_found', 'This review link is not valid')
  return linkOf(deps.db, id, now)
}

/** What an invitation's link shows and allows now (its token already checked). */
async function linkOf(db: Db, invitationId: string, now: number): Promise<ReviewLink> {
  const invitation = await findInvitation(db, invitationId)
  if (!invitation) throw new AppError('not_found', 'This review link is not valid')
  const site = liveSite(await findSiteById(db, invitation.siteId), 'This review link is not valid')
  const open = invitation.state === 'scheduled' || invitation.state === 'sent'
  if (invitation.state === 'expired' || (open && invitation.expiresAt <= now)) {
    throw new AppError('gone', 'This review link has expired')
  }
  const [targets, reviews] = await Promise.all([
    targetsOf(db, site.id, invitation.items),
    invitation.state === 'used' ? reviewsOfInvitation(db, invitation.id) : Promise.resolve([]),
  ])
  return {
    invitation,
    site,
    targets,
    reviews,
    can: { submit: open, edit: invitation.state === 'used' && (invitation.editUntil ?? 0) > now },
  }
}

/** The buyer loaded the form: noted the first time, so staff see the invitation was opened. */
export async function linkOpened(db: Db, link: ReviewLink, now: number) {
  if (link.can.submit && link.invitation.openedAt === null) await markOpened(db, link.invitation.id, now)
}

/** `photos[i]` are the cleaned photos of `entries[i]`. */
export type Submission = { name: string; entries: EntryInput[]; photos?: CleanPhoto[][] }

export type Submitted = { reviews: VoiceRow[]; couponCode: string | null; repeated: boolean }

/** Writes the buyer's reviews and uses the invitation; a repeat (double click, burst) returns what the first wrote. */
export async function submitReviews(
  deps: ReviewDeps,
  link: ReviewLink,
  s: Submission,
  now: number,
): Promise<Submitted> {
  const { invitation, site } = link
  if (!link.can.submit) return { reviews: link.reviews, couponCode: invitation.couponCode, repeated: true }
  const entries = checkEntries(link, s.entries)

  const settings = readSettings(site.settings)
  const claim = randomToken(16)
  const claimed = invitationClaimIs(invitation.id, claim)
  const rows = entries.map((e) =>
    newVoiceRow(
      {
        siteId: site.id,
        targetId: e.target,
        kind: 'review',
        status: 'published',
        rating: e.rating,
        sentiment: sentimentOfRating(e.rating),
        sentimentBy: 'rating',
        title: e.title || null,
        excerpt: e.text,
        authorName: s.name,
        verifiedPurchase: true,
        // The coupon was promised before anyone wrote a word; every review it could sway says so.
        disclosure: invitation.couponOffered ? 'incentivized' : null,
        invitationId: invitation.id,
      },
      now,
    ),
  )
  const photoKeys = await storeAllPhotos(deps, rows, s.photos ?? [])
  // Each review is news for the site's webhooks, and so is the coupon: recorded in the batch, only if this submission used the link.
  const news = allOutbound(
    await Promise.all(
      rows.flatMap((row) => [
        deps.events.prepare(site.id, 'mention.received', row),
        deps.events.prepare(site.id, 'mention.published', row),
      ]),
    ),
  )
  const coupon = await couponOf(
    deps,
    site,
    invitation,
    claim,
    rows.map((r) => r.id),
    now,
  )
  const [used] = await deps.db.batch([
    useInvitation(deps.db, invitation.id, claim, now, now + settings.review_edit_days * DAY),
    ...rows.flatMap((row) => {
      const counters = statsUpdate(
        deps.db,
        row.siteId,
        row.targetId,
        deltaBetween(null, row),
        voiceHasRev(row.id, row.rev),
      )
      return [insertVoiceIfNewWhere(deps.db, row, claimed), ...(counters ? [counters] : [])]
    }),
    ...news.statements(claimed),
    ...coupon.statements,
    bumpDataVersion(deps.db, site.id, claimed),
  ])
  if (used.meta.changes !== 1) {
    await deps.photos?.delete(photoKeys)
    // Another submission got there first (or the link expired this instant): show what is there.
    const again = await linkOf(deps.db, invitation.id, now)
    return { reviews: again.reviews, couponCode: again.invitation.couponCode, repeated: true }
  }
  await news.send()
  return { reviews: rows, couponCode: await coupon.announce(), repeated: false }
}

/** Stores each review's photos before the batch that writes the reviews (whose rows then name them). */
async function storeAllPhotos(deps: ReviewDeps, rows: VoiceRow[], photos: readonly CleanPhoto[][]): Promise<string[]> {
  if (photos.every((p) => p.length === 0)) return []
  if (!deps.photos) throw new AppError('invalid_input', 'This shop does not accept photos')
  const keys: string[] = []
  for (const [i, row] of rows.entries()) {
    row.photos = await storePhotos(deps.photos, row.id, photos[i] ?? [])
    keys.push(...row.photos.map((p) => p.key))
  }
  return keys
}

/** Every entry names a product of the order, at most once; at least one is rated. */
function checkEntries(link: ReviewLink, entries: readonly EntryInput[]): EntryInput[] {
  if (entries.length === 0) throw new AppError('invalid_input', 'Rate at least one product')
  const seen = new Set<string>()
  for (const e of entries) {
    if (!link.invitation.items.includes(e.target) || seen.has(e.target)) {
      throw new AppError('invalid_input', `target: ${e.target.slice(0, 100)} is not a product of this order`)
    }
    seen.add(e.target)
  }
  return [...entries]
}

/** One of the link's own reviews, or not_found (another invitation's review is not this link's to touch). */
function ownReview(link: ReviewLink, voiceId: string): VoiceRow {
  const review = link.reviews.find((r) => r.id === voiceId)
  if (!review) throw new AppError('not_found', 'No such review for this link')
  return review
}

/** Reads one of the link's reviews afresh (for a write that may have to retry). */
const loadOwn = (db: Db, link: ReviewLink, voiceId: string) => async () => {
  const review = await findVoice(db, voiceId)
  if (!review || review.invitationId !== link.invitation.id)
    throw new AppError('not_found', 'No such review for this link')
  return review
}

/** The reviewer's edit: the previous version is kept in review_revisions; responses stay. */
export async function editReview(
  deps: ReviewDeps,
  link: ReviewLink,
  voiceId: string,
  e: Omit<EntryInput, 'target'>,
  now: number,
) {
  ownReview(link, voiceId)
  if (!link.can.edit) throw new AppError('conflict', 'The time to edit this review is over')
  return changeVoice(deps.db, loadOwn(deps.db, link, voiceId), (m) => {
    if (m.status !== 'published') throw new AppError('conflict', 'This review is not published, so it cannot be edited')
    return {
      changes: {
        rating: e.rating,
        // The stars decide the sentiment, unless the shop set it by hand.
        ...(m.sentimentBy === 'operator'
          ? {}
          : { sentiment: sentimentOfRating(e.rating), sentimentBy: 'rating' as const }),
        title: e.title || null,
        excerpt: e.text,
        editedAt: now,
        updatedAt: now,
      },
      extra: (rev) => [
        insertRevisionIf(
          deps.db,
          {
            voiceId: m.id,
            rating: m.rating,
            title: m.title,
            body: m.excerpt,
            writtenAt: m.editedAt ?? m.receivedAt,
            replacedAt: now,
          },
          voiceHasRev(m.id, rev),
        ),
      ],
    }
  })
}

/** The reviewer takes their review down: a removal for "author_request" in the public ledger. */
export async function deleteReview(deps: ReviewDeps, link: ReviewLink, voiceId: string, now: number) {
  const review = ownReview(link, voiceId)
  if (review.status === 'removed') return review
  const removed = await moderateVoice(
    deps.db,
    'author',
    loadOwn(deps.db, link, voiceId),
    { action: 'remove', category: 'author_request', reason: 'Deleted by its author' },
    now,
    // Its event is written with the removal.
    (after) => deps.events.prepare(after.siteId, 'mention.removed', after),
  )
  // The photos go for good; the text stays in D1 (hidden) like any removal, so the ledger entry keeps its subject.
  await deps.photos?.delete(review.photos.map((p) => p.key))
  return removed
}

/** After the shop has answered, the reviewer says whether the answer resolved their problem. */
export async function recordVerdict(
  deps: ReviewDeps,
  link: ReviewLink,
  voiceId: string,
  resolved: boolean,
  now: number,
) {
  return changeVoice(deps.db, loadOwn(deps.db, link, voiceId), (m) => {
    if (m.firstResponseAt === null) throw new AppError('conflict', 'The shop has not answered this review yet')
    if (m.status !== 'published') throw new AppError('conflict', 'This review is not published')
    return { changes: { authorVerdict: resolved ? 'resolved' : 'unresolved', authorVerdictAt: now, updatedAt: now } }
  })
}
