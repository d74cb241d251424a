/** Partners, tracking links and clicks in D1. */
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { pastPosition } from '../db/keyset'
import {
  affiliateLinks,
  clicks,
  conversions,
  outbox,
  type PartnerState,
  partners,
  partnerSignInLinks,
  sites,
  targets,
} from '../db/schema'
import type { Position } from '../common/cursor'
import { HOUR } from '../common/clock'

export type PartnerRow = typeof partners.$inferSelect
export type LinkRow = typeof affiliateLinks.$inferSelect
export type ClickRow = typeof clicks.$inferSelect

export const insertPartner = (db: Db, row: PartnerRow) => db.insert(partners).values(row).onConflictDoNothing()

/** The partner was stored (a guard for the statements written with its application). */
export const partnerIsStored = (id: string): SQL => sql`EXISTS (SELECT 1 FROM ${partners} WHERE ${partners.id} = ${id})`

export const findPartner = (db: Db, id: string) => db.select().from(partners).where(eq(partners.id, id)).get()

export const partnerByKeyHash = (db: Db, hash: string) =>
  db.select().from(partners).where(eq(partners.keyHash, hash)).get()

/** The site's partners (of one state, or all), newest application first, continuing before `before`. */
export const partnersOfSite = (
  db: Db,
  siteId: number,
  state: PartnerState | undefined,
  before: Position | null,
  limit: number,
) =>
  db
    .select()
    .from(partners)
    .where(
      and(
        eq(partners.siteId, siteId),
        state ? eq(partners.state, state) : undefined,
        before ? pastPosition(partners.appliedAt, partners.id, before, false) : undefined,
      ),
    )
    .orderBy(desc(partners.appliedAt), desc(partners.id))
    .limit(limit)
    .all()

/** The site's partner with this (lower-case) address, if any. */
export const partnerByEmail = (db: Db, siteId: number, email: string) =>
  db
    .select()
    .from(partners)
    .where(and(eq(partners.siteId, siteId), eq(partners.email, email)))
    .get()

export type SignInLinkRow = typeof partnerSignInLinks.$inferSelect

export const insertSignInLink = (db: Db, row: SignInLinkRow) => db.insert(partnerSignInLinks).values(row)

/**
 * Uses a sign-in link once: its partner's id, or undefined when the link is unknown, used, past
 * its time, another site's, or its partner is not approved or was decided on again since the link
 * was made (a suspension voids the links sent before it). A link that does not qualify stays unused.
 */
export const redeemSignInLinkRow = (
  db: Db,
  siteId: number,
  tokenHash: string,
  now: number,
): Promise<{ partnerId: string } | undefined> =>
  db
    .update(partnerSignInLinks)
    .set({ usedAt: now })
    .where(
      and(
        eq(partnerSignInLinks.tokenHash, tokenHash),
        sql`${partnerSignInLinks.usedAt} IS NULL`,
        sql`${partnerSignInLinks.expiresAt} > ${now}`,
        sql`${partnerSignInLinks.partnerId} IN (SELECT ${partners.id} FROM ${partners} WHERE ${partners.siteId} = ${siteId} AND ${partners.state} = 'approved' AND ${partners.decidedAt} <= ${partnerSignInLinks.createdAt})`,
      ),
    )
    .returning({ partnerId: partnerSignInLinks.partnerId })
    .get()

/** Whether the partner was sent a link since `since` (a request for another one waits). */
export const signInLinkSince = (db: Db, partnerId: string, since: number) =>
  db
    .select({ one: sql`1` })
    .from(partnerSignInLinks)
    .where(and(eq(partnerSignInLinks.partnerId, partnerId), sql`${partnerSignInLinks.createdAt} > ${since}`))
    .limit(1)
    .get()

/** The outbox's names of sign-in e-mails start with this, then the link's hash. */
export const SIGN_IN_MAIL = 'sign-in:'

/**
 * The partner's newest sign-in link and its e-mail as the outbox has it (`state` null: made
 * without e-mail, for the shop to pass on); undefined when the partner has none (left).
 */
export const newestSignInMail = (db: Db, partnerId: string) =>
  db
    .select({
      createdAt: partnerSignInLinks.createdAt,
      state: outbox.state,
      lastFailure: outbox.lastFailure,
    })
    .from(partnerSignInLinks)
    .leftJoin(
      outbox,
      and(eq(outbox.kind, 'mail'), eq(outbox.ref, sql`${SIGN_IN_MAIL} || ${partnerSignInLinks.tokenHash}`)),
    )
    .where(eq(partnerSignInLinks.partnerId, partnerId))
    .orderBy(desc(partnerSignInLinks.createdAt))
    .limit(1)
    .get()

