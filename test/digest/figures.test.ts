/**
 * The weekly digest's layout, computed alone: which week a run covers, the figures laid out from
 * D1's counts, the e-mail in English and Japanese, and the Slack-compatible lines.
 */
import { describe, expect, it } from 'vitest'

import type { DigestBody } from '../../src/db/schema'
import { DAY, HOUR, WEEK } from '../../src/common/clock'
import { DIGEST_LISTED, digestBody, lastWeekIn, weekWords } from '../../src/digest/figures'
import { digestMail } from '../../src/digest/mail'
import { payloadFor } from '../../src/webhooks/payloads'
import { lastWeekStart } from '../helpers/digest'

// Monday 7 September 2026, 00:00 UTC.
const MONDAY = Date.UTC(2026, 8, 7)

describe('the week a digest covers', () => {
  it('is the last whole week, Monday 00:00 to Monday 00:00 UTC, before the run, for a shop on UTC', () => {
    expect(new Date(MONDAY).getUTCDay()).toBe(1)
    expect(lastWeekStart(MONDAY)).toBe(MONDAY - WEEK)
    expect(lastWeekStart(MONDAY + 10 * 60_000)).toBe(MONDAY - WEEK)
    expect(lastWeekStart(MONDAY - 1)).toBe(MONDAY - 2 * WEEK)
    // Any time in the week after: still the week before it.
    expect(lastWeekStart(MONDAY + 6 * DAY + 23 * HOUR)).toBe(MONDAY - WEEK)
    expect(lastWeekStart(MONDAY + WEEK)).toBe(MONDAY)
    expect(lastWeekIn(MONDAY, 'UTC')).toEqual({
      before: MONDAY - 2 * WEEK,
      start: MONDAY - WEEK,
      end: MONDAY,
      next: MONDAY + WEEK,
    })
  })

  it('is the shop’s own week, Monday to Sunday in its time zone', () => {
    // Monday 00:00 in Tokyo is Sunday 15:00 UTC.
    const tokyoMonday = MONDAY - 9 * HOUR
    expect(lastWeekIn(tokyoMonday, 'Asia/Tokyo')).toEqual({
      before: tokyoMonday - 2 * WEEK,
      start: tokyoMonday - WEEK,
      end: tokyoMonday,
      next: tokyoMonday + WEEK,
    })
    // On Sunday evening UTC it is already Monday in Tokyo, but still Sunday in London and New York.
    const sundayEvening = MONDAY - 8 * HOUR
    expect(lastWeekIn(sundayEvening, 'Asia/Tokyo').end).toBe(tokyoMonday)
    expect(lastWeekIn(sundayEvening, 'UTC').end).toBe(MONDAY - WEEK)
    // New York in September is UTC-4: its Monday starts at 04:00 UTC.
    expect(lastWeekIn(MONDAY + 5 * HOUR, 'America/New_York').end).toBe(MONDAY + 4 * HOUR)
    expect(lastWeekIn(MONDAY + 3 * HOUR, 'America/New_York').end).toBe(MONDAY + 4 * HOUR - WEEK)
  })

  it('follows the clocks when they change: a week with a short or a long Sunday', () => {
    // London: clocks went forward on Sunday 29 March 2026 (GMT → BST); that week had 167 hours.
    const start = Date.UTC(2026, 2, 23) // Monday 23 March, 00:00 GMT
    const end = Date.UTC(2026, 2, 29, 23) // Monday 30 March, 00:00 BST
    expect(lastWeekIn(end + HOUR, 'Europe/London')).toMatchObject({ start, end, next: end + WEEK })
    expect(end - start).toBe(WEEK - HOUR)
    // And back on Sunday 25 October 2026 (BST → GMT): 169 hours.
    const autumn = lastWeekIn(Date.UTC(2026, 9, 26, 12), 'Europe/London')
    expect(autumn).toMatchObject({ start: Date.UTC(2026, 9, 18, 23), end: Date.UTC(2026, 9, 26) })
    expect(autumn.end - autumn.start).toBe(WEEK + HOUR)
  })

  it('is named by its first and last day in the shop’s zone', () => {
    const tokyoMonday = MONDAY - 9 * HOUR
    const d = { week_start: new Date(tokyoMonday - WEEK).toISOString(), week_end: new Date(tokyoMonday).toISOString() }
    expect(weekWords({ ...d, time_zone: 'Asia/Tokyo' }, 'ja')).toEqual({
      from: '2026年8月31日',
      to: '2026年9月6日',
      zone: '日本標準時',
    })
    expect(weekWords({ ...d, time_zone: 'Asia/Tokyo' }, 'en')).toEqual({
      from: '31 August 2026',
      to: '6 September 2026',
      zone: 'Japan Standard Time',
    })
    // A digest made before weeks were the shop's own was a UTC week.
    const utc = { week_start: new Date(MONDAY - WEEK).toISOString(), week_end: new Date(MONDAY).toISOString() }
    expect(weekWords(utc, 'en')).toEqual({ from: '31 August 2026', to: '6 September 2026', zone: 'UTC' })
  })
})

