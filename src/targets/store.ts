import { and, asc, count, eq, gt, inArray, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'

import type { Db } from '../db/client'
import { affiliateLinks, invitations, mentions, stats, targets } from '../db/schema'
import { bumpDataVersion } from '../sites/store'

export type TargetRow = typeof targets.$inferSelect

/** The target query, unexecuted (for batches); `findTarget` runs it. */
export const targetById = (db: Db, siteId: number, id: string) =>
  db.select().from(targets).where(and(eq(targets.siteId, siteId), eq(targets.id, id))).limit(1)

/** A site's targets with these ids, in the ids' order (missing ones left out): one query. */
export async function targetsOf(db: Db, siteId: number, ids: readonly string[]): Promise<TargetRow[]> {
  if (ids.length === 0) return []
  const rows = await db.select().from(targets).where(and(eq(targets.siteId, siteId), inArray(targets.id, [...ids]))).all()
  return ids.map((id) => rows.find((t) => t.id === id)).filter((t): t is TargetRow => t !== undefined)
}

export const findTarget = (db: Db, siteId: number, id: string) => targetById(db, siteId, id).get()

/** True while the target exists at this URL (guards a write that relied on both). */
export const targetIs = (siteId: number, id: string, url: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.id} = ${id} AND ${targets.url} = ${url})`

/** True while no target of the site has this URL (guards a voice that names the page by URL only). */
export const noTargetAt = (siteId: number, url: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.url} = ${url})`

/** The target at a URL, unexecuted (for batches); `findTargetByUrl` runs it. */
export const targetByUrl = (db: Db, siteId: number, url: string) =>
  db.select().from(targets).where(and(eq(targets.siteId, siteId), eq(targets.url, url))).limit(1)

export const findTargetByUrl = (db: Db, siteId: number, url: string) => targetByUrl(db, siteId, url).get()

/** Creates the target and its counter row; null when the id or URL is taken. */
export async function insertTarget(db: Db, row: TargetRow): Promise<TargetRow | null> {
  const [inserted] = await db.batch([
    db.insert(targets).values(row).onConflictDoNothing().returning(),
    db.insert(stats).values({ siteId: row.siteId, targetId: row.id }).onConflictDoNothing(),
    bumpDataVersion(db, row.siteId),
  ])
  return inserted[0] ?? null
}

/** A page of the site's targets by id; only registered (or only automatic) ones when `automatic` says so. */
export const listTargets = (db: Db, siteId: number, after: string | null, limit: number, automatic?: boolean) =>
  db
    .select()
    .from(targets)
    .where(and(eq(targets.siteId, siteId), after === null ? undefined : gt(targets.id, after), automatic === undefined ? undefined : eq(targets.automatic, automatic)))
    .orderBy(asc(targets.id))
    .limit(limit)
    .all()

/** Another row of the same table inside a subquery (written `FROM table alias`). */
const other = alias(targets, 'other')

/** Changes a target (feeds show its title and URL); null when it is gone or another target has the new URL. */
export async function updateTarget(db: Db, siteId: number, id: string, changes: Partial<Pick<TargetRow, 'title' | 'kind' | 'url' | 'automatic'>>) {
  const urlFree = changes.url === undefined ? undefined : sql`NOT EXISTS (SELECT 1 FROM ${targets} ${other} WHERE ${other.siteId} = ${siteId} AND ${other.url} = ${changes.url} AND ${other.id} <> ${id})`
  const which = and(eq(targets.siteId, siteId), eq(targets.id, id), urlFree)
  const [updated] = await db.batch([
    db.update(targets).set(changes).where(which).returning(),
    bumpDataVersion(db, siteId),
  ])
  return updated[0] ?? null
}

