import { and, asc, count, eq, gt, inArray, ne, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'

import type { Db } from '../db/client'
import { chunked, VALUES_PER_LIST } from '../db/chunks'
import { affiliateLinks, invitations, voices, stats, targets, targetUrls } from '../db/schema'
import { bumpDataVersion } from '../sites/store'
import { COUNTER_COLUMNS } from '../stats/counters'
import { insertWhere } from '../db/insert-where'
import { allOf } from '../db/conditions'

export type TargetRow = typeof targets.$inferSelect

/** The target query, unexecuted (for batches); `findTarget` runs it. */
export const targetById = (db: Db, siteId: number, id: string) =>
  db
    .select()
    .from(targets)
    .where(and(eq(targets.siteId, siteId), eq(targets.id, id)))
    .limit(1)

/** A site's targets with these ids, in the ids' order (missing ones left out): one query per 90 ids. */
export async function targetsOf(db: Db, siteId: number, ids: readonly string[]): Promise<TargetRow[]> {
  if (ids.length === 0) return []
  const unique = [...new Set(ids)]
  const found = await Promise.all(
    chunked(unique, VALUES_PER_LIST).map((chunk) =>
      db
        .select()
        .from(targets)
        .where(and(eq(targets.siteId, siteId), inArray(targets.id, chunk)))
        .all(),
    ),
  )
  const byId = new Map(found.flat().map((t) => [t.id, t]))
  return ids.map((id) => byId.get(id)).filter((t): t is TargetRow => t !== undefined)
}

export const findTarget = (db: Db, siteId: number, id: string) => targetById(db, siteId, id).get()

/** The site's targets at these pages (their current or a former address), by page: a few queries for any number. */
export async function targetsAtUrls(db: Db, siteId: number, urls: readonly string[]): Promise<Map<string, TargetRow>> {
  const unique = [...new Set(urls)]
  const chunks = chunked(unique, VALUES_PER_LIST)
  const [current, former] = await Promise.all([
    Promise.all(
      chunks.map((chunk) =>
        db
          .select()
          .from(targets)
          .where(and(eq(targets.siteId, siteId), inArray(targets.url, chunk)))
          .all(),
      ),
    ),
    Promise.all(
      chunks.map((chunk) =>
        db
          .select({ url: targetUrls.url, targetId: targetUrls.targetId })
          .from(targetUrls)
          .where(and(eq(targetUrls.siteId, siteId), inArray(targetUrls.url, chunk)))
          .all(),
      ),
    ),
  ])
  const byUrl = new Map(current.flat().map((t) => [t.url, t]))
  const moved = former.flat()
  const byId = new Map(
    (
      await targetsOf(
        db,
        siteId,
        moved.map((m) => m.targetId),
      )
    ).map((t) => [t.id, t]),
  )
  for (const m of moved) {
    const target = byId.get(m.targetId)
    if (target && !byUrl.has(m.url)) byUrl.set(m.url, target)
  }
  return byUrl
}

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
  (
    await db
      .select({ url: targetUrls.url })
      .from(targetUrls)
      .where(and(eq(targetUrls.siteId, siteId), eq(targetUrls.targetId, targetId)))
      .all()
  ).map((r) => r.url)

/**
 * Creates the target and its counter row, and gives it the voices that were waiting about its
 * page (all but `except`, a voice that is being published under it right now); null when the id
 * or the URL is taken — the URL also when it is another target's former address.
 */
export async function insertTarget(
  db: Db,
  row: TargetRow,
  except?: string,
): Promise<{ target: TargetRow; adopted: number } | null> {
  const made = targetIs(row.siteId, row.id, row.url)
  const [inserted, , adopted] = await db.batch([
    insertWhere(
      db,
      targets,
      row,
      sql`NOT EXISTS (SELECT 1 FROM ${targetUrls} WHERE ${targetUrls.siteId} = ${row.siteId} AND ${targetUrls.url} = ${row.url})`,
    )
      .onConflictDoNothing()
      .returning(),
    // Only if this insert made the target: a concurrent first sighting that lost must not move voices to its id.
    insertWhere(db, stats, { siteId: row.siteId, targetId: row.id }, made).onConflictDoNothing(),
    adoptVoicesAt(db, row.siteId, row.url, row.id, except, made),
    bumpDataVersion(db, row.siteId),
  ])
  return inserted[0] ? { target: inserted[0], adopted: adopted.meta.changes } : null
}

/** A page of the site's targets by id; only registered (or only automatic) ones when `automatic` says so. */
export const listTargets = (db: Db, siteId: number, after: string | null, limit: number, automatic?: boolean) =>
  db
    .select()
    .from(targets)
    .where(
      and(
        eq(targets.siteId, siteId),
        after === null ? undefined : gt(targets.id, after),
        automatic === undefined ? undefined : eq(targets.automatic, automatic),
      ),
    )
    .orderBy(asc(targets.id))
    .limit(limit)
    .all()

/** Another row of the same table inside a subquery (written `FROM table alias`). */
const other = alias(targets, 'other')

const isUniqueViolation = (err: unknown) => err instanceof Error && /UNIQUE constraint failed/i.test(err.message)

/**
 * Changes a target (feeds show its title and URL), as it was read (`before`). A URL it leaves
 * becomes its former address; voices waiting about the URL it takes become its own. Null when
 * the target changed meanwhile, or another target has the new URL (now, or as a former address).
 */
export async function updateTarget(
  db: Db,
  before: TargetRow,
  changes: Partial<Pick<TargetRow, 'title' | 'kind' | 'url' | 'automatic'>>,
  now: number,
) {
  const moving = changes.url !== undefined && changes.url !== before.url ? changes.url : undefined
  const urlFree =
    moving === undefined
      ? undefined
      : sql`NOT EXISTS (SELECT 1 FROM ${targets} ${other} WHERE ${other.siteId} = ${before.siteId} AND ${other.url} = ${moving} AND ${other.id} <> ${before.id})
          AND NOT EXISTS (SELECT 1 FROM ${targetUrls} WHERE ${targetUrls.siteId} = ${before.siteId} AND ${targetUrls.url} = ${moving} AND ${targetUrls.targetId} <> ${before.id})`
  const which = and(eq(targets.siteId, before.siteId), eq(targets.id, before.id), eq(targets.url, before.url), urlFree)
  // Only if the move happened: the old URL is remembered, the new one is no longer a former address.
  const moved = moving === undefined ? undefined : targetIs(before.siteId, before.id, moving)
  try {
    const [updated] = await db.batch([
      db.update(targets).set(changes).where(which).returning(),
      ...(moving === undefined || moved === undefined
        ? []
        : [
            db.delete(targetUrls).where(and(eq(targetUrls.siteId, before.siteId), eq(targetUrls.url, moving), moved)),
            insertWhere(
              db,
              targetUrls,
              { siteId: before.siteId, url: before.url, targetId: before.id, createdAt: now },
              moved,
            ).onConflictDoUpdate({
              target: [targetUrls.siteId, targetUrls.url],
              set: { targetId: before.id },
            }),
            adoptVoicesAt(db, before.siteId, moving, before.id, undefined, moved),
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
  const [[voiceRows], [links], [invited]] = await db.batch([
    db.select({ n: count() }).from(
      db
        .select({ one: sql`1` })
        .from(voices)
        .where(and(eq(voices.siteId, siteId), eq(voices.targetId, id)))
        .limit(upTo)
        .as('v'),
    ),
    db.select({ n: count() }).from(
      db
        .select({ one: sql`1` })
        .from(affiliateLinks)
        .where(and(eq(affiliateLinks.siteId, siteId), eq(affiliateLinks.targetId, id)))
        .limit(upTo)
        .as('l'),
    ),
    db.select({ n: count() }).from(
      db
        .select({ one: sql`1` })
        .from(invitations)
        .where(and(eq(invitations.siteId, siteId), invitationNames(id)))
        .limit(upTo)
        .as('i'),
    ),
  ])
  return { voices: voiceRows?.n ?? 0, links: links?.n ?? 0, invitations: invited?.n ?? 0 }
}

/** True for an invitation whose items include the target (a scan of the site's invitations: operator actions only). */
const invitationNames = (id: string): SQL =>
  sql`EXISTS (SELECT 1 FROM json_each(${invitations.items}) WHERE json_each.value = ${id})`

/** True while nothing refers to the target. */
const unused = (siteId: number, id: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${siteId} AND ${voices.targetId} = ${id})
    AND NOT EXISTS (SELECT 1 FROM ${affiliateLinks} WHERE ${affiliateLinks.siteId} = ${siteId} AND ${affiliateLinks.targetId} = ${id})
    AND NOT EXISTS (SELECT 1 FROM ${invitations} WHERE ${invitations.siteId} = ${siteId} AND ${invitationNames(id)})`

/** True once the target no longer exists (the statements after its deletion, in one batch). */
const deleted = (siteId: number, id: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.id} = ${id})`

/** Deletes the target, its counter row and its former addresses, only if nothing refers to it when the batch runs; true when deleted. */
export async function deleteUnusedTarget(db: Db, siteId: number, id: string): Promise<boolean> {
  const [gone] = await db.batch([
    db.delete(targets).where(and(eq(targets.siteId, siteId), eq(targets.id, id), unused(siteId, id))),
    db.delete(stats).where(and(eq(stats.siteId, siteId), eq(stats.targetId, id), deleted(siteId, id))),
    db.delete(targetUrls).where(and(eq(targetUrls.siteId, siteId), eq(targetUrls.targetId, id), deleted(siteId, id))),
    bumpDataVersion(db, siteId),
  ])
  return gone.meta.changes === 1
}

const twin = alias(voices, 'twin')

/** True while the voice's source page is already a voice of `targetId` (then it cannot join that target). */
const hasTwinAt = (siteId: number, targetId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${voices} ${twin} WHERE ${twin.siteId} = ${siteId} AND ${twin.targetId} = ${targetId} AND ${twin.sourceUrl} = ${voices.sourceUrl})`

const source = alias(stats, 'source')

/** Adds target `from`'s counters (every column, and the response-time histogram bucket by bucket) to target `into`'s, if `when` holds. */
function addCounters(db: Db, siteId: number, from: string, into: string, when: SQL) {
  const of = (column: SQL) =>
    sql`(SELECT ${column} FROM ${stats} ${source} WHERE ${source.siteId} = ${siteId} AND ${source.targetId} = ${from})`
  const sums = Object.fromEntries(
    COUNTER_COLUMNS.map((name) => [name, sql`${stats[name]} + coalesce(${of(sql`${source[name]}`)}, 0)`]),
  )
  const histogram = sql`(SELECT json_group_array(total) FROM (SELECT mine.value + coalesce(theirs.value, 0) AS total
    FROM json_each(${stats.responseTimeHistogram}) AS mine LEFT JOIN json_each(${of(sql`${source.responseTimeHistogram}`)}) AS theirs ON theirs.key = mine.key
    ORDER BY mine.key))`
  return db
    .update(stats)
    .set({ ...sums, responseTimeHistogram: histogram })
    .where(and(eq(stats.siteId, siteId), eq(stats.targetId, into), when))
}

/**
 * Merges target `from` (automatic) into `into` (registered) in one batch, every statement under
 * the condition that both still are what they were: `from`'s voices (each with a new rev, so a
 * write that read one before is retried on fresh data), tracking links and review invitations
 * move. When every voice could move (none has a post that already is a voice of `into`),
 * `from`'s counters move too, its address and former addresses become `into`'s former
 * addresses, and `from` is deleted (`whole`); otherwise the voices left stay on `from` and the
 * caller recounts both.
 */
export async function mergeInto(db: Db, siteId: number, from: string, into: string, now: number) {
  const both = sql`EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.id} = ${into} AND ${targets.automatic} = 0)
    AND EXISTS (SELECT 1 FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.id} = ${from} AND ${targets.automatic} = 1)`
  const emptied = allOf(both, unused(siteId, from))
  const results = await db.batch([
    db
      .update(voices)
      .set({ targetId: into, rev: sql`lower(hex(randomblob(8)))` })
      .where(and(eq(voices.siteId, siteId), eq(voices.targetId, from), sql`NOT ${hasTwinAt(siteId, into)}`, both)),
    db
      .update(affiliateLinks)
      .set({ targetId: into })
      .where(and(eq(affiliateLinks.siteId, siteId), eq(affiliateLinks.targetId, from), both)),
    db
      .update(invitations)
      .set({
        items: sql`(SELECT json_group_array(DISTINCT CASE WHEN json_each.value = ${from} THEN ${into} ELSE json_each.value END) FROM json_each(${invitations.items}))`,
      })
      .where(and(eq(invitations.siteId, siteId), invitationNames(from), both)),
    // From here on, only once nothing refers to `from` any more (every voice moved).
    addCounters(db, siteId, from, into, emptied),
    db
      .update(targetUrls)
      .set({ targetId: into })
      .where(and(eq(targetUrls.siteId, siteId), eq(targetUrls.targetId, from), emptied)),
    insertWhere(
      db,
      targetUrls,
      {
        siteId,
        url: sql`(SELECT ${targets.url} FROM ${targets} WHERE ${targets.siteId} = ${siteId} AND ${targets.id} = ${from})`,
        targetId: into,
        createdAt: now,
      },
      emptied,
    ).onConflictDoUpdate({ target: [targetUrls.siteId, targetUrls.url], set: { targetId: into } }),
    db.delete(stats).where(and(eq(stats.siteId, siteId), eq(stats.targetId, from), emptied)),
    db.delete(targets).where(and(eq(targets.siteId, siteId), eq(targets.id, from), emptied)),
    bumpDataVersion(db, siteId),
  ])
  const [moved, , , counted, , , , deletedRow] = results
  return { moved: moved.meta.changes, whole: deletedRow.meta.changes === 1, counted: counted.meta.changes === 1 }
}

/** The voices of `from` whose post already is a voice of `into` (they stay where they are), up to 100. */
export const twinsOf = async (db: Db, siteId: number, from: string, into: string) =>
  (
    await db
      .select({ id: voices.id })
      .from(voices)
      .where(and(eq(voices.siteId, siteId), eq(voices.targetId, from), hasTwinAt(siteId, into)))
      .limit(100)
      .all()
  ).map((m) => m.id)

/**
 * The statement that gives target `targetId` the voices that named `url` before any target had
 * it (not yet published) — all but `except`, and unless the same post already is a voice of the
 * target — if `when` holds. Their moderation steps, if any, are counted when the target is recounted.
 */
export const adoptVoicesAt = (db: Db, siteId: number, url: string, targetId: string, except?: string, when?: SQL) =>
  db
    .update(voices)
    .set({ targetId, targetPending: false, rev: sql`lower(hex(randomblob(8)))` })
    .where(
      and(
        eq(voices.siteId, siteId),
        eq(voices.targetId, url),
        eq(voices.targetPending, true),
        except === undefined ? undefined : ne(voices.id, except),
        sql`NOT ${hasTwinAt(siteId, targetId)}`,
        when,
      ),
    )
