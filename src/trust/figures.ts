/**
 * The public trust figures: how much of what people say the shop answers, how fast, and
 * whether its apologies are followed by a report of what was fixed — from the counter rows
 * kept on write, so they cost one row to read. Pure: counters in, JSON out.
 */
import type { StatsRow } from '../stats/store'
import { medianHours, parseHistogram, shareWithin } from '../stats/response-time'

const ratio = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000)
const rounded = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 1000)

export function trustFigures(s: StatsRow | undefined, responseTargetHours: number) {
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
    answered_within_target: { target_hours: responseTargetHours, share: rounded(shareWithin(histogram, responseTargetHours * 60)) },
    /** Voices with an apology, and the share of them later followed by a resolution report. */
    apologies: n('apologized'),
    resolution_rate: ratio(n('resolved'), n('apologized')),
  }
}

/** The moderation ledger's counts, and the head hash anyone can compare with a copy they saved. */
export function ledgerSummary(s: StatsRow | undefined, head: string | null) {
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