export type SignInMail = NonNullable<Awaited<ReturnType<typeof newestSignInMail>>>

/** Links past their time are of no use: the cron deletes them, at most `limit` a run. */
export const deleteExpiredSignInLinks = (db: Db, before: number, limit: number) =>
  db
    .delete(partnerSignInLinks)
    .where(
      inArray(
        partnerSignInLinks.tokenHash,
        db
          .select({ tokenHash: partnerSignInLinks.tokenHash })
          .from(partnerSignInLinks)
          .where(sql`${partnerSignInLinks.expiresAt} <= ${before}`)
          .limit(limit),
      ),
    )
    .run()

/** The partner after the change; undefined when no such partner (drizzle's `get()` type omits that case). */
export const updatePartner = (db: Db, id: string, changes: Partial<PartnerRow>): Promise<PartnerRow | undefined> =>
  db.update(partners).set(changes).where(eq(partners.id, id)).returning().get()

export const insertLink = (db: Db, row: LinkRow) => db.insert(affiliateLinks).values(row)

/**
 * A link with where it goes: the target's URL (the only destination a link can have), its
 * partner's state and its site's settings, in one query.
 *
 * Joins, with every correlated column in the ON clauses: drizzle writes a single-table
 * select's *selected* `sql` fragments with bare column names, so a correlated subquery there
 * (`targets.site_id = affiliate_links.site_id`) would run as `"site_id" = "site_id"` and find
 * another shop's target of the same id. Only distinct column names are selected (see
 * src/db/metering.ts).
 */
export const linkWithTarget = (db: Db, code: string) =>
  db
    .select({
      link: affiliateLinks,
      targetUrl: targets.url,
      partnerState: partners.state,
      siteSettings: sites.settings,
      siteDeletedAt: sites.deletedAt,
    })
    .from(affiliateLinks)
    .leftJoin(targets, and(eq(targets.siteId, affiliateLinks.siteId), eq(targets.id, affiliateLinks.targetId)))
    .leftJoin(partners, and(eq(partners.id, affiliateLinks.partnerId), eq(partners.siteId, affiliateLinks.siteId)))
    .leftJoin(sites, eq(sites.id, affiliateLinks.siteId))
    .where(eq(affiliateLinks.code, code))
    .get()

export const linksOfPartner = (db: Db, partnerId: string, limit: number) =>
  db
    .select()
    .from(affiliateLinks)
    .where(eq(affiliateLinks.partnerId, partnerId))
    .orderBy(desc(affiliateLinks.createdAt))
    .limit(limit)
    .all()

export const setLinkDisabled = (db: Db, code: string, now: number): Promise<LinkRow | undefined> =>
  db.update(affiliateLinks).set({ disabledAt: now }).where(eq(affiliateLinks.code, code)).returning().get()

export const findLink = (db: Db, code: string) =>
  db.select().from(affiliateLinks).where(eq(affiliateLinks.code, code)).get()

/**
 * Stores a click once (its id is the key: a redelivered message changes nothing), unique when
 * the visitor's last unique click on the link is an hour old or more: one per visitor per link per hour.
 */
/**
 * A click as the queue consumer writes it: the row (`isUnique` is decided by the write), and
 * `nonce`, random per write, under which the counters move.
 */
export type ClickWrite = Omit<ClickRow, 'isUnique'>

// One click: stored (unique when the visitor's first on this link within the hour; a bot never
// is), and the link's and the partner's counters moved only under the write that stored it, so
// a retried batch counts nothing twice (its clicks are there under an earlier nonce). Fixed SQL,
// prepared straight on D1: a queue batch writes up to 100 clicks, and building each statement
// with the query builder cost more than the writes (`npm run profile -- redirect`).
const INSERT_CLICK = `INSERT INTO clicks (id, site_id, link_code, partner_id, at, referrer_host, country, ua_class, bot, visitor, is_unique, nonce)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
    CASE WHEN ?9 = 1 THEN 0 ELSE NOT EXISTS (SELECT 1 FROM clicks WHERE link_code = ?3 AND visitor = ?10
      AND at > ?5 - ${HOUR} AND at <= ?5 AND is_unique = 1) END,
    ?11
  WHERE 1 ON CONFLICT DO NOTHING`
