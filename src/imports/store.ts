/**
 * The imports' SQL: the `imports` rows, their report lines, and the statements a step writes in
 * one batch with the voices it adds — each line's outcome decided by whether its voice was
 * stored by that batch (added) or met one already there (duplicate).
 */
import { and, asc, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { insertWhere } from '../db/insert-where'
import { type ImportCounts, type ImportOutcome, importLines, invitations, shopImports, voices } from '../db/schema'

export type ImportRow = typeof shopImports.$inferSelect
export type ImportLineRow = typeof importLines.$inferSelect

export const NO_COUNTS: ImportCounts = { added: 0, duplicate: 0, skipped: 0, refused: 0 }

/** Imports that hold the shop's one running place (the `imports_site_running` index). */
const RUNNING = sql`${shopImports.state} IN ('queued', 'running')`

/** A new import; none when the shop already has one running (the unique index refuses it). */
export const insertImport = (db: Db, row: typeof shopImports.$inferInsert) =>
  db.insert(shopImports).values(row).onConflictDoNothing().returning()

export const findImport = (db: Db, id: string) => db.select().from(shopImports).where(eq(shopImports.id, id)).get()

export const runningImportOf = (db: Db, siteId: number) =>
  db
    .select()
    .from(shopImports)
    .where(and(eq(shopImports.siteId, siteId), RUNNING))
    .get()

/** A shop's imports, newest first. */
export const importsOf = (db: Db, siteId: number, limit: number) =>
  db
    .select()
    .from(shopImports)
    .where(eq(shopImports.siteId, siteId))
    .orderBy(desc(shopImports.createdAt), desc(shopImports.id))
    .limit(limit)
    .all()

/** The file of an import waiting for it has arrived: its size, and it is queued. */
export const markUploaded = (db: Db, id: string, fileBytes: number, now: number) =>
  db
    .update(shopImports)
    .set({ state: 'queued', fileBytes, updatedAt: now })
    .where(and(eq(shopImports.id, id), eq(shopImports.state, 'waiting_file')))
    .returning()

/** The file fetched from the import's URL is in R2: its size, and the step that fetched it is taken. */
export const markFetched = (db: Db, row: ImportRow, fileBytes: number, now: number) =>
  db
    .update(shopImports)
    .set({ fileBytes, steps: row.steps + 1, state: 'running', updatedAt: now })
    .where(and(eq(shopImports.id, row.id), eq(shopImports.steps, row.steps), RUNNING))

/** One line of the report, planned by a step. */
export type PlannedLine = {
  place: string
  subject: string | null
  /** Added unless the voice it would add exists already: decided in the batch (`voiceLine`). */
  outcome: ImportOutcome
  reason: string | null
  ref: string | null
}

const lineValues = (row: ImportRow, line: number, l: PlannedLine) => ({
  importId: row.id,
  siteId: row.siteId,
  line,
  outcome: l.outcome,
  reason: l.reason,
  place: l.place,
  subject: l.subject,
  ref: l.ref,
})

/** A line whose outcome is known before the batch (skipped, refused). */
export const insertLine = (db: Db, row: ImportRow, line: number, l: PlannedLine) =>
  db
    .insert(importLines)
    .values(lineValues(row, line, l))
    .onConflictDoNothing()

/**
 * The line of a voice (or an invitation) the same batch tries to add: `added` (with its id) when
 * the batch stored it — `stored` holds — else `duplicate` for `why`, naming the one that was
 * there (`existing`).
 */
export const voiceLine = (
  db: Db,
  row: ImportRow,
  line: number,
  l: PlannedLine,
  stored: SQL,
  existing: SQL,
  why = 'already_here',
) =>
  insertWhere(
    db,
    importLines,
    {
      ...lineValues(row, line, l),
      outcome: sql`CASE WHEN ${stored} THEN 'added' ELSE 'duplicate' END`,
      reason: sql`CASE WHEN ${stored} THEN ${l.reason} ELSE ${why} END`,
      ref: sql`CASE WHEN ${stored} THEN ${l.ref} ELSE (${existing}) END`,
    },
    sql`1`,
  ).onConflictDoNothing()

/** The id of the voice at a (target, source) pair, for a duplicate's line. */
export const voiceAtPair = (siteId: number, targetId: string, sourceUrl: string): SQL =>
  sql`SELECT ${voices.id} FROM ${voices} WHERE ${voices.siteId} = ${siteId} AND ${voices.targetId} = ${targetId} AND ${voices.sourceUrl} = ${sourceUrl}`

/** Which of these import keys the shop's voices have already (a review's photos are fetched only for a new one). */
export const importedKeys = async (db: Db, siteId: number, keys: readonly string[]) =>
  keys.length === 0
    ? new Set<string>()
    : new Set(
        (
          await db
            .select({ key: voices.importKey })
            .from(voices)
            .where(and(eq(voices.siteId, siteId), inArray(voices.importKey, [...keys])))
            .all()
        ).map((r) => r.key ?? ''),
      )

/** The id of the imported voice with this key, for a duplicate's line. */
export const voiceWithKey = (siteId: number, key: string): SQL =>
  sql`SELECT ${voices.id} FROM ${voices} WHERE ${voices.siteId} = ${siteId} AND ${voices.importKey} = ${key}`

/** The batch stored the invitation with this id, for its line. */
export const invitationStored = (id: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${invitations} WHERE ${invitations.id} = ${id})`

/** The id of the order's invitation, for a duplicate's line. */
export const invitationAtOrder = (siteId: number, orderId: string): SQL =>
  sql`SELECT ${invitations.id} FROM ${invitations} WHERE ${invitations.siteId} = ${siteId} AND ${invitations.orderId} = ${orderId}`

const countOf = (id: string, from: number, to: number, outcome: ImportOutcome) =>
  sql`(SELECT count(*) FROM ${importLines} WHERE ${importLines.importId} = ${id} AND ${importLines.line} > ${from} AND ${importLines.line} <= ${to} AND ${importLines.outcome} = ${outcome})`

/**
 * Where a step leaves the import, last in its batch: only if it is still at the step it read, its
 * counts moved by the outcomes of the lines this step wrote (read through the line numbers).
 */
export const advanceImport = (
  db: Db,
  row: ImportRow,
  next: { cursor: string | null; lines: number; origin: string | null; done: boolean },
  now: number,
) => {
  const to = row.lines + next.lines
  const counts = sql`json_object(
    'added', json_extract(${shopImports.counts}, '$.added') + ${countOf(row.id, row.lines, to, 'added')},
    'duplicate', json_extract(${shopImports.counts}, '$.duplicate') + ${countOf(row.id, row.lines, to, 'duplicate')},
    'skipped', json_extract(${shopImports.counts}, '$.skipped') + ${countOf(row.id, row.lines, to, 'skipped')},
    'refused', json_extract(${shopImports.counts}, '$.refused') + ${countOf(row.id, row.lines, to, 'refused')})`
  return db
    .update(shopImports)
    .set({
      cursor: next.cursor,
      steps: row.steps + 1,
      lines: to,
      origin: next.origin ?? row.origin,
      counts,
      state: next.done ? 'done' : 'running',
      ...(next.done ? { finishedAt: now } : {}),
      updatedAt: now,
    })
    .where(and(eq(shopImports.id, row.id), eq(shopImports.steps, row.steps), RUNNING))
}

/** The import stopped for good (the file is not what it says, or a step failed on every retry). */
export const failImportRow = (db: Db, id: string, error: string, now: number) =>
  db
    .update(shopImports)
    .set({ state: 'failed', error, finishedAt: now, updatedAt: now })
    .where(and(eq(shopImports.id, id), RUNNING))

/** A page of an import's report, in file order; only lines with `outcome` when given. */
export const linesOf = (db: Db, importId: string, after: number, limit: number, outcome?: ImportOutcome) =>
  db
    .select()
    .from(importLines)
    .where(
      and(
        eq(importLines.importId, importId),
        ...(outcome ? [eq(importLines.outcome, outcome)] : []),
        gt(importLines.line, after),
      ),
    )
    .orderBy(asc(importLines.line))
    .limit(limit)
    .all()
