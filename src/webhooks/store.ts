/** Queries of webhook endpoints and their deliveries. */
import { and, desc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { forgetMessages } from '../outbox/outbox'
import { chunked, VALUES_PER_LIST } from '../db/chunks'
import { insertRowsWhere, insertWhere } from '../db/insert-where'
import { webhookDeliveries, webhookEndpoints } from '../db/schema'

export type EndpointRow = typeof webhookEndpoints.$inferSelect
export type DeliveryRow = typeof webhookDeliveries.$inferSelect

/** Adds the endpoint unless the site already has `max` (so every event's fan-out and the list stay small). */
export const insertEndpointUnderCap = (db: Db, row: EndpointRow, max: number) =>
  insertWhere(
    db,
    webhookEndpoints,
    row,
    sql`(SELECT count(*) FROM (SELECT 1 FROM ${webhookEndpoints} WHERE ${webhookEndpoints.siteId} = ${row.siteId} LIMIT ${max})) < ${max}`,
  )

export const endpointsOfSite = (db: Db, siteId: number) =>
  db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.siteId, siteId))
    .orderBy(webhookEndpoints.createdAt)
    .all()

/** The endpoints that receive events now (not disabled). */
export const activeEndpointsOfSite = (db: Db, siteId: number) =>
  db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.siteId, siteId), isNull(webhookEndpoints.disabledAt)))
    .all()

export const findEndpoint = (db: Db, id: string) =>
  db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).get()

export const updateEndpoint = (db: Db, id: string, changes: Partial<EndpointRow>) =>
  db.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, id))

/** Deletes an endpoint, its delivery log and the deliveries' outbox messages. */
export const deleteEndpoint = (db: Db, id: string) =>
  db.batch([
    // Their outbox messages first: none is sent after its address is gone.
    forgetMessages(
      db,
      'webhook',
      sql`(SELECT ${webhookDeliveries.id} FROM ${webhookDeliveries} WHERE ${webhookDeliveries.endpointId} = ${id})`,
    ),
    db.delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id)),
    db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)),
  ])

/** D1 binds at most 100 values per statement: a delivery row binds 12, so 8 rows go in each. */
const DELIVERY_ROWS_PER_INSERT = 8

/** The statements of one event's deliveries, one per subscribed endpoint (up to 20), for one batch. */
export const insertDeliveries = (db: Db, rows: DeliveryRow[]) =>
  chunked(rows, DELIVERY_ROWS_PER_INSERT).map((chunk) => db.insert(webhookDeliveries).values(chunk))

/** The same, written only if `guard` holds when the batch runs (the change that caused the event took effect). */
export const insertDeliveriesWhere = (db: Db, rows: DeliveryRow[], guard: SQL) =>
  insertRowsWhere(db, webhookDeliveries, rows, guard)

export const findDelivery = (db: Db, id: string) =>
  db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).get()

/** Changes a delivery; with `guard`, only if it holds when the batch runs. */
export const updateDelivery = (db: Db, id: string, changes: Partial<DeliveryRow>, guard?: SQL) =>
  db
    .update(webhookDeliveries)
    .set(changes)
    .where(and(eq(webhookDeliveries.id, id), guard))

/** Puts deliveries back to pending with a fresh count of attempts (statements for one batch). */
export const reopenDeliveries = (db: Db, ids: string[]) =>
  chunked(ids, VALUES_PER_LIST).map((chunk) =>
    db.update(webhookDeliveries).set({ state: 'pending', attempts: 0 }).where(inArray(webhookDeliveries.id, chunk)),
  )

/** An endpoint's delivery log, newest first. */
export const deliveriesOf = (db: Db, endpointId: string, limit: number) =>
  db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit)
    .all()

/** Failed deliveries of an endpoint since a time (to send again), oldest first. */
export const failedSince = (db: Db, endpointId: string, since: number, limit: number) =>
  db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        sql`${webhookDeliveries.state} = 'failed'`,
        gte(webhookDeliveries.createdAt, since),
      ),
    )
    .orderBy(webhookDeliveries.createdAt)
    .limit(limit)
    .all()
