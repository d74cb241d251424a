/**
 * Time to first response, kept as a histogram so the median needs no scan.
 *
 * Each published voice that has been answered adds one to the bucket holding its
 * delay (first response − publication). The median is read from the cumulative
 * counts and interpolated linearly inside the bucket that holds it, so its error is
 * bounded by that bucket's width — minutes for fast answers, days for slow ones.
 */

import { EMPTY_HISTOGRAM, RESPONSE_TIME_BUCKETS } from '../db/schema'

/** Upper bounds of the buckets, in minutes; the last bucket is open-ended. */
export const BUCKET_UPPER_MINUTES = [
  5, 15, 30, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1440, 2160, 2880, 4320, 5760, 7200, 10080, 14400, 20160, 30240,
  43200, 86400,
] as const

export const BUCKET_COUNT = BUCKET_UPPER_MINUTES.length + 1
// The stored histogram's length is part of the schema; these bounds must fill it exactly.
if (BUCKET_COUNT !== RESPONSE_TIME_BUCKETS)
  throw new Error(`response-time buckets: ${BUCKET_COUNT} bounds for ${RESPONSE_TIME_BUCKETS} stored counts`)

export { EMPTY_HISTOGRAM }

/** The bucket index of a delay in milliseconds (negative delays count as zero). */
export function bucketOf(delayMs: number): number {
  const minutes = Math.max(0, delayMs) / 60_000
  const index = BUCKET_UPPER_MINUTES.findIndex((upper) => minutes < upper)
  return index === -1 ? BUCKET_UPPER_MINUTES.length : index
}

/** Median delay in hours (one decimal), or null when nothing has been answered. */
export function medianHours(histogram: readonly number[]): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0)
  if (total === 0) return null
  const half = total / 2
  let seen = 0
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0
    if (count > 0 && seen + count >= half) {
      const lower = i === 0 ? 0 : (BUCKET_UPPER_MINUTES[i - 1] ?? 0)
      // The open-ended last bucket has no width to interpolate over: report its lower edge.
      const upper = BUCKET_UPPER_MINUTES[i] ?? lower
      const minutes = lower + ((upper - lower) * (half - seen)) / count
      return Math.round((minutes / 60) * 10) / 10
    }
    seen += count
  }
  return null
}

/**
 * The share (0–1) of answered voices whose first response came within `minutes`, or null
 * when nothing has been answered. Exact when `minutes` is a bucket edge (every whole-hour
 * target up to 720 h that staff usually pick: 1, 2, 4, 8, 12, 24, 48, 72, 168 h); otherwise
 * interpolated inside the bucket, like the median.
 */
export function shareWithin(histogram: readonly number[], minutes: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0)
  if (total === 0) return null
  let within = 0
  for (let i = 0; i < histogram.length; i++) {
    const lower = i === 0 ? 0 : (BUCKET_UPPER_MINUTES[i - 1] ?? 0)
    const upper = BUCKET_UPPER_MINUTES[i]
    const count = histogram[i] ?? 0
    if (upper !== undefined && upper <= minutes) within += count
    else if (lower < minutes && upper !== undefined) within += (count * (minutes - lower)) / (upper - lower)
  }
  return within / total
}

/** Parses the stored JSON histogram, tolerating a short or damaged value. */
export function parseHistogram(json: string): number[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    parsed = []
  }
  const values: unknown[] = Array.isArray(parsed) ? parsed : []
  return Array.from({ length: BUCKET_COUNT }, (_, i) => {
    const n = values[i]
    return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0
  })
}
