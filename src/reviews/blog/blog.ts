/**
 * A blogger's review: the URL of their post about a product, a rating and a name. The post
 * must link to the product, so it goes through the linkback intake and the same verification
 * as a Webmention (kind `review`, published once the link is found). It is a verified purchase
 * only when a valid, unused review link of that order for that product comes with it; the
 * link is then used, as if the review had been written on the hosted form.
 */
import { type IntakeDeps, intakeError, receiveLinkback } from '../../linkbacks/intake'
import { admitPair, checkSource } from '../../linkbacks/pair'
import { changeVoice } from '../../voices/write'
import { findVoice } from '../../voices/store'
import { sentimentOfRating } from '../../sentiment/fields'
import { randomToken } from '../../common/crypto'
import { AppError } from '../../common/errors'
import { canonicalUrl } from '../../common/url'
import { findTarget, findTargetByUrl } from '../../targets/store'
import { couponOf } from '../form/coupon'
import { openLink, type ReviewDeps, type ReviewLink } from '../form/service'
import { useInvitation } from '../store'
import { readSettings } from '../../sites/settings'
import { DAY } from '../../common/clock'

export type BlogReview = {
  siteSlug: string
  source: string
  target: string
  rating: number
  name: string
  token?: string | undefined
}

export type BlogReviewOutcome = {
  voiceId: string
  created: boolean
  verifiedPurchase: boolean
  couponCode: string | null
}

const isUrl = (s: string) => /^https?:\/\//i.test(s)

export async function receiveBlogReview(
  intake: IntakeDeps,
  deps: ReviewDeps,
  r: BlogReview,
  clientIp: string,
  now: number,
): Promise<BlogReviewOutcome> {
  const link = r.token ? await purchaseLink(deps, r, r.token, now) : null
  const outcome = await receiveLinkback(intake, {
    siteSlug: r.siteSlug,
    protocol: 'review',
    admit: (site) => {
      if (isUrl(r.target)) return admitPair(r.source, r.target)(site)
      const source = checkSource(r.source, site.origins)
      if (!source.ok) return { ok: false, refusal: source }
      return {
        ok: true,
        target: { id: r.target },
        sourceUrl: source.source,
        sourceUrlSent: source.sourceSent,
        verify: true,
      }
    },
    review: {
      rating: r.rating,
      sentiment: sentimentOfRating(r.rating),
      sentimentBy: 'rating',
      authorName: r.name,
    },
    // One review per post and product: a second submission of the same post is refused, not merged.
    repeat: () => false,
    clientIp,
    now,
  })
  if (!outcome.ok) {
    throw intakeError(outcome, {
      unknownTarget: 'target: no such product on this site',
      things: 'reviews',
      repeat: (id) => `This post is already a review of this product (${id})`,
    })
  }
  const purchase =
    link && outcome.created ? await usePurchaseLink(deps, link, outcome.voiceId, outcome.target.id, now) : NOT_VERIFIED
  return {
    voiceId: outcome.voiceId,
    created: outcome.created,
    verifiedPurchase: purchase.verified,
    couponCode: purchase.couponCode,
  }
}

/** The review link that came with the post: valid, of this site, still unused. */
async function purchaseLink(deps: ReviewDeps, r: BlogReview, token: string, now: number): Promise<ReviewLink> {
  const link = await openLink(deps, token, now).catch(() => null)
  if (!link || link.site.slug !== r.siteSlug)
    throw new AppError('invalid_input', 'token: not a valid review link of this shop')
  if (!link.can.submit) throw new AppError('conflict', 'token: this review link was already used')
  const target = isUrl(r.target)
    ? await findTargetByUrl(deps.db, link.site.id, canonicalUrl(r.target) ?? '')
    : await findTarget(deps.db, link.site.id, r.target)
  if (!target || !link.invitation.items.includes(target.id))
    throw new AppError('invalid_input', 'token: this product is not part of that order')
  return link
}

/**
 * Uses the link for the stored (still unverified) review: the invitation and the coupon in
 * one batch, then the review marked a verified purchase. A link used meanwhile by someone
 * else leaves the review as an ordinary blog review.
 */
const NOT_VERIFIED = { verified: false, couponCode: null }

async function usePurchaseLink(deps: ReviewDeps, link: ReviewLink, voiceId: string, targetId: string, now: number) {
  if (!link.invitation.items.includes(targetId)) return NOT_VERIFIED
  const { invitation, site } = link
  const claim = randomToken(16)
  const coupon = await couponOf(deps, site, invitation, claim, [voiceId], now)
  const [used] = await deps.db.batch([
    useInvitation(deps.db, invitation.id, claim, now, now + readSettings(site.settings).review_edit_days * DAY),
    ...coupon.statements,
  ])
  if (used.meta.changes !== 1) return NOT_VERIFIED
  const load = async () => {
    const m = await findVoice(deps.db, voiceId)
    if (!m) throw new AppError('not_found', 'The review is gone')
    return m
  }
  await changeVoice(deps.db, load, (m) => ({
    changes: {
      verifiedPurchase: true,
      invitationId: invitation.id,
      disclosure: invitation.couponOffered ? 'incentivized' : m.disclosure,
    },
  }))
  return { verified: true, couponCode: await coupon.announce() }
}
