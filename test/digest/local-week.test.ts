/**
 * A shop's digest covers its own week: Monday to Sunday in its time zone, made once its own
 * Monday midnight has passed, through the cron against D1. The sites waiting are read from an
 * index of when each is due, so a run reads none of the sites not yet due, whatever their zones.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { WEEK } from '../../src/common/clock'
import { getDb } from '../../src/db/client'
import { meteredD1 } from '../../src/db/metering'
import { lastWeekIn } from '../../src/digest/figures'
import { sendWeeklyDigests } from '../../src/digest/weekly'
import { emitter } from '../../src/webhooks/events'
import { get, signIn } from '../helpers/admin'
import { cronAt, digestsOf, seed } from '../helpers/digest'
import { createSite, createTarget, type SiteFixture } from '../helpers/factories'
import { api, DAY, HOUR } from '../helpers/http'

// A UTC Monday three weeks after the last one: the sites made now existed all through the week before it.
const MONDAY = lastWeekIn(Date.now(), 'UTC').end + 3 * WEEK
// Monday 00:00 in Tokyo is Sunday 15:00 UTC.
const TOKYO_MONDAY = MONDAY - 9 * HOUR

const dueOf = async (slug: string) =>
  (await env.DB.prepare('SELECT digest_due FROM sites WHERE slug = ?').bind(slug).first<{ digest_due: number }>())!
    .digest_due

let tokyo: SiteFixture
let london: SiteFixture

beforeAll(async () => {
  tokyo = await createSite({ settings: { lang: 'ja' } })
  london = await createSite({ settings: { lang: 'en', time_zone: 'UTC' } })
  const tt = (await createTarget(tokyo)).id
  const lt = (await createTarget(london)).id
  const voices = [
    // Sunday 20:00 in Tokyo (11:00 UTC): the Tokyo week's last evening, and the UTC week's Sunday too.
    { published: MONDAY - 13 * HOUR, sentiment: 'negative' as const },
    // Monday 01:00 in Tokyo, still Sunday 16:00 UTC: the next Tokyo week, but this UTC week.
    { published: TOKYO_MONDAY + HOUR, sentiment: 'positive' as const },
    // Monday 08:00 in Tokyo of the week before, Sunday 23:00 UTC: in the Tokyo week, not the UTC one.
    { published: TOKYO_MONDAY - WEEK + 8 * HOUR, sentiment: 'neutral' as const },
  ]
  await seed(tokyo, tt, voices)
  await seed(london, lt, voices)
  // As if each had its digest of the week before: the next is due at the end of this one, its own.
  const dueAt = (slug: string, at: number) =>
    env.DB.prepare('UPDATE sites SET digest_due = ? WHERE slug = ?').bind(at, slug).run()
  await dueAt(tokyo.slug, TOKYO_MONDAY)
  await dueAt(london.slug, MONDAY)
})

describe('a shop’s week in its own time zone', () => {
  it('is due at the shop’s own Monday midnight: Tokyo’s first, the UTC shop’s nine hours later', async () => {
    await cronAt(TOKYO_MONDAY - 60_000)
    expect(await digestsOf(tokyo.slug)).toEqual([])
    await cronAt(TOKYO_MONDAY + 5 * 60_000)
    expect((await digestsOf(tokyo.slug)).map((d) => d.weekStart)).toEqual([TOKYO_MONDAY - WEEK])
    expect(await digestsOf(london.slug)).toEqual([])
    await cronAt(MONDAY + 5 * 60_000)
    expect((await digestsOf(london.slug)).map((d) => d.weekStart)).toEqual([MONDAY - WEEK])
    // Each is due again at the end of its next week.
    expect(await dueOf(tokyo.slug)).toBe(TOKYO_MONDAY + WEEK)
    expect(await dueOf(london.slug)).toBe(MONDAY + WEEK)
  })

  it('counts the voices of the shop’s week: Monday 00:00 to Sunday 24:00 there', async () => {
    const [t] = await digestsOf(tokyo.slug)
    expect(t?.body).toMatchObject({
      week_start: new Date(TOKYO_MONDAY - WEEK).toISOString(),
      week_end: new Date(TOKYO_MONDAY).toISOString(),
      time_zone: 'Asia/Tokyo',
      new_voices: { positive: 0, neutral: 1, negative: 1, total: 2 },
    })
    const [l] = await digestsOf(london.slug)
    expect(l?.body).toMatchObject({
      time_zone: 'UTC',
      new_voices: { positive: 1, neutral: 0, negative: 1, total: 2 },
    })
  })

  it('is named by its days and zone on the overview, in the shop’s language', async () => {
    const html = await (await get(await signIn(tokyo.key), `/admin/sites/${tokyo.slug}/overview?lang=ja`)).text()
    const day = (ms: number) =>
      new Intl.DateTimeFormat('ja-JP', { dateStyle: 'long', timeZone: 'Asia/Tokyo' }).format(ms)
    expect(html).toContain(`${day(TOKYO_MONDAY - WEEK)}〜${day(TOKYO_MONDAY - DAY)}（月曜〜日曜、日本標準時）`)
  })

  it('reads none of the sites not yet due, whatever their zones', async () => {
    const db = getDb(env.DB)
    const deps = (d: typeof db) => ({ db: d, emit: emitter(d, env.WEBHOOK_QUEUE), mail: null, hubOrigin: null })
    // Every site of this file has had its digest: the next are due a week on.
    while ((await sendWeeklyDigests(deps(db), MONDAY + HOUR)).made > 0);
    const meter = { rowsRead: 0, queries: 0 }
    expect(await sendWeeklyDigests(deps(getDb(meteredD1(env.DB, meter))), MONDAY + 6 * DAY)).toEqual({
      made: 0,
      mailed: 0,
    })
    expect(meter.rowsRead).toBeLessThanOrEqual(1)
  })
})

describe('a shop made or moved in a time zone', () => {
  it('has its first digest at the end of the week it was made in, its own week', async () => {
    const made = Date.now()
    const fresh = await createSite({ settings: { lang: 'ja' } })
    expect(await dueOf(fresh.slug)).toBe(lastWeekIn(made, 'Asia/Tokyo').next)
  })

  it('makes none for a week that ended before it was made, and waits for the end of its first', async () => {
    const fresh = await createSite({ settings: { lang: 'ja' } })
    // Due at once (as every site was before weeks were the shops' own): this run finds it too young.
    await env.DB.prepare('UPDATE sites SET digest_due = 0 WHERE slug = ?').bind(fresh.slug).run()
    await cronAt(Date.now())
    expect(await digestsOf(fresh.slug)).toEqual([])
    expect(await dueOf(fresh.slug)).toBe(lastWeekIn(Date.now(), 'Asia/Tokyo').next)
  })

  it('moves a digest not yet due to the end of the week in its new zone', async () => {
    const site = await createSite({ settings: { lang: 'en', time_zone: 'UTC' } })
    expect(await dueOf(site.slug)).toBe(lastWeekIn(Date.now(), 'UTC').next)
    const res = await api('PATCH', `/api/sites/${site.slug}`, { settings: { time_zone: 'America/New_York' } }, site.key)
    expect(res.status).toBe(200)
    expect(await dueOf(site.slug)).toBe(lastWeekIn(Date.now(), 'America/New_York').next)
  })
})
