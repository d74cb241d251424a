/**
 * The work of a platform's delivery (the queue's consumer, ./consume.ts): an order's review
 * invitation — the same invitation an order event makes, for every buyer alike, due the site's
 * delay after the stage its settings name —, its affiliate sale and refunds, a product's target,
 * and the platform's privacy requests. Every step is keyed (an invitation per order, a conversion
 * per order and refund, a target per product), so a delivery worked twice does nothing twice.
 */
import { sql } from 'drizzle-orm'

import { receiveConversion } from '../affiliates/commissions/conversions'
import { findConversion, saleAndRefunded } from '../affiliates/store'
import { DAY } from '../common/clock'
import { randomToken, newId } from '../common/crypto'
import { AppError } from '../common/errors'
import { unseal } from '../common/secrets'
import { canonicalUrl, isUnderOrigins } from '../common/url'
import { batchAll, type Db } from '../db/client'
import type { ShopPlatform } from '../db/schema'
import { eraseSiteLetters } from '../mail/store'
import { eraseBuyer } from '../reviews/erasure'
import { newInvitationRow } from '../reviews/invitations/invitations'
import { emailHash, invitationMailRef } from '../reviews/invitations/links'
import type { PhotoStore } from '../reviews/photos/photos'
import {
  cancelScheduledInvitation,
  eraseSiteInvitations,
  insertErasureRecord,
  insertInvitationIf,
} from '../reviews/store'
import { readSettings } from '../sites/settings'
import type { SiteRow } from '../sites/store'
import { findTarget, findTargetByUrl, insertTarget, updateTarget } from '../targets/store'
import type { Emitter } from '../webhooks/events'
import type { OrderFacts, ProductFacts, ShopEvent } from './events'
import type { DeliveryReason } from './reasons'
import {
  findProduct,
  markProductDeleted,
  orderVersion,
  saveOrderVersion,
  saveProduct,
  targetsOfProducts,
} from './store'

export type ApplyDeps = {
  db: Db
  secretsKey: string | undefined
  emit: Emitter
  photos: PhotoStore | null
  /** The hub's origin for review links (HUB_ORIGIN, else the one the webhook came to). */
  hubOrigin: string
}

type Work = { site: SiteRow; platform: ShopPlatform; delivery: string; now: number }

/** What the event's work did, as the delivery's reasons. */
export async function applyEvent(deps: ApplyDeps, w: Work, event: ShopEvent): Promise<DeliveryReason[]> {
  switch (event.kind) {
    case 'order':
      return applyOrder(deps, w, event.order)
    case 'refund':
      return [await reverseSale(deps, w, event.orderId, event.key, event.amount, event.currency)]
    case 'product':
      return [await keepProduct(deps.db, w, event.product)]
    case 'product_deleted': {
      const known = await findProduct(deps.db, w.site.id, w.platform, event.productId)
      if (!known) return ['product_unknown']
      await markProductDeleted(deps.db, w.site.id, w.platform, event.productId, w.now).run()
      return ['product_deleted']
    }
    case 'redact_customer':
      return redactCustomer(deps, w, event.emailSealed, event.orderIds)
    case 'redact_shop':
      // The invitations and their e-mails still waiting to go out (which hold the addresses, sealed).
      await batchAll(deps.db, [
        eraseSiteInvitations(deps.db, w.site.id, w.now),
        eraseSiteLetters(deps.db, w.site.id, invitationMailRef(''), w.now),
      ])
      await insertErasureRecord(deps.db, {
        id: newId('er'),
        siteId: w.site.id,
        byEmail: false,
        orderId: null,
        removeReviews: false,
        invitations: 0,
        reviews: 0,
        actor: w.platform,
        createdAt: w.now,
      })
      return ['erased']
  }
}

