/**
 * The repair for counters that drifted (a manual SQL edit, a restore from backup):
 * recompute a site's counter rows from its voices and its moderation log. This scans the
 * site's rows, so it is an operator action, never part of a public request. With `only`,
 * just those targets' rows are recomputed (after a merge moved voices between them).
 */
import { and, count, eq, inArray } from 'drizzle-orm'

import type { Db } from '../db/client'
import { voices, moderationEvents, stats } from '../db/schema'
import { eventDelta } from './moderation'
import { assertOperator, type Principal } from '../common/principal'
import { loadSite } from '../sites/service'
import { bumpDataVersion } from '../sites/store'
import { addDelta, contributionOf, COUNTER_COLUMNS, emptyDelta, type StatsDelta } from '../stats/counters'
import { BUCKET_COUNT } from '../stats/response-time'

const STATEMENTS_PER_BATCH = 50

export async function rebuildStats(db: Db, siteId: number, only?: readonly string[]) {
  const ofTargets = only ? inArray(voices.targetId, [...only]) : undefined
  const [voiceRows, events, rows] = await Promise.all([
    db
      .select({
        targetId: voices.targetId,
        kind: voices.kind,
        rating: voices.rating,
        status: voices.status,
        sentiment: voices.sentiment,
        publishedAt: voices.publishedAt,
        firstResponseAt: voices.firstResponseAt,
        apologizedAt: voices.apologizedAt,
        resolvedAt: voices.resolvedAt,
      })
      .from(voices)
      .where(and(eq(voices.siteId, siteId), ofTargets))
      .all(),
    db
      .select({
        targetId: voices.targetId,
        action: moderationEvents.action,
        fromStatus: moderationEvents.fromStatus,
        sentiment: moderationEvents.sentiment,
        n: count(),
      })
      .from(moderationEvents)
      .innerJoin(voices, eq(voices.id, moderationEvents.voiceId))
      .where(and(eq(moderationEvents.siteId, siteId), ofTargets))
      .groupBy(voices.targetId, moderationEvents.action, moderationEvents.fromStatus, moderationEvents.sentiment)
      .all(),
    db
      .select({ targetId: stats.targetId })
      .from(stats)
      .where(and(eq(stats.siteId, siteId), only ? inArray(stats.targetId, [...only]) : undefined))
      .all(),
  ])

  // One row per target that has one (a voice still waiting for its target counts for the site only).
  const totals = new Map<string, StatsDelta>(rows.map((r) => [r.targetId, emptyDelta()]))
  if (!only) totals.set('', emptyDelta())
  const add = (targetId: string, delta: StatsDelta) => {
    for (const key of ['', targetId]) {
      const sum = totals.get(key)
      if (sum) totals.set(key, addDelta(sum, delta))
    }
  }
  for (const v of voiceRows) add(v.targetId, contributionOf(v))
  for (const e of events) add(e.targetId, eventDelta(e.action, e.fromStatus, e.sentiment, e.n))

  const writes = [...totals].map(([targetId, delta]) => {
    const values = {
      ...Object.fromEntries(COUNTER_COLUMNS.map((name) => [name, delta.counters[name] ?? 0])),
      responseTimeHistogram: JSON.stringify(Array.from({ length: BUCKET_COUNT }, (_, i) => delta.buckets[i] ?? 0)),
    }
    return db
      .insert(stats)
      .values({ siteId, targetId, ...values })
      .onConflictDoUpdate({ target: [stats.siteId, stats.targetId], set: values })
  })
  for (let i = 0; i < writes.length; i += STATEMENTS_PER_BATCH) {
    const chunk = writes.slice(i, i + STATEMENTS_PER_BATCH)
    await db.batch([bumpDataVersion(db, siteId), ...chunk])
  }
  return { rows: totals.size, voices: voiceRows.length }
}

/** The repair route's action. Operator only: it scans the site's voices. */
export async function rebuildSiteStats(db: Db, p: Principal, slug: string) {
  assertOperator(p)
  const site = await loadSite(db, p, slug)
  return rebuildStats(db, site.id)
}
