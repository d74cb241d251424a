/**
 * The thank-you coupon a used review link gives: written in the batch that uses the invitation
 * (the review form's and a blog review's), with its `review.coupon.issued` webhook.
 */
import type { BatchItem } from 'drizzle-orm/batch'

import type { Db } from '../../db/client'
import { NO_OUTBOUND } from '../../outbox/outbox'
import { randomToken } from '../../common/crypto'
import { readSettings } from '../../sites/settings'
import type { SiteRow } from '../../sites/store'
import type { Emitter } from '../../webhooks/events'
import {
  findInvitation,
  type InvitationRow,
  invitationCodeIs,
  nextPoolCode,
  recordCouponCode,
  takePoolCode,
} from '../store'

/** The thank-you coupon in the batch that uses an invitation, and what follows that batch. */
export type Coupon = {
  statements: BatchItem<'sqlite'>[]
  /** After the batch took effect: queues the coupon's event; the code the reviewer got, or null (none offered, or the pool was empty). */
  announce: () => Promise<string | null>
}

/**
 * The thank-you coupon for the batch that uses an invitation (`claim`): a code from the pool, or
 * a generated one — for every review alike, whatever its rating (the coupon is given for writing,
 * so it cannot reward praise) — and its `review.coupon.issued` event for the storefront, prepared
 * with the code the invitation is to get (the pool's next free code, read now) and recorded in
 * that batch only if it gets that very code. In the rare race where another reviewer took that
 * code first, the event is made after the batch with the code given. Nothing when the invitation
 * offered none.
 */
export async function couponOf(
  deps: { db: Db; emit: Emitter },
  site: SiteRow,
  invitation: InvitationRow,
  claim: string,
  reviews: string[],
  now: number,
): Promise<Coupon> {
  const { db } = deps
  const coupon = invitation.couponOffered ? readSettings(site.settings).coupons : { mode: 'off' as const }
  if (coupon.mode === 'off') return { statements: [], announce: () => Promise.resolve(null) }
  const generated = coupon.mode === 'generated' ? `${coupon.prefix}-${randomToken(10).toUpperCase()}` : null
  const expected = generated ?? (await nextPoolCode(db, site.id))
  const event = (code: string) => (slug: string) => ({
    site: slug,
    coupon: { code, invitation_id: invitation.id, order_id: invitation.orderId, reviews },
  })
  const prepared = expected ? await deps.emit.prepare(site.id, 'review.coupon.issued', event(expected)) : NO_OUTBOUND
  return {
    statements: [
      ...(coupon.mode === 'pool' ? [takePoolCode(db, site.id, invitation.id, claim, now)] : []),
      recordCouponCode(db, invitation.id, claim, generated),
      // After the code is recorded: the event holds only the code the invitation got.
      ...(expected ? prepared.statements(invitationCodeIs(invitation.id, claim, expected)) : []),
    ],
    announce: async () => {
      const code = generated ?? (await findInvitation(db, invitation.id))?.couponCode ?? null
      if (code !== null && code === expected) await prepared.send()
      else if (code !== null) await deps.emit(site.id, 'review.coupon.issued', event(code))
      return code
    },
  }
}