async function applyOrder(deps: ApplyDeps, w: Work, o: OrderFacts): Promise<DeliveryReason[]> {
  const changedAt = typeof o.changedAt === 'number' ? o.changedAt : null
  const worked = changedAt === null ? null : await orderVersion(deps.db, w.site.id, w.platform, o.orderId)
  if (changedAt !== null && worked !== null && changedAt < worked) return ['order_stale']
  const reasons: DeliveryReason[] = [await inviteOrCancel(deps, w, o)]
  if (o.paidAt !== null && o.amount && o.clickId) reasons.push(await recordSale(deps, w, o))
  for (const refund of o.refunds)
    reasons.push(await reverseSale(deps, w, o.orderId, `r${refund.key}`, refund.amount, o.currency))
  if (o.refundedWhole || o.cancelled) reasons.push(await reverseSale(deps, w, o.orderId, 'whole', null, null))
  if (changedAt !== null)
    await saveOrderVersion(deps.db, {
      siteId: w.site.id,
      platform: w.platform,
      orderId: o.orderId,
      changedAt,
      updatedAt: w.now,
    }).run()
  return [...new Set(reasons)]
}

/** The order's invitation, made once it reaches the stage the site's settings name; a cancelled order's unsent one is withdrawn. */
async function inviteOrCancel(deps: ApplyDeps, w: Work, o: OrderFacts): Promise<DeliveryReason> {
  const { db, site } = { db: deps.db, site: w.site }
  if (o.cancelled) {
    await cancelScheduledInvitation(db, site.id, o.orderId, w.now).run()
    return 'invitation_cancelled'
  }
  const settings = readSettings(site.settings)
  const at = settings.shop_invite_on === 'paid' ? o.paidAt : o.deliveredAt
  if (at === null) return 'not_yet'
  if (!o.emailSealed) return 'no_email'
  if (at + (settings.review_invitation_delay_days + settings.review_invitation_valid_days) * DAY <= w.now)
    return 'too_old'
  // At most 50, as an invitation names (and well within the 100 values D1 binds in one statement).
  const items = await targetsOfProducts(db, site.id, w.platform, o.products.slice(0, 50))
  if (items.length === 0) return 'no_products'
  const email = await unseal(o.emailSealed, deps.secretsKey)
  const row = newInvitationRow(
    site,
    {
      orderId: o.orderId,
      items: items.slice(0, 50),
      customerName: o.name,
      emailSealed: o.emailSealed,
      emailHash: await emailHash(deps.secretsKey, site.id, email),
      lang: o.lang ?? undefined,
      deliveredAt: Math.min(at, w.now),
    },
    deps.hubOrigin,
    w.now,
  )
  const inserted = await insertInvitationIf(db, row, sql`1 = 1`).run()
  return inserted.meta.changes === 1 ? 'invited' : 'already_invited'
}

/** A receipt of its own for each conversion a delivery records (the conversions' replay guard). */
const receiptOf = (w: Work, what: string) => ({
  siteId: w.site.id,
  messageId: `shop:${w.delivery}:${what}`,
  nonce: randomToken(16),
  receivedAt: w.now,
})

/** Records `data` as a conversion; a repeat of this delivery's own conversion is no error. */
async function convert(deps: ApplyDeps, w: Work, what: string, data: object, saleOrderId?: string) {
  try {
    await receiveConversion(
      { db: deps.db, emit: deps.emit },
      { site: w.site, receipt: receiptOf(w, what), data },
      w.now,
      saleOrderId ? { saleOrderId } : {},
    )
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'conflict')) throw err
  }
}

async function recordSale(deps: ApplyDeps, w: Work, o: OrderFacts): Promise<DeliveryReason> {
  if (o.currency !== readSettings(w.site.settings).currency) return 'other_currency'
  const data = {
    order_id: o.orderId,
    event: 'sale',
    amount: o.amount,
    currency: o.currency,
    click_id: o.clickId,
    occurred_at: new Date(o.paidAt ?? w.now).toISOString(),
  }
  await convert(deps, w, 'sale', data)
  return 'sale'
}

/**
 * Takes back `amount` in `currency` (null: all that is left) of the order's attributed sale, as a
 * refund entry of its own key; never more than the sale less what was refunded before.
 */
