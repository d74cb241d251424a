/**
 * Which target an imported voice belongs to. A record names the addresses it is about in order of
 * preference — an old blog post's own address, then the storefront pages its words link to — and
 * the first that leads to a target wins:
 *
 * 1. the import's map (old address → a target's id or a storefront URL), given by the shop;
 * 2. a page under the shop's origins: its target, or a new automatic one when the import (or the
 *    shop's `auto_targets` setting) makes them.
 *
 * An address that leads nowhere says why: it is under another shop's origins, it is private or
 * not fetchable, or nothing maps it.
 */
import { sql } from 'drizzle-orm'

import { refusalFor } from '../common/address-policy'
import { canonicalUrl, isUnderOrigins, originOf } from '../common/url'
import type { Db } from '../db/client'
import { sites } from '../db/schema'
import type { SiteRow } from '../sites/store'
import { readSettings } from '../sites/settings'
import { automaticTarget } from '../targets/service'
import { findTarget, type TargetRow, targetsAtUrls } from '../targets/store'

/** Why no target was found for a record. */
export type TargetRefusal = 'other_shop' | 'private_address' | 'not_mapped' | 'no_address' | 'mapped_target_missing'

export type TargetFinder = (addresses: readonly (string | null)[]) => Promise<TargetRow | { refused: TargetRefusal }>

/** Origins asked about in one query at most. */
const ORIGINS_PER_QUERY = 90

/** Which of `origins` are another shop's storefront (a shop other than `siteId`). */
const shopOriginsAmong = (db: Db, siteId: number, origins: readonly string[]) =>
  db.all<{ origin: string }>(
    sql`SELECT DISTINCT json_each.value AS origin FROM ${sites}, json_each(${sites.origins})
      WHERE json_each.value IN (${sql.join(
        origins.map((o) => sql`${o}`),
        sql`, `,
      )}) AND ${sites.id} <> ${siteId}`,
  )

export type OtherShops = {
  /** Asks about every origin of a step at once (one query per 90). */
  prefetch: (origins: readonly (string | null)[]) => Promise<void>
  has: (origin: string) => Promise<boolean>
}

/** Whether an origin is another shop's storefront, remembered for a step. */
export function otherShops(db: Db, siteId: number): OtherShops {
  const known = new Map<string, boolean>()
  const prefetch = async (origins: readonly (string | null)[]) => {
    const asked = [...new Set(origins)].filter((o): o is string => o !== null && !known.has(o))
    for (let i = 0; i < asked.length; i += ORIGINS_PER_QUERY) {
      const chunk = asked.slice(i, i + ORIGINS_PER_QUERY)
      const found = new Set((await shopOriginsAmong(db, siteId, chunk)).map((r) => r.origin))
      for (const o of chunk) known.set(o, found.has(o))
    }
  }
  return {
    prefetch,
    async has(origin) {
      if (!known.has(origin)) await prefetch([origin])
      return known.get(origin) ?? false
    },
  }
}

/**
 * A finder for one step of an import: remembers what it found (a file names the same posts many
 * times) and reads the targets of every address of the step at once (`prefetch`).
 */
export function targetFinder(
  db: Db,
  site: SiteRow,
  map: Record<string, string>,
  autoTargets: boolean,
  now: number,
  shops: OtherShops = otherShops(db, site.id),
): { find: TargetFinder; prefetch: (addresses: readonly (string | null)[]) => Promise<void> } {
  const known = new Map<string, TargetRow>()
  const makesTargets = autoTargets || readSettings(site.settings).auto_targets
  // The map's keys in canonical form, so that a trailing slash or a tracking parameter does not matter.
  const mapped = new Map(Object.entries(map).map(([from, to]) => [canonicalUrl(from) ?? from.trim(), to] as const))

  const storefrontUrl = (address: string) => {
    const url = canonicalUrl(address)
    return url && isUnderOrigins(url, site.origins) ? url : null
  }

  async function targetAt(url: string): Promise<TargetRow | null> {
    const cached = known.get(url)
    if (cached) return cached
    const target = await automaticTarget(db, site, url, now, { always: makesTargets })
    if (target) known.set(url, target)
    return target
  }

  async function byMap(to: string): Promise<TargetRow | null> {
    const url = storefrontUrl(to)
    if (url) return targetAt(url)
    const cached = known.get(`id:${to}`)
    if (cached) return cached
    const target = await findTarget(db, site.id, to)
    if (target) known.set(`id:${to}`, target)
    return target ?? null
  }

  return {
    async prefetch(addresses) {
      const urls = addresses.flatMap((a) => {
        const url = a ? canonicalUrl(a) : null
        if (!url) return []
        const to = mapped.get(url)
        const at = to ? storefrontUrl(to) : storefrontUrl(url)
        return at && !known.has(at) ? [at] : []
      })
      if (urls.length === 0) return
      for (const [url, target] of await targetsAtUrls(db, site.id, urls)) known.set(url, target)
    },
    async find(addresses) {
      let why: TargetRefusal = 'no_address'
      for (const address of addresses) {
        const url = address ? canonicalUrl(address) : null
        // An address that is no URL (a Movable Type entry's basename) can only be mapped.
        const to = mapped.get(url ?? address?.trim() ?? '')
        if (!url) {
          if (to !== undefined) {
            const target = await byMap(to)
            if (target) return target
            why = 'mapped_target_missing'
          }
          continue
        }
        if (to !== undefined) {
          const target = await byMap(to)
          if (target) return target
          why = 'mapped_target_missing'
          continue
        }
        if (isUnderOrigins(url, site.origins)) {
          const target = await targetAt(url)
          if (target) return target
          why = 'not_mapped'
          continue
        }
        if (refusalFor(new URL(url), { allowLoopback: false }) !== null) {
          why = 'private_address'
          continue
        }
        const origin = originOf(url)
        if (origin && (await shops.has(origin))) {
          why = 'other_shop'
          continue
        }
        if (why === 'no_address') why = 'not_mapped'
      }
      return { refused: why }
    },
  }
}
