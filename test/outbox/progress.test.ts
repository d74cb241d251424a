/**
 * Where an announcement and a webhook delivery stand, in words, in the shop's time zone, in the
 * API and the console ("waiting since … — will retry at …", "gave up after 7 tries"); and staff
 * sending an announcement again by hand — refused for one the blog accepted, for a voice with no
 * blog to tell, and across sites — which the cron re-sends if that message is lost too.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { ANNOUNCE_ATTEMPTS } from '../../src/responses/announce'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { emitter } from '../../src/webhooks/events'
import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { hitsOf, servePage } from '../helpers/blogs'
import { siteIdOf } from '../helpers/digest'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, callAt } from '../helpers/http'
import { clicksReport, consume, keepingQueue, keepingSenders } from '../helpers/outbox'
import { announceableVoice, pingVoice, voiceIdOf } from '../helpers/voices'

const db = getDb(env.DB)
// A Japanese shop: its times are said in Japan's time zone.
let site: SiteFixture
let staff: Browser

beforeAll(async () => {
  site = await createSite({ settings: { lang: 'ja' } })
  staff = await signIn(site.key)
})

const tokyo = (ms: number, lang: 'en' | 'ja') =>
  new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Tokyo',
  }).format(new Date(ms))

/** An answer published at `at` whose announcement's message is kept (handed on by the test). */
async function answer(voice: string, at: number) {
  const kept = keepingQueue()
  const res = await callAt(at, { ANNOUNCE_QUEUE: kept.queue })(`/api/mentions/${voice}/responses`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ stage: 'apology', body: '申し訳ありません。', author: { name: 'Aiko' } }),
  })
  expect(res.status).toBe(201)
  return { id: (await res.json<{ id: string }>()).id, body: kept.sent[0] }
}

type Announcement = {
  state: string
  attempts: number
  waiting_since: string | null
  next_attempt_at: string | null
  explanation: { en: string; ja: string }
}

const announcementAt = async (voice: string, responseId: string, at: number) => {
  const res = await callAt(at)(`/api/mentions/${voice}`, { headers: { Authorization: `Bearer ${site.key}` } })
  const detail = await res.json<{ responses: { id: string; webmention: Announcement | null }[] }>()
  return detail.responses.find((r) => r.id === responseId)!.webmention!
}

describe('an announcement’s state in words', () => {
  it('says since when it waits and when it is tried again, then how many tries it took to give up', async () => {
    const { voice } = await announceableVoice(site, 503)
    const at = Date.now()
    const { id, body } = await answer(voice, at)
    expect(await announcementAt(voice, id, at)).toMatchObject({
      state: 'queued',
      waiting_since: new Date(at).toISOString(),
      explanation: { en: `Waiting to be sent since ${tokyo(at, 'en')}.`, ja: `${tokyo(at, 'ja')}から送信待ちです。` },
    })

    expect(await consume('announce', [body], () => at)).toMatchObject({ retried: 1, delays: [30] })
    const retrying = await announcementAt(voice, id, at + 1000)
    expect(retrying).toMatchObject({
      state: 'queued',
      attempts: 1,
      next_attempt_at: new Date(at + 30_000).toISOString(),
    })
    expect(retrying.explanation.en).toBe(
      `The blog’s Webmention endpoint answered with an error (503). Waiting since ${tokyo(at, 'en')} — 1 try so far, will retry at ${tokyo(at + 30_000, 'en')}.`,
    )
    expect(retrying.explanation.ja).toBe(
      `ブログのWebmention受信先がエラーを返しました（503）。${tokyo(at, 'ja')}から送信待ちです（1回試行）。${tokyo(at + 30_000, 'ja')}に再送します。`,
    )

    // Each retry at its time, until the last try.
    let clock = at + 30_000
    for (let n = 2; n <= ANNOUNCE_ATTEMPTS; n++) {
      await consume('announce', [body], () => clock)
      clock += 3_600_000
    }
    const given = await announcementAt(voice, id, clock)
    expect(given).toMatchObject({ state: 'failed', attempts: ANNOUNCE_ATTEMPTS, next_attempt_at: null })
    expect(given.explanation.en).toMatch(new RegExp(`Gave up after ${ANNOUNCE_ATTEMPTS} tries \\(`))
    expect(given.explanation.ja).toContain(`${ANNOUNCE_ATTEMPTS}回試しましたが、送信を中止しました`)

    // The console's voice page says the same, in the page's language, with a way to send it again.
    const page = await (await get(staff, `/admin/mentions/${voice}?lang=ja`)).text()
    expect(page).toContain(`${ANNOUNCE_ATTEMPTS}回試しましたが、送信を中止しました`)
    expect(page).toContain('ブログにもう一度送信')
  })
})

