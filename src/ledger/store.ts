/**
 * The ledger's head, kept on the site row (so a feed gets it with the site) and moved in the
 * batch that writes each entry. Public pages of entries are read in src/trust/store.ts.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { sites } from '../db/schema'

/** True while the site's ledger head is still `head`: a new entry is chained to it or not written. */
export const ledgerHeadIs = (siteId: number, head: string | null): SQL =>
  sql`EXISTS (SELECT 1 FROM ${sites} WHERE ${sites.id} = ${siteId} AND ${sites.ledgerHead} IS ${head})`

/** Moves the head to a new entry's hash, in the batch that wrote the entry (only if `guard` holds). */
export const moveLedgerHead = (db: Db, siteId: number, hash: string, guard: SQL) =>
  db
    .update(sites)
    .set({ ledgerHead: hash })
    .where(and(eq(sites.id, siteId), guard))

export const ledgerHeadOf = async (db: Db, siteId: number) =>
  (await db.select({ head: sites.ledgerHead }).from(sites).where(eq(sites.id, siteId)).get())?.head ?? null