async function reverseSale(
  deps: ApplyDeps,
  w: Work,
  orderId: string,
  key: string,
  amount: number | null,
  currency: string | null,
): Promise<DeliveryReason> {
  const found = await saleAndRefunded(deps.db, w.site.id, orderId)
  if (!found?.sale.partnerId) return 'nothing_to_reverse'
  if (amount !== null && currency !== found.sale.currency) return 'other_currency'
  const left = found.sale.amount - found.refunded
  const take = Math.min(amount ?? left, left)
  if (take <= 0) return 'nothing_to_reverse'
  const data = { order_id: `${orderId}#${key}`, event: 'refund', amount: take, currency: found.sale.currency }
  await convert(deps, w, `refund:${key}`, data, orderId)
  // Not stored: another refund of the order, worked at the same time, took what was left first. The
  // queue works this delivery again, and then it finds what is left now.
  if (!(await findConversion(deps.db, w.site.id, data.order_id, 'refund')))
    throw new Error(`refund ${data.order_id} raced another refund of its order; to be tried again`)
  return 'refund'
}

/** The product's target: made (registered, titled as on the platform) or kept in step with the product's title and page. */
async function keepProduct(db: Db, w: Work, p: ProductFacts): Promise<DeliveryReason> {
  const { site, now } = w
  const known = await findProduct(db, site.id, w.platform, p.productId)
  const changedAt = typeof p.changedAt === 'number' ? p.changedAt : null
  if (changedAt !== null && known?.changedAt != null && changedAt < known.changedAt) return 'product_stale'
  const tag = readSettings(site.settings).shop_target_tag
  if (tag !== null && !p.labels.some((l) => l.toLowerCase() === tag.toLowerCase())) return 'product_untagged'
  if (!p.live) return 'product_not_live'
  const url = p.url ? canonicalUrl(p.url) : null
  if (!url || !isUnderOrigins(url, site.origins)) return 'product_off_site'
  const title = p.title.slice(0, 300)
  let target = (known && (await findTarget(db, site.id, known.targetId))) || (await findTargetByUrl(db, site.id, url))
  if (target) {
    const changes = {
      ...(target.title !== title ? { title } : {}),
      ...(target.url !== url ? { url } : {}),
      ...(target.automatic ? { automatic: false } : {}),
    }
    // A new address taken by another target keeps this one where it was (the operator can merge them).
    if (Object.keys(changes).length > 0)
      target =
        (await updateTarget(db, target, changes, now)) ??
        (await updateTarget(db, target, { ...changes, url: target.url }, now)) ??
        target
  } else {
    // Known by the product's id on the platform (`shopify-8120…`), so a theme can name it without the hub's help.
    const named = /^[0-9]{1,40}$/.test(p.productId) ? `${w.platform}-${p.productId}` : newId('t')
    const row = { siteId: site.id, id: named, url, title, kind: 'product' as const, automatic: false, createdAt: now }
    // Not made: the page got a target meanwhile (found below), or the id is taken (another id then).
    const made =
      (await insertTarget(db, row)) ??
      ((await findTargetByUrl(db, site.id, url)) ? null : await insertTarget(db, { ...row, id: newId('t') }))
    target = made?.target ?? (await findTargetByUrl(db, site.id, url))
  }
  if (!target) throw new Error(`target for product ${p.productId} neither made nor found`)
  await saveProduct(db, {
    siteId: site.id,
    platform: w.platform,
    productId: p.productId,
    targetId: target.id,
    deletedAt: null,
    changedAt: changedAt ?? known?.changedAt ?? null,
    updatedAt: now,
  }).run()
  return 'product_saved'
}

/** The platform's request to erase a buyer: as the erasure API does, by address and by each order named. */
async function redactCustomer(
  deps: ApplyDeps,
  w: Work,
  emailSealed: string | null,
  orderIds: readonly string[],
): Promise<DeliveryReason[]> {
  const p = { kind: 'site' as const, siteId: w.site.id, keyId: w.platform }
  const email = emailSealed ? await unseal(emailSealed, deps.secretsKey) : undefined
  const erasure = { db: deps.db, secretsKey: deps.secretsKey, photos: deps.photos }
  if (email) await eraseBuyer(erasure, p, w.site.slug, { email }, w.now)
  for (const orderId of orderIds.slice(0, 100)) await eraseBuyer(erasure, p, w.site.slug, { order_id: orderId }, w.now)
  return ['erased']
}
