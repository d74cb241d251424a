/**
 * A site's data version, as the public documents' ETags and caches carry it: every write bumps
 * it, so a reader that holds the current version needs no more than the site row.
 */
import { and, eq, or, sql, type SQL } from 'drizzle-orm'

import { sites } from '../db/schema'

/** A (site id, data version) the caller can already answer from. */
export type KnownVersion = { siteId: number; version: number }

/** True when the caller already holds the site's current version. */
export const holdsVersion = (known: readonly KnownVersion[], site: { id: number; dataVersion: number }) =>
  known.some((k) => k.siteId === site.id && k.version === site.dataVersion)

/**
 * The site's id — or NULL when the site is at one of the known versions. Every data read
 * compares its site_id with this, so when the caller holds the current version the index
 * lookups find nothing at once (a separate "skip" condition would still walk the index).
 */
export function siteIdUnlessKnown(slug: string, known: readonly KnownVersion[]): SQL {
  const current =
    known.length === 0 ? sql`0` : or(...known.map((k) => and(eq(sites.id, k.siteId), eq(sites.dataVersion, k.version))))
  return sql`(SELECT ${sites.id} FROM ${sites} WHERE ${sites.slug} = ${slug} AND NOT (${current}))`
}
