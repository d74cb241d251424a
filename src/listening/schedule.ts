/**
 * When a watched feed is read: a healthy one every READ_EVERY_MS, a failing one later and later
 * (twice as long after each failure in a row, up to MAX_BACKOFF_MS). Pure: the run uses it to
 * schedule, the console and the error words to say when a feed was tried and is tried next.
 */
import { DAY, HOUR } from '../common/clock'

/** How often a healthy feed is read. */
export const READ_EVERY_MS = HOUR
/** The longest a failing feed waits before it is tried again. */
export const MAX_BACKOFF_MS = DAY

/** A failing feed waits twice as long after each failure in a row: 2 h, 4 h … up to a day. */
export const backoffMs = (failures: number) => Math.min(READ_EVERY_MS * 2 ** Math.min(failures, 10), MAX_BACKOFF_MS)

/** The waits after the first failure, the second … up to the longest, which every further failure waits too. */
export function failureWaits(): number[] {
  const waits: number[] = []
  // backoffMs stops doubling after 10 failures in a row, so the list ends by then.
  for (let failures = 1; failures <= 11 && waits.at(-1) !== MAX_BACKOFF_MS; failures++) waits.push(backoffMs(failures))
  return waits
}

/** What the schedule reads of a watch. */
type Scheduled = { failures: number; lastFetchedAt: number | null; nextFetchAt: number }

/**
 * When the hub last tried to read a watch (null: never). A feed that failed waits `backoffMs` of its
 * failures from that try, so the try is its next reading less that wait; a healthy one was last
 * tried when it was last read.
 */
export const lastTriedAt = (w: Scheduled): number | null =>
  w.failures === 0 ? w.lastFetchedAt : w.nextFetchAt - backoffMs(w.failures)

/** How long a failing feed waits after its last try (null for a healthy one). */
export const waitAfterFailure = (w: Scheduled): number | null => (w.failures === 0 ? null : backoffMs(w.failures))
