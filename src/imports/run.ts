/**
 * The import queue's consumer: each message takes one import one step further — the format's
 * reader reads the next window of the file, and the records it found are written in one D1 batch
 * with their report lines and the import's new position — then queues the next message in the
 * import's outbox row, which the cron sends again if that message is lost. A step that was already
 * taken (a copy of its message) writes nothing: every voice and line has a key that a repeat meets.
 */
import * as v from 'valibot'

import type { Clock } from '../common/clock'
import { consumeEach } from '../common/queue-consumer'
import type { Db } from '../db/client'
import { batchAll, getDb } from '../db/client'
import type { ImportFormat } from '../db/schema'
import { byAttempt, continueAttempt, markGaveUp, markSent, type MessageKey, sendRecorded } from '../outbox/outbox'
import { startAttempt } from '../outbox/outbox'
import { findSiteById, type SiteRow } from '../sites/store'
import { fileKey, importBucket, MAX_FILE_BYTES } from './files'
import { importMessage } from './imports'
import { type InvitationRecord, isInvitationRecord, planInvitations } from './invitations'
import { readMovableType } from './readers/movable-type'
import { readOrdersCsv } from './readers/orders-csv'
import { readReviewsCsv } from './readers/reviews-csv'
import { readWebmentionIoFile } from './readers/webmention-io'
import { readWordpress } from './readers/wordpress'
import type { FileFailure, FileReason } from './reasons'
import type { FormatReader, ReadRecord } from './step'
import { advanceImport, failImportRow, findImport, type ImportRow, markFetched } from './store'
import { type AddressPolicy, policyOf } from '../common/address-policy'
import { fetchSource } from '../common/fetch-source'
import { otherShops, targetFinder } from './targets'
import { originOf } from '../common/url'
import { hubHostsOf, isVoiceRecord, type LineRecord, type PlannedStep, planStep, type StepRecord } from './voices'

/** Records one step reads at most: one message's work, well within a Worker invocation's CPU and D1 limits. */
export const IMPORT_STEP_RECORDS = 100

const READERS: Partial<Record<ImportFormat, FormatReader>> = {
  wordpress: readWordpress,
  movable_type: readMovableType,
  webmention_io: readWebmentionIoFile,
  reviews_csv: readReviewsCsv,
  orders_csv: readOrdersCsv,
}

export type RunDeps = {
  db: Db
  /** Where a file named by URL may be fetched from (the same address policy as every fetch). */
  policy: AddressPolicy
  bucket: R2Bucket | null
  queue: Queue
  /** The queue the checks of imported voices go to. */
  checks: Queue
  hubHosts: readonly string[]
  records: number
  /** Seals the buyers' addresses of invitations made from orders. */
  secretsKey: string | undefined
  /** HUB_ORIGIN, when set: the review links' origin (else the one the import was made at). */
  hubOrigin: string | null
}

const keyOf = (id: string): MessageKey => ({ kind: 'import', ref: id })

export type StepDone = { lines: number; state: 'running' | 'done' | 'failed' | null }

