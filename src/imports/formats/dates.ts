/**
 * Dates written in a blog's own time zone, with no offset: Movable Type's `MM/DD/YYYY hh:mm:ss AM`
 * (or 24-hour, without AM/PM) and WordPress's `YYYY-MM-DD HH:MM:SS`. Read as the moment a clock
 * in `timeZone` showed them; null when the text is no such date.
 */
import { fromWallClock } from '../../common/time-zone'

const MT = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AP]M))?$/i
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/

export function readLocalDate(text: string | null | undefined, timeZone: string): number | null {
  const value = text?.trim() ?? ''
  const mt = MT.exec(value)
  if (mt) {
    const [, month, day, year, hour, minute, second, half] = mt
    let h = Number(hour)
    if (half) {
      if (h < 1 || h > 12) return null
      h = (h % 12) + (half.toUpperCase() === 'PM' ? 12 : 0)
    }
    return at(Number(year), Number(month), Number(day), h, Number(minute), Number(second ?? 0), timeZone)
  }
  const iso = ISO_LOCAL.exec(value)
  if (iso) {
    const [, year, month, day, hour, minute, second] = iso
    return at(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second ?? 0), timeZone)
  }
  return null
}

function at(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string) {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null
  const wall = Date.UTC(year, month - 1, day, hour, minute, second)
  // 02/30 would roll over into March: not a date.
  if (new Date(wall).getUTCDate() !== day || year < 1990) return null
  return fromWallClock(wall, timeZone)
}
