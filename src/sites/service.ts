import * as v from 'valibot'
import type { Out } from '../common/outputs'
import type { SiteOut } from './outputs'

import { assertOperator, assertSiteAccess, type Principal } from '../common/principal'
import type { Db } from '../db/client'
import { AppError } from '../common/errors'
import type { PageLang } from '../common/lang'
import { weekEndIn } from '../common/time-zone'
import { originOf } from '../common/url'
import { isDeleted, purgeAfter, siteGone } from './deleted'
import { deletionOf } from './deletion-state'
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

const JAPAN = 'Asia/Tokyo'

/**
 * A new shop's language and time zone: never silently English and UTC. Each may be given, or
 * follow from the other where that is unambiguous (Japanese ⇄ Asia/Tokyo); otherwise the site is
 * refused, naming what is missing.
 */
export function shopLocale(settings: SiteInput['settings']): { lang: PageLang; time_zone: string } {
  const zone = settings?.time_zone
  const lang = settings?.lang ?? settings?.review_lang ?? (zone === JAPAN ? 'ja' : undefined)
  const time_zone = zone ?? (lang === 'ja' ? JAPAN : undefined)
  if (lang !== undefined && time_zone !== undefined) return { lang, time_zone }
  const missing = [lang === undefined && 'settings.lang', time_zone === undefined && 'settings.time_zone'].filter(
    (name): name is string => name !== false,
  )
  throw new AppError(
    'invalid_input',
    `A new site needs ${missing.join(' and ')}: the shop's language ("en" or "ja") and its IANA time zone (such as "Europe/London"); a Japanese shop may give either, the other follows`,
    `新しいサイトには ${missing.join(' と ')} が必要です：ショップの言語（"en" か "ja"）と IANA タイムゾーン（"Asia/Tokyo" など）。日本のショップはどちらか一方だけでも構いません`,
  )
}

export async function createSite(db: Db, p: Principal, input: SiteInput, now: number) {
  assertOperator(p)
  const locale = shopLocale(input.settings)
  const site = await insertSite(db, {
    slug: input.slug,
    name: input.name,
    origins: toOrigins(input.origins),
    embedOrigins: toOrigins(input.embed_origins ?? input.origins),
    settings: { ...input.settings, ...locale },
    createdAt: now,
    // Its first weekly digest: at the end of the week it was made in, the shop's own week.
    digestDue: weekEndIn(now, locale.time_zone),
  })
  if (!site) throw slugTaken(await findSiteBySlug(db, input.slug), input.slug)
  return site
}

/** Why a slug cannot be had: a shop uses it, or a deleted shop keeps it until its purge. */
function slugTaken(holder: SiteRow | undefined, slug: string) {
  if (holder?.deletedAt != null) {
    const until = new Date(purgeAfter(holder.deletedAt)).toISOString().slice(0, 10)
    return new AppError(
      'conflict',
      `The slug "${slug}" belongs to a deleted shop: it stays reserved until that shop is purged (from ${until}), or until the shop is restored`,
      `スラッグ「${slug}」は削除されたショップのものです。そのショップの完全な削除（${until}以降）までは使えません`,
    )
  }
  return new AppError(
    'conflict',
    `A site with slug "${slug}" already exists`,
    `スラッグ「${slug}」のサイトはすでにあります`,
  )
}

export type SitePatch = Partial<Omit<SiteInput, 'slug'>>

export async function changeSite(db: Db, p: Principal, slug: string, patch: SitePatch, now: number) {
  const site = await loadSite(db, p, slug)
  const changes: Parameters<typeof updateSite>[2] = {}
  if (patch.name !== undefined) changes.name = patch.name
  if (patch.origins !== undefined) changes.origins = toOrigins(patch.origins)
  if (patch.embed_origins !== undefined) changes.embedOrigins = toOrigins(patch.embed_origins)
  if (patch.settings !== undefined) changes.settings = { ...site.settings, ...patch.settings }
  // A shop that moves to another time zone has its next digest at the end of its week there (one
  // already due is still made, for the week that ended in the zone it had).
  const zone = patch.settings?.time_zone
  if (zone !== undefined && zone !== readSettings(site.settings).time_zone && site.digestDue > now)
    changes.digestDue = weekEndIn(now, zone)
  return (await updateSite(db, site.id, changes)) ?? site
}

/**
 * The site the principal asked for; not_found for unknown slugs and other sites alike, gone (410)
 * for a deleted shop (./deleted.ts): nothing is read or changed in it until it is restored.
 */
export async function loadSite(db: Db, p: Principal, slug: string): Promise<SiteRow> {
  const site = await loadSiteInAnyState(db, p, slug)
  if (isDeleted(site)) throw siteGone(site.slug)
  return site
}

/** The site the principal asked for, deleted or not (its own page, its deletion and its restoration). */
export async function loadSiteInAnyState(db: Db, p: Principal, slug: string): Promise<SiteRow> {
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

export const siteJson = (site: SiteRow, now: number): Out<typeof SiteOut> => ({
  slug: site.slug,
  name: site.name,
  origins: site.origins,
  embed_origins: site.embedOrigins,
  settings: readSettings(site.settings),
  created_at: new Date(site.createdAt).toISOString(),
  deletion: deletionOf(site, now),
})
