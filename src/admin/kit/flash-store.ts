/** The flashes' table (./flash.tsx): one written with the expired ones cleared, one taken (deleted as it is read). */
import { and, asc, eq, gt, inArray, lte } from 'drizzle-orm'

import type { Db } from '../../db/client'
import { adminFlashes } from '../../db/schema'

export type FlashRow = typeof adminFlashes.$inferSelect

export const putFlash = (db: Db, row: FlashRow, now: number) =>
  db.batch([db.delete(adminFlashes).where(lte(adminFlashes.expiresAt, now)), db.insert(adminFlashes).values(row)])

/**
 * The oldest live flash of the session, among those the browser holds (`ids`), that lands on
 * `path` — deleted in the same statement, so a second read finds nothing. A flash for another
 * page is left as it is.
 */
export const takeFlashRow = (db: Db, ids: readonly string[], sessionId: string, path: string, now: number) =>
  db
    .delete(adminFlashes)
    .where(
      inArray(
        adminFlashes.id,
        db
          .select({ id: adminFlashes.id })
          .from(adminFlashes)
          .where(
            and(
              inArray(adminFlashes.id, [...ids]),
              eq(adminFlashes.sessionId, sessionId),
              eq(adminFlashes.path, path),
              gt(adminFlashes.expiresAt, now),
            ),
          )
          .orderBy(asc(adminFlashes.expiresAt), asc(adminFlashes.id))
          .limit(1),
      ),
    )
    .returning({ id: adminFlashes.id, sealed: adminFlashes.sealed })
    .get()
