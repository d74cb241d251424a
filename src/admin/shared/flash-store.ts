/** The flashes' table (./flash.ts): one written with the expired ones cleared, one taken (deleted as it is read). */
import { and, eq, gt, lte } from 'drizzle-orm'

import type { Db } from '../../db/client'
import { adminFlashes } from '../../db/schema'

export type FlashRow = typeof adminFlashes.$inferSelect

export const putFlash = (db: Db, row: FlashRow, now: number) =>
  db.batch([db.delete(adminFlashes).where(lte(adminFlashes.expiresAt, now)), db.insert(adminFlashes).values(row)])

/** The flash's sealed body, deleted in the same statement: a second read finds nothing. */
export const takeFlashRow = (db: Db, id: string, sessionId: string, now: number) =>
  db
    .delete(adminFlashes)
    .where(and(eq(adminFlashes.id, id), eq(adminFlashes.sessionId, sessionId), gt(adminFlashes.expiresAt, now)))
    .returning({ sealed: adminFlashes.sealed })
    .get()
