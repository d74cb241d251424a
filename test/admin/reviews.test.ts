/**
 * Reviews in the web UI: the invitation and coupon settings and the form's own words saved through
 * the site's settings (refused in the page's language), the pool's stock and its upload, the list of
 * invitations with each one's stage, and erasure requests with their record — never for another
 * site, never without the CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { createSite, createTarget, type SiteFixture } from '../helpers/factories'
import { api, call, callAt } from '../helpers/http'
import { inboundSecret, invite, order, postForm, reviewPath, runInvitationCron } from '../helpers/reviews'

let site: SiteFixture
let other: SiteFixture
let staff: Browser
let secret: string
let product: { id: string }

const page = async (path: string, lang = 'en') =>
  (await get(staff, `/admin/sites/${site.slug}${path}?lang=${lang}`)).text()

/** The settings form as the page sends it, with `changes` over what it shows by default. */
const settingsForm = (changes: Record<string, string> = {}) => ({
  _csrf: staff.csrf,
  delay_days: '7',
  valid_days: '30',
  edit_days: '30',
  review_lang: 'en',
  coupon_mode: 'off',
  coupon_prefix: '',
  coupon_offer: '',
  intro_en: '',
  thanks_en: '',
  intro_ja: '',
  thanks_ja: '',
  ...changes,
})

const settingsOf = async (s: SiteFixture) =>
  (await (await api('GET', `/api/sites/${s.slug}`, undefined, s.key)).json<{ settings: Record<string, unknown> }>())
    .settings

beforeAll(async () => {
  site = await createSite()
  other = await createSite()
  staff = await signIn(site.key)
  secret = await inboundSecret(site)
  product = await createTarget(site, undefined, 'Kasuri bag')
})

