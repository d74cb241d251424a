/** Moments in a shop's own time zone, around the changes of clocks (src/common/time-zone.ts). */
import { describe, expect, it } from 'vitest'

import { WEEK } from '../../src/common/clock'
import { fromWallClock, nextWeekStartIn, weekStartIn } from '../../src/common/time-zone'

const wall = (text: string) => Date.parse(`${text}Z`)
const at = (text: string) => Date.parse(text)

describe('the moment a clock shows a time', () => {
  it('reads each side of a change of clocks with the offset of its side', () => {
    // New York: 5 h behind UTC in winter, 4 h in summer.
    expect(fromWallClock(wall('2026-03-08T01:30:00'), 'America/New_York')).toBe(at('2026-03-08T06:30:00Z'))
    expect(fromWallClock(wall('2026-03-08T03:30:00'), 'America/New_York')).toBe(at('2026-03-08T07:30:00Z'))
    expect(fromWallClock(wall('2026-11-01T03:00:00'), 'America/New_York')).toBe(at('2026-11-01T08:00:00Z'))
    expect(fromWallClock(wall('2026-07-01T12:00:00'), 'Asia/Tokyo')).toBe(at('2026-07-01T03:00:00Z'))
  })

  it('takes the first showing of a repeated hour, and lands just after a skipped one', () => {
    expect(fromWallClock(wall('2026-11-01T01:30:00'), 'America/New_York')).toBe(at('2026-11-01T05:30:00Z'))
    // 02:30 on 8 March 2026 never showed in New York: read as 03:30.
    expect(fromWallClock(wall('2026-03-08T02:30:00'), 'America/New_York')).toBe(at('2026-03-08T07:30:00Z'))
    // Santiago skipped midnight on 8 September 2024: the day started at 01:00.
    expect(fromWallClock(wall('2024-09-08T00:00:00'), 'America/Santiago')).toBe(at('2024-09-08T04:00:00Z'))
  })
})

describe('a week in a time zone', () => {
  it('starts on Monday at the first moment the day has, even when its midnight was skipped', () => {
    // Tehran moved its clocks forward at midnight on Monday 22 March 2021.
    const start = weekStartIn(at('2021-03-24T12:00:00Z'), 'Asia/Tehran')
    expect(start).toBe(at('2021-03-21T20:30:00Z'))
    expect(nextWeekStartIn(start, 'Asia/Tehran')).toBe(at('2021-03-28T19:30:00Z'))
  })

  // Zones whose clocks change in unusual ways: at midnight, by half an hour or three hours, twice a year around Ramadan.
  const ZONES = [
    'UTC',
    'Asia/Tokyo',
    'America/New_York',
    'Europe/London',
    'America/Santiago',
    'Asia/Tehran',
    'Australia/Lord_Howe',
    'Antarctica/Casey',
    'Africa/Casablanca',
    'America/St_Johns',
    'Pacific/Chatham',
    'America/Havana',
    'Asia/Gaza',
    'America/Asuncion',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
  ]

  it('starts on a Monday and lasts about seven days in zones of every kind, 2020 to 2030', () => {
    const wrong: string[] = []
    for (const zone of ZONES) {
      for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2031, 0, 1); t += 2 * 86_400_000 + 3_600_000) {
        const start = weekStartIn(t, zone)
        const shown = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          weekday: 'short',
          hour: 'numeric',
          hourCycle: 'h23',
        })
          .formatToParts(start)
          .map((p) => p.value)
          .join('')
        const length = nextWeekStartIn(start, zone) - start
        if (
          start > t ||
          t - start >= WEEK + 3 * 3_600_000 ||
          !/^Mon, ?0[01]$/.test(shown) ||
          Math.abs(length - WEEK) > 3 * 3_600_000
        )
          wrong.push(`${zone} ${new Date(t).toISOString()}: ${shown}`)
      }
    }
    expect(wrong.slice(0, 5)).toEqual([])
  })
})
