/**
 * Affiliate partners and tracking links: applications, the staff's decisions, partner keys
 * that work only on their own site's partner routes, and `GET /r/{code}` — a 302 to the
 * target only (no open redirect), clicks written after the answer without losing or
 * double-counting any, bots recorded but not counted, floods not recorded.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { type ClickMessage, reportClicks } from '../../src/affiliates/links/clicks'
import { getDb } from '../../src/db/client'
import { affiliateLinks, clicks } from '../../src/db/schema'
import { handleQueue } from '../../src/queues'
import { emitter } from '../../src/webhooks/events'
import { servePage } from '../helpers/blogs'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { approvedPartner } from '../helpers/affiliates'
import { api, call, callAt } from '../helpers/http'
import { eventually, freshIp } from '../helpers/linkbacks'

type Link = { code: string; url: string; target: string; clicks: number; unique_clicks: number; bot_clicks: number }

let site: SiteFixture
let target: { id: string; url: string }
let partnerKey: string
let partnerId: string

const db = () => getDb(env.DB)
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1'

const apply = (s: SiteFixture, body: Record<string, string>, json = true) =>
  call(`/affiliates/${s.slug}/apply`, {
    method: 'POST',
    headers: {
      'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      'CF-Connecting-IP': freshIp(),
    },
    body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  })

const partnerApi = (s: SiteFixture, method: string, path: string, key: string, body?: unknown) =>
  call(`/partners/${s.slug}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })

async function newLink(s = site, key = partnerKey, t = target.id): Promise<Link> {
  const res = await partnerApi(s, 'POST', '/links', key, { target: t })
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<Link>()
}

const click = (code: string, headers: Record<string, string> = {}, query = '') =>
  call(`/r/${code}${query}`, {
    redirect: 'manual',
    headers: { 'User-Agent': BROWSER, 'CF-Connecting-IP': '198.51.100.7', ...headers },
  })

const counters = (code: string) => db().select().from(affiliateLinks).where(eq(affiliateLinks.code, code)).get()

beforeAll(async () => {
  site = await createSite()
  target = await createTarget(site, unique('tee'), 'Tee')
  ;({ id: partnerId, key: partnerKey } = await approvedPartner(site))
})

describe('applying and deciding', () => {
  it('takes an application by JSON or form, once per address, and refuses bad ones', async () => {
    const email = `${unique('apply')}@blog.example`
    const form = await apply(site, { name: 'Form Blogger', email, blog_url: 'https://form.example/' }, false)
    expect(form.status).toBe(202)
    const again = await apply(site, { name: 'Again', email: email.toUpperCase(), blog_url: 'https://form.example/' })
    expect(again.status).toBe(409)
    for (const bad of [
      { name: '', email: 'a@b.example', blog_url: 'https://x.example/' },
      { name: 'A', email: 'not-an-address', blog_url: 'https://x.example/' },
      { name: 'A', email: 'a@b.example', blog_url: 'javascript:alert(1)' },
      { name: 'A', email: 'a@b.example' },
    ]) {
      expect((await apply(site, bad as Record<string, string>)).status, JSON.stringify(bad)).toBe(400)
    }
    expect(
      (
        await apply(
          { ...site, slug: 'no-such-site' },
          { name: 'A', email: 'a@b.example', blog_url: 'https://x.example/' },
        )
      ).status,
    ).toBe(404)
    const sjis = await call(`/affiliates/${site.slug}/apply`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=%83%65&email=a%40b.example&blog_url=https%3A%2F%2Fx.example%2F',
    })
    expect(sjis.status).toBe(400)
  })

  it('limits applications from one address', async () => {
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        call(`/affiliates/${site.slug}/apply`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '203.0.113.77' },
          body: JSON.stringify({
            name: 'Flood',
            email: `flood${i}-${unique('f')}@blog.example`,
            blog_url: 'https://flood.example/',
          }),
        }),
      ),
    )
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(20)
    expect(statuses).toContain(429)
  })

  it('lists applications to the site’s staff only, and decides with a key shown once', async () => {
    const email = `${unique('list')}@blog.example`
    const { id } = await (
      await apply(site, { name: 'Listed', email, blog_url: 'https://l.example/' })
    ).json<{ id: string }>()
    const list = await (
      await api('GET', `/api/sites/${site.slug}/partners?state=applied`, undefined, site.key)
    ).json<{ items: { id: string; email: string }[] }>()
    expect(list.items.find((p) => p.id === id)?.email).toBe(email)
    const other = await createSite()
    expect((await api('GET', `/api/sites/${site.slug}/partners`, undefined, other.key)).status).toBe(404)
    expect(
      (await api('POST', `/api/sites/${other.slug}/partners/${id}/decision`, { decision: 'approve' }, other.key))
        .status,
    ).toBe(404)
    expect(
      (await api('POST', `/api/sites/${site.slug}/partners/${id}/decision`, { decision: 'suspend' }, site.key)).status,
    ).toBe(409)
    const rejected = await api(
      'POST',
      `/api/sites/${site.slug}/partners/${id}/decision`,
      { decision: 'reject', note: 'Not a fit' },
      site.key,
    )
    expect(await rejected.json()).toMatchObject({ partner: { state: 'rejected', note: 'Not a fit' }, key: null })
    expect(
      (await api('POST', `/api/sites/${site.slug}/partners/${id}/decision`, { decision: 'maybe' }, site.key)).status,
    ).toBe(400)
  })

  it('accepts a partner key only on its own site’s partner routes', async () => {
    const other = await createSite()
    const theirs = await approvedPartner(other)
    expect((await partnerApi(site, 'GET', '/links', theirs.key)).status).toBe(401)
    expect((await partnerApi(site, 'POST', '/links', theirs.key, { target: target.id })).status).toBe(401)
    expect((await partnerApi(site, 'GET', '/links', site.key)).status).toBe(401)
    expect((await partnerApi(site, 'GET', '/links', 'gh_pk_forged')).status).toBe(401)
    expect((await api('GET', `/api/sites/${site.slug}`, undefined, partnerKey)).status).toBe(401)
    expect((await api('GET', `/api/sites/${site.slug}/partners`, undefined, partnerKey)).status).toBe(401)
    expect((await partnerApi(site, 'POST', '/links', partnerKey, { target: 'no-such-target' })).status).toBe(404)
    const otherTarget = (await createTarget(other)).id
    expect((await partnerApi(site, 'POST', '/links', partnerKey, { target: otherTarget })).status).toBe(404)
  })
})

describe('GET /r/{code}', () => {
  it('answers 302 (not 301, no-store) to the target with the click id, and records the click afterwards', async () => {
    const link = await newLink()
    const res = await call(`/r/${link.code}`, {
      redirect: 'manual',
      headers: {
        'User-Agent': BROWSER,
        'CF-Connecting-IP': '198.51.100.7',
        Referer: 'https://myblog.example/post?x=1',
      },
      cf: { country: 'JP' },
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const location = new URL(res.headers.get('Location')!)
    expect(`${location.origin}${location.pathname}`).toBe(target.url)
    const clickId = location.searchParams.get('gh_click')!
    expect(clickId).toMatch(/^c_[a-z2-9]{16}$/)
    const stored = await eventually(
      () => db().select().from(clicks).where(eq(clicks.id, clickId)).get(),
      (c) => c !== undefined,
    )
    expect(stored).toMatchObject({
      linkCode: link.code,
      partnerId,
      referrerHost: 'myblog.example',
      country: 'JP',
      uaClass: 'mobile',
      bot: false,
      isUnique: true,
    })
    expect(JSON.stringify(stored)).not.toContain('198.51.100.7')
    expect(stored!.visitor).toMatch(/^[\w-]{32}$/)
  })

  it('counts every click and one unique per visitor per hour; bots and prefetches are recorded, not counted', async () => {
    const link = await newLink()
    await click(link.code)
    await click(link.code)
    await click(link.code, { 'CF-Connecting-IP': '198.51.100.8' })
    await click(link.code, { 'User-Agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' })
    await click(link.code, { 'User-Agent': 'Slackbot-LinkExpanding 1.0' })
    await click(link.code, { 'Sec-Purpose': 'prefetch' })
    const row = await eventually(
      () => counters(link.code),
      (r) => (r?.clicks ?? 0) + (r?.botClicks ?? 0) >= 6,
    )
    expect(row).toMatchObject({ clicks: 3, uniqueClicks: 2, botClicks: 3 })
    const listed = await (await partnerApi(site, 'GET', '/links', partnerKey)).json<{ items: Link[] }>()
    expect(listed.items.find((l) => l.code === link.code)).toMatchObject({ clicks: 3, unique_clicks: 2, bot_clicks: 3 })
  })

  it('goes only to the link’s target, whatever the request says (no open redirect)', async () => {
    const link = await newLink()
    const tricks = [
      '?url=https://evil.example',
      '?next=//evil.example',
      '?redirect=%2F%2Fevil.example',
      '?to=https:%2F%2Fevil.example',
      '?gh_click=https://evil.example',
      '?u=https://shop@evil.example',
    ]
    for (const query of tricks) {
      const res = await click(link.code, {}, query)
      expect(res.status, query).toBe(302)
      const location = new URL(res.headers.get('Location')!)
      expect(location.host, query).toBe(new URL(target.url).host)
      expect(location.pathname).toBe(new URL(target.url).pathname)
      expect(location.search).toMatch(/^\?gh_click=c_[a-z2-9]{16}$/)
    }
    for (const path of [
      '//evil.example',
      '/%2F%2Fevil.example',
      '/%5C%5Cevil.example',
      `/${link.code}@evil.example`,
      '/evil%E3%80%82example',
      `/${link.code}/..%2F..%2Fevil.example`,
      '/https:%2F%2Fevil.example',
    ]) {
      const res = await call(`/r${path}`, { redirect: 'manual' })
      expect([404, 405], path).toContain(res.status)
      expect(res.headers.get('Location'), path).toBeNull()
    }
  })

  it('answers a friendly 404 page for unknown codes, rejected and suspended partners', async () => {
    const unknown = await call('/r/aaaaaaaa', { redirect: 'manual' })
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get('Content-Type')).toContain('text/html')
    expect(await unknown.text()).toContain('This link does not lead anywhere')
    const s = await createSite()
    const t = (await createTarget(s)).id
    const p = await approvedPartner(s)
    const link = await newLink(s, p.key, t)
    expect((await click(link.code)).status).toBe(302)
    await api('POST', `/api/sites/${s.slug}/partners/${p.id}/decision`, { decision: 'suspend' }, s.key)
    expect((await click(link.code)).status).toBe(404)
    expect((await partnerApi(s, 'GET', '/links', p.key)).status).toBe(401)
  })

  it('answers the 404 page for a link its partner switched off; another partner cannot switch it off', async () => {
    const link = await newLink()
    expect((await click(link.code)).status).toBe(302)
    const other = await approvedPartner(site)
    expect((await partnerApi(site, 'DELETE', `/links/${link.code}`, other.key)).status).toBe(404)
    const off = await partnerApi(site, 'DELETE', `/links/${link.code}`, partnerKey)
    expect(await off.json()).toMatchObject({ code: link.code, disabled: true })
    const res = await click(link.code)
    expect(res.status).toBe(404)
    expect(res.headers.get('Location')).toBeNull()
  })

  it('uses the site’s click parameter name', async () => {
    const s = await createSite({ settings: { affiliate_click_param: 'ref_click' } })
    const t = (await createTarget(s)).id
    const p = await approvedPartner(s)
    const link = await newLink(s, p.key, t)
    expect(new URL((await click(link.code)).headers.get('Location')!).searchParams.get('ref_click')).toMatch(/^c_/)
  })

  it('never blocks the redirect in a click flood, and does not record the flood', async () => {
    const link = await newLink()
    // What the redirects hand to the click queue, kept here: each answer comes once its
    // waitUntil work is done, so after the flood every message it will ever send is in `sent`.
    const sent: ClickMessage[] = []
    const queue = {
      send: (message: ClickMessage) => {
        sent.push(message)
        return Promise.resolve()
      },
    } as unknown as Queue
    const flood = callAt(Date.now(), { CLICK_QUEUE: queue })
    const answers = await Promise.all(
      Array.from({ length: 45 }, () =>
        flood(`/r/${link.code}`, {
          redirect: 'manual',
          headers: { 'User-Agent': BROWSER, 'CF-Connecting-IP': '203.0.113.99' },
        }),
      ),
    )
    expect(answers.every((r) => r.status === 302)).toBe(true)
    expect(sent).toHaveLength(30)
    // The consumer, driven directly, records those and nothing else.
    const batch = createMessageBatch(
      'glasshouse-clicks',
      sent.map((body) => ({ id: unique('m'), timestamp: new Date(), attempts: 1, body })),
    )
    await handleQueue(batch, env)
    expect((await counters(link.code))!.clicks).toBe(30)
    // Another visitor is not held back by the flood.
    expect((await click(link.code, { 'CF-Connecting-IP': '203.0.113.100' })).status).toBe(302)
  })
})

describe('the affiliate.click webhook (aggregated)', () => {
  it('reports each link’s new clicks once per cron run, not per click', async () => {
    const s = await createSite()
    const t = (await createTarget(s)).id
    const p = await approvedPartner(s)
    const link = await newLink(s, p.key, t)
    const url = `https://${unique('hooks')}.example/in`
    await servePage(url, { body: 'ok' })
    const ep = await (
      await api('POST', `/api/sites/${s.slug}/webhooks`, { url, events: ['affiliate.click'] }, s.key)
    ).json<{ id: string }>()
    await click(link.code)
    await click(link.code, { 'CF-Connecting-IP': '198.51.100.9' })
    await eventually(
      () => counters(link.code),
      (r) => r?.clicks === 2,
    )
    const emit = emitter(db(), env.WEBHOOK_QUEUE)
    await reportClicks(db(), emit, Date.now())
    await reportClicks(db(), emit, Date.now())
    const log = await eventually(
      async () =>
        (
          await (
            await api('GET', `/api/webhooks/${ep.id}/deliveries`, undefined, s.key)
          ).json<{ items: { event: string; payload: string }[] }>()
        ).items,
      (items) => items.length >= 1,
    )
    expect(log).toHaveLength(1)
    expect(JSON.parse(log[0]!.payload).data.clicks).toMatchObject({
      link: link.code,
      new_clicks: 2,
      new_unique_clicks: 2,
      total_clicks: 2,
    })
  })
})

describe('the click queue', () => {
  it('counts one unique click per visitor per link per hour', async () => {
    const link = await newLink()
    const at = Date.now() - 3 * 3600 * 1000
    const base = {
      siteId: 0,
      code: link.code,
      partnerId,
      referrerHost: null,
      country: null,
      uaClass: 'mobile' as const,
      bot: false,
      visitor: 'same-visitor',
    }
    const messages = [0, 30, 61, 150].map((minutes, i) => ({
      id: unique('m'),
      timestamp: new Date(),
      attempts: 1,
      body: { ...base, id: `c_hourtest${link.code}${i}`, at: at + minutes * 60 * 1000 } satisfies ClickMessage,
    }))
    const batch = createMessageBatch('glasshouse-clicks', messages)
    await handleQueue(batch, env)
    const rows = await db().select().from(clicks).where(eq(clicks.linkCode, link.code)).all()
    expect(rows.sort((a, b) => a.at - b.at).map((r) => r.isUnique)).toEqual([true, false, true, true])
    expect(await counters(link.code)).toMatchObject({ clicks: 4, uniqueClicks: 3 })
  })

  it('loses no click when the write fails once, and counts a redelivered click once', async () => {
    const link = await newLink()
    const message: ClickMessage = {
      id: `c_${unique('x')
        .replace(/[^a-z2-9]/g, '')
        .slice(0, 16)
        .padEnd(16, 'k')}`,
      siteId: 0,
      code: link.code,
      partnerId,
      at: Date.now(),
      referrerHost: null,
      country: 'JP',
      uaClass: 'desktop',
      bot: false,
      visitor: 'visitor-hash',
    }
    const run = async (e: Env, attempts = 1) => {
      const batch = createMessageBatch('glasshouse-clicks', [
        { id: unique('m'), timestamp: new Date(), attempts, body: message },
      ])
      const ctx = createExecutionContext()
      await handleQueue(batch, e)
      return getQueueResult(batch, ctx)
    }
    // D1 refuses the first write: the message is retried, nothing is half-written.
    let failed = false
    const flaky = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, prop) {
          if (prop === 'batch' && !failed) {
            failed = true
            return async () => {
              throw new Error('D1 is unavailable')
            }
          }
          const value = Reflect.get(target, prop)
          return typeof value === 'function' ? value.bind(target) : value
        },
      }),
    }
    const first = await run(flaky)
    expect(first.retryBatch.retry).toBe(true)
    expect(await db().select().from(clicks).where(eq(clicks.id, message.id)).get()).toBeUndefined()
    const second = await run(env, 2)
    expect(second.ackAll).toBe(true)
    // The same message delivered again (at-least-once): still one click, counted once.
    await run(env, 3)
    expect(await db().select().from(clicks).where(eq(clicks.id, message.id)).all()).toHaveLength(1)
    expect(await counters(link.code)).toMatchObject({ clicks: 1, uniqueClicks: 1 })
    // Twice in one batch: one click, counted once.
    const twice = { ...message, id: message.id.slice(0, -1) + '2' }
    const batch = createMessageBatch(
      'glasshouse-clicks',
      [1, 2].map(() => ({ id: unique('m'), timestamp: new Date(), attempts: 1, body: twice })),
    )
    await handleQueue(batch, env)
    expect(await counters(link.code)).toMatchObject({ clicks: 2, uniqueClicks: 1 })
  })
})
