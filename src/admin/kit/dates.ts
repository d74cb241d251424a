/** Dates in the console: shown in the site's time zone, and read from a `datetime-local` field typed in it. */
import { formatDate } from '../../common/lang'
import { fromWallClock } from '../../common/time-zone'
import type { Lang } from './words'

/** A date and time in the site's time zone, in the UI's language. */
export const formatDateTime = (ms: number, lang: Lang, timeZone: string) =>
  formatDate(ms, lang, { timeZone, time: true })

/** A `datetime-local` value (2026-11-28T09:30) as typed in `timeZone`, as a moment; null when it is not one. */
export function parseLocalDateTime(text: string, timeZone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return null
  const wall = Date.parse(`${text}Z`)
  return Number.isNaN(wall) ? null : fromWallClock(wall, timeZone)
}
