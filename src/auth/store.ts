import { and, desc, eq, isNull, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { apiKeys, sites } from '../db/schema'

/** A key that works: not revoked, and its shop not deleted (a restored shop's keys work again). */
export const findActiveKeyByHash = (db: Db, keyHash: string) =>
  db
    .select({ id: apiKeys.id, siteId: apiKeys.siteId })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.keyHash, keyHash),
        isNull(apiKeys.revokedAt),
        sql`NOT EXISTS (SELECT 1 FROM ${sites} WHERE ${sites.id} = ${apiKeys.siteId} AND ${sites.deletedAt} IS NOT NULL)`,
      ),
    )
    .get()

export const insertKey = (db: Db, row: typeof apiKeys.$inferInsert) => db.insert(apiKeys).values(row)

/** The site's keys, newest first (revoked ones too, so an operator sees what was revoked when). */
export const listKeys = (db: Db, siteId: number, limit: number) =>
  db
    .select({
      id: apiKeys.id,
      prefix: apiKeys.prefix,
      label: apiKeys.label,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.siteId, siteId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(limit)
    .all()

export const revokeKey = (db: Db, siteId: number, id: string, now: number) =>
  db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.siteId, siteId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .run()
