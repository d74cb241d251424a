/**
 * Orders in, invitations out. Every delivered order gets exactly one invitation, due the
 * same number of days after delivery for every buyer, with the same neutral words — there is
 * deliberately no way to choose whom to invite (review gating is what the FTC's 2024 rule on
 * reviews and every platform's guidelines forbid). A Cron Trigger sends what is due: always as
 * a `review.invitation.due` webhook carrying the link, and by e-mail (through the outbox and
 * the mail queue, src/mail/) when the hub can send e-mail.
 */
import * as v from 'valibot'
import type { Out } from '../../common/outputs'
import type { InvitationOut } from '../outputs'

import { batchAll, type Db } from '../../db/client'
import type { SignedEvent } from '../../inbound/service'
import { insertReceipt, receiptIs } from '../../inbound/store'
import { replayed } from '../../inbound/service'
import { automaticTarget } from '../../targets/service'
import { newId } from '../../common/crypto'
import { AppError } from '../../common/errors'
import { seal, unseal } from '../../common/secrets'
import { canonicalUrl, isUnderOrigins } from '../../common/url'
import { Email, issuesText } from '../../common/validation'
import { readSettings } from '../../sites/settings'
import { findSiteById, type SiteRow } from '../../sites/store'
import { findTarget } from '../../targets/store'
import type { Emitter } from '../../webhooks/events'
import { emailHash, invitationMailRef, normaliseEmail, reviewLink } from './links'
import { letter, type Post, postLetters } from '../../mail/letters'
import { NO_OUTBOUND, recordMessages } from '../../outbox/outbox'
import { invitationMail } from './mail'
import type { Principal } from '../../common/principal'
import { pageOf, type Position } from '../../common/cursor'
import { loadSite } from '../../sites/service'
import {
  claimForSending,
  dueInvitations,
  expireInvitations,
  type InvitationRow,
  type InvitationStage,
  insertInvitationIf,
  invitationOfOrder,
  invitationScheduled,
  invitationsOfSite,
} from '../store'
import { DAY } from '../../common/clock'

