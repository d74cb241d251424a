/**
 * The repair for counters that drifted (a manual SQL edit, a restore from backup):
 * recompute a site's counter rows from its voices and its moderation log. This scans the
 * site's rows, so it is an operator action, never part of a public request.
 */
import { count, eq } from 'drizzle-orm'

import type { Db } from '../db/client'
import { mentions, moderationEvents, stats } from '../db/schema'
import { hidesNegativeVoice } from '../mentions/moderation'
import { bumpDataVersion } from '../sites/store'
import { addDelta, contributionOf, type CounterName, emptyDelta, RATING_COUNTERS, type StatsDelta } from './counters'
import { BUCKET_COUNT } from './response-time'

const EVENT_COUNTER = { remove: 'removed', spam: 'spam', restore: 'restored' } as const satisfies Record<string, CounterName>
const COUNTERS: CounterName[] = [
  'published', 'positive', 'neutral', 'negative', 'unclassified',
  'responded', 'negativeResponded', 'apologized', 'resolved',
  'removed', 'spam', 'restored', 'gone', 'hiddenNegative', ...RATING_COUNTERS,
]
const STATEMENTS_PER_BATCH = 50

export async function rebuildStats(db: Db, siteId: number) {
  const [voices, events, rows] = await Promise.all([
    db
      .select({
        targetId: mentions.targetId,
        kind: mentions.kind,
        rating: mentions.rating,
        status: mentions.status,
        sentiment: mentions.sentiment,
        publishedAt: mentions.publishedAt,
        firstResponseAt: mentions.firstResponseAt,
        apologizedAt: mentions.apologizedAt,
        resolvedAt: mentions.resolvedAt,
      })
      .from(mentions)
      .where(eq(mentions.siteId, siteId))
      .all(),
    db
      .select({
        targetId: mentions.targetId,
        action: moderationEvents.action,
        fromStatus: moderationEvents.fromStatus,
        sentiment: moderationEvents.sentiment,
        n: count(),
      })
      .from(moderationEvents)
      .innerJoin(mentions, eq(mentions.id, moderationEvents.mentionId))
      .where(eq(moderationEvents.siteId, siteId))
      .groupBy(mentions.targetId, moderationEvents.action, moderationEvents.fromStatus, moderationEvents.sentiment)
      .all(),
    db.select({ targetId: stats.targetId }).from(stats).where(eq(stats.siteId, siteId)).all(),
  ])

  const totals = new Map<string, StatsDelta>(rows.map((r) => [r.targetId, emptyDelta()]))
  const add = (targetId: string, delta: StatsDelta) => {
    for (const key of ['', targetId]) totals.set(key, addDelta(totals.get(key) ?? emptyDelta(), delta))
  }
  for (const v of voices) add(v.targetId, contributionOf(v))
  for (const e of events) {
    const hidden = hidesNegativeVoice(e.action, e.fromStatus, e.sentiment) ? e.n : 0
    add(e.targetId, { counters: { [EVENT_COUNTER[e.action]]: e.n, hiddenNegative: hidden }, buckets: {} })
  }

  const writes = [...totals].map(([targetId, delta]) => {
    const values = {
      ...Object.fromEntries(COUNTERS.map((name) => [name, delta.counters[name] ?? 0])),
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
  return { rows: totals.size, voices: voices.length }
}

