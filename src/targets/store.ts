import { and, asc, count, eq, gt, inArray, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'

import type { Db } from '../db/client'
import { affiliateLinks, invitations, mentions, stats, targets, targetUrls } from '../db/schema'
import { bumpDataVersion } from '../sites/store'
import { COUNTER_COLUMNS } from '../stats/counters'
import { insertWhere } from '../db/insert-where'

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

/** The id of the target that has `url` as a former address (a subquery; NULL when none). */
const formerOwner = (siteId: number, url: string): SQL =>
  sql`(SELECT ${targetUrls.targetId} FROM ${targetUrls} WHERE ${targetUrls.siteId} = ${siteId} AND ${targetUrls.url} = ${url})`

/** True while no target of the site has this URL, now or as a former address (guards a voice that names the page by URL only). */
export const noTargetAt = (siteId: number, url: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND (${targets.url} = ${url} OR ${targets.id} = ${formerOwner(siteId, url)}))`

/** The target at a URL — its current one, or a former one — unexecuted (for batches); `findTargetByUrl` runs it. */
export const targetByUrl = (db: Db, siteId: number, url: string) =>
  db
    .select()
    .from(targets)
    .where(and(eq(targets.siteId, siteId), or(eq(targets.url, url), eq(targets.id, formerOwner(siteId, url)))))
    .limit(1)

export const findTargetByUrl = (db: Db, siteId: number, url: string) => targetByUrl(db, siteId, url).get()

/** A target's former addresses (a post linking to one of them links to the target). */
export const formerUrlsOf = async (db: Db, siteId: number, targetId: string) =>
  (await db.select({ url: targetUrls.url }).from(targetUrls).where(and(eq(targetUrls.siteId, siteId), eq(targetUrls.targetId, targetId))).all()).map((r) => r.url)

/** A URL that becomes a target's current address stops being anyone's former address. */
const releaseUrl = (db: Db, siteId: number, url: string) => db.delete(targetUrls).where(and(eq(targetUrls.siteId, siteId), eq(targetUrls.url, url)))

/** Creates the target and its counter row; null when the id or URL is taken. */
export async function insertTarget(db: Db, row: TargetRow): Promise<TargetRow | null> {
  const [inserted] = await db.batch([
    db.insert(targets).values(row).onConflictDoNothing().returning(),
    db.insert(stats).values({ siteId: row.siteId, targetId: row.id }).onConflictDoNothing(),
    db.delete(targetUrls).where(and(eq(targetUrls.siteId, row.siteId), eq(targetUrls.url, row.url), targetIs(row.siteId, row.id, row.url))),
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

const isUniqueViolation = (err: unknown) => err instanceof Error && /UNIQUE constraint failed/i.test(err.message)

/**
 * Changes a target (feeds show its title and URL). A URL it leaves stays its former address.
 * Null when the target is gone or another target has the new URL (also when one took it a moment ago).
 */
export async function updateTarget(db: Db, before: TargetRow, changes: Partial<Pick<TargetRow, 'title' | 'kind' | 'url' | 'automatic'>>, now: number) {
  const moving = changes.url !== undefined && changes.url !== before.url ? changes.url : undefined
  const urlFree = moving === undefined ? undefined : sql`NOT EXISTS (SELECT 1 FROM ${targets} ${other} WHERE ${other.siteId} = ${before.siteId} AND ${other.url} = ${moving} AND ${other.id} <> ${before.id})`
  const which = and(eq(targets.siteId, before.siteId), eq(targets.id, before.id), urlFree)
  try {
    const [updated] = await db.batch([
      db.update(targets).set(changes).where(which).returning(),
      ...(moving === undefined
        ? []
        : [
            releaseUrl(db, before.siteId, moving),
            db
              .insert(targetUrls)
              .values({ siteId: before.siteId, url: before.url, targetId: before.id, createdAt: now })
              .onConflictDoUpdate({ target: [targetUrls.siteId, targetUrls.url], set: { targetId: before.id } }),
          ]),
      bumpDataVersion(db, before.siteId),
    ])
    return updated[0] ?? null
  } catch (err) {
    if (isUniqueViolation(err)) return null
    throw err
  }
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

/** True once the target no longer exists (the statements after its deletion, in one batch). */
const deleted = (siteId: number, id: string): SQL => sql`NOT EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.id} = ${id})`

/** The statements that delete a target nothing refers to, with its counter row and former addresses (or hand them to `heir`). */
function deleteUnusedStatements(db: Db, siteId: number, id: string, heir?: { id: string }) {
  return [
    db.delete(targets).where(and(eq(targets.siteId, siteId), eq(targets.id, id), unused(siteId, id))),
    db.delete(stats).where(and(eq(stats.siteId, siteId), eq(stats.targetId, id), deleted(siteId, id))),
    heir
      ? db.update(targetUrls).set({ targetId: heir.id }).where(and(eq(targetUrls.siteId, siteId), eq(targetUrls.targetId, id), deleted(siteId, id)))
      : db.delete(targetUrls).where(and(eq(targetUrls.siteId, siteId), eq(targetUrls.targetId, id), deleted(siteId, id))),
  ] as const
}

/** Deletes the target, its counter row and its former addresses, only if nothing refers to it when the batch runs; true when deleted. */
export async function deleteUnusedTarget(db: Db, siteId: number, id: string): Promise<boolean> {
  const [gone] = await db.batch([...deleteUnusedStatements(db, siteId, id), bumpDataVersion(db, siteId)])
  return gone.meta.changes === 1
}

const twin = alias(mentions, 'twin')

/** True while the voice's source page is already a voice of `targetId` (then it cannot join that target). */
const hasTwinAt = (siteId: number, targetId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${mentions} ${twin} WHERE ${twin.siteId} = ${siteId} AND ${twin.targetId} = ${targetId} AND ${twin.sourceUrl} = ${mentions.sourceUrl})`

