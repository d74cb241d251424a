/**
 * The Shopify burst's check (scripts/bench-shopify.mjs): what the bench site's Shopify deliveries
 * came to — how many of each outcome and reason, how many still wait for the queue — and how
 * many review invitations its orders made, with any order invited more than once.
 */
import { and, eq, sql } from 'drizzle-orm'

import { getDb } from '../db/client'
import { invitations, shopDeliveries, sites } from '../db/schema'

/** `orderPrefix`: the digits every bench order id starts with. */
export async function benchShopCounts(d1: D1Database, orderPrefix: string) {
  const db = getDb(d1)
  const site = await db.select({ id: sites.id }).from(sites).where(eq(sites.slug, 'bench')).get()
  if (!site) return null
  const outcomes = await db
    .select({
      topic: shopDeliveries.topic,
      outcome: shopDeliveries.outcome,
      reason: shopDeliveries.reason,
      n: sql<number>`count(*)`,
    })
    .from(shopDeliveries)
    .where(and(eq(shopDeliveries.siteId, site.id), eq(shopDeliveries.platform, 'shopify')))
    .groupBy(shopDeliveries.topic, shopDeliveries.outcome, shopDeliveries.reason)
    .all()
  const invited = await db
    .select({ orders: sql<number>`count(DISTINCT ${invitations.orderId})`, rows: sql<number>`count(*)` })
    .from(invitations)
    .where(
      and(eq(invitations.siteId, site.id), sql`${invitations.orderId} LIKE ${`${orderPrefix.replace(/\D/g, '')}%`}`),
    )
    .get()
  return { outcomes, invitations: invited ?? { orders: 0, rows: 0 } }
}
