/**
 * The export queue's consumer: each message takes one export one batch further — up to `rows`
 * rows of the kind it is at, written to R2 as the next part of that kind's files — then records
 * where it stopped and queues the next message in the export's outbox row, which the cron sends
 * again if that message is lost. After the last kind it writes the manifest and the export is done.
 * The cron deletes finished exports' files a week on (`expireExports`).
 */
import * as v from 'valibot'

import type { Clock } from '../common/clock'
import { consumeEach } from '../common/queue-consumer'
import { batchAll, type Db, getDb } from '../db/client'
import type { ExportFileProgress } from '../db/schema'
import {
  byAttempt,
  continueAttempt,
  markGaveUp,
  markSent,
  type MessageKey,
  sendRecorded,
  startAttempt,
} from '../outbox/outbox'
import { findSiteById } from '../sites/store'
import { deleteUnder, exportBucket, exportPrefix, partKey, writePart } from './archive'
import { BOM, csvLine } from '../common/csv'
import { exportMessage, MANIFEST } from './exports'
import { type ExportKind, iso, jsonlFile } from './kind'
import { EXPORT_KINDS } from './kinds'
import { advanceExport, type ExportRow, expiringExports, findExport, finishExport, markExpired } from './store'

/** Rows a batch reads of one kind: one message's work, well within a Worker invocation's CPU and memory. */
export const EXPORT_BATCH_ROWS = 1000
/** How long a finished export's files are kept. */
export const EXPORT_KEPT_MS = 7 * 24 * 60 * 60 * 1000

/** The manifest's format: raised when a file's fields change meaning. */
export const FORMAT_VERSION = 1

export type RunDeps = { db: Db; bucket: R2Bucket | null; queue: Queue; rows: number }

const keyOf = (id: string): MessageKey => ({ kind: 'export', ref: id })

type Written = { files: Record<string, ExportFileProgress> }

/** Writes a batch's lines (and CSV rows) as the next part of its files; the files' progress after. */
async function writeBatch(
  bucket: R2Bucket,
  row: ExportRow,
  kind: ExportKind,
  batch: { lines: unknown[]; csv: (string | number | boolean | null)[][] },
): Promise<Written> {
  const files = { ...row.files }
  const put = async (file: string, text: string, rows: number) => {
    const before = files[file] ?? { rows: 0, parts: 0, bytes: 0 }
    const bytes = await writePart(bucket, partKey(row.siteId, row.id, file, before.parts), text)
    files[file] = { rows: before.rows + rows, parts: before.parts + 1, bytes: before.bytes + bytes }
  }
  const jsonl = jsonlFile(kind)
  files[jsonl] ??= { rows: 0, parts: 0, bytes: 0 }
  if (batch.lines.length > 0)
    await put(jsonl, batch.lines.map((l) => JSON.stringify(l) + '\n').join(''), batch.lines.length)
  if (kind.csv) {
    // The first part begins the file: the byte order mark and the header, even for a kind with no rows.
    const first = (files[kind.csv.file]?.parts ?? 0) === 0
    if (first || batch.csv.length > 0)
      await put(
        kind.csv.file,
        (first ? BOM + csvLine(kind.csv.columns) : '') + batch.csv.map(csvLine).join(''),
        batch.csv.length,
      )
  }
  return { files }
}

/** The archive's description: its format, the shop, each file's rows and bytes, each kind's fields. */
function manifestOf(row: ExportRow, site: { slug: string; name: string } | undefined, now: number) {
  return {
    format: 'glasshouse-export',
    format_version: FORMAT_VERSION,
    shop: site ? { slug: site.slug, name: site.name } : null,
    export_id: row.id,
    created_at: iso(row.createdAt),
    finished_at: iso(now),
    counts: Object.fromEntries(EXPORT_KINDS.map((k) => [k.name, row.files[jsonlFile(k)]?.rows ?? 0])),
    files: EXPORT_KINDS.flatMap((k) => [
      {
        name: jsonlFile(k),
        kind: k.name,
        format: 'JSON Lines (one JSON object a line, UTF-8)',
        about: k.about,
        fields: k.fields,
        ...row.files[jsonlFile(k)],
      },
      ...(k.csv
        ? [
            {
              name: k.csv.file,
              kind: k.name,
              format:
                'CSV (RFC 4180, UTF-8 with a byte order mark; a cell beginning with = + - @ or a tab is written after an apostrophe)',
              about: k.about,
              columns: k.csv.columns,
              ...row.files[k.csv.file],
            },
          ]
        : []),
    ]),
  }
}

/** What one step did: the kind it wrote (null: the manifest, or nothing), its rows, the bytes of its parts. */
export type StepDone = { kind: string | null; rows: number; bytes: number; state: ExportRow['state'] | null }

