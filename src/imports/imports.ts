/**
 * Bringing a shop's history in: an import is made with its format and choices (one running per
 * shop), its file uploaded (or fetched from a URL by its first step), then read by the import
 * queue's consumer a step at a time (./run.ts). Choosing to trust imported history — publishing
 * the voices without checking their sources — is an entry in the shop's public ledger.
 */
import { sql } from 'drizzle-orm'

import { newId } from '../common/crypto'
import { AppError } from '../common/errors'
import type { PageLang } from '../common/lang'
import { isoTime } from '../common/outputs'
import type { Principal } from '../common/principal'
import type { Db } from '../db/client'
import { allOf } from '../db/conditions'
import { insertWhere } from '../db/insert-where'
import { type ImportFormat, type ImportOptions, moderationEvents, shopImports } from '../db/schema'
import { entryHash } from '../ledger/chain'
import { ledgerHeadIs, ledgerHeadOf, moveLedgerHead } from '../ledger/store'
import { type OutboxMessage, recordMessages, sendRecorded } from '../outbox/outbox'
import { loadSite } from '../sites/service'
import { fileKey, MAX_FILE_BYTES } from './files'
import { fileReasonText } from './reasons'
import { findImport, type ImportRow, importsOf, markUploaded, NO_COUNTS, runningImportOf } from './store'

/** Imports a list shows. */
const RECENT = 20

/**
 * The import queue's message: which import to take a step further, and (when sent by the hub for
 * a step) which step it is for, so a copy that comes after its step was taken does nothing.
 */
export const importMessage = (row: Pick<ImportRow, 'id' | 'siteId'>, step?: number): OutboxMessage => ({
  kind: 'import',
  ref: row.id,
  siteId: row.siteId,
  body: step === undefined ? { importId: row.id } : { importId: row.id, step },
})

export type ImportRequest = { format: ImportFormat; fileName: string | null; options: ImportOptions }

const importsPath = (slug: string) => `/api/sites/${encodeURIComponent(slug)}/imports`

/** A file fetched by URL is named by its address without query or credentials (a signed link's token is no name). */
const nameOfUrl = (url: string | null) => {
  const parsed = url === null ? null : URL.parse(url)
  return parsed ? `${parsed.origin}${parsed.pathname}` : null
}

/** What the ledger says when a shop publishes an import's voices without checking their sources. */
const trustReason = (row: ImportRow) =>
  `Voices imported from ${row.fileName} (${row.format}) are published without checking that their sources still link to the shop`

const alreadyRunning = (running: ImportRow) =>
  new AppError(
    'conflict',
    `An import of this shop is already running: ${running.id} (one runs at a time)`,
    `このショップの取り込みがすでに実行中です: ${running.id}（同時に一つだけ実行できます）`,
  )

/**
 * Makes an import: waiting for its file, or (with a URL) queued at once. Trusting imported history
 * writes the ledger's entry in the same batch, chained to the head read here (again, if it moved).
 */
export async function createImport(
  deps: { db: Db; queue: Queue },
  p: Principal,
  slug: string,
  request: ImportRequest,
  now: number,
): Promise<ImportRow> {
  const { db } = deps
  const site = await loadSite(db, p, slug)
  const fetches = request.options.url !== null
  const row: ImportRow = {
    id: newId('imp'),
    siteId: site.id,
    format: request.format,
    state: fetches ? 'queued' : 'waiting_file',
    fileName: request.fileName ?? nameOfUrl(request.options.url) ?? `${request.format} file`,
    fileBytes: 0,
    origin: null,
    options: request.options,
    cursor: null,
    steps: 0,
    lines: 0,
    counts: NO_COUNTS,
    requestedBy: p.kind === 'operator' ? 'operator' : p.keyId,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    error: null,
  }
  const made = sql`EXISTS (SELECT 1 FROM ${shopImports} WHERE ${shopImports.id} = ${row.id})`
  for (let attempt = 0; attempt < 3; attempt++) {
    const head = request.options.trust ? await ledgerHeadOf(db, site.id) : null
    const ledger = request.options.trust ? await trustEntry(db, row, head, now, made) : []
    const guard = request.options.trust ? ledgerHeadIs(site.id, head) : sql`1`
    const [inserted] = await db.batch([
      insertWhere(db, shopImports, row, guard).onConflictDoNothing().returning(),
      ...ledger,
      ...(fetches ? recordMessages(db, [importMessage(row)], now, made) : []),
    ])
    if (inserted.length > 0) {
      if (fetches) await sendRecorded(db, deps.queue, [importMessage(row, 0)], now)
      return row
    }
    const running = await runningImportOf(db, site.id)
    if (running) throw alreadyRunning(running)
  }
  throw new AppError(
    'conflict',
    'The shop’s ledger moved while the import was made: try again',
    '台帳が更新中でした。もう一度お試しください',
  )
}

/** The ledger's entry of an import whose voices are published unchecked, and the head's move to it. */
async function trustEntry(db: Db, row: ImportRow, head: string | null, now: number, made: ReturnType<typeof sql>) {
  const reason = trustReason(row)
  const hash = await entryHash(head, {
    at: now,
    voice: row.id,
    action: 'trust_import',
    category: 'import',
    reason,
    from: 'pending',
    to: 'published',
    sentiment: null,
    rating: null,
  })
  const entry = {
    siteId: row.siteId,
    voiceId: null,
    importId: row.id,
    action: 'trust_import' as const,
    category: 'import' as const,
    reason,
    actor: row.requestedBy,
    fromStatus: 'pending' as const,
    toStatus: 'published' as const,
    createdAt: now,
    sentiment: null,
    rating: null,
    prevHash: head,
    hash,
  }
  return [
    insertWhere(db, moderationEvents, entry, allOf(made, ledgerHeadIs(row.siteId, head))),
    moveLedgerHead(
      db,
      row.siteId,
      hash,
      sql`EXISTS (SELECT 1 FROM ${moderationEvents} WHERE ${moderationEvents.hash} = ${hash} AND ${moderationEvents.siteId} = ${row.siteId})`,
    ),
  ]
}

