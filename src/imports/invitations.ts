/**
 * Review invitations from past orders: each order of a file becomes the same invitation an order
 * event makes (`newInvitationRow`: the address sealed and hashed, due the shop's delay after the
 * order, sent by the cron through the outbox) — only for orders placed in the import's dates, never
 * for one whose invitation would already have expired (older than the shop's invitation delay
 * plus its validity), and never twice: an order that has an invitation (from an order event or an
 * earlier import) keeps it, and its line says so, decided in the step's batch.
 */
import type { BatchItem } from 'drizzle-orm/batch'
import { sql } from 'drizzle-orm'
import * as v from 'valibot'

import { DAY } from '../common/clock'
import { cleanField } from '../common/plain-text'
import { seal } from '../common/secrets'
import { fromWallClock } from '../common/time-zone'
import { Email } from '../common/validation'
import type { Db } from '../db/client'
import { newInvitationRow } from '../reviews/invitations/invitations'
import { emailHash, normaliseEmail } from '../reviews/invitations/links'
import { insertInvitationIf } from '../reviews/store'
import { readSettings } from '../sites/settings'
import type { SiteRow } from '../sites/store'
import { findTarget } from '../targets/store'
import type { OrderRow } from './formats/order-columns'
import { type ImportRow, insertLine, invitationAtOrder, invitationStored, voiceLine } from './store'
import { targetFinder } from './targets'
import type { LineRecord } from './voices'

/** An order of a file, its date read on the shop's clock: an invitation to make. */
export type InvitationRecord = { place: string; order: OrderRow & { at: number } }

export const isInvitationRecord = (r: object): r is InvitationRecord => 'order' in r

/** An invitation names at most this many products (as an order event does). */
const MAX_ITEMS = 50
const MAX_ORDER_ID = 100
/** A product's code or URL longer than this (as an order event refuses) names no product. */
const MAX_ITEM_CHARS = 2000

export type InvitationDeps = {
  db: Db
  site: SiteRow
  row: ImportRow
  /** The hub's key that seals buyers' addresses (WEBHOOK_SECRETS_KEY). */
  secretsKey: string | undefined
  /** The hub's origin for the review link when HUB_ORIGIN is unset (the one the import was made at). */
  hubOrigin: string
  now: number
}

/** The moments the import's days (in the shop's time zone) start and end; null where it sets none. */
function rangeOf(row: ImportRow, timeZone: string) {
  const day = (d: string | null, plus: number) => {
    if (d === null) return null
    const [y, m, dd] = d.split('-').map(Number)
    return fromWallClock(Date.UTC(y ?? 0, (m ?? 1) - 1, (dd ?? 1) + plus), timeZone)
  }
  return { from: day(row.options.from, 0), until: day(row.options.to, 1) }
}

/** Why an order gets no invitation before its products are looked at, or null. */
function orderRefusal(deps: InvitationDeps, order: InvitationRecord['order']): LineRecord['reason'] | null {
  const settings = readSettings(deps.site.settings)
  if (order.orderId.length > MAX_ORDER_ID) return 'bad_order_id'
  if (!v.safeParse(Email, order.email).success) return 'bad_email'
  if (order.at > deps.now) return 'future_order'
  const { from, until } = rangeOf(deps.row, settings.time_zone)
  if ((from !== null && order.at < from) || (until !== null && order.at >= until)) return 'outside_range'
  const lives = (settings.review_invitation_delay_days + settings.review_invitation_valid_days) * DAY
  if (order.at + lives <= deps.now) return 'too_old'
  return null
}

const REFUSED = new Set(['other_shop', 'private_address'])

/**
 * The order's products as target ids: through the import's map (a product code → a target id or
 * storefront URL) or the storefront's own pages (a target made for a page that has none, as for an
 * order event), else a code that is a target's id. Refused when one is another shop's page.
 */
async function productsOf(
  deps: InvitationDeps,
  find: ReturnType<typeof targetFinder>['find'],
  items: readonly string[],
): Promise<{ ids: string[] } | { refused: string }> {
  const ids: string[] = []
  for (const item of items) {
    if (item.length > MAX_ITEM_CHARS) continue
    const found = await find([item])
    if ('refused' in found && REFUSED.has(found.refused)) return { refused: found.refused }
    const target = 'refused' in found ? await findTarget(deps.db, deps.site.id, item) : found
    if (target && !ids.includes(target.id)) ids.push(target.id)
  }
  return { ids: ids.slice(0, MAX_ITEMS) }
}

export type PlannedInvitations = { statements: BatchItem<'sqlite'>[]; starts: number[]; lines: number }

/** The statements of one step of an orders import: each order's invitation, and every line of the report. */
export async function planInvitations(
  deps: InvitationDeps,
  records: readonly (InvitationRecord | LineRecord)[],
): Promise<PlannedInvitations> {
  const { db, site, row, now } = deps
  const finder = targetFinder(db, site, row.options.targets, true, now)
  await finder.prefetch(records.flatMap((r) => (isInvitationRecord(r) ? r.order.items : [])))
  const statements: BatchItem<'sqlite'>[] = []
  let line = row.lines
  const starts: number[] = []
  for (const record of records) {
    starts.push(statements.length)
    line++
    if (!isInvitationRecord(record)) {
      statements.push(insertLine(db, row, line, { ...record, ref: null }))
      continue
    }
    const { order, place } = record
    const subject = order.orderId.slice(0, MAX_ORDER_ID)
    const skip = (outcome: 'skipped' | 'refused', reason: string) =>
      statements.push(insertLine(db, row, line, { place, subject, outcome, reason, ref: null }))
    const refusal = orderRefusal(deps, order)
    if (refusal) {
      skip(refusal === 'bad_email' || refusal === 'bad_order_id' ? 'refused' : 'skipped', refusal)
      continue
    }
    const products = await productsOf(deps, finder.find, order.items)
    if ('refused' in products) {
      skip('refused', products.refused)
      continue
    }
    if (products.ids.length === 0) {
      skip('skipped', 'no_known_product')
      continue
    }
    const email = normaliseEmail(order.email)
    const invitation = newInvitationRow(
      site,
      {
        orderId: order.orderId,
        items: products.ids,
        customerName: cleanField(order.name, 100),
        emailSealed: await seal(email, deps.secretsKey),
        emailHash: await emailHash(deps.secretsKey, site.id, email),
        // The order's date stands for its delivery: the invitation is due the shop's delay after it.
        deliveredAt: order.at,
      },
      deps.hubOrigin,
      now,
    )
    statements.push(insertInvitationIf(db, invitation, sql`1`))
    const planned = { place, subject, outcome: 'added' as const, reason: null, ref: invitation.id }
    const stored = invitationStored(invitation.id)
    const existing = invitationAtOrder(site.id, order.orderId)
    statements.push(voiceLine(db, row, line, planned, stored, existing, 'already_invited'))
  }
  return { statements, starts, lines: line - row.lines }
}
