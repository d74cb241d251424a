/** Invitations, coupon codes and review revisions in D1. */
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm'

import type { Position } from '../common/cursor'
import type { Db } from '../db/client'
import { couponCodes, erasureRequests, invitations, voices, reviewRevisions } from '../db/schema'
import { insertWhere } from '../db/insert-where'
import { pastPosition } from '../db/keyset'
import { siteIsLive } from '../sites/store'

export type InvitationRow = typeof invitations.$inferSelect

export const findInvitation = (db: Db, id: string) => db.select().from(invitations).where(eq(invitations.id, id)).get()

export const invitationOfOrder = (db: Db, siteId: number, orderId: string) =>
  db
    .select()
    .from(invitations)
    .where(and(eq(invitations.siteId, siteId), eq(invitations.orderId, orderId)))
    .limit(1)

/** Inserts the order's invitation under `condition`; nothing when the order already has one. */
export const insertInvitationIf = (db: Db, row: InvitationRow, condition: SQL) =>
  insertWhere(db, invitations, row, condition).onConflictDoNothing()

/** Scheduled invitations whose time has come, oldest first (partial index invitations_due). */
export const dueInvitations = (db: Db, now: number, limit: number) =>
  db
    .select()
    .from(invitations)
    .where(and(sql`${invitations.state} = 'scheduled'`, lte(invitations.dueAt, now), siteIsLive(invitations.siteId)))
    .orderBy(asc(invitations.dueAt))
    .limit(limit)
    .all()

/** The invitation is still scheduled: a guard for what its claim's batch writes with it. */
export const invitationScheduled = (id: string) =>
  sql`EXISTS (SELECT 1 FROM ${invitations} WHERE ${invitations.id} = ${id} AND ${invitations.state} = 'scheduled')`

/** Marks an invitation sent unless another run got there first (one change: ours to send). */
export const claimForSending = (db: Db, id: string, now: number) =>
  db
    .update(invitations)
    .set({ state: 'sent', sentAt: now })
    .where(and(eq(invitations.id, id), eq(invitations.state, 'scheduled')))

/** Unused invitations past their time: expired, and the buyer's address and name erased. */
export const expireInvitations = (db: Db, now: number, limit: number) =>
  db
    .update(invitations)
    .set({ state: 'expired', emailSealed: null, customerName: null })
    .where(
      inArray(
        invitations.id,
        db
          .select({ id: invitations.id })
          .from(invitations)
          .where(and(sql`${invitations.state} IN ('scheduled', 'sent')`, lte(invitations.expiresAt, now)))
          .limit(limit),
      ),
    )
    .run()

/** Uses the invitation (once): the reviews written in the same batch are inserted only under `claim`. */
export const useInvitation = (db: Db, id: string, claim: string, now: number, editUntil: number) =>
  db
    .update(invitations)
    .set({ state: 'used', usedAt: now, claim, editUntil, emailSealed: null, customerName: null })
    .where(
      and(
        eq(invitations.id, id),
        sql`${invitations.state} IN ('scheduled', 'sent')`,
        sql`${invitations.expiresAt} > ${now}`,
      ),
    )

/** Notes the first time the buyer opened the link of a sent invitation. */
export const markOpened = (db: Db, id: string, now: number) =>
  db
    .update(invitations)
    .set({ openedAt: now })
    .where(and(eq(invitations.id, id), isNull(invitations.openedAt), eq(invitations.state, 'sent')))
    .run()

/** Still open at `now`: an open invitation past its time reads as expired before the cron marks it. */
const openAt = (now: number) => gt(invitations.expiresAt, now)

/** What each stage of an invitation is in SQL, at `now` (the same as invitationStage). */
const STAGE_CONDITIONS = {
  scheduled: (now: number) => and(eq(invitations.state, 'scheduled'), gt(invitations.dueAt, now), openAt(now)),
  due: (now: number) => and(eq(invitations.state, 'scheduled'), lte(invitations.dueAt, now), openAt(now)),
  sent: (now: number) => and(eq(invitations.state, 'sent'), isNull(invitations.openedAt), openAt(now)),
  opened: (now: number) => and(eq(invitations.state, 'sent'), isNotNull(invitations.openedAt), openAt(now)),
  used: () => eq(invitations.state, 'used'),
  expired: (now: number) =>
    sql`(${invitations.state} = 'expired' OR (${invitations.state} IN ('scheduled', 'sent') AND ${invitations.expiresAt} <= ${now}))`,
}
export type InvitationStage = keyof typeof STAGE_CONDITIONS
export const INVITATION_STAGES = Object.keys(STAGE_CONDITIONS) as InvitationStage[]

/** A site's invitations, latest due first, all or of one stage (indexes invitations_site_due / _state). */
export const invitationsOfSite = (
  db: Db,
  siteId: number,
  stage: InvitationStage | undefined,
  before: Position | null,
  limit: number,
  now: number,
) =>
  db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.siteId, siteId),
        stage ? STAGE_CONDITIONS[stage](now) : undefined,
        before ? pastPosition(invitations.dueAt, invitations.id, before, false) : undefined,
      ),
    )
    .orderBy(desc(invitations.dueAt), desc(invitations.id))
    .limit(limit)
    .all()

