/**
 * The public trust figures: how much of what people say the shop answers, how fast, and
 * whether its apologies are followed by a report of what was fixed — from the counter rows
 * kept on write, so they cost one row to read. Pure: counters in, JSON out.
 */
import type { StatsRow } from '../stats/store'
import { medianHours, parseHistogram, shareWithin } from '../stats/response-time'
import type { Out } from '../common/outputs'
import type { LedgerSummaryOut, RatingSummaryOut, TrustFiguresOut } from './outputs'

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000)
const rounded = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 1000)

export function trustFigures(s: StatsRow | undefined, responseTargetHours: number): Out<typeof TrustFiguresOut> {
  const n = (k: keyof StatsRow) => (s ? Number(s[k]) : 0)
  const histogram = s ? parseHistogram(s.responseTimeHistogram) : []
  return {
    voices: n('published'),
    by_sentiment: {
      positive: n('positive'),
      neutral: n('neutral'),
      negative: n('negative'),
      unclassified: n('unclassified'),
    },
    responded: n('responded'),
    /** Share of published voices with an official response. */
    response_rate: ratio(n('responded'), n('published')),
    /** Share of published negative voices with an official response. */
    negative_response_rate: ratio(n('negativeResponded'), n('negative')),
    median_hours_to_first_response: medianHours(histogram),
    /** Share of answered voices whose first response came within the site's response target. */
    answered_within_target: {
      target_hours: responseTargetHours,
      share: rounded(shareWithin(histogram, responseTargetHours * 60)),
    },
    /** Voices with an apology, and the share of them later followed by a resolution report. */
    apologies: n('apologized'),
    resolution_rate: ratio(n('resolved'), n('apologized')),
  }
}

/** The moderation ledger's counts, and the head hash anyone can compare with a copy they saved. */
export function ledgerSummary(s: StatsRow | undefined, head: string | null): Out<typeof LedgerSummaryOut> {
  return {
    removed: s?.removed ?? 0,
    spam: s?.spam ?? 0,
    restored: s?.restored ?? 0,
    gone: s?.gone ?? 0,
    /** Spam or removal steps that took a published negative voice out of the feed. */
    hidden_negative: s?.hiddenNegative ?? 0,
    ledger_head: head,
  }
}

/**
 * Reviews' stars: how many, the average (two decimals) and the count for each star. Only
 * published reviews count (never a linkback's stars), from counters kept on write.
 */
export function ratingSummary(s: StatsRow | undefined): Out<typeof RatingSummaryOut> {
  const stars = [1, 2, 3, 4, 5] as const
  const histogram = Object.fromEntries(stars.map((n) => [String(n), s ? s[`rating${n}`] : 0])) as Record<
    '1' | '2' | '3' | '4' | '5',
    number
  >
  const count = stars.reduce((sum, n) => sum + histogram[n], 0)
  const total = stars.reduce((sum, n) => sum + n * histogram[n], 0)
  return { count, average: count === 0 ? null : Math.round((total / count) * 100) / 100, histogram }
}
