/**
 * The import bench (`npm run bench`): an import of a WordPress export into the bench site, driven
 * a step at a time by the bench itself rather than by the queue, so each step — one queue
 * message's work — is timed on its own. The file is uploaded here and streamed to R2 as the API's
 * upload does; nothing is queued, so the hub's own consumer stays out of the measurement. The
 * import trusts its history: its voices are published at once, with no source checks.
 */
import { getDb } from '../db/client'
import { importBucket } from '../imports/files'
import { createImport, receiveFile } from '../imports/imports'
import { importDeps, runImportStep } from '../imports/run'
import { startAttempt } from '../outbox/outbox'

/** A queue that sends nothing: the bench hands each step over itself. */
const NO_QUEUE = { send: () => Promise.resolve(), sendBatch: () => Promise.resolve() } as unknown as Queue

/** Makes a trusted WordPress import of the bench site as the operator and stores the uploaded file; its id and size. */
export async function benchImportStart(
  env: Env,
  body: { stream: ReadableStream<Uint8Array> | null; length: number | null },
  now: number,
) {
  const db = getDb(env.DB)
  const operator = { kind: 'operator' } as const
  const row = await createImport(
    { db, queue: NO_QUEUE },
    operator,
    'bench',
    {
      format: 'wordpress',
      fileName: 'bench-linkbacks.xml',
      options: { trust: true, comments: false, autoTargets: false, targets: {}, url: null, from: null, to: null },
    },
    now,
  )
  const queued = await receiveFile(
    { db, queue: NO_QUEUE, bucket: importBucket(env) },
    operator,
    'bench',
    row.id,
    body,
    now,
  )
  return { id: queued.id, bytes: queued.fileBytes }
}

/** One step of the import, as its queue message would take it: the lines it reported and the import's state. */
export async function benchImportStep(env: Env, id: string, now: number) {
  const db = getDb(env.DB)
  const attempt = await startAttempt(db, { kind: 'import', ref: id }, now, 1)
  if (attempt === null) return { lines: 0, state: 'busy' }
  return runImportStep(importDeps(env, { next: NO_QUEUE, checks: NO_QUEUE }), id, attempt, now)
}
