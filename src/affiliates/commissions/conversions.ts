/**
 * Conversions (`POST /hooks/{site}/conversions`, signed like orders): a sale is attributed
 * to the partner of the click the storefront saw (its `gh_click`), if that click is this
 * site's, by a person (not a bot), and no older than the attribution window; the commission is
 * the site's percentage (or the target's own rate) of the amount. Idempotent by order: one
 * sale and one refund per order id. A refund is its own ledger entry that takes back the
 * commission in proportion. Commissions never depend on what a partner's post says.
 *
 * Counters (link and partner totals) move in the same batch as the entry, only if it was new.
 */
import { and, eq, or, sql, type SQL } from 'drizzle-orm'
import * as v from 'valibot'
import type { Out } from '../../common/outputs'
import type { ConversionOut } from '../outputs'

import type { Db } from '../../db/client'
import { insertWhere } from '../../db/insert-where'
import { affiliateLinks, conversions, inboundReceipts, partners } from '../../db/schema'
import type { SignedEvent } from '../../inbound/service'
import { replayed } from '../../inbound/service'
import { insertReceipt, receiptIs } from '../../inbound/store'
import { newId } from '../../common/crypto'
import { AppError } from '../../common/errors'
import { issuesText } from '../../common/validation'
import { readSettings } from '../../sites/settings'
import type { Emitter } from '../../webhooks/events'
import { NO_OUTBOUND } from '../../outbox/outbox'
import { MAX_AMOUNT, MAX_TOTAL, minorUnits, percentOf, shareOf } from './money'
import { findClick, findLink, findPartner, refundsWithinSale } from '../store'
import { allOf } from '../../db/conditions'
import { DAY } from '../../common/clock'

/** Clocks differ: a sale a few minutes "before" its click still counts. */
const SKEW_MS = 5 * 60 * 1000

export type ConversionRow = typeof conversions.$inferSelect

/** The conversion event’s `data` (also the API description’s body of POST /hooks/{site}/conversions). */
export const Conversion = v.object({
  order_id: v.pipe(
    v.union([v.string(), v.pipe(v.number(), v.integer(), v.transform(String))], 'must be a string'),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(100),
  ),
  event: v.picklist(['sale', 'refund'], 'must be sale or refund'),
  amount: v.pipe(
    v.unknown(),
    v.transform(minorUnits),
    v.number(
      `must be a whole number of minor units (cents, yen) from 1 to ${MAX_AMOUNT}, as a JSON integer or a string of digits: $19.80 is 1980`,
    ),
  ),
  currency: v.pipe(
    v.string('must be an ISO 4217 code'),
    v.regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code'),
    v.toUpperCase(),
  ),
  click_id: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(40)))),
  occurred_at: v.optional(v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 date'))),
})

export type ConversionDeps = { db: Db; emit: Emitter }

/**
 * Takes one conversion event. `saleOrderId`: the order whose sale a refund takes back, when the
 * refund is stored under its own key (a platform's order refunded in parts: src/connectors/apply.ts).
 */
export async function receiveConversion(
  deps: ConversionDeps,
  event: SignedEvent,
  now: number,
  { saleOrderId }: { saleOrderId?: string } = {},
) {
  const { db } = deps
  const { site, receipt } = event
  const parsed = v.safeParse(Conversion, event.data)
  if (!parsed.success) throw new AppError('invalid_input', issuesText(parsed.issues))
  const c = parsed.output
  const settings = readSettings(site.settings)
  if (c.currency !== settings.currency)
    throw new AppError('invalid_input', `currency: this programme pays in ${settings.currency}`)
  const amount = c.amount
  const occurredAt = c.occurred_at ? Date.parse(c.occurred_at) : now

  const entry =
    c.event === 'sale'
      ? await saleEntry(db, site.id, c.click_id ?? null, amount, occurredAt, settings)
      : await refundEntry(db, site.id, saleOrderId ?? c.order_id, amount)
  // The entry keeps every total within what is counted exactly (or it is a repeat, which changes no total).
  const already = sql`EXISTS (SELECT 1 FROM ${conversions} WHERE ${conversions.siteId} = ${site.id} AND ${conversions.orderId} = ${c.order_id} AND ${conversions.event} = ${c.event})`
  const totals = entry.partnerId && entry.linkCode ? or(already, totalsHaveRoom(entry)) : undefined
  // A refund of a sale refunded in parts takes back no more than is left, even when two are worked at once.
  const within =
    saleOrderId && c.event === 'refund' ? or(already, refundsWithinSale(site.id, saleOrderId, entry.amount)) : undefined
  const room = and(totals, within)
  const row: ConversionRow = {
    id: newId('cv'),
    siteId: site.id,
    orderId: c.order_id,
    event: c.event,
    currency: c.currency,
    clickId: c.click_id ?? null,
    occurredAt,
    receivedAt: now,
    approvedAt: null,
    paidAt: null,
    ...entry,
  }
  const isNew = sql`EXISTS (SELECT 1 FROM ${conversions} WHERE ${conversions.id} = ${row.id})`
  // A partner's conversion is news for the site's webhooks: written with it, only if this event stored it.
  const news = row.partnerId
    ? await deps.emit.prepare(site.id, 'affiliate.conversion', (slug) => ({
        site: slug,
        conversion: conversionJson(row),
      }))
    : NO_OUTBOUND
  const [took, inserted, ...rest] = await db.batch([
    // An event refused for its totals leaves no receipt either: the storefront may send it again.
    room ? insertWhere(db, inboundReceipts, receipt, room).onConflictDoNothing() : insertReceipt(db, receipt),
    insertWhere(db, conversions, row, allOf(receiptIs(receipt), room)).onConflictDoNothing(),
    ...counterMoves(db, row, isNew),
    ...news.statements(isNew),
    db
      .select()
      .from(conversions)
      .where(and(eq(conversions.siteId, site.id), eq(conversions.orderId, c.order_id), eq(conversions.event, c.event)))
      .limit(1),
  ])
  const stored = (rest[rest.length - 1] as ConversionRow[])[0]
  if (took.meta.changes === 0 && stored) throw replayed(receipt.messageId)
  if (!stored)
    throw new AppError(
      'conflict',
      within
        ? 'The order’s refunds would take back more than its sale; this refund was not stored'
        : `The partner’s totals would pass ${MAX_TOTAL} minor units, more than can be counted exactly; this event was not stored`,
    )
  const created = inserted.meta.changes === 1
  if (created) await news.send()
  return { conversion: stored, created }
}

