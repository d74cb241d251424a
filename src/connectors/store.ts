/** The SQL of shop platforms: a site's connection, its deliveries and its products' targets. */
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { insertWhere } from '../db/insert-where'
import {
  shopConnections,
  shopDeliveries,
  type ShopDeliveryOutcome,
  type ShopPlatform,
  shopOrders,
  shopProducts,
  targets,
} from '../db/schema'

export type ConnectionRow = typeof shopConnections.$inferSelect
export type DeliveryRow = typeof shopDeliveries.$inferSelect
export type ProductRow = typeof shopProducts.$inferSelect

export const findConnection = (db: Db, siteId: number) =>
  db.select().from(shopConnections).where(eq(shopConnections.siteId, siteId)).get()

/** Connects the site (or changes its platform, address or secret). */
export const saveConnection = (db: Db, row: ConnectionRow) =>
  db
    .insert(shopConnections)
    .values(row)
    .onConflictDoUpdate({
      target: shopConnections.siteId,
      set: {
        platform: row.platform,
        shopAddress: row.shopAddress,
        secretSealed: row.secretSealed,
        previousSealed: row.previousSealed,
        previousUntil: row.previousUntil,
        updatedAt: row.updatedAt,
      },
    })

export const deleteConnection = (db: Db, siteId: number) =>
  db.delete(shopConnections).where(eq(shopConnections.siteId, siteId))

/** A taken delivery, recorded once: nothing when its delivery id was taken before (a retry). */
export const insertDelivery = (db: Db, row: DeliveryRow) => db.insert(shopDeliveries).values(row).onConflictDoNothing()

/**
 * Deliveries not taken (refused, duplicates, WooCommerce's unsigned pings) kept a minute per site,
 * at most: a flood of forged posts or pings does not fill the table.
 */
const REFUSALS_PER_MINUTE = 10

/** A delivery that was not taken (it has no delivery id), kept for the connection's page unless the site has had many this minute. */
export const insertNotTaken = (db: Db, row: DeliveryRow) =>
  insertWhere(
    db,
    shopDeliveries,
    row,
    sql`(SELECT count(*) FROM (SELECT 1 FROM ${shopDeliveries} WHERE ${shopDeliveries.siteId} = ${row.siteId} AND ${shopDeliveries.receivedAt} > ${row.receivedAt - 60_000} AND ${shopDeliveries.deliveryId} IS NULL LIMIT ${REFUSALS_PER_MINUTE})) < ${REFUSALS_PER_MINUTE}`,
  )

/** True once the delivery's row is written (its outbox message is recorded only then, in the same batch). */
export const deliveryStored = (id: string) =>
  sql`EXISTS (SELECT 1 FROM ${shopDeliveries} WHERE ${shopDeliveries.id} = ${id})`

/** The delivery's work ended as `outcome`, with what it did not do (`reason`). */
export const finishDelivery = (db: Db, id: string, outcome: ShopDeliveryOutcome, reason: string | null, now: number) =>
  db.update(shopDeliveries).set({ outcome, reason, doneAt: now }).where(eq(shopDeliveries.id, id))

/** The site's latest deliveries, newest first (in the order they came, within one millisecond). */
export const latestDeliveries = (db: Db, siteId: number, limit: number) =>
  db
    .select()
    .from(shopDeliveries)
    .where(eq(shopDeliveries.siteId, siteId))
    .orderBy(desc(shopDeliveries.receivedAt), sql`rowid DESC`)
    .limit(limit)

/** Deliveries older than `before` go (the cron), at most `limit` a run. */
export const forgetDeliveriesBefore = (db: Db, before: number, limit: number) =>
  db
    .delete(shopDeliveries)
    .where(
      sql`${shopDeliveries.id} IN (SELECT ${shopDeliveries.id} FROM ${shopDeliveries} WHERE ${lt(shopDeliveries.receivedAt, before)} LIMIT ${limit})`,
    )

export const findProduct = (db: Db, siteId: number, platform: ShopPlatform, productId: string) =>
  db
    .select()
    .from(shopProducts)
    .where(
      and(eq(shopProducts.siteId, siteId), eq(shopProducts.platform, platform), eq(shopProducts.productId, productId)),
    )
    .get()

