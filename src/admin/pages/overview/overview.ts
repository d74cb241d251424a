/**
 * The numbers behind the overview's charts: voices per week by sentiment, the median time to a
 * first answer per week, how long the unanswered negative voices have waited, and how many
 * apologies were followed by a resolution report. D1 counts (voices/weekly-counts.ts), so the charts are
 * exact however busy the shop; this module lays the counts out week by week. The newest weekly
 * digest (src/digest/) is shown with them.
 */
import { DAY, HOUR, WEEK } from '../../../common/clock'
import type { Principal } from '../../../common/principal'
import type { Db } from '../../../db/client'
import type { Sentiment } from '../../../db/schema'
import { newestDigest } from '../../../digest/store'
import { loadSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { siteCounters } from '../../../stats/store'
import { medianResponsePerWeek, sentimentPerWeek, waitingNegativeByAge } from '../../../voices/weekly-counts'

export const OVERVIEW_WEEKS = 12

export type SentimentWeek = { start: number } & Record<Sentiment | 'unclassified', number>
export type ResponseWeek = { start: number; medianHours: number | null; answered: number }
export type AgeBucket = { key: 'day' | 'days3' | 'week' | 'older'; count: number }

const weeks = <T>(since: number, make: (start: number) => T) =>
  Array.from({ length: OVERVIEW_WEEKS }, (_, i) => make(since + i * WEEK))

/** Counts per (week, sentiment) as one bar per week; weeks outside the ones shown are left out. */
export function sentimentByWeek(
  counts: readonly { week: number; sentiment: Sentiment | null; n: number }[],
  since: number,
): SentimentWeek[] {
  const out = weeks(since, (start) => ({ start, positive: 0, neutral: 0, negative: 0, unclassified: 0 }))
  for (const c of counts) {
    const week = out[c.week]
    if (week) week[c.sentiment ?? 'unclassified'] += c.n
  }
  return out
}

/** Medians per week (ms) as hours, one entry per week shown (none where nothing was answered). */
export function responseByWeek(
  medians: readonly { week: number; answered: number; median: number }[],
  since: number,
): ResponseWeek[] {
  return weeks(since, (start) => ({ start, medianHours: null as number | null, answered: 0 })).map((w, i) => {
    const m = medians.find((row) => row.week === i)
    return m ? { ...w, medianHours: m.median / HOUR, answered: m.answered } : w
  })
}

export async function overviewOf(db: Db, p: Principal, slug: string, now: number) {
  const site = await loadSite(db, p, slug)
  const settings = readSettings(site.settings)
  // Whole weeks ending now: the newest bar is the last seven days.
  const since = now - OVERVIEW_WEEKS * WEEK
  const span = { starts: weeks(since, (start) => start) }
  const [counts, medians, waiting, counters, digest] = await Promise.all([
    sentimentPerWeek(db, site.id, span),
    medianResponsePerWeek(db, site.id, span),
    waitingNegativeByAge(db, site.id, now, DAY),
    siteCounters(db, site.id),
    newestDigest(db, site.id),
  ])
  const ages: AgeBucket[] = (['day', 'days3', 'week', 'older'] as const).map((key) => ({
    key,
    count: waiting?.[key] ?? 0,
  }))
  return {
    site,
    settings,
    sentiment: sentimentByWeek(counts, since),
    response: responseByWeek(medians, since),
    waiting: ages,
    resolution: { apologized: counters?.apologized ?? 0, resolved: counters?.resolved ?? 0 },
    digest: digest?.body ?? null,
  }
}
