/**
 * The weekly digest through the cron: the scheduled handler in the Workers runtime against D1
 * with the real migrations. One digest per site per week however often the cron runs; its
 * figures for a seeded week (another site's voices never counted); the digest.weekly webhook;
 * the e-mail to `digest_email` only when the hub can send one; the console's overview in English
 * and Japanese; the setting on the site's settings page.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it, vi } from 'vitest'

import { getDb } from '../../src/db/client'
import { meteredD1 } from '../../src/db/metering'
import type { DigestBody } from '../../src/db/schema'
import { WEEK } from '../../src/common/clock'
import { sendWeeklyDigests } from '../../src/digest/weekly'
import { formatDate } from '../../src/common/lang'
import { emitter } from '../../src/webhooks/events'
import { type Browser, get, post, signIn } from '../helpers/admin'
import { servePage } from '../helpers/blogs'
import { cronAt, digestsOf, lastWeekStart, type Mail, mailbox, seed, siteIdOf } from '../helpers/digest'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { api, DAY, HOUR } from '../helpers/http'
import { outboxRow } from '../helpers/outbox'

// The weeks: the last Monday before the tests ran, and a digest week two weeks after it (sites
// made now existed during it). The cron runs five minutes into the Monday that ends it.
const thisMonday = lastWeekStart(Date.now()) + WEEK
const W = thisMonday + 2 * WEEK
const runAt = W + WEEK + 5 * 60_000

let a: SiteFixture
let b: SiteFixture
let c: SiteFixture
let ids: Record<string, string>
let standardHook: string
let slackHook: string
let firstMail: Mail[]

async function hook(s: SiteFixture, mode: 'standard' | 'slack') {
  const url = `https://${unique('hooks')}.example/in`
  await servePage(url, { body: 'ok' })
  const res = await api('POST', `/api/sites/${s.slug}/webhooks`, { url, events: ['digest.weekly'], mode }, s.key)
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json<{ id: string }>()).id
}

const deliveries = async (s: SiteFixture, endpoint: string) =>
  (
    await (
      await api('GET', `/api/webhooks/${endpoint}/deliveries`, undefined, s.key)
    ).json<{
      items: { event: string; payload: string }[]
    }>()
  ).items

beforeAll(async () => {
  a = await createSite({ settings: { digest_email: 'owner@a.example', lang: 'en' } })
  b = await createSite({ settings: { digest_email: 'tenchou@b.example', lang: 'ja', time_zone: 'Asia/Tokyo' } })
  c = await createSite()
  const ta = (await createTarget(a)).id
  const [wb1, wb2, p1, p2, n1, neg1, neg2, neg3, u1, late, old, removed, fixed] = await seed(a, ta, [
    // The week before: one at its very start, one a moment before the digest's week.
    { published: W - WEEK, sentiment: 'neutral' },
    { published: W - 1, sentiment: 'positive', answeredAfter: 10 },
    // The digest's week.
    { published: W, sentiment: 'positive', answeredAfter: 2 },
    { published: W + 2 * HOUR, sentiment: 'positive', answeredAfter: 4 },
    { published: W + 3 * HOUR, sentiment: 'neutral', answeredAfter: 6 },
    { published: W + DAY, sentiment: 'negative', title: 'Broken on arrival' },
    { published: W + 3 * DAY, sentiment: 'negative' },
    {
      published: W + 4 * DAY,
      sentiment: 'negative',
      title: 'Late delivery',
      answeredAfter: 8,
      apologized: W + 4 * DAY + 8 * HOUR,
    },
    { published: W + 5 * DAY, sentiment: null },
    // After the week ended: not one of its voices.
    { published: W + WEEK + 60_000, sentiment: 'positive' },
    // Long before, still unanswered; taken out of the feed; apologised to and resolved.
    { published: W - 20 * DAY, sentiment: 'negative', title: 'Old complaint' },
    { published: W + 2 * DAY, sentiment: 'negative', status: 'removed' },
    {
      published: W - 10 * DAY,
      sentiment: 'negative',
      answeredAfter: 1,
      apologized: W - 10 * DAY + HOUR,
      resolved: W - 9 * DAY,
    },
  ])
  ids = { wb1, wb2, p1, p2, n1, neg1, neg2, neg3, u1, late, old, removed, fixed } as Record<string, string>
  // Another shop's voices in the same week.
  const tb = (await createTarget(b)).id
  await seed(b, tb, [
    { published: W + DAY, sentiment: 'negative', title: 'B側の苦情' },
    { published: W + 2 * DAY, sentiment: 'positive', answeredAfter: 1 },
  ])
  standardHook = await hook(a, 'standard')
  slackHook = await hook(a, 'slack')

  const box = mailbox()
  await cronAt(runAt, { EMAIL: box.EMAIL })
  firstMail = box.sent
})

describe('the weekly digest, made by the cron', () => {
  it('lays out the week’s figures from D1: new voices by sentiment, what waits and for how long, the answers', async () => {
    const made = await digestsOf(a.slug)
    expect(made).toHaveLength(1)
    expect(made[0]).toMatchObject({ weekStart: W, madeAt: runAt })
    const iso = (ms: number) => new Date(ms).toISOString()
    expect(made[0]!.body).toEqual({
      week_start: iso(W),
      week_end: iso(W + WEEK),
      time_zone: 'UTC',
      made_at: iso(runAt),
      new_voices: { positive: 2, neutral: 1, negative: 3, unclassified: 1, total: 7 },
      unanswered_negative: {
        count: 3,
        oldest: [
          {
            id: ids.old,
            title: 'Old complaint',
            url: expect.any(String),
            published_at: iso(W - 20 * DAY),
            age_days: 27,
          },
          {
            id: ids.neg1,
            title: 'Broken on arrival',
            url: expect.any(String),
            published_at: iso(W + DAY),
            age_days: 6,
          },
          { id: ids.neg2, title: null, url: expect.any(String), published_at: iso(W + 3 * DAY), age_days: 4 },
        ],
      },
      awaiting_resolution: {
        count: 1,
        oldest: [
          {
            id: ids.neg3,
            title: 'Late delivery',
            url: expect.any(String),
            apologized_at: iso(W + 4 * DAY + 8 * HOUR),
            age_days: 2,
          },
        ],
      },
      response: {
        this_week: { published: 7, answered: 4, rate: 0.571, median_hours: 5 },
        week_before: { published: 2, answered: 1, rate: 0.5, median_hours: 10 },
      },
    })
  })

  it('counts each shop’s own voices only', async () => {
    const [digest] = await digestsOf(b.slug)
    expect(digest?.body.new_voices).toEqual({ positive: 1, neutral: 0, negative: 1, unclassified: 0, total: 2 })
    expect(digest?.body.unanswered_negative.count).toBe(1)
    expect(digest?.body.unanswered_negative.oldest[0]?.title).toBe('B側の苦情')
    expect(digest?.body.response.this_week).toEqual({ published: 2, answered: 1, rate: 0.5, median_hours: 1 })
    const [quiet] = await digestsOf(c.slug)
    expect(quiet?.body.new_voices.total).toBe(0)
    expect(quiet?.body.unanswered_negative).toEqual({ count: 0, oldest: [] })
  })

  it('queues the digest.weekly webhook with the digest, and a few lines for a Slack endpoint', async () => {
    const [sent] = await deliveries(a, standardHook)
    expect(sent?.event).toBe('digest.weekly')
    const payload = JSON.parse(sent!.payload) as { type: string; data: { site: string; digest: DigestBody } }
    expect(payload.type).toBe('digest.weekly')
    expect(payload.data).toEqual({ site: a.slug, digest: (await digestsOf(a.slug))[0]!.body })
    const [slack] = await deliveries(a, slackHook)
    const text = (JSON.parse(slack!.payload) as { text: string }).text
    expect(text).toContain(`Weekly digest on ${a.slug}`)
    expect(text).toContain('New voices: 7 (2 positive, 1 neutral, 3 negative, 1 unclassified)')
    expect(text).toContain('Negative voices still unanswered: 3')
  })

  it('e-mails each shop that gave an address, in its language; none to a shop without one', () => {
    const to = (address: string) => firstMail.filter((m) => m.to === address)
    expect(to('owner@a.example')).toHaveLength(1)
    const mailA = to('owner@a.example')[0]!
    expect(mailA.from).toBe('reviews@shop.example')
    expect(mailA.subject).toContain(`Shop ${a.slug}: last week's voices`)
    expect(mailA.text).toContain('New voices: 7\npositive 2, neutral 1, negative 3, unclassified 1')
    expect(mailA.text).toContain('- Broken on arrival: waiting 6 days')
    expect(mailA.text).toContain('That week: 4 of 7 answered (57%), median 5 hours to a first answer')
    const mailB = to('tenchou@b.example')
    expect(mailB).toHaveLength(1)
    expect(mailB[0]!.subject).toContain('先週のまとめ')
    expect(mailB[0]!.text).toContain('まだ回答していない否定的な声：1件')
    // Only the two shops with an address got one.
    expect(firstMail.every((m) => ['owner@a.example', 'tenchou@b.example'].includes(m.to))).toBe(true)
  })

  it('makes it once: a later run that week makes, sends and mails nothing again', async () => {
    const box = mailbox()
    await cronAt(runAt + 10 * 60_000, { EMAIL: box.EMAIL })
    await cronAt(runAt + 3 * DAY, { EMAIL: box.EMAIL })
    expect(box.sent).toEqual([])
    expect(await digestsOf(a.slug)).toHaveLength(1)
    expect(await deliveries(a, standardHook)).toHaveLength(1)
  })

  it('makes none for a week that ended before the shop existed', async () => {
    // The week that ended this Monday: every site of this file was made after it.
    await cronAt(thisMonday)
    const weeks = (await digestsOf(a.slug)).map((d) => d.weekStart)
    expect(weeks).not.toContain(thisMonday - WEEK)
  })

  it('sends no e-mail without the send_email binding or a sender, and nothing fails', async () => {
    await expect(cronAt(runAt + WEEK, { EMAIL: undefined })).resolves.toBeUndefined()
    expect((await digestsOf(a.slug)).map((d) => d.weekStart)).toEqual([W, W + WEEK])
    const box = mailbox()
    await expect(cronAt(runAt + 2 * WEEK, { EMAIL: box.EMAIL, REVIEW_MAIL_FROM: '' })).resolves.toBeUndefined()
    expect(box.sent).toEqual([])
    expect(await digestsOf(a.slug)).toHaveLength(3)
  })

  it('keeps the digest and its webhook when the e-mail cannot be sent; the e-mail waits for its retry', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    await expect(cronAt(runAt + 3 * WEEK, { EMAIL: mailbox(true).EMAIL })).resolves.toBeUndefined()
    expect(log.mock.calls.map((call) => String(call[0])).some((line) => line.includes('e-mail refused'))).toBe(true)
    log.mockRestore()
    expect(await digestsOf(a.slug)).toHaveLength(4)
    expect(await deliveries(a, standardHook)).toHaveLength(4)
    const ref = `digest:${await siteIdOf(a.slug)}:${lastWeekStart(runAt + 3 * WEEK)}`
    expect(await outboxRow('mail', ref)).toMatchObject({ state: 'waiting', attempts: 1, last_failure: 'mail_refused' })
  })

  it('makes at most the given number of digests a run, by site', async () => {
    const db = getDb(env.DB)
    const deps = { db, emit: emitter(db, env.WEBHOOK_QUEUE), mail: null, hubOrigin: null }
    const week = runAt + 4 * WEEK
    expect(await sendWeeklyDigests(deps, week, 1)).toEqual({ made: 1, mailed: 0 })
    expect(await sendWeeklyDigests(deps, week, 1)).toEqual({ made: 1, mailed: 0 })
    const rows = await env.DB.prepare('SELECT COUNT(DISTINCT site_id) AS n FROM digests WHERE made_at = ?')
      .bind(week)
      .first<{ n: number }>()
    expect(rows?.n).toBe(2)
  })
})

describe('a digest whose webhook cannot be written', () => {
  it('is not kept, so the next run makes and sends it', async () => {
    const db = getDb(env.DB)
    const week = runAt + 5 * WEEK
    const weekStart = lastWeekStart(week)
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const unavailable = () => Promise.reject(new Error('D1 is unavailable'))
    const broken = { db, emit: Object.assign(unavailable, { prepare: unavailable }), mail: null, hubOrigin: null }
    await expect(sendWeeklyDigests(broken, week, 1)).rejects.toThrow('weekly digests failed')
    log.mockRestore()
    const count = async () =>
      (
        await env.DB.prepare('SELECT COUNT(*) AS n FROM digests WHERE week_start = ?')
          .bind(weekStart)
          .first<{ n: number }>()
      )?.n
    expect(await count()).toBe(0)
    const deps = { db, emit: emitter(db, env.WEBHOOK_QUEUE), mail: null, hubOrigin: null }
    expect(await sendWeeklyDigests(deps, week, 1)).toEqual({ made: 1, mailed: 0 })
    expect(await count()).toBe(1)
  })
})

describe('the sites already done', () => {
  it('are not read again: once every site has the week’s digest, a run reads next to nothing', async () => {
    const week = runAt + 6 * WEEK
    const deps = (db: ReturnType<typeof getDb>) => ({
      db,
      emit: emitter(db, env.WEBHOOK_QUEUE),
      mail: null,
      hubOrigin: null,
    })
    // As many runs as it takes for every site of the test database.
    while ((await sendWeeklyDigests(deps(getDb(env.DB)), week)).made > 0);
    const meter = { rowsRead: 0, queries: 0 }
    expect(await sendWeeklyDigests(deps(getDb(meteredD1(env.DB, meter))), week)).toEqual({ made: 0, mailed: 0 })
    expect(meter.rowsRead).toBeLessThanOrEqual(1)
  })
})

describe('the digest on the console’s overview', () => {
  let staff: Browser

  beforeAll(async () => {
    staff = await signIn(a.key)
  })

  it('shows the newest digest: its week, the new voices, what waited, the answers against the week before', async () => {
    // The newest is the latest week the runs above made; the old complaints wait in every one.
    const res = await get(staff, `/admin/sites/${a.slug}/overview?lang=en`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h2 id="digest_heading">Last week&#39;s digest</h2>')
    const newest = (await digestsOf(a.slug)).at(-1)!
    const utc = (ms: number) => formatDate(ms, 'en', { timeZone: 'UTC' })
    expect(html).toContain(`${utc(newest.weekStart)} to ${utc(newest.weekStart + 6 * DAY)} (Monday to Sunday, UTC)`)
    expect(html).toContain('<th scope="row">Negative</th>')
    // The old complaints still wait, each linked to its page with the days it has waited.
    expect(html).toContain(`<a href="/admin/mentions/${ids.old}">Old complaint</a>`)
    expect(html).toContain('Negative voices not yet answered: 3')
    expect(html).toContain('Apologies waiting for a resolution report: 1')
    expect(html).toContain('Answers to the voices published that week, compared with the week before')
  })

  it('words the figures of a week and their change, in English and Japanese', async () => {
    // A's first week, the seeded one, stands alone as the newest digest when the later ones are set aside.
    await env.DB.prepare('DELETE FROM digests WHERE site_id = ? AND week_start > ?')
      .bind(await siteIdOf(a.slug), W)
      .run()
    const html = await (await get(staff, `/admin/sites/${a.slug}/overview?lang=en`)).text()
    expect(html).toContain(`<a href="/admin/mentions/${ids.neg1}">Broken on arrival</a>`)
    expect(html).toMatch(/Broken on arrival<\/a><\/td><td>[^<]+<\/td><td>6<\/td>/)
    expect(html).toContain('<td>57%</td><td>50%</td><td>7 points higher</td>')
    expect(html).toContain('<td>5</td><td>10</td><td>5 hours faster</td>')
    const ja = await (await get(staff, `/admin/sites/${a.slug}/overview?lang=ja`)).text()
    expect(ja).toContain('先週のまとめ')
    expect(ja).toContain('まだ回答していない否定的な声：3件')
    expect(ja).toContain('7ポイント上昇')
    expect(ja).toContain('5時間早い')
    expect(ja).toContain('<th scope="row">否定的</th>')
  })

  it('says when there is no digest yet', async () => {
    const fresh = await createSite()
    const html = await (await get(await signIn(fresh.key), `/admin/sites/${fresh.slug}/overview?lang=en`)).text()
    expect(html).toContain('No digest yet')
  })
})

describe('the digest_email setting', () => {
  let site: SiteFixture
  let staff: Browser
  const siteOf = async (slug: string) =>
    (await api('GET', `/api/sites/${slug}`)).json<{ settings: Record<string, unknown> }>()
  const form = (changes: Record<string, string>) => ({
    _csrf: staff.csrf,
    name: 'Tanaka Goods',
    origins: site.origin,
    embed_origins: '',
    response_target_hours: '24',
    time_zone: 'UTC',
    cache_seconds: '0',
    lang: 'en',
    verify_links: 'on',
    ...changes,
  })

  beforeAll(async () => {
    site = await createSite()
    staff = await signIn(site.key)
  })

  it('is on the settings page and saved from it; left empty, no address is kept', async () => {
    const page = await (await get(staff, `/admin/sites/${site.slug}/settings?lang=en`)).text()
    expect(page).toContain('<label for="digest_email">E-mail the weekly digest to</label>')
    expect(page).toContain('type="email"')
    const saved = await post(staff, `/admin/sites/${site.slug}/settings`, form({ digest_email: ' team@shop.example ' }))
    expect(saved.status).toBe(303)
    expect((await siteOf(site.slug)).settings.digest_email).toBe('team@shop.example')
    expect(await (await get(staff, `/admin/sites/${site.slug}/settings`)).text()).toContain('value="team@shop.example"')
    expect((await post(staff, `/admin/sites/${site.slug}/settings`, form({ digest_email: '' }))).status).toBe(303)
    expect((await siteOf(site.slug)).settings.digest_email).toBeNull()
  })

  it('refuses an address that is not one, saying so in the page’s language', async () => {
    const en = await post(staff, `/admin/sites/${site.slug}/settings?lang=en`, form({ digest_email: 'owner at shop' }))
    expect(en.status).toBe(400)
    const html = await en.text()
    expect(html).toContain('<a href="#digest_email">E-mail the weekly digest to</a>: must be an e-mail address')
    expect(html).toContain('value="owner at shop"')
    const ja = await post(staff, `/admin/sites/${site.slug}/settings?lang=ja`, form({ digest_email: 'owner@' }))
    expect(ja.status).toBe(400)
    expect(await ja.text()).toContain('週ごとのまとめを送るメールアドレス</a>: メールアドレスを入力してください')
    expect((await siteOf(site.slug)).settings.digest_email).toBeNull()
  })

  it('is set and cleared through the API too', async () => {
    const patch = (value: unknown) =>
      api('PATCH', `/api/sites/${site.slug}`, { settings: { digest_email: value } }, site.key)
    expect((await patch('not an address')).status).toBe(400)
    expect((await patch('ops@shop.example')).status).toBe(200)
    expect((await siteOf(site.slug)).settings.digest_email).toBe('ops@shop.example')
    expect((await patch(null)).status).toBe(200)
    expect((await siteOf(site.slug)).settings.digest_email).toBeNull()
  })
})
