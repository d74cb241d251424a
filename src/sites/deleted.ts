/**
 * A deleted shop: for the grace period its row stays (the slug stays reserved), everything it
 * publishes and every road in answers 410 Gone, and an operator can restore it; after the grace
 * period the cron purges its rows (./purge.ts). The rule is here, once, for every road to ask.
 */
import { AppError } from '../common/errors'
import type { SiteRow } from './store'

/** How long a deleted shop can be restored before the cron starts purging it. */
export const GRACE_DAYS = 30
export const GRACE_MS = GRACE_DAYS * 24 * 60 * 60 * 1000

/** When the purge of a shop deleted at `deletedAt` may begin. */
export const purgeAfter = (deletedAt: number) => deletedAt + GRACE_MS

export const isDeleted = (site: Pick<SiteRow, 'deletedAt'>) => site.deletedAt !== null

/** What a road of a deleted shop answers: 410 Gone, saying so. */
export const siteGone = (slug: string) =>
  new AppError(
    'gone',
    `The shop "${slug}" was deleted: this hub no longer publishes or accepts anything for it`,
    `ショップ「${slug}」は削除されました。このハブはこのショップの公開も受け付けも行いません`,
  )

/**
 * The site a public document or an ingest road names: not_found when there is none, gone when
 * the shop was deleted.
 */
export function liveSite<S extends Pick<SiteRow, 'slug' | 'deletedAt'>>(
  site: S | undefined,
  notFound = 'No such site',
): S {
  if (!site) throw new AppError('not_found', notFound)
  if (isDeleted(site)) throw siteGone(site.slug)
  return site
}