/** One step of an import, by the outbox attempt that was `attempt`. */
export async function runImportStep(deps: RunDeps, id: string, attempt: number, now: number): Promise<StepDone> {
  const { db } = deps
  const key = keyOf(id)
  const row = await findImport(db, id)
  const site = row && (await findSiteById(db, row.siteId))
  if (!row || !site || (row.state !== 'queued' && row.state !== 'running')) {
    await markSent(db, key, now, byAttempt(attempt))
    return { lines: 0, state: null }
  }
  const fail = async (reason: FileFailure) => {
    await db.batch([failImportRow(db, id, reason, now), markSent(db, key, now, byAttempt(attempt))])
    return { lines: 0, state: 'failed' as const }
  }
  const reader = READERS[row.format]
  if (!deps.bucket) return fail('no_bucket')
  // A shop deleted meanwhile takes nothing more in (its purge deletes the import too).
  if (site.deletedAt !== null) return fail('shop_deleted')
  if (row.options.url !== null && row.fileBytes === 0) {
    const fetched = await fetchFile(
      deps.policy,
      row.options.url,
      Math.min(MAX_FETCHED_BYTES, MAX_FILE_BYTES[row.format]),
    )
    if (!fetched.ok) return fail(fetched.reason)
    if (fetched.body.length === 0) return fail('fetch_failed')
    await deps.bucket.put(fileKey(row.siteId, row.id), fetched.body)
    await db.batch([markFetched(db, row, fetched.body.length, now), continueAttempt(db, key, attempt, now)])
    await sendRecorded(db, deps.queue, [importMessage(row, row.steps + 1)], now)
    return { lines: 0, state: 'running' }
  }
  if (!reader) return fail('malformed')
  const finder = targetFinder(db, site, row.options.targets, row.options.autoTargets, now)
  const read = await reader({
    db,
    bucket: deps.bucket,
    site,
    row,
    key: fileKey(row.siteId, row.id),
    now,
    records: deps.records,
    policy: deps.policy,
    findTarget: finder.find,
  })
  if (!read.ok) return fail(read.reason)
  // A reader that neither read a record nor moved on would loop for ever: the file is broken there.
  if (read.cursor !== null && read.cursor === row.cursor && read.records.length === 0) return fail('malformed')
  const plan = await planRecords(deps, site, row, read.records, now)
  if (!plan) return fail('no_hub_origin')
  const done = read.cursor === null
  // The records in small batches, so that other reads of the database (a feed, an ingest) wait a few
  // milliseconds at most; the position moves only in the last. A step cut short is taken again: what its
  // first batches wrote is met as already there (every voice, invitation and line has its key).
  const results: unknown[] = []
  for (const chunk of chunksOf(plan.statements, plan.starts)) results.push(...(await batchAll(db, chunk)))
  await db.batch([
    advanceImport(db, row, { cursor: read.cursor, lines: plan.lines, origin: read.origin ?? null, done }, now),
    done ? markSent(db, key, now, byAttempt(attempt)) : continueAttempt(db, key, attempt, now),
  ])
  const added = plan.checks.filter((c) => (results[c.at] as D1Result | undefined)?.meta.changes === 1)
  await sendRecorded(
    db,
    deps.checks,
    added.map((c) => c.message),
    now,
  )
  if (!done) await sendRecorded(db, deps.queue, [importMessage(row, row.steps + 1)], now)
  return { lines: plan.lines, state: done ? 'done' : 'running' }
}

const isStepRecord = (r: ReadRecord): r is StepRecord => !isInvitationRecord(r)
const isOrderRecord = (r: ReadRecord): r is InvitationRecord | LineRecord => isInvitationRecord(r) || !isVoiceRecord(r)

/** A step's voices (and its lines), each with the target the finder gives it. */
async function planVoices(deps: RunDeps, site: SiteRow, row: ImportRow, records: StepRecord[], now: number) {
  // Every address and source of the step asked about at once: its targets, and which are other shops'.
  const shops = otherShops(deps.db, site.id)
  const finder = targetFinder(deps.db, site, row.options.targets, row.options.autoTargets, now, shops)
  const voices = records.filter(isVoiceRecord)
  const addresses = voices.flatMap((r) => r.about)
  await finder.prefetch(addresses)
  await shops.prefetch([...addresses, ...voices.map((r) => r.source)].map((a) => (a ? originOf(a) : null)))
  return planStep(
    { db: deps.db, site, row, findTarget: finder.find, hubHosts: deps.hubHosts, now, otherShops: shops },
    records,
  )
}