/** What refers to a target: voices (any status), tracking links, review invitations (each counted up to 1000). */
export async function referencesTo(db: Db, siteId: number, id: string) {
  const upTo = 1000
  const [[voices], [links], [invited]] = await db.batch([
    db.select({ n: count() }).from(db.select({ one: sql`1` }).from(mentions).where(and(eq(mentions.siteId, siteId), eq(mentions.targetId, id))).limit(upTo).as('v')),
    db.select({ n: count() }).from(db.select({ one: sql`1` }).from(affiliateLinks).where(and(eq(affiliateLinks.siteId, siteId), eq(affiliateLinks.targetId, id))).limit(upTo).as('l')),
    db.select({ n: count() }).from(db.select({ one: sql`1` }).from(invitations).where(and(eq(invitations.siteId, siteId), invitationNames(id))).limit(upTo).as('i')),
  ])
  return { voices: voices?.n ?? 0, links: links?.n ?? 0, invitations: invited?.n ?? 0 }
}

/** True for an invitation whose items include the target (a scan of the site's invitations: operator actions only). */
const invitationNames = (id: string): SQL => sql`EXISTS (SELECT 1 FROM json_each(${invitations.items}) WHERE json_each.value = ${id})`

/** True while nothing refers to the target. */
const unused = (siteId: number, id: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${mentions} WHERE ${mentions.siteId} = ${siteId} AND ${mentions.targetId} = ${id})
    AND NOT EXISTS (SELECT 1 FROM ${affiliateLinks} WHERE ${affiliateLinks.siteId} = ${siteId} AND ${affiliateLinks.targetId} = ${id})
    AND NOT EXISTS (SELECT 1 FROM ${invitations} WHERE ${invitations.siteId} = ${siteId} AND ${invitationNames(id)})`

/** Deletes the target and its counter row, only if nothing refers to it when the batch runs; true when deleted. */
export async function deleteUnusedTarget(db: Db, siteId: number, id: string): Promise<boolean> {
  const [deleted] = await db.batch([
    db.delete(targets).where(and(eq(targets.siteId, siteId), eq(targets.id, id), unused(siteId, id))),
    db.delete(stats).where(and(eq(stats.siteId, siteId), eq(stats.targetId, id), sql`NOT EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.id} = ${id})`)),
    bumpDataVersion(db, siteId),
  ])
  return deleted.meta.changes === 1
}

const twin = alias(mentions, 'twin')

/**
 * Moves what refers to target `from` to target `into`: voices (each with a new rev, so a write
 * that read it before the move is retried on fresh data) unless the same source page already
 * is a voice of `into`, tracking links, and review invitations' items. How many voices moved.
 */
export async function moveToTarget(db: Db, siteId: number, from: string, into: string): Promise<number> {
  const [moved] = await db.batch([
    db
      .update(mentions)
      .set({ targetId: into, rev: sql`lower(hex(randomblob(8)))` })
      .where(
        and(
          eq(mentions.siteId, siteId),
          eq(mentions.targetId, from),
          sql`NOT EXISTS (SELECT 1 FROM ${mentions} ${twin} WHERE ${twin.siteId} = ${siteId} AND ${twin.targetId} = ${into} AND ${twin.sourceUrl} = ${mentions.sourceUrl})`
        )
      ),
    db.update(affiliateLinks).set({ targetId: into }).where(and(eq(affiliateLinks.siteId, siteId), eq(affiliateLinks.targetId, from))),
    db
      .update(invitations)
      .set({ items: sql`(SELECT json_group_array(DISTINCT CASE WHEN json_each.value = ${from} THEN ${into} ELSE json_each.value END) FROM json_each(${invitations.items}))` })
      .where(and(eq(invitations.siteId, siteId), invitationNames(from))),
    bumpDataVersion(db, siteId),
  ])
  return moved.meta.changes
}

/** The voices of `from` whose source page is also a voice of `into` (they stay where they are). */
export const twinVoices = (db: Db, siteId: number, from: string, into: string) =>
  db
    .select({ id: mentions.id })
    .from(mentions)
    .where(
      and(
        eq(mentions.siteId, siteId),
        eq(mentions.targetId, from),
        sql`EXISTS (SELECT 1 FROM ${mentions} ${twin} WHERE ${twin.siteId} = ${siteId} AND ${twin.targetId} = ${into} AND ${twin.sourceUrl} = ${mentions.sourceUrl})`
      )
    )
    .limit(100)
    .all()

