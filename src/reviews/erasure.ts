/**
 * A buyer's request to erase their personal data (GDPR art. 17, APPI): found by their
 * address (through its keyed hash; the hub does not keep the address itself) or by order.
 * Their invitations lose address, hash and name; their reviews lose the name and photos
 * (the text stays, signed "Anonymous", unless `remove_reviews` takes the reviews down too,
 * filed in the public ledger under personal_data). Each request is recorded — without the
 * address — so the shop can show it was carried out.
 */
import { inArray } from 'drizzle-orm'
import type { Out } from '../common/outputs'
import type { ErasureRecordOut } from './outputs'

import { actorName, type Principal } from '../common/principal'
import { batchAll, type Db } from '../db/client'
import { eraseLetters } from '../mail/store'
import { invitations } from '../db/schema'
import { moderateVoice } from '../voices/moderate'
import { changeVoice } from '../voices/write'
import { findVoice } from '../voices/store'
import { AppError } from '../common/errors'
import { newId } from '../common/crypto'
import { pageOf, type Position } from '../common/cursor'
import { loadSite } from '../sites/service'
import { emailHash, invitationMailRef } from './invitations/links'
import type { PhotoStore } from './photos/photos'
import type { ErasureRequest } from './inputs'
import {
  type ErasureRecord,
  erasureRecordsOfSite,
  insertErasureRecord,
  invitationOfOrder,
  invitationsOfEmail,
  reviewsOfInvitation,
} from './store'

export async function eraseBuyer(
  deps: { db: Db; secretsKey: string | undefined; photos: PhotoStore | null },
  p: Principal,
  slug: string,
  req: ErasureRequest,
  now: number,
) {
  const { db } = deps
  const site = await loadSite(db, p, slug)
  if (!req.email && !req.order_id) throw new AppError('invalid_input', 'Name the buyer by email or order_id')
  const found = [
    ...(req.email ? await invitationsOfEmail(db, site.id, await emailHash(deps.secretsKey, site.id, req.email)) : []),
    ...(req.order_id ? await invitationOfOrder(db, site.id, req.order_id).all() : []),
  ]
  const ids = [...new Set(found.map((i) => i.id))]
  if (ids.length > 0) {
    // Their invitation e-mails too: one not yet sent never is, and none keeps the sealed address.
    await batchAll(db, [
      db
        .update(invitations)
        .set({ emailSealed: null, emailHash: null, customerName: null, erasedAt: now })
        .where(inArray(invitations.id, ids)),
      ...eraseLetters(db, ids.map(invitationMailRef), now),
    ])
  }
  let reviews = 0
  for (const id of ids) {
    for (const review of await reviewsOfInvitation(db, id)) {
      const load = async () => (await findVoice(db, review.id)) ?? review
      await changeVoice(db, load, () => ({
        changes: { authorName: null, authorUrl: null, authorPhoto: null, photos: [], updatedAt: now },
      }))
      await deps.photos?.delete(review.photos.map((ph) => ph.key))
      if (req.remove_reviews && (review.status === 'published' || review.status === 'pending')) {
        await moderateVoice(
          db,
          actorName(p),
          load,
          { action: 'remove', category: 'personal_data', reason: 'Erased at the author’s request' },
          now,
        )
      }
      reviews++
    }
  }
  await insertErasureRecord(db, {
    id: newId('er'),
    siteId: site.id,
    byEmail: req.email !== undefined,
    orderId: req.order_id ?? null,
    removeReviews: req.remove_reviews === true,
    invitations: ids.length,
    reviews,
    actor: actorName(p),
    createdAt: now,
  })
  return { invitations: ids.length, reviews }
}

/** A page of the site's erasure requests, newest first. */
export async function erasureRecordsOf(db: Db, p: Principal, slug: string, before: Position | null, limit: number) {
  const site = await loadSite(db, p, slug)
  const rows = await erasureRecordsOfSite(db, site.id, before, limit + 1)
  return { site, ...pageOf(rows, limit, (r) => ({ time: r.createdAt, id: r.id })) }
}

export const erasureRecordJson = (r: ErasureRecord): Out<typeof ErasureRecordOut> => ({
  id: r.id,
  by: { email: r.byEmail, order_id: r.orderId },
  remove_reviews: r.removeReviews,
  erased: { invitations: r.invitations, reviews: r.reviews },
  actor: r.actor,
  at: new Date(r.createdAt).toISOString(),
})
