/**
 * The exports' SQL: the `exports` rows, and each kind's next batch of a shop's rows, read in
 * keyset order through an index that begins with the shop (so a batch reads about its size,
 * however large the shop), with what belongs to the batch's rows (a voice's answers and earlier
 * versions) read for the batch at once.
 */
import { and, asc, desc, eq, lte, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

import type { Position } from '../common/cursor'
import type { Db } from '../db/client'
import { pastPosition } from '../db/keyset'
import {
  conversions,
  type ExportFileProgress,
  moderationEvents,
  partners,
  responseRevisions,
  responses,
  reviewRevisions,
  shopExports,
  targets,
  targetUrls,
  voices,
  watches,
  webhookEndpoints,
} from '../db/schema'

export type ExportRow = typeof shopExports.$inferSelect

/** Exports that hold the shop's one running place (the `exports_site_running` index). */
const RUNNING = sql`${shopExports.state} IN ('queued', 'running')`

/** A new export; none when the shop already has one running (the unique index refuses it). */
export const insertExport = (db: Db, row: typeof shopExports.$inferInsert) =>
  db.insert(shopExports).values(row).onConflictDoNothing().returning()

export const findExport = (db: Db, id: string) => db.select().from(shopExports).where(eq(shopExports.id, id)).get()

export const runningExportOf = (db: Db, siteId: number) =>
  db
    .select()
    .from(shopExports)
    .where(and(eq(shopExports.siteId, siteId), RUNNING))
    .get()

/** A shop's exports, newest first, `limit` at most. */
export const exportsOf = (db: Db, siteId: number, limit: number) =>
  db
    .select()
    .from(shopExports)
    .where(eq(shopExports.siteId, siteId))
    .orderBy(desc(shopExports.createdAt), desc(shopExports.id))
    .limit(limit)
    .all()

/** Where a batch leaves the export: only if it is still at the batch it read (`batches`). */
export const advanceExport = (
  db: Db,
  id: string,
  batches: number,
  next: { step: number; cursor: string | null; files: Record<string, ExportFileProgress> },
  now: number,
) =>
  db
    .update(shopExports)
    .set({ ...next, state: 'running', batches: batches + 1, updatedAt: now })
    .where(and(eq(shopExports.id, id), eq(shopExports.batches, batches), RUNNING))

/** The export's end: done (or failed, with why), its files kept until `expiresAt`. */
export const finishExport = (
  db: Db,
  id: string,
  end: { state: 'done' | 'failed'; files?: Record<string, ExportFileProgress>; error?: string; expiresAt: number },
  now: number,
) =>
  db
    .update(shopExports)
    .set({ ...end, finishedAt: now, updatedAt: now })
    .where(and(eq(shopExports.id, id), RUNNING))

/** Finished exports whose files are due to go by `now`, oldest first. */
export const expiringExports = (db: Db, now: number, limit: number) =>
  db
    .select({ id: shopExports.id, siteId: shopExports.siteId })
    .from(shopExports)
    .where(and(sql`${shopExports.state} IN ('done', 'failed')`, lte(shopExports.expiresAt, now)))
    .orderBy(asc(shopExports.expiresAt))
    .limit(limit)
    .all()

export const markExpired = (db: Db, id: string, now: number) =>
  db
    .update(shopExports)
    .set({ state: 'expired', updatedAt: now })
    .where(and(eq(shopExports.id, id), sql`${shopExports.state} IN ('done', 'failed')`))

// ---- The kinds' batches ----

/** Rows past `after` in (time, id) order; every row when there is no position yet. */
const pastOrAll = (time: SQLiteColumn, id: SQLiteColumn, after: Position | null): SQL | undefined =>
  after ? pastPosition(time, id, after, true) : undefined

/** A JSON array of ids bound as one value: a batch's ids, however many, in one statement. */
const inIds = (column: SQLiteColumn, ids: readonly string[]) =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`

/** The shop's voices (all, or of one kind) after `after`, oldest received first (indexes `list_site`, `list_kind`). */
export const voicesAfter = (
  db: Db,
  siteId: number,
  after: Position | null,
  limit: number,
  kind?: (typeof voices.$inferSelect)['kind'],
) =>
  db
    .select()
    .from(voices)
    .where(
      and(
        eq(voices.siteId, siteId),
        kind ? eq(voices.kind, kind) : undefined,
        pastOrAll(voices.receivedAt, voices.id, after),
      ),
    )
    .orderBy(asc(voices.receivedAt), asc(voices.id))
    .limit(limit)
    .all()

/** The official answers of these voices, oldest first. */
export const answersOfVoices = (db: Db, voiceIds: readonly string[]) =>
  db
    .select()
    .from(responses)
    .where(inIds(responses.voiceId, voiceIds))
    .orderBy(asc(responses.voiceId), asc(responses.createdAt), asc(responses.id))
    .all()

/** The earlier versions of these answers (each kept when staff corrected it), oldest first. */
export const versionsOfAnswers = (db: Db, responseIds: readonly string[]) =>
  db
    .select()
    .from(responseRevisions)
    .where(inIds(responseRevisions.responseId, responseIds))
    .orderBy(asc(responseRevisions.responseId), asc(responseRevisions.version))
    .all()

/** The earlier versions of these reviews (each kept when its author edited it), oldest first. */
export const versionsOfVoices = (db: Db, voiceIds: readonly string[]) =>
  db
    .select()
    .from(reviewRevisions)
    .where(inIds(reviewRevisions.voiceId, voiceIds))
    .orderBy(asc(reviewRevisions.voiceId), asc(reviewRevisions.id))
    .all()

/** The shop's partners by application (`partners_site_applied`). */
export const partnersAfter = (db: Db, siteId: number, after: Position | null, limit: number) =>
  db
    .select()
    .from(partners)
    .where(and(eq(partners.siteId, siteId), pastOrAll(partners.appliedAt, partners.id, after)))
    .orderBy(asc(partners.appliedAt), asc(partners.id))
    .limit(limit)
    .all()

/** The shop's moderation ledger in its order (`moderation_site`). */
export const ledgerAfter = (db: Db, siteId: number, afterId: number | null, limit: number) =>
  db
    .select()
    .from(moderationEvents)
    .where(
      and(eq(moderationEvents.siteId, siteId), afterId === null ? undefined : sql`${moderationEvents.id} > ${afterId}`),
    )
    .orderBy(asc(moderationEvents.id))
    .limit(limit)
    .all()

/** The shop's sales and refunds in the order they happened (`conversions_site`). */
export const commissionsAfter = (db: Db, siteId: number, after: Position | null, limit: number) =>
  db
    .select()
    .from(conversions)
    .where(and(eq(conversions.siteId, siteId), pastOrAll(conversions.occurredAt, conversions.id, after)))
    .orderBy(asc(conversions.occurredAt), asc(conversions.id))
    .limit(limit)
    .all()

/** The shop's webhook endpoints by id (a shop has a few; `webhook_endpoints_site`). Never their secrets. */
export const webhooksAfter = (db: Db, siteId: number, afterId: string | null, limit: number) =>
  db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      events: webhookEndpoints.events,
      mode: webhookEndpoints.mode,
      failingSince: webhookEndpoints.failingSince,
      disabledAt: webhookEndpoints.disabledAt,
      disabledReason: webhookEndpoints.disabledReason,
      createdAt: webhookEndpoints.createdAt,
    })
    .from(webhookEndpoints)
    .where(
      and(eq(webhookEndpoints.siteId, siteId), afterId === null ? undefined : sql`${webhookEndpoints.id} > ${afterId}`),
    )
    .orderBy(asc(webhookEndpoints.id))
    .limit(limit)
    .all()

/** The shop's watched feeds by creation (`watches_site`). */
export const watchesAfter = (db: Db, siteId: number, after: Position | null, limit: number) =>
  db
    .select()
    .from(watches)
    .where(and(eq(watches.siteId, siteId), pastOrAll(watches.createdAt, watches.id, after)))
    .orderBy(asc(watches.createdAt), asc(watches.id))
    .limit(limit)
    .all()

/** The shop's targets by id (their primary key begins with the shop). */
export const targetsAfter = (db: Db, siteId: number, afterId: string | null, limit: number) =>
  db
    .select()
    .from(targets)
    .where(and(eq(targets.siteId, siteId), afterId === null ? undefined : sql`${targets.id} > ${afterId}`))
    .orderBy(asc(targets.id))
    .limit(limit)
    .all()

/** The former addresses of these targets of the shop. */
export const formerUrlsOf = (db: Db, siteId: number, targetIds: readonly string[]) =>
  targetIds.length === 0
    ? Promise.resolve([])
    : db
        .select({ targetId: targetUrls.targetId, url: targetUrls.url })
        .from(targetUrls)
        .where(and(eq(targetUrls.siteId, siteId), inIds(targetUrls.targetId, targetIds)))
        .all()