const bytesOf = (files: Record<string, ExportFileProgress>) => Object.values(files).reduce((sum, f) => sum + f.bytes, 0)

/** One step of an export, by the outbox attempt that was `attempt`. */
export async function runExportStep(deps: RunDeps, id: string, attempt: number, now: number): Promise<StepDone> {
  const { db } = deps
  const key = keyOf(id)
  const row = await findExport(db, id)
  if (!row || (row.state !== 'queued' && row.state !== 'running')) {
    await markSent(db, key, now, byAttempt(attempt))
    return { kind: null, rows: 0, bytes: 0, state: row?.state ?? null }
  }
  const end = (state: 'done' | 'failed', extra: { files?: Record<string, ExportFileProgress>; error?: string }) =>
    db.batch([
      finishExport(db, id, { state, ...extra, expiresAt: now + EXPORT_KEPT_MS }, now),
      markSent(db, key, now, byAttempt(attempt)),
    ])
  if (!deps.bucket) {
    await end('failed', { error: 'The hub has no R2 bucket (the PHOTOS binding) to write exports to' })
    return { kind: null, rows: 0, bytes: 0, state: 'failed' }
  }
  const kind = EXPORT_KINDS[row.step]
  if (!kind) {
    const site = await findSiteById(db, row.siteId)
    const files = { ...row.files }
    const bytes = await writePart(
      deps.bucket,
      partKey(row.siteId, id, MANIFEST, 0),
      JSON.stringify(manifestOf(row, site, now), null, 2) + '\n',
    )
    files[MANIFEST] = { rows: 0, parts: 1, bytes }
    await end('done', { files })
    return { kind: null, rows: 0, bytes, state: 'done' }
  }
  const batch = await kind.batch(db, row.siteId, row.cursor, deps.rows, row.hubOrigin)
  const written = await writeBatch(deps.bucket, row, kind, batch)
  const kindDone = batch.lines.length < deps.rows
  const next = kindDone
    ? { step: row.step + 1, cursor: null, files: written.files }
    : { step: row.step, cursor: batch.cursor, files: written.files }
  await db.batch([advanceExport(db, id, row.batches, next, now), continueAttempt(db, key, attempt, now)])
  await sendRecorded(db, deps.queue, [exportMessage(row, row.batches + 1)], now)
  return {
    kind: kind.name,
    rows: batch.lines.length,
    bytes: bytesOf(written.files) - bytesOf(row.files),
    state: 'running',
  }
}

/** An export whose batch kept failing (its message reached the dead-letter queue): failed, saying so. */
export async function failExport(db: Db, id: string, now: number) {
  await db.batch([
    finishExport(
      db,
      id,
      { state: 'failed', error: 'A batch failed on every retry', expiresAt: now + EXPORT_KEPT_MS },
      now,
    ),
    markGaveUp(db, keyOf(id), now, 'export_failed'),
  ])
}

const Message = v.object({
  exportId: v.pipe(v.string(), v.maxLength(64)),
  batch: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
})

/** The export queue's consumer (and its dead-letter queue's). `rows`: a batch's size. */
export function consumeExports(batch: MessageBatch, env: Env, clock: Clock, rows = EXPORT_BATCH_ROWS) {
  const db = getDb(env.DB)
  const deps: RunDeps = { db, bucket: exportBucket(env), queue: env.EXPORT_QUEUE, rows }
  return consumeEach(batch, {
    name: 'export',
    schema: Message,
    handle: async ({ exportId, batch }, queueAttempts) => {
      const now = clock()
      // A copy of a message whose batch was written: the export is past it (and its next message is on its way).
      if (batch !== undefined && (await findExport(db, exportId))?.batches !== batch) return { kind: 'done' }
      const attempt = await startAttempt(db, keyOf(exportId), now, queueAttempts)
      if (attempt !== null) await runExportStep(deps, exportId, attempt, now)
      return { kind: 'done' }
    },
    giveUp: ({ exportId }) => failExport(db, exportId, clock()),
  })
}

/** List pages of one export's files one cron run deletes at most. */
const PAGES_PER_EXPORT = 5

/** The cron's expiry: deletes the files of exports finished a week ago; how many exports and objects. */
export async function expireExports(db: Db, bucket: R2Bucket | null, now: number, limit = 20) {
  const due = await expiringExports(db, now, limit)
  let objects = 0
  let expired = 0
  for (const { id, siteId } of due) {
    let more = true
    for (let page = 0; more && page < PAGES_PER_EXPORT; page++) {
      if (!bucket) break
      const done = await deleteUnder(bucket, exportPrefix(siteId, id))
      objects += done.deleted
      more = done.more
    }
    if (!more || !bucket) {
      await batchAll(db, [markExpired(db, id, now)])
      expired++
    }
  }
  return { expired, objects }
}
