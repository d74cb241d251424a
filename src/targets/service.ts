import type { Principal } from '../auth/principal'
import type { Db } from '../db/client'
import type { TargetKind } from '../db/schema'
import { newId } from '../shared/crypto'
import { AppError } from '../shared/errors'
import { canonicalUrl, isUnderOrigins } from '../shared/url'
import { loadSite } from '../sites/service'
import type { SiteRow } from '../sites/store'
import { linkbackDiscovery, trackbackRdf, trackbackUrl } from './discovery'
import { findTarget, findTargetByUrl, insertTarget, listTargets, type TargetRow } from './store'

export type TargetInput = { id?: string | undefined; url: string; title: string; kind: TargetKind }

export async function createTarget(db: Db, p: Principal, slug: string, input: TargetInput, now: number) {
  const site = await loadSite(db, p, slug)
  const url = canonicalUrl(input.url)
  if (!url) throw new AppError('invalid_input', 'url: must be an absolute http(s) URL')
  if (!isUnderOrigins(url, site.origins)) {
    throw new AppError(
      'invalid_input',
      `url: must be under one of the site's origins (${site.origins.join(', ')})`
    )
  }
  const target = await insertTarget(db, {
    siteId: site.id,
    id: input.id ?? newId('t'),
    url,
    title: input.title,
    kind: input.kind,
    createdAt: now,
  })
  if (!target) throw new AppError('conflict', 'A target with this id or URL already exists')
  return { site, target }
}

/**
 * The target for a storefront URL that a Webmention or Pingback names, created on first
 * sight (operators need not register every product by hand). `url` is canonical and under
 * one of the site's origins; a concurrent first sighting of the same URL finds the winner's row.
 */
export async function targetForUrl(db: Db, site: SiteRow, url: string, now: number): Promise<TargetRow> {
  const found = await findTargetByUrl(db, site.id, url)
  if (found) return found
  const created = await insertTarget(db, {
    siteId: site.id,
    id: newId('t'),
    url,
    // Until an operator names it, a target is known by its address.
    title: url,
    kind: 'page',
    createdAt: now,
  })
  const target = created ?? (await findTargetByUrl(db, site.id, url))
  if (!target) throw new Error(`target for ${url} neither created nor found`)
  return target
}

export async function loadTarget(db: Db, p: Principal, slug: string, id: string) {
  const site = await loadSite(db, p, slug)
  const target = await findTarget(db, site.id, id)
  if (!target) throw new AppError('not_found', 'Target not found')
  return { site, target }
}

export async function pageOfTargets(db: Db, p: Principal, slug: string, after: string | null, limit: number) {
  const site = await loadSite(db, p, slug)
  const rows = await listTargets(db, site.id, after, limit + 1)
  const items = rows.slice(0, limit)
  return { site, items, next: rows.length > limit ? items[items.length - 1]!.id : null }
}

/** A target as the API shows it, with the snippets a storefront pastes into the page. */
export function targetJson(hubOrigin: string, site: SiteRow, t: TargetRow) {
  const ping = trackbackUrl(hubOrigin, site.slug, t.id)
  return {
    id: t.id,
    url: t.url,
    title: t.title,
    kind: t.kind,
    created_at: new Date(t.createdAt).toISOString(),
    feed_url: `${hubOrigin}/feeds/${site.slug}.json?target=${encodeURIComponent(t.id)}`,
    discovery: {
      ...linkbackDiscovery(hubOrigin, site.slug),
      trackback_url: ping,
      trackback_rdf: trackbackRdf(t.url, t.title, ping),
    },
  }
}
