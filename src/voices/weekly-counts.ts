/**
 * What D1 counts of a site's voices for the overview's charts and the weekly digest: voices per
 * week by sentiment, the median time to a first answer per week, how long the unanswered negative
 * voices have waited, and the voices still waiting, each read over an index of the site's voices.
 */
import { and, asc, count, eq, gte, lt, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

import type { Db } from '../db/client'
import { voices } from '../db/schema'

/**
 * Weeks to count by: their starts, oldest first (a shop's local weeks are not all seven times 24
 * hours long), and optionally when the last one ends; without `until`, the last runs on to now.
 */
export type Weeks = { starts: readonly number[]; until?: number }

/** The week (0 = the one starting at `starts[0]`) a voice was published in, as SQL. */
function weekOfPublication(weeks: Weeks) {
  const cases = weeks.starts
    .map((start, i) => ({ start, i }))
    .slice(1)
    .reverse()
    .map(({ start, i }) => sql`WHEN ${voices.publishedAt} >= ${start} THEN ${i} `)
  return cases.length === 0 ? sql<number>`0` : sql<number>`(CASE ${sql.join(cases)}ELSE 0 END)`
}

/** Published voices of a site published in the weeks (from the first one's start on). */
const publishedOfSiteIn = (siteId: number, weeks: Weeks) =>
  and(
    eq(voices.siteId, siteId),
    sql`${voices.status} = 'published'`,
    gte(voices.publishedAt, weeks.starts[0] ?? 0),
    weeks.until === undefined ? undefined : lt(voices.publishedAt, weeks.until),
  )

/**
 * Voices per week and sentiment (the overview's chart, the weekly digest), counted by D1 (exact
 * however many; read over the feed_site index's range of these weeks).
 */
export const sentimentPerWeek = (db: Db, siteId: number, weeks: Weeks) =>
  db
    .select({ week: weekOfPublication(weeks).as('week'), sentiment: voices.sentiment, n: count() })
    .from(voices)
    .where(publishedOfSiteIn(siteId, weeks))
    .groupBy(sql`week`, voices.sentiment)
    .all()

/** Per week of publication: how many voices were answered, and the median time to the first answer (ms). */
export const medianResponsePerWeek = (db: Db, siteId: number, weeks: Weeks) =>
  db.all<{ week: number; answered: number; median: number }>(sql`
    WITH delays AS (
      SELECT ${weekOfPublication(weeks)} AS week, ${voices.firstResponseAt} - ${voices.publishedAt} AS delay
      FROM ${voices}
      WHERE ${publishedOfSiteIn(siteId, weeks)} AND ${voices.firstResponseAt} IS NOT NULL
    ),
    ranked AS (
      SELECT week, delay,
        ROW_NUMBER() OVER (PARTITION BY week ORDER BY delay) AS n,
        COUNT(*) OVER (PARTITION BY week) AS answered
      FROM delays
    )
    SELECT week, answered, AVG(MAX(delay, 0)) AS median
    FROM ranked WHERE n IN ((answered + 1) / 2, (answered + 2) / 2)
    GROUP BY week`)

/** The published negative voices still waiting for an answer, by age (the inbox's first group's index). */
export const waitingNegativeByAge = (db: Db, siteId: number, now: number, dayMs: number) => {
  const olderThan = (days: number) => sql`${voices.publishedAt} <= ${now - days * dayMs}`
  // Named, because D1 names an unnamed column by its text, and two texts that differ only in their bound values would collide.
  const counted = (condition: SQL, name: string) =>
    sql<number>`COALESCE(SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`.as(name)
  return db
    .select({
      day: counted(sql`NOT ${olderThan(1)}`, 'day'),
      days3: counted(sql`${olderThan(1)} AND NOT ${olderThan(3)}`, 'days3'),
      week: counted(sql`${olderThan(3)} AND NOT ${olderThan(7)}`, 'week'),
      older: counted(olderThan(7), 'older'),
    })
    .from(voices)
    .where(
      and(
        eq(voices.siteId, siteId),
        sql`${voices.status} = 'published' AND ${voices.sentiment} = 'negative' AND ${voices.firstResponseAt} IS NULL`,
      ),
    )
    .get()
}

/** The voices a weekly digest lists: the oldest first, at most `limit`, with what a reader needs to find them. */
const listed = { id: voices.id, title: voices.title, url: voices.sourceUrl }

/**
 * The published negative voices still unanswered: how many (exact), and the `limit` that have
 * waited longest. Both read the inbox_unanswered partial index (its predicate written as the same literals).
 */
export const unansweredNegative = (db: Db, siteId: number, limit: number) =>
  countAndOldest(
    db,
    and(
      eq(voices.siteId, siteId),
      sql`${voices.status} = 'published' AND ${voices.firstResponseAt} IS NULL AND ${voices.sentiment} = 'negative'`,
    ),
    voices.publishedAt,
    limit,
  )

/**
 * The published voices apologised to and still waiting for a resolution report: how many
 * (exact), and the `limit` apologised to longest ago (the inbox_unresolved partial index).
 */
export const awaitingResolution = (db: Db, siteId: number, limit: number) =>
  countAndOldest(
    db,
    and(
      eq(voices.siteId, siteId),
      sql`${voices.status} = 'published' AND ${voices.apologizedAt} IS NOT NULL AND ${voices.resolvedAt} IS NULL`,
    ),
    voices.apologizedAt,
    limit,
  )

/** How many voices `waiting` holds (exact), and the `limit` with the oldest `since`, in one batch. */
async function countAndOldest(db: Db, waiting: SQL | undefined, since: SQLiteColumn, limit: number) {
  const [counted, oldest] = await db.batch([
    db
      .select({ n: count().as('n') })
      .from(voices)
      .where(waiting),
    db
      .select({ ...listed, at: sql<number>`${since}`.as('at') })
      .from(voices)
      .where(waiting)
      .orderBy(asc(since), asc(voices.id))
      .limit(limit),
  ])
  return { count: counted[0]?.n ?? 0, oldest }
}
