/**
 * The import bench (`npm run bench`): an import of a WordPress export into the bench site, driven
 * a step at a time by the bench itself rather than by the queue, so each step — one queue
 * message's work — is timed on its own. The file is uploaded here and streamed to R2 as the API's
 * upload does; nothing is queued, so the hub's own consumer stays out of the measurement. The
 * import trusts its history: its voices are published at once, with no source checks.
 */
import { getDb, getReplicaDb } from '../db/client'
import { readFeed } from '../feeds/service'
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

/**
 * The bench site's feed read as a cache miss reads it (D1, no edge cache), timed, one after another
 * until `until` settles (or `n` times when there is nothing to wait for): the D1 cost a shopper's
 * request pays while an import writes to the same database, measured inside the Worker, so the
 * local dev server's handling of concurrent connections is left out.
 */
async function timedFeedReads(env: Env, until: Promise<unknown> | null, n: number): Promise<number[]> {
  const db = getReplicaDb(env.DB)
  const url = new URL('https://hub.invalid/feeds/bench.json')
  let settled = until === null
  void until?.finally(() => (settled = true))
  const times: number[] = []
  while (until === null ? times.length < n : !settled) {
    const t = performance.now()
    await readFeed(db, 'bench', { limit: 20, cursor: null }, url, [])
    times.push(performance.now() - t)
  }
  return times
}

/** The feed's reads with no import running (`n` of them). */
export const benchFeedIdle = (env: Env, n: number) => timedFeedReads(env, null, n)

/**
 * One step of the import, as its queue message would take it — the lines it reported and the
 * import's state — with the feed reads made while it ran.
 */
export async function benchImportStep(env: Env, id: string, now: number) {
  const db = getDb(env.DB)
  const attempt = await startAttempt(db, { kind: 'import', ref: id }, now, 1)
  if (attempt === null) return { lines: 0, state: 'busy', feed: [] }
  const step = runImportStep(importDeps(env, { next: NO_QUEUE, checks: NO_QUEUE }), id, attempt, now)
  const [done, feed] = await Promise.all([step, timedFeedReads(env, step, 0)])
  return { ...done, feed }
}