export const saveProduct = (db: Db, row: ProductRow) =>
  db
    .insert(shopProducts)
    .values(row)
    .onConflictDoUpdate({
      target: [shopProducts.siteId, shopProducts.platform, shopProducts.productId],
      set: { targetId: row.targetId, deletedAt: row.deletedAt, changedAt: row.changedAt, updatedAt: row.updatedAt },
    })

export const markProductDeleted = (db: Db, siteId: number, platform: ShopPlatform, productId: string, now: number) =>
  db
    .update(shopProducts)
    .set({ deletedAt: now, updatedAt: now })
    .where(
      and(eq(shopProducts.siteId, siteId), eq(shopProducts.platform, platform), eq(shopProducts.productId, productId)),
    )

/** How many products of the site's platform are targets (the connection's page says so). */
export const productCount = async (db: Db, siteId: number, platform: ShopPlatform) =>
  (
    await db
      .select({ n: sql<number>`count(*)` })
      .from(shopProducts)
      .where(
        and(
          eq(shopProducts.siteId, siteId),
          eq(shopProducts.platform, platform),
          sql`${shopProducts.deletedAt} IS NULL`,
        ),
      )
      .get()
  )?.n ?? 0

/** True when the platform's delivery id was taken before for the site. */
export const deliveryTaken = async (db: Db, siteId: number, platform: ShopPlatform, deliveryId: string) =>
  (await db
    .select({ id: shopDeliveries.id })
    .from(shopDeliveries)
    .where(
      and(
        eq(shopDeliveries.siteId, siteId),
        eq(shopDeliveries.platform, platform),
        eq(shopDeliveries.deliveryId, deliveryId),
      ),
    )
    .get()) !== undefined

/** The version of the order the hub worked last (the platform's time of change), if any. */
export const orderVersion = async (db: Db, siteId: number, platform: ShopPlatform, orderId: string) =>
  (
    await db
      .select({ changedAt: shopOrders.changedAt })
      .from(shopOrders)
      .where(and(eq(shopOrders.siteId, siteId), eq(shopOrders.platform, platform), eq(shopOrders.orderId, orderId)))
      .get()
  )?.changedAt ?? null

/** Records the order's version as worked (never moving it back). */
export const saveOrderVersion = (
  db: Db,
  row: { siteId: number; platform: ShopPlatform; orderId: string; changedAt: number; updatedAt: number },
) =>
  db
    .insert(shopOrders)
    .values(row)
    .onConflictDoUpdate({
      target: [shopOrders.siteId, shopOrders.platform, shopOrders.orderId],
      set: { changedAt: sql`max(${shopOrders.changedAt}, excluded.changed_at)`, updatedAt: row.updatedAt },
    })

/** Orders' versions not touched since `before` go (the cron), at most `limit` a run. */
export const forgetOrderVersionsBefore = (db: Db, before: number, limit: number) =>
  db
    .delete(shopOrders)
    .where(
      sql`(${shopOrders.siteId}, ${shopOrders.platform}, ${shopOrders.orderId}) IN (SELECT ${shopOrders.siteId}, ${shopOrders.platform}, ${shopOrders.orderId} FROM ${shopOrders} WHERE ${lt(shopOrders.updatedAt, before)} LIMIT ${limit})`,
    )

/**
 * The targets of the platform's products, in the products' order, each once: only products the
 * hub knows, not deleted on the platform, whose target still exists (one query).
 */
export async function targetsOfProducts(db: Db, siteId: number, platform: ShopPlatform, productIds: readonly string[]) {
  if (productIds.length === 0) return []
  const rows = await db
    .select({ productId: shopProducts.productId, targetId: targets.id })
    .from(shopProducts)
    .innerJoin(targets, and(eq(targets.siteId, shopProducts.siteId), eq(targets.id, shopProducts.targetId)))
    .where(
      and(
        eq(shopProducts.siteId, siteId),
        eq(shopProducts.platform, platform),
        inArray(shopProducts.productId, [...productIds]),
        isNull(shopProducts.deletedAt),
      ),
    )
    .all()
  const byProduct = new Map(rows.map((r) => [r.productId, r.targetId]))
  return [...new Set(productIds.flatMap((p) => byProduct.get(p) ?? []))]
}
