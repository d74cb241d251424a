/**
 * The export bench (`npm run bench`): an export of the bench site driven a step at a time by the
 * bench itself rather than by the queue, so each step — one queue message's work — is timed and
 * measured on its own (its rows and the bytes it wrote).
 */
import { getDb } from '../db/client'
import { exportBucket } from '../exports/archive'
import { startExport } from '../exports/exports'
import { EXPORT_BATCH_ROWS, runExportStep } from '../exports/run'
import { startAttempt } from '../outbox/outbox'

/** A queue that sends nothing: the bench hands each step over itself. */
const NO_QUEUE = { send: () => Promise.resolve(), sendBatch: () => Promise.resolve() } as unknown as Queue

/** Starts an export of the bench site as the operator; its id. */
export async function benchExportStart(env: Env, hubOrigin: string, now: number) {
  const db = getDb(env.DB)
  const started = await startExport({ db, queue: NO_QUEUE }, { kind: 'operator' }, 'bench', hubOrigin, now)
  return { id: started.started ? started.row.id : started.running.id }
}

/** One step of the export, as its queue message would make it. */
export async function benchExportStep(env: Env, id: string, now: number) {
  const db = getDb(env.DB)
  const attempt = await startAttempt(db, { kind: 'export', ref: id }, now, 1)
  if (attempt === null) return { kind: null, rows: 0, bytes: 0, state: 'busy' }
  return runExportStep({ db, bucket: exportBucket(env), queue: NO_QUEUE, rows: EXPORT_BATCH_ROWS }, id, attempt, now)
}
