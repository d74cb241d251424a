/**
 * Conversions and commissions: signed sale and refund events attributed to the click's
 * partner within the window (last click wins: the click id the storefront kept), idempotent by
 * order, refunds reversing commission, the ledger's steps, the CSV export, the partner's
 * numbers, and the webhook events.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { affiliateLinks, partners } from '../../src/db/schema'
import { servePage } from '../helpers/blogs'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { approvedPartner, clickOn } from '../helpers/affiliates'
import { api, call, type Call, callAt, DAY, testClock } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'
import { inboundSecret, postSigned } from '../helpers/reviews'

type Conversion = {
  id: string
  order_id: string
  event: string
  amount: number
  commission: number
  state: string
  partner: string | null
  link: string | null
}

let site: SiteFixture
let secret: string
let tee: string
let bag: string
let partner: { id: string; key: string }

const db = () => getDb(env.DB)

const convert = async (body: Record<string, unknown>, s = site, sec = secret, id?: string, via?: Call) =>
  postSigned(s, sec, JSON.stringify(body), { hook: 'conversions', ...(id ? { id } : {}), ...(via ? { via } : {}) })

const totals = (id: string) => db().select().from(partners).where(eq(partners.id, id)).get()
const linkRow = (code: string) => db().select().from(affiliateLinks).where(eq(affiliateLinks.code, code)).get()

beforeAll(async () => {
  tee = unique('tee')
  bag = unique('bag')
  site = await createSite({
    settings: { affiliate_commission_percent: 10, affiliate_commission_by_target: { [bag]: 20 } },
  })
  secret = await inboundSecret(site)
  await createTarget(site, tee, 'Tee')
  await createTarget(site, bag, 'Bag')
  partner = await approvedPartner(site)
})

describe('POST /hooks/{site}/conversions', () => {
  it('attributes a sale to the click’s partner, with the site’s or the target’s rate, once per order', async () => {
    const { code, clickId } = await clickOn(site, partner.key, tee)
    const order = unique('order')
    const res = await convert({ order_id: order, event: 'sale', amount: 1980, currency: 'JPY', click_id: clickId })
    expect(res.status, await res.clone().text()).toBe(202)
    const { conversion } = await res.json<{ conversion: Conversion }>()
    expect(conversion).toMatchObject({
      event: 'sale',
      amount: 1980,
      commission: 198,
      state: 'pending',
      partner: partner.id,
      link: code,
    })
    expect(await linkRow(code)).toMatchObject({ conversions: 1, revenue: 1980, commission: 198 })

    // The same order again (a new event id): nothing new, nothing counted twice.
    const again = await convert({ order_id: order, event: 'sale', amount: 1980, currency: 'JPY', click_id: clickId })
    expect(again.status).toBe(200)
    expect(await linkRow(code)).toMatchObject({ conversions: 1, revenue: 1980, commission: 198 })

    const bagClick = await clickOn(site, partner.key, bag)
    const bagSale = await (
      await convert({
        order_id: unique('order'),
        event: 'sale',
        amount: '5000',
        currency: 'JPY',
        click_id: bagClick.clickId,
      })
    ).json<{ conversion: Conversion }>()
    expect(bagSale.conversion.commission).toBe(1000)
  })

  it('reverses the commission on a refund, in proportion', async () => {
    const { clickId } = await clickOn(site, partner.key, tee)
    const order = unique('order')
    const before = (await totals(partner.id))!.commissionPending
    await convert({ order_id: order, event: 'sale', amount: 3000, currency: 'JPY', click_id: clickId })
    expect((await totals(partner.id))!.commissionPending).toBe(before + 300)
    const refund = await (
      await convert({ order_id: order, event: 'refund', amount: 1500, currency: 'JPY' })
    ).json<{ conversion: Conversion }>()
    expect(refund.conversion).toMatchObject({ event: 'refund', amount: -1500, commission: -150, partner: partner.id })
    expect((await totals(partner.id))!.commissionPending).toBe(before + 150)
    expect((await convert({ order_id: order, event: 'refund', amount: 1500, currency: 'JPY' })).status).toBe(200)
    expect((await totals(partner.id))!.commissionPending).toBe(before + 150)
  })

  it('stores but does not attribute: no click, another site’s click, a bot’s click, a click too old, a suspended partner', async () => {
    const other = await createSite()
    const otherTarget = (await createTarget(other)).id
    const otherPartner = await approvedPartner(other)
    const foreign = await clickOn(other, otherPartner.key, otherTarget)
    const bot = await clickOn(site, partner.key, tee, 'Googlebot/2.1')
    const old = await clickOn(site, partner.key, tee, undefined, callAt(Date.now() - 40 * DAY))
    const suspended = await approvedPartner(site)
    const theirs = await clickOn(site, suspended.key, tee)
    await api('POST', `/api/sites/${site.slug}/partners/${suspended.id}/decision`, { decision: 'suspend' }, site.key)
    for (const click_id of [
      undefined,
      'c_doesnotexist2345',
      foreign.clickId,
      bot.clickId,
      old.clickId,
      theirs.clickId,
    ]) {
      const res = await convert({
        order_id: unique('order'),
        event: 'sale',
        amount: 1000,
        currency: 'JPY',
        ...(click_id ? { click_id } : {}),
      })
      expect(res.status, String(click_id)).toBe(202)
      expect((await res.json<{ conversion: Conversion }>()).conversion, String(click_id)).toMatchObject({
        state: 'unattributed',
        commission: 0,
        partner: null,
      })
    }
  })

  it('refuses unsigned, replayed and bad events, storing nothing', async () => {
    const { clickId } = await clickOn(site, partner.key, tee)
    const body = { order_id: unique('order'), event: 'sale', amount: 1000, currency: 'JPY', click_id: clickId }
    expect((await postSigned(site, null, JSON.stringify(body), { hook: 'conversions' })).status).toBe(401)
    expect(
      (
        await postSigned(site, secret, JSON.stringify(body), {
          hook: 'conversions',
          at: new Date(Date.now() - 3600 * 1000),
        })
      ).status,
    ).toBe(401)
    const id = `msg_${unique('c')}`
    expect((await convert(body, site, secret, id)).status).toBe(202)
    expect((await convert({ ...body, order_id: unique('order') }, site, secret, id)).status).toBe(409)
    for (const bad of [
      { ...body, order_id: unique('o'), currency: 'USD' },
      { ...body, order_id: unique('o'), amount: 0 },
      { ...body, order_id: unique('o'), amount: '-5' },
      { ...body, order_id: unique('o'), event: 'chargeback' },
      { ...body, order_id: '' },
    ]) {
      expect((await convert(bad)).status, JSON.stringify(bad)).toBe(400)
    }
  })

  it('counts exact minor units of the site’s currency: integers up to 10^12, and nothing else', async () => {
    const s = await createSite({ settings: { currency: 'USD', affiliate_commission_percent: 12.5 } })
    const sec = await inboundSecret(s)
    const t = (await createTarget(s)).id
    const p = await approvedPartner(s)
    const { clickId } = await clickOn(s, p.key, t)
    const sale = async (amount: string) =>
      postSigned(
        s,
        sec,
        `{"order_id":"${unique('o')}","event":"sale","amount":${amount},"currency":"usd","click_id":"${clickId}"}`,
        { hook: 'conversions' },
      )
    // $19.80 is 1980 cents; 12.5 % of it is 247.5, rounded half up once.
    expect((await (await sale('1980')).json<{ conversion: Conversion }>()).conversion).toMatchObject({
      amount: 1980,
      commission: 248,
    })
    expect((await (await sale('"1001"')).json<{ conversion: Conversion }>()).conversion).toMatchObject({
      amount: 1001,
      commission: 125,
    })
    expect((await (await sale('1000000000000')).json<{ conversion: Conversion }>()).conversion).toMatchObject({
      amount: 1e12,
      commission: 125_000_000_000,
    })
    for (const bad of [
      '1e308',
      '1e21',
      '9007199254740993',
      '1000000000001',
      '"1000000000001"',
      '19.8',
      '"19.80"',
      '"1e3"',
      '"-5"',
      '-5',
      '0',
      '"0"',
      'null',
      'true',
      '" 12"',
      '"１２"',
    ]) {
      const res = await sale(bad)
      expect(res.status, bad).toBe(400)
      expect((await res.json<{ error: { message: string } }>()).error.message, bad).toMatch(
        /^amount: must be a whole number of minor units/,
      )
    }
    expect(await totals(p.id)).toMatchObject({
      conversions: 3,
      revenue: 1_000_000_002_981,
      commissionPending: 125_000_000_373,
    })
  })

  it('never lets a total pass what can be counted exactly, and stores nothing that would', async () => {
    const s = await createSite()
    const sec = await inboundSecret(s)
    const t = (await createTarget(s)).id
    const p = await approvedPartner(s)
    const { code, clickId } = await clickOn(s, p.key, t)
    // A partner whose revenue is a few units short of 2^53 − 1 (as if after ~9,000 sales of the largest amount).
    await db()
      .update(partners)
      .set({ revenue: Number.MAX_SAFE_INTEGER - 10 })
      .where(eq(partners.id, p.id))
    const id = `msg_${unique('big')}`
    const refused = await convert(
      { order_id: 'BIG', event: 'sale', amount: 11, currency: 'JPY', click_id: clickId },
      s,
      sec,
      id,
    )
    expect(refused.status).toBe(409)
    expect((await totals(p.id))!.revenue).toBe(Number.MAX_SAFE_INTEGER - 10)
    expect((await linkRow(code))!.conversions).toBe(0)
    // Nothing was kept, not even the event's id: once there is room, the same delivery is taken.
    await db()
      .update(partners)
      .set({ revenue: Number.MAX_SAFE_INTEGER - 21 })
      .where(eq(partners.id, p.id))
    expect(
      (await convert({ order_id: 'BIG', event: 'sale', amount: 11, currency: 'JPY', click_id: clickId }, s, sec, id))
        .status,
    ).toBe(202)
    const fits = await convert(
      { order_id: 'FITS', event: 'sale', amount: 10, currency: 'JPY', click_id: clickId },
      s,
      sec,
    )
    expect(fits.status).toBe(202)
    const exact = await totals(p.id)
    expect(exact!.revenue).toBe(Number.MAX_SAFE_INTEGER)
    // A ledger step that would take a total past it is refused too, and moves nothing.
    await db()
      .update(partners)
      .set({ commissionApproved: Number.MAX_SAFE_INTEGER - 1 })
      .where(eq(partners.id, p.id))
    const step = await api('POST', `/api/sites/${s.slug}/partners/${p.id}/commissions`, { action: 'approve' }, s.key)
    expect(step.status).toBe(409)
    expect((await totals(p.id))!.commissionApproved).toBe(Number.MAX_SAFE_INTEGER - 1)
    const summary = await (
      await call(`/partners/${s.slug}/api/summary`, { headers: { Authorization: `Bearer ${p.key}` } })
    ).text()
    expect(summary).toContain(`"revenue":${Number.MAX_SAFE_INTEGER}`)
  })
})

describe('the commission ledger', () => {
  it('approves, then pays, moving the totals; the partner sees their numbers; staff export CSV safely', async () => {
    const s = await createSite()
    const sec = await inboundSecret(s)
    const t = (await createTarget(s)).id
    const p = await approvedPartner(s, '=HYPERLINK("https://evil.example","x")')
    const { code, clickId } = await clickOn(s, p.key, t)
    await convert({ order_id: 'O-1', event: 'sale', amount: 10000, currency: 'JPY', click_id: clickId }, s, sec)
    expect(await totals(p.id)).toMatchObject({
      commissionPending: 1000,
      commissionApproved: 0,
      commissionPaid: 0,
      conversions: 1,
      revenue: 10000,
    })

    const approve = await api('POST', `/api/sites/${s.slug}/partners/${p.id}/commissions`, { action: 'approve' }, s.key)
    expect(await approve.json()).toEqual({ moved: 1, to: 'approved' })
    expect(await totals(p.id)).toMatchObject({ commissionPending: 0, commissionApproved: 1000 })
    await api('POST', `/api/sites/${s.slug}/partners/${p.id}/commissions`, { action: 'pay' }, s.key)
    expect(await totals(p.id)).toMatchObject({ commissionApproved: 0, commissionPaid: 1000 })
    expect(
      (await api('POST', `/api/sites/${s.slug}/partners/${p.id}/commissions`, { action: 'pay' }, site.key)).status,
    ).toBe(404)

    const summary = await (
      await call(`/partners/${s.slug}/api/summary`, { headers: { Authorization: `Bearer ${p.key}` } })
    ).json<{ totals: unknown }>()
    expect(summary.totals).toEqual({
      clicks: 1,
      unique_clicks: 1,
      conversions: 1,
      conversion_rate: 1,
      revenue: 10000,
      commission: { pending: 0, approved: 0, paid: 1000 },
    })
    const links = await (
      await call(`/partners/${s.slug}/api/links`, { headers: { Authorization: `Bearer ${p.key}` } })
    ).json<{
      items: {
        code: string
        clicks: number
        unique_clicks: number
        conversions: number
        conversion_rate: number
        revenue: number
        commission: number
      }[]
    }>()
    expect(links.items.find((l) => l.code === code)).toMatchObject({
      clicks: 1,
      unique_clicks: 1,
      conversions: 1,
      conversion_rate: 1,
      revenue: 10000,
      commission: 1000,
    })
    const mine = await (
      await call(`/partners/${s.slug}/api/commissions`, { headers: { Authorization: `Bearer ${p.key}` } })
    ).json<{ items: Conversion[] }>()
    expect(mine.items).toMatchObject([{ order_id: 'O-1', state: 'paid', commission: 1000 }])
    expect(
      (await call(`/partners/${site.slug}/api/commissions`, { headers: { Authorization: `Bearer ${p.key}` } })).status,
    ).toBe(401)

    const csv = await api('GET', `/api/sites/${s.slug}/commissions.csv`, undefined, s.key)
    expect(csv.headers.get('Content-Type')).toContain('text/csv')
    const text = await csv.text()
    expect(text.split('\r\n')[0]).toBe(
      'occurred_at,order_id,event,amount,currency,partner_id,partner_name,link,click_id,commission,state,approved_at,paid_at',
    )
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example"",""x"")"`)
    expect(text).toContain(',O-1,sale,10000,JPY,')
    expect((await api('GET', `/api/sites/${s.slug}/commissions.csv`, undefined, site.key)).status).toBe(404)
  })
})

describe('ledger and partner lists, a page at a time', () => {
  it('pages the partner’s commissions newest first, the CSV export by Link, and the partner list by cursor', async () => {
    const s = await createSite()
    const sec = await inboundSecret(s)
    const t = (await createTarget(s)).id
    const p = await approvedPartner(s)
    const { clickId } = await clickOn(s, p.key, t)
    // A second between sales on the hub's clock: distinct times, so the order is the order of sales.
    const clock = testClock()
    const sales = callAt(clock)
    for (const n of [1, 2, 3]) {
      expect(
        (
          await convert(
            { order_id: `P-${n}`, event: 'sale', amount: 1000 * n, currency: 'JPY', click_id: clickId },
            s,
            sec,
            undefined,
            sales,
          )
        ).status,
      ).toBe(202)
      clock.advance(1000)
    }
    const auth = { headers: { Authorization: `Bearer ${p.key}` } }

    type Page = { items: Conversion[]; next_cursor: string | null }
    const first = await (await call(`/partners/${s.slug}/api/commissions?limit=2`, auth)).json<Page>()
    expect(first.items.map((e) => e.order_id)).toEqual(['P-3', 'P-2'])
    const second = await (
      await call(`/partners/${s.slug}/api/commissions?limit=2&cursor=${first.next_cursor}`, auth)
    ).json<Page>()
    expect(second).toMatchObject({ items: [{ order_id: 'P-1' }], next_cursor: null })
    expect((await call(`/partners/${s.slug}/api/commissions?cursor=nonsense`, auth)).status).toBe(400)
    expect((await call(`/partners/${s.slug}/api/commissions?limit=5000`, auth)).status).toBe(400)

    expect((await api('GET', `/api/sites/${s.slug}/commissions.csv?limit=10000`, undefined, s.key)).status).toBe(200)
    expect((await api('GET', `/api/sites/${s.slug}/commissions.csv?limit=10001`, undefined, s.key)).status).toBe(400)
    expect((await call(`/partners/${s.slug}/api/commissions?limit=1000`, auth)).status).toBe(200)
    const csv = await api('GET', `/api/sites/${s.slug}/commissions.csv?limit=2`, undefined, s.key)
    const link = /^<([^>]+)>; rel="next"$/.exec(csv.headers.get('Link') ?? '')
    expect(link).not.toBeNull()
    expect(
      (await csv.text())
        .trim()
        .split('\r\n')
        .map((l) => l.split(',')[1]),
    ).toEqual(['order_id', 'P-1', 'P-2'])
    const rest = await api('GET', new URL(link![1]!).pathname + new URL(link![1]!).search, undefined, s.key)
    expect(rest.headers.get('Link')).toBeNull()
    expect(
      (await rest.text())
        .trim()
        .split('\r\n')
        .map((l) => l.split(',')[1]),
    ).toEqual(['order_id', 'P-3'])

    const other = await approvedPartner(s, 'Second')
    const partnersPage = await (
      await api('GET', `/api/sites/${s.slug}/partners?limit=1`, undefined, s.key)
    ).json<{ items: { id: string }[]; next_cursor: string }>()
    expect(partnersPage.items.map((x) => x.id)).toEqual([other.id])
    const older = await (
      await api('GET', `/api/sites/${s.slug}/partners?limit=1&cursor=${partnersPage.next_cursor}`, undefined, s.key)
    ).json<{ items: { id: string }[] }>()
    expect(older.items.map((x) => x.id)).toEqual([p.id])
    expect((await api('GET', `/api/sites/${s.slug}/partners?cursor=%7B`, undefined, s.key)).status).toBe(400)
  })
})

describe('affiliate webhooks', () => {
  it('sends affiliate.partner.applied and affiliate.conversion', async () => {
    const s = await createSite()
    const sec = await inboundSecret(s)
    const t = (await createTarget(s)).id
    const url = `https://${unique('hooks')}.example/in`
    await servePage(url, { body: 'ok' })
    const ep = await (
      await api(
        'POST',
        `/api/sites/${s.slug}/webhooks`,
        { url, events: ['affiliate.partner.applied', 'affiliate.conversion'] },
        s.key,
      )
    ).json<{ id: string }>()
    const p = await approvedPartner(s)
    const { clickId } = await clickOn(s, p.key, t)
    await convert({ order_id: 'W-1', event: 'sale', amount: 1000, currency: 'JPY', click_id: clickId }, s, sec)
    const log = await eventually(
      async () =>
        (
          await (
            await api('GET', `/api/webhooks/${ep.id}/deliveries`, undefined, s.key)
          ).json<{ items: { event: string; payload: string }[] }>()
        ).items,
      (items) => items.length >= 2,
    )
    expect(JSON.parse(log.find((d) => d.event === 'affiliate.partner.applied')!.payload).data.partner.id).toBe(p.id)
    expect(JSON.parse(log.find((d) => d.event === 'affiliate.conversion')!.payload).data.conversion).toMatchObject({
      order_id: 'W-1',
      commission: 100,
    })
  })
})
