/**
 * What one voice counts for in the feed statistics, and the difference a write makes.
 * Pure: src/stats/store.ts turns a delta into one UPDATE in the write's batch.
 */
import type { VoiceKind, VoiceStatus, Sentiment } from '../db/schema'
import { bucketOf } from './response-time'

export type CounterName =
  | 'published'
  | 'positive'
  | 'neutral'
  | 'negative'
  | 'unclassified'
  | 'responded'
  | 'negativeResponded'
  | 'apologized'
  | 'resolved'
  | 'removed'
  | 'spam'
  | 'restored'
  | 'gone'
  | 'hiddenNegative'
  | RatingCounter

/** Published reviews by stars: the rating summary's histogram. */
export const RATING_COUNTERS = ['rating1', 'rating2', 'rating3', 'rating4', 'rating5'] as const
export type RatingCounter = (typeof RATING_COUNTERS)[number]

/** Every counter, in the order of the stats table's columns (the response-time histogram is kept apart). */
export const COUNTER_COLUMNS: readonly CounterName[] = [
  'published',
  'positive',
  'neutral',
  'negative',
  'unclassified',
  'responded',
  'negativeResponded',
  'apologized',
  'resolved',
  'removed',
  'spam',
  'restored',
  'gone',
  'hiddenNegative',
  ...RATING_COUNTERS,
]

/** Ratings are whole stars from 1 to 5. */
export const isRating = (n: unknown): n is 1 | 2 | 3 | 4 | 5 =>
  Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 5

export type StatsDelta = {
  counters: Partial<Record<CounterName, number>>
  /** Response-time histogram: bucket index → change. */
  buckets: Record<number, number>
}

export type CountedState = {
  kind: VoiceKind
  rating: number | null
  status: VoiceStatus
  sentiment: Sentiment | null
  publishedAt: number | null
  firstResponseAt: number | null
  apologizedAt: number | null
  resolvedAt: number | null
}

export const emptyDelta = (): StatsDelta => ({ counters: {}, buckets: {} })

/**
 * Only published voices count; an answered one also counts in the response figures (and in
 * the apology figures when it has an apology). A voice
 * its author took down counts in the ledger's `gone` for as long as it stays gone.
 */
export function contributionOf(m: CountedState | null): StatsDelta {
  const delta = emptyDelta()
  if (m?.status === 'gone') delta.counters.gone = 1
  if (!m || m.status !== 'published') return delta
  delta.counters.published = 1
  delta.counters[m.sentiment ?? 'unclassified'] = 1
  // Only reviews make the rating summary: a blog post's stars are not the shop's rating.
  if (m.kind === 'review' && isRating(m.rating)) delta.counters[`rating${m.rating}`] = 1
  if (m.firstResponseAt !== null) {
    delta.counters.responded = 1
    if (m.sentiment === 'negative') delta.counters.negativeResponded = 1
    delta.buckets[bucketOf(m.firstResponseAt - (m.publishedAt ?? m.firstResponseAt))] = 1
  }
  // An apology promises a follow-up: the share of apologies with a resolution report is public.
  if (m.apologizedAt !== null) {
    delta.counters.apologized = 1
    if (m.resolvedAt !== null) delta.counters.resolved = 1
  }
  return delta
}

export function addDelta(a: StatsDelta, b: StatsDelta, sign = 1): StatsDelta {
  const out: StatsDelta = { counters: { ...a.counters }, buckets: { ...a.buckets } }
  for (const [name, n] of Object.entries(b.counters) as [CounterName, number][]) {
    out.counters[name] = (out.counters[name] ?? 0) + sign * n
  }
  for (const [bucket, n] of Object.entries(b.buckets)) {
    const i = Number(bucket)
    out.buckets[i] = (out.buckets[i] ?? 0) + sign * n
  }
  return out
}

/** The change in counters when a voice goes from `before` to `after` (null: absent). */
export const deltaBetween = (before: CountedState | null, after: CountedState | null) =>
  addDelta(contributionOf(after), contributionOf(before), -1)

export const isEmptyDelta = (d: StatsDelta) =>
  Object.values(d.counters).every((n) => n === 0) && Object.values(d.buckets).every((n) => n === 0)
