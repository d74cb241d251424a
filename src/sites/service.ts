import * as v from 'valibot'
import type { Out } from '../common/outputs'
import type { SiteOut } from './outputs'

import { assertOperator, assertSiteAccess, type Principal } from '../common/principal'
import type { Db } from '../db/client'
import { AppError } from '../common/errors'
import { originOf } from '../common/url'
import { readSettings, type SiteSettingsInput } from './settings'
import { findSiteById, findSiteBySlug, insertSite, sitesAfter, type SiteRow, updateSite } from './store'

export type SiteInput = {
  slug: string
  name: string
  origins: string[]
  embed_origins?: string[] | undefined
  settings?: v.InferOutput<typeof SiteSettingsInput> | undefined
}

/** Origins are stored as `scheme://host[:port]`, deduplicated. */
const toOrigins = (urls: readonly string[]) => [
  ...new Set(urls.map((u) => (u === '*' ? '*' : originOf(u))).filter((o): o is string => o !== null)),
]

export async function createSite(db: Db, p: Principal, input: SiteInput, now: number) {
  assertOperator(p)
  const site = await insertSite(db, {
    slug: input.slug,
    name: input.name,
    origins: toOrigins(input.origins),
    embedOrigins: toOrigins(input.embed_origins ?? input.origins),
    settings: { ...input.settings },
    createdAt: now,
  })
  if (!site) throw new AppError('conflict', `A site with slug "${input.slug}" already exists`)
  return site
}

export type SitePatch = Partial<Omit<SiteInput, 'slug'>>

export async function changeSite(db: Db, p: Principal, slug: string, patch: SitePatch) {
  const site = await loadSite(db, p, slug)
  const changes: Parameters<typeof updateSite>[2] = {}
  if (patch.name !== undefined) changes.name = patch.name
  if (patch.origins !== undefined) changes.origins = toOrigins(patch.origins)
  if (patch.embed_origins !== undefined) changes.embedOrigins = toOrigins(patch.embed_origins)
  if (patch.settings !== undefined) changes.settings = { ...site.settings, ...patch.settings }
  return (await updateSite(db, site.id, changes)) ?? site
}

/** The site the principal asked for; not_found for unknown slugs and other sites alike. */
export async function loadSite(db: Db, p: Principal, slug: string): Promise<SiteRow> {
  const site = await findSiteBySlug(db, slug)
  if (!site) throw new AppError('not_found', 'Site not found', 'サイトが見つかりません')
  assertSiteAccess(p, site.id)
  return site
}

/** The sites the principal may see, a page at a time (a site key sees its own); `next` is the id to continue after. */
export async function sitesVisibleTo(db: Db, p: Principal, afterId: number, limit: number) {
  if (p.kind !== 'operator') {
    const own = afterId < p.siteId ? await findSiteById(db, p.siteId) : undefined
    return { items: own ? [own] : [], next: null }
  }
  const rows = await sitesAfter(db, afterId, limit + 1)
  const items = rows.slice(0, limit)
  return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null }
}

export const siteJson = (site: SiteRow): Out<typeof SiteOut> => ({
  slug: site.slug,
  name: site.name,
  origins: site.origins,
  embed_origins: site.embedOrigins,
  settings: readSettings(site.settings),
  created_at: new Date(site.createdAt).toISOString(),
})