const source = alias(stats, 'source')

/**
 * Adds target `from`'s counters (every column, and the response-time histogram bucket by bucket)
 * to target `into`'s — only once no voice is left on `from` (all of them moved in this batch).
 */
function addCounters(db: Db, siteId: number, from: string, into: string) {
  const of = (column: SQL) => sql`(SELECT ${column} FROM ${stats} ${source} WHERE ${source.siteId} = ${siteId} AND ${source.targetId} = ${from})`
  const sums = Object.fromEntries(COUNTER_COLUMNS.map((name) => [name, sql`${stats[name]} + coalesce(${of(sql`${source[name]}`)}, 0)`]))
  const histogram = sql`(SELECT json_group_array(total) FROM (SELECT mine.value + coalesce(theirs.value, 0) AS total
    FROM json_each(${stats.responseTimeHistogram}) AS mine LEFT JOIN json_each(${of(sql`${source.responseTimeHistogram}`)}) AS theirs ON theirs.key = mine.key
    ORDER BY mine.key))`
  return db
    .update(stats)
    .set({ ...sums, responseTimeHistogram: histogram })
    .where(
      and(eq(stats.siteId, siteId), eq(stats.targetId, into), sql`NOT EXISTS (SELECT 1 FROM ${mentions} WHERE ${mentions.siteId} = ${siteId} AND ${mentions.targetId} = ${from})`)
    )
}

/**
 * Merges target `from` into `into` in one batch: its voices (each with a new rev, so a write
 * that read one before is retried on fresh data), tracking links and review invitations move.
 * When every voice could move (none has a post that already is a voice of `into`), `from`'s
 * counters move in the same batch, `from` is deleted and its addresses become former addresses
 * of `into` (`whole`); otherwise the voices left stay on `from` and the caller recounts both.
 */
export async function mergeInto(db: Db, siteId: number, from: TargetRow, into: TargetRow, now: number) {
  const [moved, , , counted] = await db.batch([
    db
      .update(mentions)
      .set({ targetId: into.id, rev: sql`lower(hex(randomblob(8)))` })
      .where(and(eq(mentions.siteId, siteId), eq(mentions.targetId, from.id), sql`NOT ${hasTwinAt(siteId, into.id)}`)),
    db.update(affiliateLinks).set({ targetId: into.id }).where(and(eq(affiliateLinks.siteId, siteId), eq(affiliateLinks.targetId, from.id))),
    db
      .update(invitations)
      .set({ items: sql`(SELECT json_group_array(DISTINCT CASE WHEN json_each.value = ${from.id} THEN ${into.id} ELSE json_each.value END) FROM json_each(${invitations.items}))` })
      .where(and(eq(invitations.siteId, siteId), invitationNames(from.id))),
    addCounters(db, siteId, from.id, into.id),
    ...deleteUnusedStatements(db, siteId, from.id, { id: into.id }),
    insertWhere(db, targetUrls, { siteId, url: from.url, targetId: into.id, createdAt: now }, deleted(siteId, from.id)).onConflictDoUpdate({
      target: [targetUrls.siteId, targetUrls.url],
      set: { targetId: into.id },
    }),
    bumpDataVersion(db, siteId),
  ])
  return { moved: moved.meta.changes, whole: counted.meta.changes === 1 }
}

/** The voices of `from` whose post already is a voice of `into` (they stay where they are), up to 100. */
export const twinsOf = async (db: Db, siteId: number, from: string, into: string) =>
  (await db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.siteId, siteId), eq(mentions.targetId, from), hasTwinAt(siteId, into))).limit(100).all()).map((m) => m.id)

/**
 * Voices that named `url` before any target had it (not yet published) now belong to `targetId`
 * — unless the same post already is a voice of it; how many. Their moderation steps, if any,
 * are counted when the caller recounts the target.
 */
export async function adoptVoicesAt(db: Db, siteId: number, url: string, targetId: string): Promise<number> {
  const adopted = await db
    .update(mentions)
    .set({ targetId, targetPending: false, rev: sql`lower(hex(randomblob(8)))` })
    .where(and(eq(mentions.siteId, siteId), eq(mentions.targetId, url), eq(mentions.targetPending, true), sql`NOT ${hasTwinAt(siteId, targetId)}`))
    .run()
  return adopted.meta.changes
}
