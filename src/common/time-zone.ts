/**
 * Moments in a shop's own time zone: what its clock shows at a moment, and the moment its clock
 * shows a given date and time. Intl does the zone's rules (workerd has the full time zone data);
 * this module only turns its answers into milliseconds. Daylight saving is handled: a week
 * whose clocks change has 167 or 169 hours, and a day whose midnight is skipped starts at the
 * first moment it has.
 */
import { DAY } from './clock'

const formats = new Map<string, Intl.DateTimeFormat>()

/** One formatter per zone (making one is the slow part). */
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formats.set(timeZone, f)
  }
  return f
}

/** What a clock in `timeZone` shows at the moment `ms`, written as if that clock were UTC. */
function wallClock(ms: number, timeZone: string): number {
  const parts = formatIn(timeZone).formatToParts(new Date(ms))
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
}

/** How far a clock in `timeZone` is ahead of UTC at the moment `ms`. */
const offsetAt = (ms: number, timeZone: string) => wallClock(ms, timeZone) - ms

/**
 * The moment a clock in `timeZone` shows `wall` (a date and time written as if it were UTC). A
 * time shown twice (the hour repeated when clocks go back) is its first showing; a time skipped
 * (clocks go forward) is read with the offset from before the change, so it lands just after the
 * gap: a midnight that does not exist starts the day at 01:00.
 */
export function fromWallClock(wall: number, timeZone: string): number {
  // A zone's offset changes at most once a day: the offsets a day either side are the candidates.
  const before = wall - offsetAt(wall - DAY, timeZone)
  const after = wall - offsetAt(wall + DAY, timeZone)
  const fits = [before, after].filter((moment) => wallClock(moment, timeZone) === wall)
  return fits.length > 0 ? Math.min(...fits) : before
}

/** The local midnight that starts the day `days` days after the day of `ms` in `timeZone`. */
function localDayStart(ms: number, timeZone: string, days: number): number {
  const wall = wallClock(ms, timeZone)
  return fromWallClock(wall - (((wall % DAY) + DAY) % DAY) + days * DAY, timeZone)
}

/** Monday 00:00 in `timeZone` of the week `ms` lies in (weeks run Monday to Sunday). */
export function weekStartIn(ms: number, timeZone: string): number {
  const weekday = new Date(wallClock(ms, timeZone)).getUTCDay()
  return localDayStart(ms, timeZone, -((weekday + 6) % 7))
}

/** The Monday 00:00 in `timeZone` that starts the week after the one starting at `weekStart`. */
export const nextWeekStartIn = (weekStart: number, timeZone: string) => localDayStart(weekStart, timeZone, 7)

/** The Monday 00:00 in `timeZone` that starts the week before the one starting at `weekStart`. */
export const previousWeekStartIn = (weekStart: number, timeZone: string) => localDayStart(weekStart, timeZone, -7)

/** The Monday 00:00 in `timeZone` that ends the week `ms` lies in. */
export const weekEndIn = (ms: number, timeZone: string) => nextWeekStartIn(weekStartIn(ms, timeZone), timeZone)
