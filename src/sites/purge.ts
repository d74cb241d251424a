/**
 * The cron's purge of deleted shops whose grace period has ended (./deleted.ts): their rows go
 * table by table in bounded batches (./purge-store.ts), so a run reads (and so deletes) a bounded
 * number of rows whatever the shop holds, and the next run takes up where it stopped (the step
 * and the rows deleted are kept on the site row, which goes last and frees the slug).
 */
import { GRACE_MS } from './deleted'
import { deleteSiteRow, photoKeysOfNext, PURGE_STEPS, runStep, setPurgeStep, sitesDueForPurge } from './purge-store'

/** Rows one statement deletes at most. */
export const PURGE_BATCH = 200
/**
 * Rows one cron run reads, over every shop it purges: it starts no statement once this many are
 * read, so a run reads at most this and one statement's worth more (about three times the batch).
 */
export const PURGE_READS_PER_RUN = 10_000

export type PurgeDeps = {
  d1: D1Database
  /** Deletes review photos from R2 (handed in: photos belong to reviews). */
  deletePhotos: (keys: string[]) => Promise<void>
  /**
   * Deletes up to a page of the shop's export and import files from R2 (handed in: they build on sites):
   * how many, and whether more are left.
   */
  deleteExportFiles: (siteId: number) => Promise<{ deleted: number; more: boolean }>
}

/** What a run did: rows deleted and read, the shops finished, and whether a shop is still to be taken up. */
export type PurgeRun = { deleted: number; read: number; purged: string[]; more: boolean }

export async function purgeDeletedSites(
  deps: PurgeDeps,
  now: number,
  budget = PURGE_READS_PER_RUN,
  batch = PURGE_BATCH,
): Promise<PurgeRun> {
  const run: PurgeRun = { deleted: 0, read: 0, purged: [], more: false }
  const { results: due } = await sitesDueForPurge(deps.d1, now - GRACE_MS, 10)
  for (const site of due) {
    let step = site.purgeStep
    while (step < PURGE_STEPS.length) {
      if (run.read >= budget) {
        run.more = true
        return run
      }
      const purging = PURGE_STEPS[step]
      if (!purging) break
      const n = batch
      if (purging.table === 'exports') {
        // R2 first, a page a call, each counted as read: a run that stops finds the rows and goes on.
        const files = await deps.deleteExportFiles(site.id)
        run.read += files.deleted
        if (files.more) continue
      }
      if (purging.table === 'mentions') {
        const photos = await photoKeysOfNext(deps.d1, site.id, n)
        run.read += photos.read
        // R2 first: a run that stops after it finds the rows still there and deletes their keys again (a no-op).
        if (photos.keys.length > 0) await deps.deletePhotos(photos.keys)
      }
      const done = await runStep(deps.d1, site.id, purging, n)
      run.deleted += done.deleted
      run.read += done.read
      if (done.deleted < n) await setPurgeStep(deps.d1, site.id, ++step)
    }
    await deleteSiteRow(deps.d1, site.id)
    run.purged.push(site.slug)
  }
  return run
}
