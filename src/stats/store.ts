import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { voices, stats } from '../db/schema'
import { type CounterName, isEmptyDelta, type StatsDelta } from './counters'

/** True only inside the batch whose write set this voice's rev. */
export const voiceHasRev = (voiceId: string, rev: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.id} = ${voiceId} AND ${voices.rev} = ${rev})`

/**
 * One UPDATE that applies `delta` to the site row and the target row, guarded so it only
 * counts when the write it belongs to took effect. Null when there is nothing to change.
 */
export function statsUpdate(db: Db, siteId: number, targetId: string, delta: StatsDelta, guard: SQL) {
  if (isEmptyDelta(delta)) return null
  const sets: Partial<Record<keyof typeof stats.$inferInsert, SQL>> = {}
  for (const [name, n] of Object.entries(delta.counters) as [CounterName, number][]) {
    if (n !== 0) sets[name] = sql`${stats[name]} + ${n}`
  }
  const buckets = Object.entries(delta.buckets).filter(([, n]) => n !== 0)
  if (buckets.length > 0) {
    const pairs = buckets.map(([i, n]) => {
      const path = `$[${Number(i)}]`
      // D1 binds JS numbers as REAL; cast, or the JSON array would fill with 1.0s.
      return sql`${path}, coalesce(json_extract(${stats.responseTimeHistogram}, ${path}), 0) + CAST(${n} AS INTEGER)`
    })
    sets.responseTimeHistogram = sql`json_set(${stats.responseTimeHistogram}, ${sql.join(pairs, sql`, `)})`
  }
  return db
    .update(stats)
    .set(sets)
    .where(and(eq(stats.siteId, siteId), inArray(stats.targetId, ['', targetId]), guard))
}

export type StatsRow = typeof stats.$inferSelect

/** The published and negative counts of some targets of a site (one read: the targets of one page). */
export const countsOfTargets = (db: Db, siteId: number, targetIds: readonly string[]) =>
  targetIds.length === 0
    ? Promise.resolve([])
    : db
        .select({ targetId: stats.targetId, published: stats.published, negative: stats.negative })
        .from(stats)
        .where(and(eq(stats.siteId, siteId), inArray(stats.targetId, [...targetIds])))
        .all()

/** A site's own counters (the row of target ''). */
export const siteCounters = (db: Db, siteId: number) =>
  db
    .select()
    .from(stats)
    .where(and(eq(stats.siteId, siteId), eq(stats.targetId, '')))
    .get()
