/**
 * The commission ledger's steps and its export. Staff approve a partner's pending commissions
 * (say, once the refund period is over) and later mark approved ones paid; each step moves
 * the entries and the partner's totals in one batch. The CSV export is for the bookkeeping.
 */
import { and, asc, eq, lt, sql } from 'drizzle-orm'

import type { Principal } from '../auth/principal'
import type { Db } from '../db/client'
import { type CommissionState, conversions, partners } from '../db/schema'
import { AppError } from '../shared/errors'
import { loadSite } from '../sites/service'
import type { ConversionRow } from './conversions'
import { findPartner } from './store'

export type LedgerStep = 'approve' | 'pay'

const STEP = {
  approve: { from: 'pending', to: 'approved' },
  pay: { from: 'approved', to: 'paid' },
} as const

/** Moves a partner's entries of one state that occurred before `before` to the next; how many moved. */
export async function stepCommissions(db: Db, p: Principal, slug: string, partnerId: string, step: LedgerStep, before: number, now: number) {
  const site = await loadSite(db, p, slug)
  const partner = await findPartner(db, partnerId)
  if (!partner || partner.siteId !== site.id) throw new AppError('not_found', 'Partner not found')
  const { from, to } = STEP[step]
  const which = and(eq(conversions.partnerId, partnerId), sql`${conversions.state} = ${from}`, lt(conversions.occurredAt, before))
  const sum = sql`(SELECT coalesce(sum(${conversions.commission}), 0) FROM ${conversions} WHERE ${which})`
  const totals =
    step === 'approve'
      ? { commissionPending: sql`${partners.commissionPending} - ${sum}`, commissionApproved: sql`${partners.commissionApproved} + ${sum}` }
      : { commissionApproved: sql`${partners.commissionApproved} - ${sum}`, commissionPaid: sql`${partners.commissionPaid} + ${sum}` }
  const [, moved] = await db.batch([
    // First the totals (they read the entries as they are), then the entries.
    db.update(partners).set(totals).where(eq(partners.id, partnerId)),
    db
      .update(conversions)
      .set({ state: to, ...(step === 'approve' ? { approvedAt: now } : { paidAt: now }) })
      .where(which),
  ])
  return { moved: moved.meta.changes, to: to as CommissionState }
}

export const entriesOfPartner = (db: Db, partnerId: string, limit: number) =>
  db.select().from(conversions).where(eq(conversions.partnerId, partnerId)).orderBy(asc(conversions.occurredAt)).limit(limit).all()

export const entriesOfSite = (db: Db, siteId: number, limit: number) =>
  db.select().from(conversions).where(eq(conversions.siteId, siteId)).orderBy(asc(conversions.occurredAt)).limit(limit).all()

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet (CSV injection). */
const cell = (value: string | number | null) => {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function ledgerCsv(rows: readonly ConversionRow[], names: ReadonlyMap<string, string>): string {
  const header = ['occurred_at', 'order_id', 'event', 'amount', 'currency', 'partner_id', 'partner_name', 'link', 'click_id', 'commission', 'state', 'approved_at', 'paid_at']
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  const lines = rows.map((r) =>
    [iso(r.occurredAt), r.orderId, r.event, r.amount, r.currency, r.partnerId, r.partnerId ? (names.get(r.partnerId) ?? null) : null, r.linkCode, r.clickId, r.commission, r.state, iso(r.approvedAt), iso(r.paidAt)]
      .map(cell)
      .join(',')
  )
  return [header.join(','), ...lines].join('\r\n') + '\r\n'
}
