/**
 * The shop platform page of the console: connecting Shopify or WooCommerce (answered with a
 * redirect; the address to paste shown, the secret never), refusals at their fields in the page's
 * language, the settings orders and products follow, the latest deliveries — sent signed as the
 * platforms send them — with their reasons in words and outside text escaped, disconnecting; never
 * for another site, never without the CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { api, testClock } from '../helpers/http'
import { deliver, sendWebhook, type ShopFixture, shopifyProduct } from '../helpers/shops'

const clock = testClock(Date.parse('2026-12-06T02:00:00Z'))
let site: SiteFixture
let staff: Browser
let n = 0
const nextId = () => 8_000_000_000_000 + Date.now() * 10 + n++

const pageOf = (s: SiteFixture) => `/admin/sites/${s.slug}/platform`
const show = async (lang = 'en', s = site) => (await get(staff, `${pageOf(s)}?lang=${lang}`)).text()
const connection = async (s: SiteFixture) =>
  (
    await (
      await api('GET', `/api/sites/${s.slug}/shop`, undefined, s.key)
    ).json<{
      connection: {
        platform: string
        shop_address: string
        hook_url: string
        previous_valid_until: string | null
      } | null
    }>()
  ).connection
const settingsOf = async (s: SiteFixture) =>
  (
    await (
      await api('GET', `/api/sites/${s.slug}`, undefined, s.key)
    ).json<{
      settings: { shop_invite_on: string; shop_target_tag: string | null }
    }>()
  ).settings

/** Connects `s` to Shopify through the page's form; the shop as the helpers send its webhooks. */
async function connectByForm(s: SiteFixture, lang = 'en'): Promise<{ res: Response; shop: ShopFixture }> {
  const secret = `shpss_${unique('secret')}`
  const address = `${s.slug}.myshopify.com`
  const res = await post(staff, `${pageOf(s)}?lang=${lang}`, {
    _csrf: staff.csrf,
    platform: 'shopify',
    shop_address: `https://${address}/admin`,
    secret,
  })
  return { res, shop: { ...s, secret, address } }
}

beforeAll(async () => {
  site = await createSite({ settings: { time_zone: 'Asia/Tokyo', currency: 'JPY' } })
  staff = await signIn(site.key)
})