describe('/admin/sites/{site}/reviews', () => {
  it('is linked from the inbox and shows the settings, the stock and the hub’s words as placeholders', async () => {
    expect(await (await get(staff, `/admin/sites/${site.slug}`)).text()).toContain(
      `href="/admin/sites/${site.slug}/reviews"`,
    )
    const html = await page('/reviews')
    expect(html).toContain('value="7"')
    expect(html).toContain('Codes left in the pool: 0 · given out: 0')
    expect(html).toContain('placeholder="How were the products you received?')
    const ja = await page('/reviews', 'ja')
    expect(ja).toContain('お礼のクーポン')
    expect(ja).toContain('ハブが生成するコード')
  })

  it('saves the invitation timing, the coupon and the form’s words, keeping the other settings', async () => {
    const before = await settingsOf(site)
    const res = await post(
      staff,
      `/admin/sites/${site.slug}/reviews?lang=en`,
      settingsForm({
        delay_days: '１０',
        coupon_mode: 'generated',
        coupon_prefix: 'THANKS',
        coupon_offer: '10% off your next order',
        intro_ja: 'いつもありがとうございます。\n\n率直なご感想をお待ちしています。',
        thanks_en: 'Thank you <b>so</b> much!',
      }),
    )
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/admin/sites/${site.slug}/reviews`)
    expect(await (await follow(staff, res, 'lang=en')).text()).toContain('Saved.')
    const settings = await settingsOf(site)
    expect(settings).toMatchObject({
      review_invitation_delay_days: 10,
      coupons: { mode: 'generated', prefix: 'THANKS', offer: '10% off your next order' },
      review_texts: { ja: { intro: 'いつもありがとうございます。\n\n率直なご感想をお待ちしています。' } },
    })
    expect(settings.time_zone).toEqual(before.time_zone)
    expect((settings.review_texts as { en: Record<string, string> }).en).toEqual({
      thanks: 'Thank you <b>so</b> much!',
    })
    const html = await page('/reviews')
    expect(html).toContain('Thank you &lt;b&gt;so&lt;/b&gt; much!')
  })

  it('shows the shop’s words on the review form, as text, in the buyer’s language', async () => {
    const inv = await invite(site, secret, order([product.id], { lang: 'ja' }))
    const form = await (await call(await reviewPath(inv.id))).text()
    expect(form).toContain('いつもありがとうございます。')
    expect(form).toContain('率直なご感想をお待ちしています。')
    expect(form).toContain('評価の内容にかかわらず') // the coupon's disclosure stays
    const done = await postForm(await reviewPath(inv.id), { rating_0: '2', text_0: 'Seams came loose.', name: 'Ken' })
    expect(done.status).toBe(303)
    const thanks = await (await call(`${await reviewPath(inv.id)}?thanks=1&lang=en`)).text()
    expect(thanks).toContain('Thank you &lt;b&gt;so&lt;/b&gt; much!')
    expect(thanks).not.toContain('<b>so</b>')
  })

  it('refuses bad settings field by field in the page’s language, keeping what was typed', async () => {
    const res = await post(
      staff,
      `/admin/sites/${site.slug}/reviews?lang=ja`,
      settingsForm({
        delay_days: 'soon',
        valid_days: '0',
        coupon_mode: 'generated',
        coupon_prefix: '',
        review_lang: 'fr',
        thanks_en: 'x'.repeat(1001),
      }),
    )
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('<a href="#delay_days">配達から依頼までの日数</a>: 数字で入力してください')
    expect(html).toContain('<a href="#valid_days">')
    expect(html).toContain('<a href="#coupon_prefix">自動生成するコードの先頭</a>: コードを自動生成するには')
    expect(html).toContain('<a href="#review_lang">')
    expect(html).toContain('<a href="#thanks_en">お礼（英語）</a>: 1000文字以内にしてください')
    expect(html).toContain('value="soon"')
    expect((await settingsOf(site)).review_invitation_delay_days).toBe(10)
  })

  it('adds codes to the pool, skipping ones it has, and refuses codes it cannot use', async () => {
    const res = await post(staff, `/admin/sites/${site.slug}/reviews/codes?lang=en`, {
      _csrf: staff.csrf,
      codes: 'A-1\r\nB-2\n\nA-1\n',
    })
    // Answered with a redirect, so a reload does not post again.
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/admin/sites/${site.slug}/reviews`)
    const html = await (await follow(staff, res, 'lang=en')).text()
    // A code pasted twice is added once, and said.
    expect(html).toContain(
      '2 codes added; 0 were already in the pool. 1 duplicate ignored (the same code twice in the box).',
    )
    expect(html).toContain('Codes left in the pool: 2')
    const again = await post(staff, `/admin/sites/${site.slug}/reviews/codes?lang=en`, {
      _csrf: staff.csrf,
      codes: 'B-2\nC-3',
    })
    const second = await (await follow(staff, again, 'lang=en')).text()
    expect(second).toContain('1 code added; 1 was already in the pool.')
    expect(second).not.toContain('duplicate')
    const bad = await post(staff, `/admin/sites/${site.slug}/reviews/codes?lang=ja`, {
      _csrf: staff.csrf,
      codes: 'ok\nnot a code!',
    })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('<a href="#codes">コード</a>: 2行目：コードは1〜64文字')
    const none = await post(staff, `/admin/sites/${site.slug}/reviews/codes?lang=en`, { _csrf: staff.csrf, codes: '' })
    expect(none.status).toBe(400)
    const many = await post(staff, `/admin/sites/${site.slug}/reviews/codes?lang=en`, {
      _csrf: staff.csrf,
      codes: Array.from({ length: 1001 }, (_, i) => `X${i}`).join('\n'),
    })
    expect(many.status).toBe(400)
    expect(await many.text()).toContain('at most 1000 codes per upload')
    expect(await (await api('GET', `/api/sites/${site.slug}/coupons`, undefined, site.key)).json()).toEqual({
      available: 3,
      issued: 0,
    })
  })

  it('refuses another site’s page, a missing CSRF token, and an oversize form', async () => {
    expect((await get(staff, `/admin/sites/${other.slug}/reviews`)).status).toBe(404)
    expect((await post(staff, `/admin/sites/${other.slug}/reviews`, settingsForm())).status).toBe(404)
    expect(
      (await post(staff, `/admin/sites/${other.slug}/reviews/codes`, { _csrf: staff.csrf, codes: 'Z' })).status,
    ).toBe(404)
    const noToken: Record<string, string> = settingsForm({ delay_days: '3' })
    delete noToken._csrf
    expect((await post(staff, `/admin/sites/${site.slug}/reviews`, noToken)).status).toBe(403)
    expect((await post(staff, `/admin/sites/${site.slug}/reviews/codes`, { codes: 'Q' })).status).toBe(403)
    const huge = await post(staff, `/admin/sites/${site.slug}/reviews/codes`, {
      _csrf: staff.csrf,
      codes: 'Y'.repeat(70 * 1024),
    })
    expect(huge.status).toBe(413)
    expect((await settingsOf(site)).review_invitation_delay_days).toBe(10)
    expect((await settingsOf(other)).coupons).toEqual({ mode: 'off' })
  })
})

