/** Receipts of signed storefront events, and the site's inbound signing secret. */
import { and, eq, lt, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { inboundReceipts, sites } from '../db/schema'

export type Receipt = { siteId: number; messageId: string; nonce: string; receivedAt: number }

/** Records an event's `webhook-id`; does nothing when it was seen before (a replay). */
export const insertReceipt = (db: Db, r: Receipt) => db.insert(inboundReceipts).values(r).onConflictDoNothing()

/** True only inside the batch whose receipt this is: the event's own rows are written under it. */
export const receiptIs = (r: Receipt): SQL =>
  sql`EXISTS (SELECT 1 FROM ${inboundReceipts} WHERE ${inboundReceipts.siteId} = ${r.siteId} AND ${inboundReceipts.messageId} = ${r.messageId} AND ${inboundReceipts.nonce} = ${r.nonce})`

export const receiptSeen = (db: Db, siteId: number, messageId: string) =>
  db
    .select({ at: inboundReceipts.receivedAt })
    .from(inboundReceipts)
    .where(and(eq(inboundReceipts.siteId, siteId), eq(inboundReceipts.messageId, messageId)))
    .get()

/** Receipts older than any timestamp the signature check still accepts can go. */
export const forgetReceiptsBefore = (db: Db, before: number) =>
  db.delete(inboundReceipts).where(lt(inboundReceipts.receivedAt, before))

export const storeInboundSecret = (
  db: Db,
  siteId: number,
  sealed: string,
  previous: { sealed: string | null; until: number | null },
) =>
  db
    .update(sites)
    .set({ inboundSecretSealed: sealed, inboundPreviousSealed: previous.sealed, inboundPreviousUntil: previous.until })
    .where(eq(sites.id, siteId))
