/**
 * A shop's end and its way back: an operator deletes a shop (it answers 410 everywhere at once,
 * its keys stop working, and its slug stays reserved), may restore it during the grace period,
 * and after that the cron purges it (./purge.ts). What the API and the console say of it.
 */
import { assertOperator, type Principal } from '../common/principal'
import { AppError } from '../common/errors'
import type { Db } from '../db/client'
import { GRACE_MS } from './deleted'
import { loadSite, loadSiteInAnyState } from './service'
import { markDeleted, markRestored, type SiteRow } from './store'

/** Deletes a live shop (operator only). */
export async function deleteSite(db: Db, p: Principal, slug: string, now: number): Promise<SiteRow> {
  assertOperator(p)
  const site = await loadSite(db, p, slug)
  const deleted = await markDeleted(db, site.id, now)
  if (!deleted) throw new AppError('conflict', 'The shop was deleted just now', 'ショップはたった今削除されました')
  return deleted
}

/** Brings a deleted shop back as it was, while its grace period lasts (operator only). */
export async function restoreSite(db: Db, p: Principal, slug: string, now: number): Promise<SiteRow> {
  assertOperator(p)
  const site = await loadSiteInAnyState(db, p, slug)
  if (site.deletedAt === null)
    throw new AppError('conflict', 'The shop is not deleted', 'このショップは削除されていません')
  const restored = await markRestored(db, site.id, now - GRACE_MS)
  if (!restored)
    throw new AppError(
      'conflict',
      'The grace period is over: the shop is being purged and can no longer be restored',
      '猶予期間が過ぎました。ショップは削除処理中のため、元に戻せません',
    )
  return restored
}