describe('/admin/sites/{site}/invitations', () => {
  let scheduled: string
  let opened: string
  let sent: string

  beforeAll(async () => {
    const future = new Date(Date.now() + 2 * 86400_000).toISOString()
    scheduled = (await invite(site, secret, order([product.id], { delivered_at: future }))).order_id
    const o1 = await invite(site, secret, order([product.id]))
    const o2 = await invite(site, secret, order([product.id]))
    await runInvitationCron()
    await call(await reviewPath(o1.id))
    opened = o1.order_id
    sent = o2.order_id
  })

  it('lists each invitation with its stage, products and dates, in both languages', async () => {
    const html = await page('/invitations')
    expect(html).toContain(scheduled)
    expect(html).toMatch(new RegExp(`${opened}</strong> · Opened`))
    expect(html).toMatch(new RegExp(`${sent}</strong> · Sent`))
    expect(html).toMatch(/· Reviewed/)
    expect(html).toContain('Products: Kasuri bag')
    expect(html).toContain('Waiting for its day')
    const ja = await page('/invitations', 'ja')
    expect(ja).toContain('開封済み')
    expect(ja).toContain('依頼日待ち')
    expect(ja).not.toMatch(/>\s*(scheduled|opened|used)\s*</)
  })

  it('keeps one stage, or finds one order', async () => {
    const openedOnly = await (await get(staff, `/admin/sites/${site.slug}/invitations?stage=opened`)).text()
    expect(openedOnly).toContain(opened)
    expect(openedOnly).not.toContain(sent)
    const one = await (await get(staff, `/admin/sites/${site.slug}/invitations?order=${sent}`)).text()
    expect(one).toContain(sent)
    expect(one).not.toContain(opened)
    const none = await (await get(staff, `/admin/sites/${site.slug}/invitations?order=nope&lang=en`)).text()
    expect(none).toContain('No invitations here.')
    // A stage it does not know, an over-long order id or a forged cursor show the whole list, not an error.
    expect((await get(staff, `/admin/sites/${site.slug}/invitations?stage=bogus`)).status).toBe(200)
    expect((await get(staff, `/admin/sites/${site.slug}/invitations?order=${'x'.repeat(300)}`)).status).toBe(200)
    expect((await get(staff, `/admin/sites/${site.slug}/invitations?cursor=%%%`)).status).toBe(200)
    expect((await get(staff, `/admin/sites/${other.slug}/invitations`)).status).toBe(404)
  })

  it('is in the API too, with each invitation’s stage', async () => {
    const res = await api('GET', `/api/sites/${site.slug}/invitations?stage=opened`, undefined, site.key)
    expect(res.status).toBe(200)
    const body = await res.json<{ items: { order_id: string; stage: string; opened_at: string }[] }>()
    expect(body.items.map((i) => i.order_id)).toEqual([opened])
    expect(body.items[0]!.opened_at).toMatch(/^\d{4}-/)
    expect((await api('GET', `/api/sites/${site.slug}/invitations?stage=bogus`, undefined, site.key)).status).toBe(400)
    expect((await api('GET', `/api/sites/${site.slug}/invitations`, undefined, other.key)).status).toBe(404)
  })

  it('reads an open invitation past its time as expired before the cron marks it, in the list and its filter', async () => {
    const later = callAt(Date.now() + 400 * 86400_000)
    const list = async (query: string) =>
      (
        await (
          await later(`/api/sites/${site.slug}/invitations?${query}`, {
            headers: { Authorization: `Bearer ${site.key}` },
          })
        ).json<{ items: { order_id: string; stage: string }[] }>()
      ).items
    const expired = await list('stage=expired')
    expect(expired.map((i) => i.order_id)).toEqual(expect.arrayContaining([opened, sent]))
    expect(expired.every((i) => i.stage === 'expired')).toBe(true)
    expect(await list('stage=sent')).toEqual([])
    expect(await list('stage=opened')).toEqual([])
  })
})