/** The order event’s `data` (also the API description’s body of POST /hooks/{site}/orders). */
export const Order = v.object({
  order_id: v.pipe(
    v.union([v.string(), v.pipe(v.number(), v.integer(), v.transform(String))], 'must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(100, 'at most 100 characters'),
  ),
  items: v.pipe(
    v.array(
      v.pipe(v.string('must be a target id or a product URL'), v.trim(), v.minLength(1), v.maxLength(2000)),
      'must be a list of target ids or product URLs',
    ),
    v.minLength(1, 'at least one item'),
    v.maxLength(50, 'at most 50 items'),
  ),
  customer: v.object({
    email: Email,
    name: v.optional(v.pipe(v.string('must be a string'), v.trim(), v.maxLength(100, 'at most 100 characters'))),
  }),
  delivered_at: v.pipe(v.string('must be an ISO 8601 date'), v.isoTimestamp('must be an ISO 8601 date')),
  lang: v.optional(v.picklist(['en', 'ja'], 'must be en or ja')),
})
export type OrderInput = v.InferOutput<typeof Order>

function parseOrder(data: unknown): OrderInput {
  const parsed = v.safeParse(Order, data)
  if (!parsed.success) throw new AppError('invalid_input', issuesText(parsed.issues))
  return parsed.output
}

export type OrderDeps = { db: Db; secretsKey: string | undefined }

/** Takes one signed order event; the invitation it made (or the one its order already had). */
export async function receiveOrder(deps: OrderDeps, event: SignedEvent, hubOrigin: string, now: number) {
  const { db } = deps
  const { site, receipt } = event
  const order = parseOrder(event.data)
  const items = await resolveItems(db, site, order.items, now)
  const email = normaliseEmail(order.customer.email)
  const row = newInvitationRow(
    site,
    {
      orderId: order.order_id,
      items,
      customerName: order.customer.name || null,
      emailSealed: await seal(email, deps.secretsKey),
      emailHash: await emailHash(deps.secretsKey, site.id, email),
      lang: order.lang,
      deliveredAt: Date.parse(order.delivered_at),
    },
    hubOrigin,
    now,
  )
  const [took, inserted, [stored]] = await db.batch([
    insertReceipt(db, receipt),
    insertInvitationIf(db, row, receiptIs(receipt)),
    invitationOfOrder(db, site.id, order.order_id),
  ])
  if (took.meta.changes === 0) throw replayed(receipt.messageId)
  if (!stored) throw new AppError('internal', 'invitation neither stored nor found')
  return { invitation: stored, created: inserted.meta.changes === 1 }
}

export type OrderFacts = Pick<
  InvitationRow,
  'orderId' | 'items' | 'customerName' | 'emailSealed' | 'emailHash' | 'deliveredAt'
> & {
  lang?: InvitationRow['lang'] | undefined
}

/** A scheduled invitation for an order: due, expiring and offering a coupon as the site's settings say today. */
export function newInvitationRow(
  site: Pick<SiteRow, 'id' | 'settings'>,
  o: OrderFacts,
  hubOrigin: string,
  now: number,
): InvitationRow {
  const settings = readSettings(site.settings)
  const dueAt = o.deliveredAt + settings.review_invitation_delay_days * DAY
  return {
    id: newId('inv'),
    siteId: site.id,
    ...o,
    lang: o.lang ?? settings.review_lang,
    couponOffered: settings.coupons.mode !== 'off',
    dueAt,
    expiresAt: dueAt + settings.review_invitation_valid_days * DAY,
    state: 'scheduled',
    sentAt: null,
    usedAt: null,
    openedAt: null,
    editUntil: null,
    claim: null,
    couponCode: null,
    erasedAt: null,
    hubOrigin,
    createdAt: now,
  }
}

/** Each item as a target id: a known id, or a product URL on the site's origins (the storefront's own word: an automatic target is made for it). */
async function resolveItems(
  db: Db,
  site: SignedEvent['site'],
  items: readonly string[],
  now: number,
): Promise<string[]> {
  const ids: string[] = []
  for (const [i, item] of items.entries()) {
    const url = /^https?:\/\//i.test(item) ? canonicalUrl(item) : null
    const onSite = url !== null && isUnderOrigins(url, site.origins)
    const target = url
      ? onSite
        ? await automaticTarget(db, site, url, now, { always: true })
        : undefined
      : await findTarget(db, site.id, item)
    if (!target) {
      throw new AppError(
        'invalid_input',
        `items[${i}]: ${url ? 'not a page under the site’s origins' : 'no such target'} (${item.slice(0, 200)})`,
      )
    }
    if (!ids.includes(target.id)) ids.push(target.id)
  }
  return ids
}

/**
 * Where an invitation stands, as staff read it: scheduled (not yet due), due (waiting for the
 * next cron run), sent, opened (its link was loaded — a mail scanner may do that too), used or
 * expired (also when its time is past and the cron has not marked it yet).
 */
export function invitationStage(i: InvitationRow, now: number): InvitationStage {
  const open = i.state === 'scheduled' || i.state === 'sent'
  if (open && i.expiresAt <= now) return 'expired'
  if (i.state === 'scheduled') return i.dueAt <= now ? 'due' : 'scheduled'
  if (i.state === 'sent') return i.openedAt === null ? 'sent' : 'opened'
  return i.state
}

/** A page of a site's invitations, latest due first, optionally of one stage; or the one of an order. */
export async function invitationsOf(
  db: Db,
  p: Principal,
  slug: string,
  query: { stage?: InvitationStage | undefined; order?: string | undefined },
  before: Position | null,
  limit: number,
  now: number,
) {
  const site = await loadSite(db, p, slug)
  if (query.order !== undefined) {
    const rows = await invitationOfOrder(db, site.id, query.order).all()
    return { site, items: rows, next: null }
  }
  const rows = await invitationsOfSite(db, site.id, query.stage, before, limit + 1, now)
  return { site, ...pageOf(rows, limit, (i) => ({ time: i.dueAt, id: i.id })) }
}

export const invitationJson = (i: InvitationRow, now: number): Out<typeof InvitationOut> => ({
  id: i.id,
  order_id: i.orderId,
  state: i.state,
  stage: invitationStage(i, now),
  targets: i.items,
  lang: i.lang,
  coupon_offered: i.couponOffered,
  delivered_at: new Date(i.deliveredAt).toISOString(),
  due_at: new Date(i.dueAt).toISOString(),
  expires_at: new Date(i.expiresAt).toISOString(),
  sent_at: i.sentAt === null ? null : new Date(i.sentAt).toISOString(),
  opened_at: i.openedAt === null ? null : new Date(i.openedAt).toISOString(),
  used_at: i.usedAt === null ? null : new Date(i.usedAt).toISOString(),
  erased: i.erasedAt !== null,
})

export type SendDeps = {
  db: Db
  secretsKey: string | undefined
  emit: Emitter
  /** The hub's post for e-mail; null when it cannot send e-mail (no `send_email` binding, sender or key). */
  mail: Post | null
  /** The hub's public origin (HUB_ORIGIN); when unset, the one the storefront's order came to. */
  hubOrigin: string | null
}

/** Invitations handled per cron run; the rest wait for the next run. */
const PER_RUN = 100

/** The cron's work: expire what is past its time, then send what is due. */
export async function sendDueInvitations(deps: SendDeps, now: number) {
  const expired = (await expireInvitations(deps.db, now, 500)).meta.changes
  let sent = 0
  for (const invitation of await dueInvitations(deps.db, now, PER_RUN)) {
    if (await sendInvitation(deps, invitation, now)) sent++
  }
  return { sent, expired }
}

/** The invitation's e-mail to the buyer, sealed for the outbox; null when it cannot be made (logged). */
async function invitationLetter(deps: SendDeps, post: Post, site: SiteRow, invitation: InvitationRow, link: string) {
  if (!invitation.emailSealed) return null
  try {
    const titles = await Promise.all(
      invitation.items.map(async (id) => (await findTarget(deps.db, site.id, id))?.title ?? id),
    )
    const to = await unseal(invitation.emailSealed, deps.secretsKey)
    const mail = invitationMail(invitation.lang, {
      shop: site.name,
      name: invitation.customerName,
      link,
      products: titles,
      offer: couponOffer(site.settings, invitation),
    })
    return await letter(post, { ref: invitationMailRef(invitation.id), siteId: site.id, to, mail })
  } catch (err) {
    // The webhook still carries the link; the storefront's mailer can send it.
    console.error(
      JSON.stringify({ msg: 'could not e-mail a review invitation', id: invitation.id, error: String(err) }),
    )
    return null
  }
}

/**
 * Claims a due invitation and sends it: its e-mail and its `review.invitation.due` webhook are
 * recorded in the claim's batch (so they are sent even if the run stops right after), then
 * queued. False when another run claimed it first: two overlapping runs never send one
 * invitation twice.
 */
async function sendInvitation(deps: SendDeps, invitation: InvitationRow, now: number): Promise<boolean> {
  const { db } = deps
  const site = await findSiteById(db, invitation.siteId)
  const link = await reviewLink(deps.hubOrigin ?? invitation.hubOrigin, deps.secretsKey, invitation.id)
  const made = site && deps.mail ? await invitationLetter(deps, deps.mail, site, invitation, link) : null
  const letters = made ? [made] : []
  const event = site
    ? await deps.emit.prepare(site.id, 'review.invitation.due', (slug) => ({
        site: slug,
        invitation: {
          id: invitation.id,
          order_id: invitation.orderId,
          link,
          lang: invitation.lang,
          targets: invitation.items,
          customer_name: invitation.customerName,
          coupon_offered: invitation.couponOffered,
          due_at: new Date(invitation.dueAt).toISOString(),
          expires_at: new Date(invitation.expiresAt).toISOString(),
          // The hub has the e-mail to send (recorded and queued): it goes out within minutes.
          emailed: letters.length > 0,
        },
      }))
    : NO_OUTBOUND
  const results = await batchAll(db, [
    // Before the claim, whose change the guard would no longer see.
    ...recordMessages(db, letters, now, invitationScheduled(invitation.id)),
    ...event.statements(invitationScheduled(invitation.id)),
    claimForSending(db, invitation.id, now),
  ])
  if ((results.at(-1) as D1Result).meta.changes !== 1) return false
  if (deps.mail && letters.length > 0) await postLetters(db, deps.mail, letters, now)
  await event.send()
  return true
}

/** What the thank-you coupon is, for the invitation's words (null: none offered). */
export function couponOffer(
  settings: Record<string, unknown>,
  invitation: Pick<InvitationRow, 'couponOffered'>,
): string | null {
  if (!invitation.couponOffered) return null
  return readSettings(settings).coupons.offer ?? ''
}
