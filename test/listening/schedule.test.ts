/**
 * When a watched feed is read again: the schedule's pure helpers, and the words that state it,
 * built from the schedule's own numbers (never written out beside them).
 */
import { describe, expect, it } from 'vitest'

import { feedErrorWords, retryWords } from '../../src/listening/feed-errors'
import {
  backoffMs,
  failureWaits,
  lastTriedAt,
  MAX_BACKOFF_MS,
  READ_EVERY_MS,
  waitAfterFailure,
} from '../../src/listening/schedule'
import { DAY, HOUR } from '../helpers/http'

describe('the schedule of a failing feed', () => {
  it('doubles the wait after each failure in a row, from twice a healthy feed’s up to the longest', () => {
    expect(failureWaits()).toEqual([2 * READ_EVERY_MS, 4 * READ_EVERY_MS, 8 * READ_EVERY_MS, 16 * READ_EVERY_MS, DAY])
    expect(failureWaits().at(-1)).toBe(MAX_BACKOFF_MS)
    expect(backoffMs(30)).toBe(MAX_BACKOFF_MS)
  })

  it('says when a watch was last tried and how long its next try waits', () => {
    const healthy = { failures: 0, lastFetchedAt: 1_000, nextFetchAt: 1_000 + READ_EVERY_MS }
    expect(lastTriedAt(healthy)).toBe(1_000)
    expect(waitAfterFailure(healthy)).toBeNull()
    const failing = { failures: 3, lastFetchedAt: null, nextFetchAt: 50 * HOUR }
    expect(lastTriedAt(failing)).toBe(42 * HOUR)
    expect(waitAfterFailure(failing)).toBe(8 * HOUR)
  })
})

describe('retryWords', () => {
  it('states the schedule it is given, in English and Japanese', () => {
    const waits = [HOUR / 2, 3 * HOUR, 2 * DAY]
    expect(retryWords(waits, 'en')).toBe(
      '0.5 h after the first failure, then 3 h after the next ones, then every 2 days',
    )
    expect(retryWords(waits, 'ja')).toBe(
      '1回目の失敗の0.5時間後、続く失敗のあとは3時間後、その後は2日ごとに読み直します',
    )
    expect(retryWords([6 * HOUR, DAY], 'en')).toBe('6 h after the first failure, then once a day')
    expect(retryWords([DAY], 'ja')).toBe('1日ごとに読み直します')
  })

  it('is what the hub’s own failure (internal) says, from the schedule’s numbers', () => {
    expect(feedErrorWords('internal', 'en')).toContain(`it is read again ${retryWords(failureWaits(), 'en')}.`)
    expect(feedErrorWords('internal', 'ja')).toContain(`${retryWords(failureWaits(), 'ja')}。`)
  })
})
