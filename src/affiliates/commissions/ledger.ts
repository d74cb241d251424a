/**
 * The commission ledger's steps and its export. Staff approve a partner's pending commissions
 * (say, once the refund period is over) and later mark approved ones paid; each step moves
 * the entries and the partner's totals in one batch. The CSV export is for the bookkeeping.
 */
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm'

import { csvLine } from '../../common/csv'
import type { Principal } from '../../common/principal'
import type { Db } from '../../db/client'
import { pastPosition } from '../../db/keyset'
import { type CommissionState, conversions, partners } from '../../db/schema'
import { AppError } from '../../common/errors'
import { loadSite } from '../../sites/service'
import type { ConversionRow } from './conversions'
import { MAX_TOTAL } from './money'
import type { PartnerRow } from '../store'
import type { Position } from '../../common/cursor'

export type LedgerStep = 'approve' | 'pay'

const STEP = {
  approve: { from: 'pending', to: 'approved' },
  pay: { from: 'approved', to: 'paid' },
} as const

/**
 * Moves a partner's entries of one state that occurred before `before` to the next, and the
 * partner's totals with them; how many moved. The totals are read first and the move is
 * written only if they (and the entries' sum) are still as read, so a conversion arriving
 * meanwhile makes it try again; a move that would take a total past MAX_TOTAL is refused.
 */
export async function stepCommissions(
  db: Db,
  p: Principal,
  slug: string,
  partnerId: string,
  step: LedgerStep,
  before: number,
  now: number,
) {
  const site = await loadSite(db, p, slug)
  const { from, to } = STEP[step]
  const which = and(
    eq(conversions.partnerId, partnerId),
    sql`${conversions.state} = ${from}`,
    lt(conversions.occurredAt, before),
  )
  const sumOf = sql<number>`(SELECT coalesce(sum(${conversions.commission}), 0) FROM ${conversions} WHERE ${which})`
  for (let attempt = 0; attempt < 3; attempt++) {
    const [[partner], [read]] = await db.batch([
      db.select().from(partners).where(eq(partners.id, partnerId)).limit(1),
      db
        .select({ sum: sql<number>`coalesce(sum(${conversions.commission}), 0)` })
        .from(conversions)
        .where(which),
    ])
    if (!partner || partner.siteId !== site.id)
      throw new AppError('not_found', 'Partner not found', 'パートナーが見つかりません')
    const sum = read?.sum ?? 0
    const totals =
      step === 'approve'
        ? {
            commissionPending: partner.commissionPending - sum,
            commissionApproved: partner.commissionApproved + sum,
            commissionPaid: partner.commissionPaid,
          }
        : {
            commissionPending: partner.commissionPending,
            commissionApproved: partner.commissionApproved - sum,
            commissionPaid: partner.commissionPaid + sum,
          }
    if (Object.values(totals).some((n) => Math.abs(n) > MAX_TOTAL)) {
      throw new AppError(
        'conflict',
        `This step would take the partner’s totals past ${MAX_TOTAL} minor units, more than can be counted exactly`,
        'この操作をするとパートナーの合計額が正確に数えられる範囲を超えます',
      )
    }
    const holds = (t: Pick<PartnerRow, 'commissionPending' | 'commissionApproved' | 'commissionPaid'>) =>
      and(
        eq(partners.id, partnerId),
        eq(partners.commissionPending, t.commissionPending),
        eq(partners.commissionApproved, t.commissionApproved),
        eq(partners.commissionPaid, t.commissionPaid),
      )
    const [first, moved] = await db.batch([
      db
        .update(partners)
        .set(totals)
        .where(and(holds(partner), sql`${sumOf} = ${sum}`)),
      // The entries move only if the totals moved with them: changes() is the statement just before's.
      db
        .update(conversions)
        .set({ state: to, ...(step === 'approve' ? { approvedAt: now } : { paidAt: now }) })
        .where(and(which, sql`changes() = 1`, sql`EXISTS (SELECT 1 FROM ${partners} WHERE ${holds(totals)})`)),
    ])
    if (first.meta.changes === 1) return { moved: moved.meta.changes, to: to as CommissionState }
  }
  throw new AppError(
    'conflict',
    'The partner’s commissions changed while we were moving them; try again',
    '処理中にパートナーの報酬が変更されました。もう一度お試しください',
  )
}

/** A partner's ledger entries, newest first, continuing before `before` (keyset on occurred_at, id). */
export const entriesOfPartner = (db: Db, partnerId: string, before: Position | null, limit: number) =>
  db
    .select()
    .from(conversions)
    .where(
      and(
        eq(conversions.partnerId, partnerId),
        before ? pastPosition(conversions.occurredAt, conversions.id, before, false) : undefined,
      ),
    )
    .orderBy(desc(conversions.occurredAt), desc(conversions.id))
    .limit(limit)
    .all()

/** The site's ledger, oldest first, with each partner's name (the CSV export: at most `limit` rows from `after` on). */
export const entriesOfSite = (db: Db, siteId: number, after: Position | null, limit: number) =>
  db
    .select({ entry: conversions, partnerName: partners.name })
    .from(conversions)
    .leftJoin(partners, eq(partners.id, conversions.partnerId))
    .where(
      and(
        eq(conversions.siteId, siteId),
        after ? pastPosition(conversions.occurredAt, conversions.id, after, true) : undefined,
      ),
    )
    .orderBy(asc(conversions.occurredAt), asc(conversions.id))
    .limit(limit)
    .all()

export function ledgerCsv(rows: readonly { entry: ConversionRow; partnerName: string | null }[]): string {
  const header = [
    'occurred_at',
    'order_id',
    'event',
    'amount',
    'currency',
    'partner_id',
    'partner_name',
    'link',
    'click_id',
    'commission',
    'state',
    'approved_at',
    'paid_at',
  ]
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  const lines = rows.map(({ entry: r, partnerName }) =>
    csvLine([
      iso(r.occurredAt),
      r.orderId,
      r.event,
      r.amount,
      r.currency,
      r.partnerId,
      partnerName,
      r.linkCode,
      r.clickId,
      r.commission,
      r.state,
      iso(r.approvedAt),
      iso(r.paidAt),
    ]),
  )
  return csvLine(header) + lines.join('')
}