/** A step's statements: an orders file's invitations, else voices; null when the review links would have no origin. */
async function planRecords(
  deps: RunDeps,
  site: SiteRow,
  row: ImportRow,
  records: ReadRecord[],
  now: number,
): Promise<PlannedStep | null> {
  if (!records.some(isInvitationRecord)) return planVoices(deps, site, row, records.filter(isStepRecord), now)
  const hubOrigin = deps.hubOrigin ?? row.options.hubOrigin ?? null
  if (hubOrigin === null) return null
  const planned = await planInvitations({ ...deps, site, row, hubOrigin, now }, records.filter(isOrderRecord))
  return { checks: [], ...planned }
}

/** Statements in one of a step's batches, about: a record's are never split. */
const STATEMENTS_PER_BATCH = 40

/** The statements cut into batches of about STATEMENTS_PER_BATCH, only where a record's begin. */
function chunksOf<T>(statements: readonly T[], starts: readonly number[]): T[][] {
  const chunks: T[][] = []
  let from = 0
  for (const start of [...starts, statements.length]) {
    if (start - from >= STATEMENTS_PER_BATCH || (start === statements.length && start > from)) {
      chunks.push(statements.slice(from, start))
      from = start
    }
  }
  return chunks
}

/** A file named by URL is fetched whole (an upload is streamed): at most this much. */
export const MAX_FETCHED_BYTES = 20 * 1024 * 1024

/** The file at `url`, through the guarded fetcher: every hop checked, one deadline, the body cut at `max`. */
async function fetchFile(
  policy: AddressPolicy,
  url: string,
  max: number,
): Promise<{ ok: true; body: Uint8Array } | { ok: false; reason: FileReason }> {
  const answer = await fetchSource(
    url,
    policy,
    { maxRedirects: 5, maxBytes: max, timeoutMs: 30_000 },
    {
      accept: 'application/json, application/xml, text/xml, text/csv, text/plain;q=0.9, */*;q=0.1',
      read: ['json', 'xml', 'text', 'html'],
    },
  )
  if (answer.kind !== 'answered' || answer.status < 200 || answer.status > 299)
    return { ok: false, reason: 'fetch_failed' }
  if (answer.truncated) return { ok: false, reason: 'too_large' }
  return { ok: true, body: answer.body }
}

/** An import whose step kept failing (its message reached the dead-letter queue): failed, saying so. */
export async function failImport(db: Db, id: string, now: number) {
  await db.batch([failImportRow(db, id, 'step_failed', now), markGaveUp(db, keyOf(id), now, 'import_failed')])
}

const Message = v.object({
  importId: v.pipe(v.string(), v.maxLength(64)),
  step: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
})

/** The import queue's consumer (and its dead-letter queue's). `records`: a step's size. */
/** A step's dependencies from the Worker's bindings; `queues`: where its next step and its checks go. */
export const importDeps = (
  env: Env,
  queues: { next: Queue; checks: Queue } = { next: env.IMPORT_QUEUE, checks: env.VERIFY_QUEUE },
  records = IMPORT_STEP_RECORDS,
): RunDeps => ({
  db: getDb(env.DB),
  bucket: importBucket(env),
  policy: policyOf(env),
  queue: queues.next,
  checks: queues.checks,
  hubHosts: hubHostsOf(env, env.HUB_ORIGIN || null),
  records,
  secretsKey: env.WEBHOOK_SECRETS_KEY,
  hubOrigin: env.HUB_ORIGIN || null,
})

export function consumeImports(batch: MessageBatch, env: Env, clock: Clock, records = IMPORT_STEP_RECORDS) {
  const deps = importDeps(env, undefined, records)
  const { db } = deps
  return consumeEach(batch, {
    name: 'import',
    schema: Message,
    handle: async ({ importId, step }, queueAttempts) => {
      const now = clock()
      // A copy of a message whose step was taken: the import is past it (and its next message is on its way).
      if (step !== undefined && (await findImport(db, importId))?.steps !== step) return { kind: 'done' }
      const attempt = await startAttempt(db, keyOf(importId), now, queueAttempts)
      if (attempt !== null) await runImportStep(deps, importId, attempt, now)
      return { kind: 'done' }
    },
    giveUp: ({ importId }) => failImport(db, importId, clock()),
  })
}