describe('the digest’s figures', () => {
  const weekStart = MONDAY - WEEK
  const madeAt = MONDAY + 5 * 60_000

  it('counts the week’s voices by sentiment, the waiting ones with their age, and the answers of both weeks', () => {
    const body = digestBody({
      week: lastWeekIn(MONDAY, 'UTC'),
      timeZone: 'UTC',
      madeAt,
      sentiment: [
        { week: 0, sentiment: 'positive', n: 4 },
        { week: 1, sentiment: 'positive', n: 2 },
        { week: 1, sentiment: 'negative', n: 3 },
        { week: 1, sentiment: null, n: 1 },
      ],
      medians: [
        { week: 0, answered: 4, median: 30 * HOUR },
        { week: 1, answered: 3, median: 5.25 * HOUR },
      ],
      unanswered: {
        count: 12,
        oldest: [{ id: 'm_old', title: 'Broken', url: 'https://blog.example/a', at: madeAt - 9 * DAY - HOUR }],
      },
      unresolved: { count: 1, oldest: [{ id: 'm_sorry', title: null, url: null, at: madeAt - 2 * HOUR }] },
    })
    expect(body).toEqual({
      week_start: '2026-08-31T00:00:00.000Z',
      week_end: '2026-09-07T00:00:00.000Z',
      time_zone: 'UTC',
      made_at: '2026-09-07T00:05:00.000Z',
      new_voices: { positive: 2, neutral: 0, negative: 3, unclassified: 1, total: 6 },
      unanswered_negative: {
        count: 12,
        oldest: [
          {
            id: 'm_old',
            title: 'Broken',
            url: 'https://blog.example/a',
            published_at: new Date(madeAt - 9 * DAY - HOUR).toISOString(),
            age_days: 9,
          },
        ],
      },
      awaiting_resolution: {
        count: 1,
        oldest: [
          {
            id: 'm_sorry',
            title: null,
            url: null,
            apologized_at: new Date(madeAt - 2 * HOUR).toISOString(),
            age_days: 0,
          },
        ],
      },
      response: {
        this_week: { published: 6, answered: 3, rate: 0.5, median_hours: 5.3 },
        week_before: { published: 4, answered: 4, rate: 1, median_hours: 30 },
      },
    } satisfies DigestBody)
  })

  it('says nothing was published rather than a rate of nothing, and lists at most the oldest few', () => {
    const many = Array.from({ length: DIGEST_LISTED + 5 }, (_, i) => ({
      id: `m_${i}`,
      title: null,
      url: null,
      at: weekStart,
    }))
    const body = digestBody({
      week: lastWeekIn(MONDAY, 'UTC'),
      timeZone: 'UTC',
      madeAt,
      sentiment: [],
      medians: [],
      unanswered: { count: 40, oldest: many },
      unresolved: { count: 0, oldest: [] },
    })
    expect(body.response).toEqual({
      this_week: { published: 0, answered: 0, rate: null, median_hours: null },
      week_before: { published: 0, answered: 0, rate: null, median_hours: null },
    })
    expect(body.new_voices.total).toBe(0)
    expect(body.unanswered_negative.oldest).toHaveLength(DIGEST_LISTED)
    expect(body.unanswered_negative.count).toBe(40)
  })
})

const sample: DigestBody = {
  week_start: '2026-08-31T00:00:00.000Z',
  week_end: '2026-09-07T00:00:00.000Z',
  made_at: '2026-09-07T00:05:00.000Z',
  new_voices: { positive: 2, neutral: 1, negative: 3, unclassified: 1, total: 7 },
  unanswered_negative: {
    count: 3,
    oldest: [
      {
        id: 'm_1',
        title: 'Broken\non arrival',
        url: 'https://blog.example/1',
        published_at: '2026-09-01T23:30:00.000Z',
        age_days: 5,
      },
      { id: 'm_2', title: null, url: 'https://blog.example/2', published_at: '2026-09-03T00:00:00.000Z', age_days: 4 },
    ],
  },
  awaiting_resolution: {
    count: 1,
    oldest: [{ id: 'm_3', title: 'Late', url: null, apologized_at: '2026-09-04T08:00:00.000Z', age_days: 2 }],
  },
  response: {
    this_week: { published: 7, answered: 4, rate: 0.571, median_hours: 5 },
    week_before: { published: 2, answered: 1, rate: 0.5, median_hours: 10 },
  },
}