describe('/admin/sites/{site}/erasure', () => {
  it('erases a buyer by address once the box is ticked, and keeps a record without the address', async () => {
    const inv = await invite(
      site,
      secret,
      order([product.id], { customer: { email: 'Erase.Me@mail.example', name: 'Aki' } }),
    )
    const unticked = await post(staff, `/admin/sites/${site.slug}/erasure?lang=en`, {
      _csrf: staff.csrf,
      email: 'erase.me@mail.example',
    })
    expect(unticked.status).toBe(400)
    expect(await unticked.text()).toContain('<a href="#confirm">I understand that this cannot be undone</a>')
    const res = await post(staff, `/admin/sites/${site.slug}/erasure?lang=en`, {
      _csrf: staff.csrf,
      email: 'erase.me@mail.example',
      confirm: 'on',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/admin/sites/${site.slug}/erasure`)
    const html = await (await follow(staff, res, 'lang=en')).text()
    expect(html).toContain('Erased: 1 invitation, 0 reviews.')
    expect(html).toContain('by e-mail address')
    expect(html).not.toContain('erase.me@mail.example')
    const listed = await page('/invitations')
    expect(listed).toMatch(new RegExp(`${inv.order_id}</strong>[^<]*<span class="meta"> · Personal data erased`))
    const log = await (
      await api('GET', `/api/sites/${site.slug}/erasure`, undefined, site.key)
    ).json<{
      items: { by: { email: boolean; order_id: string | null }; erased: { invitations: number } }[]
    }>()
    expect(log.items[0]).toMatchObject({ by: { email: true, order_id: null }, erased: { invitations: 1 } })
    expect(JSON.stringify(log)).not.toContain('erase.me')
  })

  it('refuses a request that names nobody or a bad address, in the page’s language, and another site or no token', async () => {
    const nobody = await post(staff, `/admin/sites/${site.slug}/erasure?lang=ja`, { _csrf: staff.csrf, confirm: 'on' })
    expect(nobody.status).toBe(400)
    expect(await nobody.text()).toContain('メールアドレスか注文番号で購入者を指定してください')
    const bad = await post(staff, `/admin/sites/${site.slug}/erasure?lang=en`, {
      _csrf: staff.csrf,
      email: 'not-an-address',
      order_id: 'o'.repeat(101),
    })
    expect(bad.status).toBe(400)
    const text = await bad.text()
    expect(text).toContain('<a href="#email">')
    expect(text).toContain('<a href="#order_id">Order id</a>: must be at most 100 characters')
    expect(text).toContain('<a href="#confirm">')
    expect(text).toContain('value="not-an-address"')
    const elsewhere = await post(staff, `/admin/sites/${other.slug}/erasure`, {
      _csrf: staff.csrf,
      order_id: 'x',
      confirm: 'on',
    })
    expect(elsewhere.status).toBe(404)
    expect((await post(staff, `/admin/sites/${site.slug}/erasure`, { order_id: 'x', confirm: 'on' })).status).toBe(403)
    const log = await (
      await api('GET', `/api/sites/${site.slug}/erasure`, undefined, site.key)
    ).json<{ items: unknown[] }>()
    expect(log.items).toHaveLength(1)
  })
})