type Entry = Pick<ConversionRow, 'amount' | 'partnerId' | 'linkCode' | 'commission' | 'state'>

const UNATTRIBUTED = { partnerId: null, linkCode: null, commission: 0, state: 'unattributed' as const }

async function saleEntry(
  db: Db,
  siteId: number,
  clickId: string | null,
  amount: number,
  at: number,
  settings: ReturnType<typeof readSettings>,
): Promise<Entry> {
  const click = clickId ? await findClick(db, clickId) : undefined
  const fresh =
    click &&
    click.siteId === siteId &&
    !click.bot &&
    at >= click.at - SKEW_MS &&
    at - click.at <= settings.affiliate_window_days * DAY
  if (!click || !fresh) return { amount, ...UNATTRIBUTED }
  const [partner, link] = await Promise.all([findPartner(db, click.partnerId), findLink(db, click.linkCode)])
  if (!partner || partner.state !== 'approved' || !link) return { amount, ...UNATTRIBUTED }
  const percent = settings.affiliate_commission_by_target[link.targetId] ?? settings.affiliate_commission_percent
  return {
    amount,
    partnerId: partner.id,
    linkCode: link.code,
    commission: percentOf(amount, percent),
    state: 'pending',
  }
}

/** A refund takes back the sale's commission in proportion to the amount refunded. */
async function refundEntry(db: Db, siteId: number, orderId: string, refunded: number): Promise<Entry> {
  const sale = await db
    .select()
    .from(conversions)
    .where(and(eq(conversions.siteId, siteId), eq(conversions.orderId, orderId), eq(conversions.event, 'sale')))
    .get()
  if (!sale || !sale.partnerId) return { amount: -refunded, ...UNATTRIBUTED }
  return {
    amount: -refunded,
    partnerId: sale.partnerId,
    linkCode: sale.linkCode,
    commission: -shareOf(sale.commission, refunded, sale.amount),
    state: 'pending',
  }
}

/**
 * True while the entry keeps each total of its partner and link within MAX_TOTAL (part of the
 * entry's insert, so no stored total can pass what is counted exactly).
 */
function totalsHaveRoom(e: Pick<Entry, 'partnerId' | 'linkCode' | 'amount' | 'commission'>): SQL {
  const within = (total: SQL) => sql`abs(${total}) <= ${MAX_TOTAL}`
  return sql`EXISTS (SELECT 1 FROM ${partners} WHERE ${partners.id} = ${e.partnerId}
      AND ${within(sql`${partners.revenue} + ${e.amount}`)} AND ${within(sql`${partners.commissionPending} + ${e.commission}`)})
    AND EXISTS (SELECT 1 FROM ${affiliateLinks} WHERE ${affiliateLinks.code} = ${e.linkCode}
      AND ${within(sql`${affiliateLinks.revenue} + ${e.amount}`)} AND ${within(sql`${affiliateLinks.commission} + ${e.commission}`)})`
}

/** The link's and the partner's totals, moved only if the entry was written in this batch. */
function counterMoves(db: Db, row: ConversionRow, isNew: SQL) {
  if (!row.partnerId || !row.linkCode) return []
  const sale = row.event === 'sale' ? 1 : 0
  return [
    db
      .update(affiliateLinks)
      .set({
        conversions: sql`${affiliateLinks.conversions} + ${sale}`,
        revenue: sql`${affiliateLinks.revenue} + ${row.amount}`,
        commission: sql`${affiliateLinks.commission} + ${row.commission}`,
      })
      .where(and(eq(affiliateLinks.code, row.linkCode), isNew)),
    db
      .update(partners)
      .set({
        conversions: sql`${partners.conversions} + ${sale}`,
        revenue: sql`${partners.revenue} + ${row.amount}`,
        commissionPending: sql`${partners.commissionPending} + ${row.commission}`,
      })
      .where(and(eq(partners.id, row.partnerId), isNew)),
  ]
}

export const conversionJson = (c: ConversionRow): Out<typeof ConversionOut> => ({
  id: c.id,
  order_id: c.orderId,
  event: c.event,
  amount: c.amount,
  currency: c.currency,
  click_id: c.clickId,
  partner: c.partnerId,
  link: c.linkCode,
  commission: c.commission,
  state: c.state,
  occurred_at: new Date(c.occurredAt).toISOString(),
  approved_at: c.approvedAt === null ? null : new Date(c.approvedAt).toISOString(),
  paid_at: c.paidAt === null ? null : new Date(c.paidAt).toISOString(),
})
