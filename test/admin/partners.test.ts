/**
 * The partners page of the web UI: each partner's numbers labelled and in the site's currency, in
 * English and Japanese, and the commission ledger's steps (approve what waits, mark what is
 * approved paid) — never for another site's partner, never without the CSRF token.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { partners } from '../../src/db/schema'
import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { approvedPartner, clickOn } from '../helpers/affiliates'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { api } from '../helpers/http'
import { inboundSecret, postSigned } from '../helpers/reviews'

let site: SiteFixture
let staff: Browser
let partner: { id: string; key: string }

const totals = () =>
  getDb(env.DB).select().from(partners).where(eq(partners.id, partner.id)).get() as Promise<
    typeof partners.$inferSelect
  >

beforeAll(async () => {
  site = await createSite({ settings: { affiliate_commission_percent: 10, currency: 'JPY' } })
  staff = await signIn(site.key)
  const tee = (await createTarget(site, unique('tee'), 'Tee')).id
  partner = await approvedPartner(site, 'Hanako Blog')
  const { clickId } = await clickOn(site, partner.key, tee)
  const secret = await inboundSecret(site)
  const sale = { order_id: unique('o'), event: 'sale', amount: 12800, currency: 'JPY', click_id: clickId }
  const res = await postSigned(site, secret, JSON.stringify(sale), { hook: 'conversions' })
  expect(res.status, await res.clone().text()).toBe(202)
})

describe('/admin/sites/{site}/partners', () => {
  it('labels each partner’s numbers and writes money in the site’s currency, in English and Japanese', async () => {
    const en = await (await get(staff, `/admin/sites/${site.slug}/partners?lang=en`)).text()
    expect(en).toContain('<dt>Sales</dt><dd>1</dd>')
    expect(en).toContain('<dt>Revenue</dt><dd>JP¥12,800</dd>')
    expect(en).toContain('<dt>Commission waiting for approval</dt><dd>JP¥1,280</dd>')
    expect(en).toContain('Approved')
    expect(en).not.toMatch(/>\s*approved\s*</)
    const ja = await (await get(staff, `/admin/sites/${site.slug}/partners?lang=ja`)).text()
    expect(ja).toMatch(/<dt>売上<\/dt><dd>[¥￥]12,800<\/dd>/)
    expect(ja).toContain('承認済み')
  })

  it('approves the waiting commission, then marks it paid, moving the partner’s totals', async () => {
    const approved = await post(staff, `/admin/sites/${site.slug}/partners/${partner.id}/commissions?lang=en`, {
      _csrf: staff.csrf,
      step: 'approve',
    })
    expect(approved.status).toBe(303)
    expect(await (await follow(staff, approved, 'lang=en')).text()).toContain('1 ledger entry moved.')
    expect(await totals()).toMatchObject({ commissionPending: 0, commissionApproved: 1280, commissionPaid: 0 })
    const paid = await post(staff, `/admin/sites/${site.slug}/partners/${partner.id}/commissions?lang=en`, {
      _csrf: staff.csrf,
      step: 'pay',
    })
    expect(paid.status).toBe(303)
    expect(await totals()).toMatchObject({ commissionPending: 0, commissionApproved: 0, commissionPaid: 1280 })
  })

  it('refuses an unknown step, another site’s partner, and a form without the CSRF token', async () => {
    const unknown = await post(staff, `/admin/sites/${site.slug}/partners/${partner.id}/commissions?lang=en`, {
      _csrf: staff.csrf,
      step: 'refund',
    })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('Choose to approve the waiting commission')

    const other = await createSite()
    const theirs = await approvedPartner(other)
    const wrongSite = await post(staff, `/admin/sites/${site.slug}/partners/${theirs.id}/commissions`, {
      _csrf: staff.csrf,
      step: 'approve',
    })
    expect(wrongSite.status).toBe(404)
    const forged = await post(staff, `/admin/sites/${site.slug}/partners/${partner.id}/commissions`, {
      step: 'approve',
    })
    expect(forged.status).toBe(403)
  })

  it('shows one partner’s links with their numbers and the ledger in words, and steps it from there', async () => {
    const page = `/admin/sites/${site.slug}/partners/${partner.id}`
    expect(await (await get(staff, `/admin/sites/${site.slug}/partners?lang=en`)).text()).toContain(`href="${page}"`)
    const en = await (await get(staff, `${page}?lang=en`)).text()
    expect(en).toContain('<strong>Tee</strong>')
    expect(en).toMatch(/<code>https?:\/\/[^<]+\/r\/[A-Za-z0-9_-]+<\/code>/)
    expect(en).toContain('<dt>Clicks</dt><dd>1 (unique 1)</dd>')
    expect(en).toMatch(/ · Sale · Order /)
    expect(en).toContain('<dt>Amount</dt><dd>JP¥12,800</dd>')
    expect(en).toContain('<dt>Status</dt><dd>Paid</dd>')
    const ja = await (await get(staff, `${page}?lang=ja`)).text()
    expect(ja).toContain('報酬台帳')
    expect(ja).toContain('支払済み')
    expect(ja).not.toMatch(/>\s*(paid|sale|approved)\s*</)
    // A button on the partner's page answers with that page.
    const stepped = await post(staff, `${page}/commissions?lang=en`, { _csrf: staff.csrf, step: 'pay', on: 'partner' })
    expect(stepped.headers.get('Location')).toBe(page)
    expect(await (await follow(staff, stepped, 'lang=en')).text()).toContain(
      'Commission ledger (the newest 100 entries)',
    )
    const other = await createSite()
    const theirs = await approvedPartner(other)
    expect((await get(staff, `/admin/sites/${site.slug}/partners/${theirs.id}`)).status).toBe(404)
    expect((await get(staff, `/admin/sites/${site.slug}/partners/pt_nope`)).status).toBe(404)
  })

  it('saves the programme’s terms, refuses bad ones in the page’s language, and keeps to its own site', async () => {
    const saved = await post(staff, `/admin/sites/${site.slug}/programme?lang=en`, {
      _csrf: staff.csrf,
      commission_percent: '12.5',
      commission_by_target: 'tee-special = 20\r\n\r\nmug=７',
      window_days: '14',
      currency: 'jpy',
      click_param: 'ref',
    })
    expect(saved.status).toBe(303)
    expect(await (await follow(staff, saved, 'lang=en')).text()).toContain('tee-special = 20\nmug = 7')
    const settings = (
      await (
        await api('GET', `/api/sites/${site.slug}`, undefined, site.key)
      ).json<{
        settings: Record<string, unknown>
      }>()
    ).settings
    expect(settings).toMatchObject({
      affiliate_commission_percent: 12.5,
      affiliate_commission_by_target: { 'tee-special': 20, mug: 7 },
      affiliate_window_days: 14,
      currency: 'JPY',
      affiliate_click_param: 'ref',
    })
    const refused = await post(staff, `/admin/sites/${site.slug}/programme?lang=ja`, {
      _csrf: staff.csrf,
      commission_percent: 'lots',
      commission_by_target: 'no rate here',
      window_days: '0',
      currency: '円',
      click_param: '1st',
    })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain('<a href="#commission_percent">報酬（売上の%）</a>: 数字で入力してください')
    expect(html).toContain('<a href="#commission_by_target">')
    expect(html).toContain('<a href="#window_days">')
    expect(html).toContain('<a href="#currency">通貨</a>: JPY のようなISO 4217')
    expect(html).toContain('<a href="#click_param">')
    expect(html).toContain('value="lots"')
    const other = await createSite()
    expect(
      (await post(staff, `/admin/sites/${other.slug}/programme`, { _csrf: staff.csrf, commission_percent: '1' }))
        .status,
    ).toBe(404)
    expect((await post(staff, `/admin/sites/${site.slug}/programme`, { commission_percent: '1' })).status).toBe(403)
    const oversize = await post(staff, `/admin/sites/${site.slug}/programme?lang=en`, {
      _csrf: staff.csrf,
      commission_percent: '10',
      click_param: 'p'.repeat(40),
      commission_by_target: `${'t'.repeat(300)} = 5`,
    })
    expect(oversize.status).toBe(400)
    expect(await oversize.text()).toContain('<a href="#click_param">')
    const huge = await post(staff, `/admin/sites/${site.slug}/programme`, {
      _csrf: staff.csrf,
      commission_by_target: 'x = 1\n'.repeat(20_000),
    })
    expect(huge.status).toBe(413)
  })
})