const STORED_NOW = 'EXISTS (SELECT 1 FROM clicks WHERE id = ?1 AND nonce = ?2)'
const UNIQUE = '(SELECT is_unique FROM clicks WHERE id = ?1)'
const COUNT_HUMAN_CLICK = `UPDATE affiliate_links SET clicks = clicks + 1, unique_clicks = unique_clicks + ${UNIQUE}
  WHERE code = ?3 AND ${STORED_NOW}`
const COUNT_BOT_CLICK = `UPDATE affiliate_links SET bot_clicks = bot_clicks + 1 WHERE code = ?3 AND ${STORED_NOW}`
const COUNT_PARTNER_CLICK = `UPDATE partners SET clicks = clicks + 1, unique_clicks = unique_clicks + ${UNIQUE}
  WHERE id = ?3 AND ${STORED_NOW}`

/** The statements that write one click and its counters (bots are not counted for the partner at all). */
export function clickStatements(d1: D1Database, c: ClickWrite): D1PreparedStatement[] {
  const bot = c.bot ? 1 : 0
  const insert = d1
    .prepare(INSERT_CLICK)
    .bind(c.id, c.siteId, c.linkCode, c.partnerId, c.at, c.referrerHost, c.country, c.uaClass, bot, c.visitor, c.nonce)
  if (c.bot) return [insert, d1.prepare(COUNT_BOT_CLICK).bind(c.id, c.nonce, c.linkCode)]
  return [
    insert,
    d1.prepare(COUNT_HUMAN_CLICK).bind(c.id, c.nonce, c.linkCode),
    d1.prepare(COUNT_PARTNER_CLICK).bind(c.id, c.nonce, c.partnerId),
  ]
}

export const findClick = (db: Db, id: string) => db.select().from(clicks).where(eq(clicks.id, id)).get()

/** Links with clicks the aggregated webhook has not reported yet. */
export const unreportedLinks = (db: Db, limit: number) =>
  db
    .select()
    .from(affiliateLinks)
    .where(sql`${affiliateLinks.clicks} > ${affiliateLinks.reportedClicks}`)
    .limit(limit)
    .all()

export const markReported = (db: Db, l: Pick<LinkRow, 'code' | 'clicks' | 'uniqueClicks'>) =>
  db
    .update(affiliateLinks)
    .set({ reportedClicks: l.clicks, reportedUniqueClicks: l.uniqueClicks })
    .where(eq(affiliateLinks.code, l.code))

/** The order's refunds: stored under the order's id, or under `{order}#{refund}` (a platform's refunds, one entry each). */
const refundsOfOrder = (siteId: number, orderId: string) =>
  and(
    eq(conversions.siteId, siteId),
    eq(conversions.event, 'refund'),
    sql`(${conversions.orderId} = ${orderId} OR (${conversions.orderId} >= ${`${orderId}#`} AND ${conversions.orderId} < ${`${orderId}$`}))`,
  )

/** An order's attributed sale and how much of it refunds took back so far. */
export async function saleAndRefunded(db: Db, siteId: number, orderId: string) {
  const sale = await findConversion(db, siteId, orderId, 'sale')
  if (!sale) return null
  const refunded = await db
    .select({ total: sql<number>`coalesce(sum(-${conversions.amount}), 0)` })
    .from(conversions)
    .where(refundsOfOrder(siteId, orderId))
    .get()
  return { sale, refunded: refunded?.total ?? 0 }
}

export const findConversion = (db: Db, siteId: number, orderId: string, event: 'sale' | 'refund') =>
  db
    .select()
    .from(conversions)
    .where(and(eq(conversions.siteId, siteId), eq(conversions.orderId, orderId), eq(conversions.event, event)))
    .get()

/**
 * True while the order's refunds with `amount` (a refund entry's, negative) more take back no
 * more than its sale: part of the entry's insert, so two refunds worked at once cannot both take
 * what was left.
 */
export const refundsWithinSale = (siteId: number, orderId: string, amount: number): SQL =>
  sql`(SELECT ${conversions.amount} FROM ${conversions} WHERE ${conversions.siteId} = ${siteId} AND ${conversions.orderId} = ${orderId} AND ${conversions.event} = 'sale') + (SELECT coalesce(sum(${conversions.amount}), 0) FROM ${conversions} WHERE ${refundsOfOrder(siteId, orderId)}) + ${amount} >= 0`
