/**
 * Reads of the trust figures and the public ledger, each one D1 batch. Like the feed's, they
 * name the site through `siteIdUnlessKnown`, so a request whose cached copy is current reads
 * just the site row; otherwise one counter row, and for the ledger one page through the
 * moderation_site index (site_id, id).
 */
import { and, desc, eq, lt } from 'drizzle-orm'

import type { Db } from '../db/client'
import { moderationEvents, sites, stats, targets } from '../db/schema'
import { type KnownVersion, siteIdUnlessKnown } from '../sites/versions'

/** The site, the target (when one is named) and its counter row ('' is the whole site). */
export function trustReads(db: Db, slug: string, targetId: string | null, known: readonly KnownVersion[]) {
  const site = siteIdUnlessKnown(slug, known)
  return db.batch([
    db.select().from(sites).where(eq(sites.slug, slug)).limit(1),
    db
      .select()
      .from(targets)
      .where(and(eq(targets.siteId, site), eq(targets.id, targetId ?? '')))
      .limit(1),
    db
      .select()
      .from(stats)
      .where(and(eq(stats.siteId, site), eq(stats.targetId, targetId ?? '')))
      .limit(1),
  ])
}

/** The site, its site-wide counters, and up to `limit` ledger entries before `beforeSeq`, newest first. */
export function ledgerReads(
  db: Db,
  slug: string,
  beforeSeq: number | null,
  limit: number,
  known: readonly KnownVersion[],
) {
  const site = siteIdUnlessKnown(slug, known)
  return db.batch([
    db.select().from(sites).where(eq(sites.slug, slug)).limit(1),
    db
      .select()
      .from(stats)
      .where(and(eq(stats.siteId, site), eq(stats.targetId, '')))
      .limit(1),
    db
      .select()
      .from(moderationEvents)
      .where(
        and(eq(moderationEvents.siteId, site), beforeSeq === null ? undefined : lt(moderationEvents.id, beforeSeq)),
      )
      .orderBy(desc(moderationEvents.id))
      .limit(limit),
  ])
}
