/**
 * The numbers behind the overview's charts: voices per week by sentiment, the median time to a
 * first answer per week, how long the unanswered negative voices have waited, and how many
 * apologies were followed by a resolution report. The summaries are pure and tested alone.
 */
import type { Db } from '../db/client'
import type { Sentiment } from '../db/schema'
import type { Principal } from '../common/principal'
import { readSettings } from '../sites/settings'
import { loadSite } from '../sites/service'
import { siteCounters } from '../stats/store'
import { OVERVIEW_ROWS, publishedSince, unansweredNegative } from '../voices/store'

const HOUR = 3_600_000
const WEEK = 7 * 24 * HOUR
export const OVERVIEW_WEEKS = 12

export type SentimentWeek = { start: number } & Record<Sentiment | 'unclassified', number>
export type ResponseWeek = { start: number; medianHours: number | null; answered: number }
export type AgeBucket = { key: 'day' | 'days3' | 'week' | 'older'; count: number }

type Published = { publishedAt: number | null; sentiment: Sentiment | null; firstResponseAt: number | null }

/** The week (0 = the oldest shown) a moment falls in, or null outside the weeks shown. */
const weekOf = (at: number | null, since: number) => {
  if (at === null) return null
  const week = Math.floor((at - since) / WEEK)
  return week >= 0 && week < OVERVIEW_WEEKS ? week : null
}

const weeks = <T>(since: number, make: (start: number) => T) =>
  Array.from({ length: OVERVIEW_WEEKS }, (_, i) => make(since + i * WEEK))

export function sentimentByWeek(rows: readonly Published[], since: number): SentimentWeek[] {
  const out = weeks(since, (start) => ({ start, positive: 0, neutral: 0, negative: 0, unclassified: 0 }))
  for (const r of rows) {
    const week = out[weekOf(r.publishedAt, since) ?? -1]
    if (week) week[r.sentiment ?? 'unclassified']++
  }
  return out
}

const median = (values: number[]) => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** The median hours from publication to a first answer, per week of publication. */
export function responseByWeek(rows: readonly Published[], since: number): ResponseWeek[] {
  const delays = weeks(since, () => [] as number[])
  for (const r of rows) {
    const week = weekOf(r.publishedAt, since)
    if (week === null || r.publishedAt === null || r.firstResponseAt === null) continue
    delays[week]?.push(Math.max(0, r.firstResponseAt - r.publishedAt) / HOUR)
  }
  return delays.map((d, i) => ({ start: since + i * WEEK, medianHours: median(d), answered: d.length }))
}

/** How long the unanswered negative voices have waited: under a day, 1–3 days, 3–7 days, longer. */
export function waitingByAge(rows: readonly { publishedAt: number | null }[], now: number): AgeBucket[] {
  const buckets: AgeBucket[] = [
    { key: 'day', count: 0 },
    { key: 'days3', count: 0 },
    { key: 'week', count: 0 },
    { key: 'older', count: 0 },
  ]
  for (const r of rows) {
    if (r.publishedAt === null) continue
    const days = (now - r.publishedAt) / (24 * HOUR)
    const i = days < 1 ? 0 : days < 3 ? 1 : days < 7 ? 2 : 3
    const bucket = buckets[i]
    if (bucket) bucket.count++
  }
  return buckets
}

export async function overviewOf(db: Db, p: Principal, slug: string, now: number) {
  const site = await loadSite(db, p, slug)
  const settings = readSettings(site.settings)
  // Whole weeks ending now: the newest bar is the last seven days.
  const since = now - OVERVIEW_WEEKS * WEEK
  const [rows, waiting, counters] = await Promise.all([
    publishedSince(db, site.id, since),
    unansweredNegative(db, site.id),
    siteCounters(db, site.id),
  ])
  return {
    site,
    settings,
    // At the cap, the oldest weeks shown are incomplete: the page says so.
    capped: rows.length >= OVERVIEW_ROWS ? OVERVIEW_ROWS : null,
    sentiment: sentimentByWeek(rows, since),
    response: responseByWeek(rows, since),
    waiting: waitingByAge(waiting, now),
    resolution: { apologized: counters?.apologized ?? 0, resolved: counters?.resolved ?? 0 },
  }
}
