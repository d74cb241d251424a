/**
 * The site and target a linkback names, remembered by the isolate so that a burst of pings
 * costs one D1 round trip each, not three. Safe because the intake's write is guarded by
 * what it relied on (the site's origins and settings, the target at its URL — or no target
 * at the URL, for a page nobody registered): a stale copy makes the write not happen, and
 * the intake forgets it and looks again.
 */
import type { Db } from '../db/client'
import { RecentCache } from '../common/recent-cache'
import { readSettings } from '../sites/settings'
import { findSiteBySlug, type SiteRow } from '../sites/store'
import { findTarget, findTargetByUrl } from '../targets/store'

/** A target named by its id (TrackBack's ping URL) or by its page's canonical URL (Webmention, Pingback). */
export type TargetRef = { id: string } | { url: string }

/**
 * The target a linkback is about. `pending`: a page on the storefront nobody registered; the
 * voice names it by URL (its `id` is the URL), and a target is made only once the voice is
 * published (src/verification/service.ts).
 */
export type NamedTarget = { id: string; url: string; pending: boolean }

const sites = new RecentCache<string, SiteRow>(60 * 1000, 1_000)
const targets = new RecentCache<string, NamedTarget>(10 * 60 * 1000, 10_000)

const targetKey = (siteId: number, ref: TargetRef) =>
  'id' in ref ? `${siteId} id ${ref.id}` : `${siteId} url ${ref.url}`

/** The site with this slug; `fresh` reads D1 whatever the isolate remembers. */
export async function siteNamed(db: Db, slug: string, fresh: boolean): Promise<SiteRow | undefined> {
  const known = fresh ? undefined : sites.get(slug)
  if (known) return known
  const site = await findSiteBySlug(db, slug)
  if (site) sites.set(slug, site)
  return site
}

/**
 * The target a ping names: a registered or automatic one, or — for a URL nobody registered,
 * when the site makes targets by itself — a pending one. Undefined when there is none.
 */
export async function targetNamed(
  db: Db,
  site: SiteRow,
  ref: TargetRef,
  fresh: boolean,
): Promise<NamedTarget | undefined> {
  const key = targetKey(site.id, ref)
  const known = fresh ? undefined : targets.get(key)
  if (known) return known
  const found = 'id' in ref ? await findTarget(db, site.id, ref.id) : await findTargetByUrl(db, site.id, ref.url)
  const target = found
    ? { id: found.id, url: found.url, pending: false }
    : 'url' in ref && readSettings(site.settings).auto_targets
      ? { id: ref.url, url: ref.url, pending: true }
      : undefined
  if (target) targets.set(key, target)
  return target
}

/** Drops what the isolate remembers of a site and one of its targets (a guarded write found them changed). */
export function forget(site: SiteRow, ref: TargetRef): void {
  sites.delete(site.slug)
  targets.delete(targetKey(site.id, ref))
}
