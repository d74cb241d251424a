/** What the API and the console say of a deleted shop: restorable until when, or how far its purge has gone. */
import type { Out } from '../common/outputs'
import { purgeAfter } from './deleted'
import type { DeletionOut } from './outputs'
import { PURGE_STEPS } from './purge-store'
import type { SiteRow } from './store'

/** Where a deleted shop stands; null for a live one. */
export function deletionOf(site: SiteRow, now: number): Out<typeof DeletionOut> | null {
  if (site.deletedAt === null) return null
  const after = purgeAfter(site.deletedAt)
  const purging = now >= after || site.purgeStep > 0 || site.purgeRows > 0
  return {
    state: purging ? 'purging' : 'restorable',
    deleted_at: new Date(site.deletedAt).toISOString(),
    purge_after: new Date(after).toISOString(),
    rows_purged: site.purgeRows,
    step: Math.min(site.purgeStep + 1, PURGE_STEPS.length),
    steps: PURGE_STEPS.length,
    purging_table: purging ? (PURGE_STEPS[site.purgeStep]?.table ?? null) : null,
  }
}