/** One import of the shop; not_found for another shop's (or no) import. */
export async function readImport(db: Db, p: Principal, slug: string, id: string) {
  const site = await loadSite(db, p, slug)
  const row = await findImport(db, id)
  if (!row || row.siteId !== site.id) throw new AppError('not_found', 'Import not found', '取り込みが見つかりません')
  return row
}

/** The shop's newest imports. */
export async function recentImports(db: Db, p: Principal, slug: string) {
  const site = await loadSite(db, p, slug)
  return importsOf(db, site.id, RECENT)
}

/**
 * Stores the upload as the import's file — streamed to R2, never held whole — and queues its first
 * step. The length must be declared (Content-Length) and within the format's limit; a body that
 * runs past its declared length is cut off by the stream and nothing is stored.
 */
export async function receiveFile(
  deps: { db: Db; queue: Queue; bucket: R2Bucket | null },
  p: Principal,
  slug: string,
  id: string,
  body: { stream: ReadableStream<Uint8Array> | null; length: number | null },
  now: number,
): Promise<ImportRow> {
  const row = await readImport(deps.db, p, slug, id)
  if (row.state !== 'waiting_file') throw hasFile
  const max = MAX_FILE_BYTES[row.format]
  if (body.length === null || !body.stream)
    throw new AppError(
      'invalid_input',
      'Send the file as the request body, with its Content-Length',
      'ファイルを本文として、Content-Length を付けて送ってください',
    )
  if (body.length === 0) throw new AppError('invalid_input', 'The file is empty', 'ファイルが空です')
  if (body.length > max)
    throw new AppError(
      'payload_too_large',
      `The file is ${mb(body.length)}: a ${row.format} file may be at most ${mb(max)}`,
      `ファイルは ${mb(body.length)} です。${row.format} のファイルは ${mb(max)} までです`,
    )
  if (!deps.bucket) throw new AppError('internal', 'The hub has no R2 bucket (PHOTOS) for imported files')
  const running = await runningImportOf(deps.db, row.siteId)
  if (running) throw alreadyRunning(running)
  const size = body.length
  try {
    await deps.bucket.put(fileKey(row.siteId, row.id), body.stream.pipeThrough(new FixedLengthStream(size)))
  } catch {
    // The body ended before (or ran past) its Content-Length, or the client went away.
    throw new AppError(
      'invalid_input',
      `The body did not match its Content-Length (${body.length} bytes): send the whole file again`,
      `本文が Content-Length（${body.length} バイト）と一致しませんでした。ファイル全体をもう一度送ってください`,
    )
  }
  const message = importMessage(row)
  // Another import of the shop queued meanwhile (one made by URL) makes the running-import index refuse this one.
  const [updated] = await uniqueOrConflict(deps.db, row.siteId, () =>
    deps.db.batch([
      markUploaded(deps.db, row.id, size, now),
      ...recordMessages(
        deps.db,
        [message],
        now,
        sql`EXISTS (SELECT 1 FROM ${shopImports} WHERE ${shopImports.id} = ${row.id} AND ${shopImports.state} = 'queued')`,
      ),
    ]),
  )
  const queued = updated[0]
  if (!queued) throw await conflictOf(deps.db, row.siteId, hasFile)
  await sendRecorded(deps.db, deps.queue, [importMessage(queued, 0)], now)
  return queued
}

/** Runs `write`; a unique index's refusal (another import of the shop running) becomes that import's 409. */
async function uniqueOrConflict<T>(db: Db, siteId: number, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (err) {
    if (!String(err).includes('UNIQUE')) throw err
    throw await conflictOf(db, siteId, new AppError('conflict', 'Another import of this shop began at the same moment'))
  }
}

const hasFile = new AppError('conflict', 'This import already has its file', 'この取り込みにはすでにファイルがあります')

/** Why a write of an import did not take: another import of the shop running (its 409), else `otherwise`. */
async function conflictOf(db: Db, siteId: number, otherwise: AppError) {
  const running = await runningImportOf(db, siteId)
  return running ? alreadyRunning(running) : otherwise
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** An import as the API shows it. */
export function importJson(row: ImportRow, slug: string, lang: PageLang) {
  const path = `${importsPath(slug)}/${row.id}`
  return {
    id: row.id,
    format: row.format,
    state: row.state,
    file_name: row.fileName,
    file_bytes: row.fileBytes,
    origin: row.origin,
    options: {
      trust: row.options.trust,
      comments: row.options.comments,
      auto_targets: row.options.autoTargets,
      targets: row.options.targets,
      url: row.options.url,
      from: row.options.from,
      to: row.options.to,
    },
    progress: { steps: row.steps, lines: row.lines },
    counts: row.counts,
    created_at: isoTime(row.createdAt),
    finished_at: isoTime(row.finishedAt),
    error: row.error,
    error_text: fileReasonText(row.error, lang),
    upload_url: row.state === 'waiting_file' ? `${path}/file` : null,
    report_url: `${path}/lines`,
  }
}
