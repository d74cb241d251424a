/**
 * The weekly digest's figures, laid out from what D1 counted (src/voices/weekly-counts.ts): which week a
 * digest covers, its new voices by sentiment, what still waits with its age, and the week's
 * answers against the week before. Pure: the counting is the store's, the sending weekly.ts's.
 */
import type { DigestBody, DigestResponse, Sentiment } from '../db/schema'
import { HOUR, DAY } from '../common/clock'
import { formatDate, type PageLang, zoneName } from '../common/lang'
import { nextWeekStartIn, previousWeekStartIn, weekStartIn } from '../common/time-zone'

/** How many of the waiting voices a digest lists by name (its counts are of them all). */
export const DIGEST_LISTED = 10

/** A digest's week in the shop's time zone, Monday 00:00 to Monday 00:00 local, with its neighbours. */
export type DigestWeek = {
  /** The Monday that starts the week before (the digest compares its answers with that week's). */
  before: number
  start: number
  /** The Monday that ends it: the digest is due from then on. */
  end: number
  /** The Monday that ends the week after: when the next digest is due. */
  next: number
}

/**
 * The last whole week before `now` in `timeZone`: a digest made on a Monday covers the seven days
 * that ended at that Monday's midnight, the shop's own.
 */
export function lastWeekIn(now: number, timeZone: string): DigestWeek {
  const end = weekStartIn(now, timeZone)
  const start = previousWeekStartIn(end, timeZone)
  return { before: previousWeekStartIn(start, timeZone), start, end, next: nextWeekStartIn(end, timeZone) }
}

/**
 * A digest's week as people read it: its first and last day and the zone they are days of
 * (digests made before weeks were the shop's own were UTC weeks).
 */
export function weekWords(d: Pick<DigestBody, 'week_start' | 'week_end' | 'time_zone'>, lang: PageLang) {
  const timeZone = d.time_zone ?? 'UTC'
  const day = (ms: number) => formatDate(ms, lang, { timeZone })
  // The week ends at Monday 00:00: its last moment is on the Sunday.
  return { from: day(Date.parse(d.week_start)), to: day(Date.parse(d.week_end) - 1), zone: zoneName(timeZone, lang) }
}

/** A waiting voice as the store reads it; `at`: when it was published, or apologised to. */
export type WaitingVoice = { id: string; title: string | null; url: string | null; at: number | null }

/** What D1 counted for a digest; the weeks are numbered from the week before (0) to the digest's week (1). */
export type DigestCounts = {
  week: DigestWeek
  timeZone: string
  madeAt: number
  sentiment: readonly { week: number; sentiment: Sentiment | null; n: number }[]
  medians: readonly { week: number; answered: number; median: number }[]
  unanswered: { count: number; oldest: readonly WaitingVoice[] }
  unresolved: { count: number; oldest: readonly WaitingVoice[] }
}

const iso = (ms: number) => new Date(ms).toISOString()

/** Whole days waited at `now` (never below 0). */
export const ageDays = (since: number, now: number) => Math.max(0, Math.floor((now - since) / DAY))

const rounded = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits

function responseOf(c: DigestCounts, week: number): DigestResponse {
  const published = c.sentiment.filter((s) => s.week === week).reduce((n, s) => n + s.n, 0)
  const median = c.medians.find((m) => m.week === week)
  const answered = median?.answered ?? 0
  return {
    published,
    answered,
    rate: published === 0 ? null : rounded(answered / published, 3),
    median_hours: median ? rounded(median.median / HOUR, 1) : null,
  }
}

/** The digest as the webhook sends it, the overview shows it and the e-mail words it. */
export function digestBody(c: DigestCounts): DigestBody {
  const fresh = { positive: 0, neutral: 0, negative: 0, unclassified: 0, total: 0 }
  for (const s of c.sentiment) {
    if (s.week !== 1) continue
    fresh[s.sentiment ?? 'unclassified'] += s.n
    fresh.total += s.n
  }
  // `at` is never null for these voices (the store's conditions); the digest's moment stands in all the same.
  const at = (v: WaitingVoice) => v.at ?? c.madeAt
  const listed = (v: WaitingVoice) => ({ id: v.id, title: v.title, url: v.url })
  return {
    week_start: iso(c.week.start),
    week_end: iso(c.week.end),
    time_zone: c.timeZone,
    made_at: iso(c.madeAt),
    new_voices: fresh,
    unanswered_negative: {
      count: c.unanswered.count,
      oldest: c.unanswered.oldest.slice(0, DIGEST_LISTED).map((v) => ({
        ...listed(v),
        published_at: iso(at(v)),
        age_days: ageDays(at(v), c.madeAt),
      })),
    },
    awaiting_resolution: {
      count: c.unresolved.count,
      oldest: c.unresolved.oldest.slice(0, DIGEST_LISTED).map((v) => ({
        ...listed(v),
        apologized_at: iso(at(v)),
        age_days: ageDays(at(v), c.madeAt),
      })),
    },
    response: { this_week: responseOf(c, 1), week_before: responseOf(c, 0) },
  }
}

/** A share (0 to 1) as a whole percentage, or a dash when there is nothing to divide. */
export const percentOf = (rate: number | null) => (rate === null ? '–' : `${String(Math.round(rate * 100))}%`)