describe('/admin/sites/{site}/platform', () => {
  it('is in the site’s menu, and says when nothing is connected or received yet', async () => {
    expect(await (await get(staff, `/admin/sites/${site.slug}?lang=en`)).text()).toContain(
      `<a href="/admin/sites/${site.slug}/platform">Shopify / WooCommerce</a>`,
    )
    const en = await show('en')
    expect(en).toContain('Not connected: nothing comes in from a platform yet.')
    expect(en).toContain('Nothing received yet.')
    expect(en).toContain('<legend>Connect your shop</legend>')
    // The settings orders follow, with where the delay and the currency are changed.
    expect(en).toContain('Invitations are sent 7 days after that.')
    expect(en).toContain(`href="/admin/sites/${site.slug}/reviews#delay_days"`)
    expect(en).toContain('Partners’ sales are counted in JPY: orders in another currency are not counted for partners.')
    expect(en).toContain(`href="/admin/sites/${site.slug}/partners#currency"`)
    expect(en).not.toContain('Disconnect')
    const ja = await show('ja')
    expect(ja).toContain('<h1>Shopify・WooCommerce連携：')
    expect(ja).toContain('まだ接続していません。')
    expect(ja).toContain('レビュー依頼はその7日後に送ります。')
  })

  it('refuses a form at its fields in the page’s language, never showing the secret back', async () => {
    const typed = `shpss_${unique('typed')}`
    const en = await post(staff, `${pageOf(site)}?lang=en`, {
      _csrf: staff.csrf,
      platform: 'shopify',
      shop_address: 'shop.example',
      secret: typed,
    })
    expect(en.status).toBe(400)
    const html = await en.text()
    expect(html).toContain('<a href="#shop_address">The shop’s address on the platform</a>: must be the shop’s address')
    expect(html).toMatch(
      /<input id="shop_address" name="shop_address"[^>]*aria-invalid="true" aria-describedby="shop_address_error shop_address_help" value="shop.example"/,
    )
    expect(html).toContain('<p class="field-error" id="shop_address_error">must be the shop’s address on its platform')
    expect(html).toMatch(/<input id="secret" name="secret" type="password"[^>]* value=""/)
    expect(html).not.toContain(typed)

    const ja = await post(staff, `${pageOf(site)}?lang=ja`, {
      _csrf: staff.csrf,
      platform: 'carrier-pigeon',
      shop_address: '',
      secret: 'short',
    })
    expect(ja.status).toBe(400)
    const jaHtml = await ja.text()
    expect(jaHtml).toContain('<a href="#platform">プラットフォーム</a>: ShopifyかWooCommerceを選んでください')
    expect(jaHtml).toContain('<p class="field-error" id="shop_address_error">入力してください</p>')
    expect(jaHtml).toContain(
      '<p class="field-error" id="secret_error">プラットフォームに表示されたシークレット（8文字以上）を貼り付けてください</p>',
    )
    expect(jaHtml).toMatch(/<select id="platform" name="platform" required="" aria-invalid="true"/)
    expect(jaHtml).toMatch(/<input id="secret"[^>]*aria-invalid="true" aria-describedby="secret_error secret_help"/)

    // Nothing sent at all is refused the same way, never a 500.
    const empty = await post(staff, `${pageOf(site)}?lang=en`, { _csrf: staff.csrf })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('<a href="#secret">The platform’s signing secret</a>')
    const huge = await post(staff, pageOf(site), {
      _csrf: staff.csrf,
      platform: 'shopify',
      secret: 'x'.repeat(70 * 1024),
    })
    expect(huge.status).toBe(413)
    expect(await connection(site)).toBeNull()
  })

  it('connects with a redirect, then shows the address to paste and the topics, never the secret', async () => {
    const { res, shop } = await connectByForm(site)
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(pageOf(site))
    const html = await (await follow(staff, res, 'lang=en')).text()
    expect(html).toContain('Saved. The secret is stored sealed and is never shown again.')
    const stored = await connection(site)
    expect(stored).toMatchObject({ platform: 'shopify', shop_address: shop.address })
    expect(html).toContain(`<code id="hook_url">${stored!.hook_url}</code>`)
    expect(stored!.hook_url).toMatch(new RegExp(`/hooks/${site.slug}/shopify$`))
    expect(html).toContain(`Connected to Shopify: <code>${shop.address}</code>`)
    expect(html).toContain('Settings → Notifications → Webhooks')
    for (const topic of ['orders/create', 'orders/fulfilled', 'refunds/create', 'products/delete'])
      expect(html).toContain(`<code>${topic}</code>`)
    expect(html).toContain('“Send test notification”')
    expect(html).toContain('0 products of the shop are targets.')
    expect(html).toContain('<legend>Change the address or the secret</legend>')
    expect(html).toContain(
      'It is stored sealed and never shown again. A new secret pasted here replaces it; the previous one still verifies for a day.',
    )
    expect(html).not.toContain(shop.secret)
    // A reload neither repeats nor says it again.
    const reload = await show('en')
    expect(reload).not.toContain('Saved.')
    expect(reload).not.toContain(shop.secret)
    const ja = await show('ja')
    expect(ja).toContain(`Shopifyに接続中：<code>${shop.address}</code>`)
    expect(ja).toContain('「設定」→「通知」→「Webhook」')
    expect(ja).toContain('二度と表示しません。新しいシークレットを貼り付けると置き換わります。')

    // A new secret: the one before still verifies for a day, and the page says until when.
    const again = await connectByForm(site)
    await follow(staff, again.res, 'lang=en')
    expect(await show('en')).toContain('The previous secret still verifies until')
    expect(await show('ja')).toContain('以前のシークレットも')
    // The previous secret still verifies.
    const { res: old } = await sendWebhook(shop, 'shopify', 'products/update', shopifyProduct(nextId(), 'x', 'X'), {
      clock,
    })
    expect(old.status).toBe(200)
  })

  it('lists the deliveries with their outcome and reasons in words, escaping what the platform sent', async () => {
    const { res, shop } = await connectByForm(site)
    expect(res.status).toBe(303)
    const id = nextId()
    const title = `<script>alert("x")</script> 手ぬぐい ${id}`
    const made = await deliver(shop, 'shopify', 'products/create', shopifyProduct(id, `tenugui-${id}`, title), {
      clock,
    })
    expect(made.outcome).toBe('done')
    const forged = await sendWebhook(shop, 'shopify', 'orders/create', { id: 1 }, { clock, secret: 'not-the-secret' })
    expect(forged.res.status).toBe(401)

    const en = await show('en')
    expect(en).not.toContain('<script>alert')
    expect(en).toContain(`Order or product: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 手ぬぐい ${id}`)
    expect(en).toMatch(
      /<strong>Done<\/strong> · <code>products\/create<\/code> · <span class="meta">6 Dec 2026, 11:00</,
    )
    expect(en).toContain('Product kept as a target.')
    expect(en).toContain('<strong>Refused</strong> · <code>orders/create</code>')
    expect(en).toContain('The signature does not match the secret saved here')
    expect(en).toContain('1 product of the shop is a target.')
    expect(en).toContain('Newest first (the latest 20 at most).')
    // Newest first: the refused one above the product.
    expect(en.indexOf('<strong>Refused</strong>')).toBeLessThan(en.indexOf('<strong>Done</strong>'))

    const ja = await show('ja')
    expect(ja).not.toContain('<script>alert')
    expect(ja).toContain(`注文・商品：&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 手ぬぐい ${id}`)
    // 11:00 in Tokyo: the site's time zone.
    expect(ja).toMatch(
      /<strong>処理済み<\/strong> · <code>products\/create<\/code> · <span class="meta">2026\/12\/06 11:00</,
    )
    expect(ja).toContain('商品を対象ページにしました。')
    expect(ja).toContain('<strong>受け付けず</strong>')
    expect(ja).toContain('署名がここに保存したシークレットと一致しません')
    expect(ja).toContain('ショップの商品のうち1件が対象ページです。')
  })

  it('saves when invitations start and which products become targets; refuses a choice it does not offer', async () => {
    const saved = await post(staff, `${pageOf(site)}/settings?lang=en`, {
      _csrf: staff.csrf,
      shop_invite_on: 'paid',
      shop_target_tag: ' gift ',
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('Location')).toBe(pageOf(site))
    const html = await (await follow(staff, saved, 'lang=en')).text()
    expect(html).toContain('Saved.')
    expect(html).toContain('<option value="paid" selected="">When the order is paid')
    expect(html).toMatch(/<input id="shop_target_tag" name="shop_target_tag"[^>]* value="gift"/)
    expect(await settingsOf(site)).toMatchObject({ shop_invite_on: 'paid', shop_target_tag: 'gift' })

    const refused = await post(staff, `${pageOf(site)}/settings?lang=ja`, {
      _csrf: staff.csrf,
      shop_invite_on: 'weekly',
      shop_target_tag: 't'.repeat(101),
    })
    expect(refused.status).toBe(400)
    const ja = await refused.text()
    expect(ja).toContain(
      '<a href="#shop_invite_on">レビュー依頼を始める時点</a>: 「発送済み」か「支払い済み」を選んでください',
    )
    expect(ja).toContain('<p class="field-error" id="shop_target_tag_error">100文字以内にしてください</p>')
    expect(ja).toMatch(/<select id="shop_invite_on" name="shop_invite_on" aria-invalid="true"/)
    expect(ja).toMatch(
      /<input id="shop_target_tag"[^>]*aria-invalid="true" aria-describedby="shop_target_tag_error shop_target_tag_help"/,
    )
    // The connect form is not the one refused.
    expect(ja).not.toContain('id="shop_address_error"')

    // Left empty: every product again.
    const cleared = await post(staff, `${pageOf(site)}/settings`, {
      _csrf: staff.csrf,
      shop_invite_on: 'delivered',
      shop_target_tag: '',
    })
    expect(cleared.status).toBe(303)
    expect(await settingsOf(site)).toMatchObject({ shop_invite_on: 'delivered', shop_target_tag: null })
  })

  it('never shows nor changes another site’s connection, and needs the CSRF token', async () => {
    const other = await createSite()
    const theirs = await api(
      'PUT',
      `/api/sites/${other.slug}/shop`,
      { platform: 'woocommerce', shop_address: other.origin, secret: `wc_${unique('s')}` },
      other.key,
    )
    expect(theirs.status).toBe(200)
    expect((await get(staff, pageOf(other))).status).toBe(404)
    const form = { _csrf: staff.csrf, platform: 'shopify', shop_address: 'x.myshopify.com', secret: 'shpss_12345678' }
    expect((await post(staff, pageOf(other), form)).status).toBe(404)
    expect((await post(staff, `${pageOf(other)}/settings`, { _csrf: staff.csrf, shop_invite_on: 'paid' })).status).toBe(
      404,
    )
    expect((await post(staff, `${pageOf(other)}/disconnect`, { _csrf: staff.csrf })).status).toBe(404)
    expect(await connection(other)).toMatchObject({ platform: 'woocommerce', shop_address: other.origin })
    expect((await settingsOf(other)).shop_invite_on).toBe('delivered')
    // The other site's own staff see theirs, in WooCommerce's words.
    const theirStaff = await signIn(other.key)
    const html = await (await get(theirStaff, `${pageOf(other)}?lang=en`)).text()
    expect(html).toContain('WooCommerce → Settings → Advanced → Webhooks')
    expect(html).toContain('<code>order.updated</code>')
    expect(html).toContain('WooCommerce sends a test when a webhook is saved')
    // WooCommerce's test, an unsigned form post of the webhook's id, is listed as such.
    const ping = await sendWebhook(
      { ...other, secret: 'unused', address: other.origin },
      'woocommerce',
      '',
      'webhook_id=12',
      {
        clock,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-WC-Webhook-Source': null,
          'X-WC-Webhook-Topic': null,
          'X-WC-Webhook-Resource': null,
          'X-WC-Webhook-Event': null,
          'X-WC-Webhook-Signature': null,
          'X-WC-Webhook-ID': null,
          'X-WC-Webhook-Delivery-ID': null,
        },
      },
    )
    expect(ping.res.status).toBe(200)
    const pinged = await (await get(theirStaff, `${pageOf(other)}?lang=en`)).text()
    expect(pinged).toContain('<strong>Done</strong> · <span class="meta">')
    expect(pinged).toContain('WooCommerce’s test when the webhook was saved.')
    expect(await (await get(theirStaff, `${pageOf(other)}?lang=ja`)).text()).toContain(
      'Webhook保存時のWooCommerceからのテスト。',
    )

    const noToken = { ...form, shop_address: `${site.slug}.myshopify.com` } as Record<string, string>
    delete noToken._csrf
    expect((await post(staff, pageOf(site), noToken)).status).toBe(403)
    expect((await post(staff, `${pageOf(site)}/disconnect`, {})).status).toBe(403)
    expect(await connection(site)).not.toBeNull()
  })

  it('disconnects after a question, with a redirect; the hooks are refused from then on', async () => {
    const shop: ShopFixture = { ...site, secret: 'unused', address: `${site.slug}.myshopify.com` }
    const before = await show('en')
    expect(before).toContain('<summary>Disconnect</summary>')
    expect(before).toContain('Disconnect Shopify? Its webhooks are refused from now on')
    expect(before).toContain('<button type="submit">Yes, disconnect Shopify</button>')
    expect(await show('ja')).toContain('Shopifyとの接続を解除しますか？')
    const res = await post(staff, `${pageOf(site)}/disconnect?lang=ja`, { _csrf: staff.csrf })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(pageOf(site))
    const html = await (await follow(staff, res, 'lang=ja')).text()
    expect(html).toContain('接続を解除しました。')
    expect(html).toContain('まだ接続していません。')
    expect(html).not.toContain('<summary>')
    // The deliveries received before stay listed.
    expect(html).toContain('商品を対象ページにしました。')
    expect(await connection(site)).toBeNull()
    const { res: hook } = await sendWebhook(shop, 'shopify', 'products/update', shopifyProduct(nextId(), 'y', 'Y'), {
      clock,
    })
    expect(hook.status).toBe(404)
  })
})