describe('sending an announcement again by hand', () => {
  it('starts a new round that reaches the blog, even when that message is lost, and never re-sends one accepted', async () => {
    const { voice, endpoint } = await announceableVoice(site, 503)
    const at = Date.now()
    const { id, body } = await answer(voice, at)
    await consume('announce', [body], () => at)
    await servePage(endpoint, { status: 202, body: 'ok', headers: { 'Content-Type': 'text/plain' } })

    // Staff send it again at once; the queue loses that message too.
    const kept = keepingQueue()
    const res = await callAt(at + 5000, { ANNOUNCE_QUEUE: kept.queue })(`/api/responses/${id}/announce`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${site.key}` },
    })
    expect(res.status).toBe(202)
    expect(await res.json<Announcement>()).toMatchObject({ state: 'queued', attempts: 0 })
    expect(kept.sent).toEqual([body])

    const run = keepingSenders()
    await sweepOutbox(db, run.senders, at + 5000 + IN_FLIGHT_MS)
    expect(run.sent.announce).toContainEqual(body)
    await consume('announce', [body], () => at + 6000 + IN_FLIGHT_MS)
    expect(await announcementAt(voice, id, at + 7000 + IN_FLIGHT_MS)).toMatchObject({ state: 'sent', attempts: 1 })
    expect((await hitsOf(endpoint)).count).toBe(2)

    // Accepted: not sent twice.
    const again = await api('POST', `/api/responses/${id}/announce`, undefined, site.key)
    expect(again.status).toBe(409)
    expect((await again.json<{ error: { message: string } }>()).error.message).toContain('already accepted')
  })

  it('is refused for a voice with no blog to tell, for another site’s answer and for an unknown one', async () => {
    const shop = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = (await createTarget(shop)).id
    const trackback = await voiceIdOf(await pingVoice(shop, target))
    const res = await api(
      'POST',
      `/api/mentions/${trackback}/responses`,
      { stage: 'reply', body: 'Thanks!', author: { name: 'Ken' } },
      shop.key,
    )
    const { id } = await res.json<{ id: string }>()
    const refused = await api('POST', `/api/responses/${id}/announce`, undefined, shop.key)
    expect(refused.status).toBe(409)
    expect((await refused.json<{ error: { message: string } }>()).error.message).toContain('no blog to tell')

    expect((await api('POST', `/api/responses/${id}/announce`, undefined, site.key)).status).toBe(404)
    expect((await api('POST', '/api/responses/r_nothing/announce', undefined, site.key)).status).toBe(404)
  })

  it('is a button on the voice page: it answers with a redirect and says so in the page’s language', async () => {
    const { voice } = await announceableVoice(site, 404)
    const at = Date.now()
    const { id, body } = await answer(voice, at)
    await consume('announce', [body], () => at)
    const res = await post(staff, `/admin/mentions/${voice}/responses/${id}/announce`, { _csrf: staff.csrf })
    expect(res.status).toBe(303)
    expect(await (await follow(staff, res, 'lang=ja')).text()).toContain('ブログへのWebmentionをもう一度送信します。')
    // Another voice's page does not send this voice's answer.
    const other = await announceableVoice(site, 202)
    const wrong = await post(staff, `/admin/mentions/${other.voice}/responses/${id}/announce`, { _csrf: staff.csrf })
    expect(wrong.status).toBe(404)
  })
})

describe('a webhook delivery’s state in words', () => {
  it('says when it is tried again, in the API and on the console’s page', async () => {
    const siteId = await siteIdOf(site.slug)
    const url = `https://${unique('hooks')}.example/in`
    await servePage(url, { status: 503, body: 'busy', headers: { 'Content-Type': 'text/plain' } })
    const made = await api('POST', `/api/sites/${site.slug}/webhooks`, { url, events: ['affiliate.click'] }, site.key)
    const endpointId = (await made.json<{ id: string }>()).id
    const at = Date.now()
    const kept = keepingQueue()
    await emitter(db, kept.queue, () => at)(siteId, 'affiliate.click', clicksReport(at))
    await consume('webhook', kept.sent, () => at)

    const list = await (
      await callAt(at + 1000)(`/api/webhooks/${endpointId}/deliveries`, {
        headers: { Authorization: `Bearer ${site.key}` },
      })
    ).json<{ items: { state: string; next_attempt_at: string; progress: { en: string; ja: string } }[] }>()
    expect(list.items[0]).toMatchObject({
      state: 'pending',
      next_attempt_at: new Date(at + 5000).toISOString(),
      progress: {
        en: `Waiting since ${tokyo(at, 'en')} — 1 try so far, will retry at ${tokyo(at + 5000, 'en')}.`,
        ja: `${tokyo(at, 'ja')}から送信待ちです（1回試行）。${tokyo(at + 5000, 'ja')}に再送します。`,
      },
    })
    const page = await (await get(staff, `/admin/sites/${site.slug}/webhooks/${endpointId}?lang=ja`)).text()
    expect(page).toContain('（1回試行）')
  })
})