export const invitationClaimIs = (id: string, claim: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${invitations} WHERE ${invitations.id} = ${id} AND ${invitations.claim} = ${claim})`

/** Gives the invitation a free code from the site's pool, in the batch that used it. */
export const takePoolCode = (db: Db, siteId: number, invitationId: string, claim: string, now: number) =>
  db
    .update(couponCodes)
    .set({ invitationId, issuedAt: now })
    .where(
      and(
        sql`rowid = (SELECT rowid FROM ${couponCodes} WHERE site_id = ${siteId} AND invitation_id IS NULL ORDER BY created_at LIMIT 1)`,
        invitationClaimIs(invitationId, claim),
      ),
    )

/** The code `takePoolCode` would give now (the oldest free one), or undefined when the pool is empty. */
export const nextPoolCode = async (db: Db, siteId: number) =>
  (
    await db
      .select({ code: couponCodes.code })
      .from(couponCodes)
      .where(and(eq(couponCodes.siteId, siteId), isNull(couponCodes.invitationId)))
      .orderBy(asc(couponCodes.createdAt))
      .limit(1)
  )[0]?.code

/** The invitation was used with `claim` and given `code` (in the batch, after `recordCouponCode`). */
export const invitationCodeIs = (id: string, claim: string, code: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${invitations} WHERE ${invitations.id} = ${id} AND ${invitations.claim} = ${claim} AND ${invitations.couponCode} = ${code})`

/** Copies the code given to the invitation (pool or generated) onto it. */
export const recordCouponCode = (db: Db, invitationId: string, claim: string, generated: string | null) =>
  db
    .update(invitations)
    .set({
      couponCode:
        generated ??
        sql`(SELECT ${couponCodes.code} FROM ${couponCodes} WHERE ${couponCodes.invitationId} = ${invitationId} LIMIT 1)`,
    })
    .where(and(eq(invitations.id, invitationId), eq(invitations.claim, claim)))

export const reviewsOfInvitation = (db: Db, invitationId: string) =>
  db.select().from(voices).where(eq(voices.invitationId, invitationId)).orderBy(asc(voices.receivedAt)).all()

export const insertCodes = (db: Db, siteId: number, codes: readonly string[], now: number) =>
  db
    .insert(couponCodes)
    .values(codes.map((code) => ({ siteId, code, createdAt: now })))
    .onConflictDoNothing()

/** How many of a site's codes are left (or, `given`, were given out), counted up to `max`: a bounded read however large the pool. */
export const codeCount = (db: Db, siteId: number, given: boolean, max: number) =>
  db
    .select({ n: count() })
    .from(
      db
        .select({ one: sql`1` })
        .from(couponCodes)
        .where(
          and(
            eq(couponCodes.siteId, siteId),
            given ? isNotNull(couponCodes.invitationId) : isNull(couponCodes.invitationId),
          ),
        )
        .limit(max)
        .as('codes'),
    )
    .get()

export type RevisionRow = Omit<typeof reviewRevisions.$inferInsert, 'id'>

export const insertRevisionIf = (db: Db, row: RevisionRow, condition: SQL) =>
  insertWhere(db, reviewRevisions, row, condition)

/** Invitations of a buyer (by address hash) for an erasure request. */
export const invitationsOfEmail = (db: Db, siteId: number, hash: string) =>
  db
    .select()
    .from(invitations)
    .where(and(eq(invitations.siteId, siteId), eq(invitations.emailHash, hash)))
    .all()

export type ErasureRecord = typeof erasureRequests.$inferSelect

export const insertErasureRecord = (db: Db, row: ErasureRecord) => db.insert(erasureRequests).values(row).run()

/** A site's erasure requests, newest first. */
export const erasureRecordsOfSite = (db: Db, siteId: number, before: Position | null, limit: number) =>
  db
    .select()
    .from(erasureRequests)
    .where(
      and(
        eq(erasureRequests.siteId, siteId),
        before ? pastPosition(erasureRequests.createdAt, erasureRequests.id, before, false) : undefined,
      ),
    )
    .orderBy(desc(erasureRequests.createdAt), desc(erasureRequests.id))
    .limit(limit)
    .all()

/** A cancelled order's invitation that was not sent yet: it never is (expired now, the address and name erased). */
export const cancelScheduledInvitation = (db: Db, siteId: number, orderId: string, now: number) =>
  db
    .update(invitations)
    .set({ state: 'expired', expiresAt: now, emailSealed: null, emailHash: null, customerName: null })
    .where(and(eq(invitations.siteId, siteId), eq(invitations.orderId, orderId), eq(invitations.state, 'scheduled')))

/** Every invitation of the site loses the buyer's address, its hash and name (the platform's erasure of a whole shop). */
export const eraseSiteInvitations = (db: Db, siteId: number, now: number) =>
  db
    .update(invitations)
    .set({ emailSealed: null, emailHash: null, customerName: null, erasedAt: now })
    .where(and(eq(invitations.siteId, siteId), sql`${invitations.erasedAt} IS NULL`))
