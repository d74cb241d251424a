/**
 * A partner's post as a voice: it must link to the target or to one of the partner's tracking
 * links for it, goes through the Webmention verification, and is published as kind
 * `affiliate` with `disclosure: "affiliate"` — advertising, labelled as such (Japan's 2023
 * stealth-marketing rules, the FTC's endorsement guides). What it says changes nothing about
 * the partner's commissions. Sending it again re-checks it (a deleted post — 410 — leaves the feed).
 */
import { type IntakeDeps, intakeError, receiveLinkback } from '../linkbacks/intake'
import { checkSource } from '../linkbacks/pair'
import { AppError } from '../common/errors'
import { findTarget } from '../targets/store'
import type { PartnerRow } from './store'

const UNKNOWN_PRODUCT = 'target: no such product on this site'

export async function receivePartnerPost(
  intake: IntakeDeps,
  partner: PartnerRow,
  siteSlug: string,
  source: string,
  target: string,
  clientIp: string,
  now: number,
) {
  // Partners write about the products the shop registered, not about pages the hub noted by itself.
  const product = await findTarget(intake.db, partner.siteId, target)
  if (!product || product.automatic) throw new AppError('invalid_input', UNKNOWN_PRODUCT)
  const outcome = await receiveLinkback(intake, {
    siteSlug,
    protocol: 'affiliate',
    admit: (site) => {
      const checked = checkSource(source, site.origins)
      if (!checked.ok) return { ok: false, refusal: checked }
      return {
        ok: true,
        target: { id: target },
        sourceUrl: checked.source,
        sourceUrlSent: checked.sourceSent,
        verify: true,
      }
    },
    review: { disclosure: 'affiliate', partnerId: partner.id, authorName: partner.name },
    // A repeat asks for a new check (the post changed, or was taken down).
    repeat: (existing) => existing.partnerId === partner.id,
    clientIp,
    now,
  })
  if (outcome.ok) return outcome
  throw intakeError(outcome, {
    unknownTarget: UNKNOWN_PRODUCT,
    things: 'posts',
    repeat: () => 'This post is already a voice of another writer',
  })
}
