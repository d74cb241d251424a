/** Dates in the console: shown in the site's time zone, and read from a `datetime-local` field typed in it. */
import { formatDate } from '../../common/lang'
import type { Lang } from './words'

/** A date and time in the site's time zone, in the UI's language. */
export const formatDateTime = (ms: number, lang: Lang, timeZone: string) =>
  formatDate(ms, lang, { timeZone, time: true })

/** A `datetime-local` value (2026-11-28T09:30) as typed in `timeZone`, as a moment; null when it is not one. */
export function parseLocalDateTime(text: string, timeZone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return null
  const asUtc = Date.parse(`${text}Z`)
  if (Number.isNaN(asUtc)) return null
  // What a clock in `timeZone` shows at that UTC moment; the difference is the zone's offset.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(asUtc))
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const shown = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return asUtc - (shown - asUtc)
}