describe('the digest e-mail', () => {
  it('words the week in English, with the waiting voices linked to their console pages', () => {
    const mail = digestMail({
      shop: 'Tanaka\nGoods',
      slug: 'tanaka',
      lang: 'en',
      timeZone: 'UTC',
      hubOrigin: 'https://hub.example',
      digest: sample,
    })
    expect(mail.subject).toBe("Tanaka Goods: last week's voices (31 August 2026 – 6 September 2026)")
    expect(mail.text).toContain('31 August 2026 to 6 September 2026 (Monday to Sunday, UTC)')
    expect(mail.text).toContain('New voices: 7\npositive 2, neutral 1, negative 3, unclassified 1')
    expect(mail.text).toContain(
      'Negative voices still unanswered: 3\n- Broken on arrival: waiting 5 days (since 1 September 2026)\n  https://hub.example/admin/mentions/m_1',
    )
    expect(mail.text).toContain('- https://blog.example/2: waiting 4 days (since 3 September 2026)')
    expect(mail.text).toContain('… and 1 more')
    expect(mail.text).toContain('Apologies still waiting for a resolution report: 1\n- Late: waiting 2 days')
    expect(mail.text).toContain('That week: 4 of 7 answered (57%), median 5 hours to a first answer')
    expect(mail.text).toContain('The week before: 1 of 2 answered (50%), median 10 hours to a first answer')
    expect(mail.text).toContain('https://hub.example/admin/sites/tanaka/overview')
  })

  it('words it in Japanese, with the voices’ dates in the shop’s time zone, and no links without the hub’s origin', () => {
    const mail = digestMail({
      shop: '田中商店',
      slug: 'tanaka',
      lang: 'ja',
      timeZone: 'Asia/Tokyo',
      hubOrigin: null,
      digest: sample,
    })
    expect(mail.subject).toBe('田中商店：先週のまとめ（2026年8月31日〜2026年9月6日）')
    expect(mail.text).toContain('新しい声：7件\n肯定的 2件、中立 1件、否定的 3件、未分類 1件')
    // 23:30 UTC on 1 September is the 2nd in Tokyo.
    expect(mail.text).toContain('- Broken on arrival：5日経過（2026年9月2日から）')
    expect(mail.text).toContain('お詫びのあと改善のご報告を待っている声：1件')
    expect(mail.text).toContain('先週：7件中4件に回答（57%）、最初の回答までの中央値 5時間')
    expect(mail.text).not.toContain('http://')
    expect(mail.text).not.toContain('/admin/')
  })

  it('names a shop’s own week by its days and zone', () => {
    const tokyoWeek = {
      ...sample,
      week_start: '2026-08-30T15:00:00.000Z',
      week_end: '2026-09-06T15:00:00.000Z',
      time_zone: 'Asia/Tokyo',
    }
    const facts = { shop: '田中商店', slug: 'tanaka', timeZone: 'Asia/Tokyo', hubOrigin: null, digest: tokyoWeek }
    const ja = digestMail({ ...facts, lang: 'ja' })
    expect(ja.subject).toBe('田中商店：先週のまとめ（2026年8月31日〜2026年9月6日）')
    expect(ja.text).toContain('2026年8月31日〜2026年9月6日（月曜〜日曜、日本標準時）')
    const en = digestMail({ ...facts, lang: 'en' })
    expect(en.text).toContain('31 August 2026 to 6 September 2026 (Monday to Sunday, Japan Standard Time)')
  })
})

describe('the digest.weekly webhook', () => {
  it('sends the digest as data, and a few readable lines to a Slack-compatible endpoint', () => {
    const at = Date.UTC(2026, 8, 7, 0, 5)
    const standard = JSON.parse(payloadFor('standard', 'digest.weekly', { site: 'tanaka', digest: sample }, at)) as {
      type: string
      data: unknown
    }
    expect(standard).toEqual({
      type: 'digest.weekly',
      timestamp: '2026-09-07T00:05:00.000Z',
      data: { site: 'tanaka', digest: sample },
    })
    const slack = JSON.parse(payloadFor('slack', 'digest.weekly', { site: '<tanaka>', digest: sample }, at)) as {
      text: string
    }
    expect(slack.text).toBe(
      [
        'Weekly digest on &lt;tanaka&gt;: the week from 2026-08-31 (UTC)',
        'New voices: 7 (2 positive, 1 neutral, 3 negative, 1 unclassified)',
        ':warning: Negative voices still unanswered: 3',
        'Apologies waiting for a resolution report: 1',
        'Answered: 4 of 7 (57%), median 5 h; the week before: 1 of 2 (50%), median 10 h',
      ].join('\n'),
    )
    // Never a voice's own words in a chat channel.
    expect(slack.text).not.toContain('Broken')
  })
})
