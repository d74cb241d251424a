#!/usr/bin/env node
/**
 * The operator's console in a real browser (Debian's Chromium, driven by playwright-core): the
 * operator signs in and runs the site page in English (on a desktop and on a 390 px phone) and in
 * Japanese (on the phone) — settings refused field by field and then saved, an API key made (shown once) and
 * revoked, a new signing secret. axe-core (offline, from npm) finds no serious or critical
 * violation on any of these pages. Screenshots go to test-results/.
 *
 * Run by `npm test` (with the other browser tests); `node test/browser/console.e2e.mjs` alone.
 */
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'

import { axeClean, launchChromium, requireChromium } from './chromium.mjs'

import { startLocalHub } from '../../scripts/local-hub.mjs'

const TOKEN = 'e2e-console-operator-token'
const PORT = process.env.E2E_CONSOLE_PORT ?? '8798'

requireChromium()

const hub = startLocalHub({
  port: PORT,
  dir: '.e2e-console',
  vars: { ADMIN_TOKEN: TOKEN, WEBHOOK_SECRETS_KEY: 'ZTJlLWNvbnNvbGUtc2VjcmV0cy1rZXktMzItYnl0ZXM=' },
})

/** axe-core finds nothing serious, and the page does not scroll sideways (on a 390 px phone: 390 px). */
async function checked(page, what) {
  await axeClean(page, what)
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }))
  assert.ok(scrollWidth <= innerWidth, `${what} scrolls sideways: ${scrollWidth} px wide in ${innerWidth} px`)
}

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } }
/** A webhook address longer than a phone is wide, with nowhere to break a line. */
const LONG_PATH = `receive/${'glasshouse-events-'.repeat(6)}end`

/** webmention.io's export for a shop: one mention of a product, one sent privately from an address longer than a phone is wide. */
const mentionsFor = (origin) =>
  JSON.stringify({
    type: 'feed',
    name: 'Webmentions',
    children: [
      {
        type: 'entry',
        author: { type: 'card', name: 'Kana Ito', url: 'https://kana.example/' },
        url: 'https://kana.example/2022/03/mug-review',
        published: '2022-03-04T21:15:00+09:00',
        'wm-received': '2022-03-04T12:20:41Z',
        'wm-id': 1402216,
        'wm-source': 'https://kana.example/2022/03/mug-review',
        'wm-target': `${origin}/products/mug`,
        'wm-protocol': 'webmention',
        name: 'The mug, a year on',
        content: { text: 'Still my favourite mug.' },
        'mention-of': `${origin}/products/mug`,
        'wm-property': 'mention-of',
        'wm-private': false,
      },
      {
        type: 'entry',
        'wm-id': 1402217,
        'wm-source': `https://private.example/${LONG_PATH}`,
        'wm-target': `${origin}/products/mug`,
        'wm-property': 'mention-of',
        'wm-private': true,
      },
    ],
  })

const WORDS = {
  en: {
    settings: 'Settings',
    targets: 'Targets',
    reviews: 'Reviews',
    invitations: 'See the invitations',
    erasure: 'Erasure requests',
    erase: 'Erase',
    apply: 'Apply',
    applied: 'Thank you for applying',
    approve: 'Approve',
    suspend: 'Suspend',
    suspendYes: (name) => `Yes, suspend ${name}`,
    target: 'Target',
    filter: 'Apply',
    detail: 'Links and ledger',
    signIn: 'Sign in',
    name: 'Shop name',
    save: 'Save',
    saved: 'Saved.',
    corrected: 'The answer was corrected.',
    withdrawn: 'The answer was withdrawn.',
    editAnswer: 'Edit this answer',
    withdrawAnswer: 'Withdraw this answer',
    check: 'Please check the form:',
    create: 'Create the shop',
    deleteNow: 'Delete the shop',
    restore: 'Restore',
    download: 'Download the shop’s data',
    exportReady: 'is ready',
    imports: 'Bring history in',
    startImport: 'Start the import',
    importDone: 'done',
  },
  ja: {
    settings: '設定',
    targets: '対象ページ',
    reviews: 'レビュー',
    invitations: '依頼の一覧を見る',
    erasure: '消去の依頼',
    erase: '消去する',
    apply: '申し込む',
    applied: 'お申し込みありがとうございます',
    approve: '承認',
    suspend: '停止',
    suspendYes: (name) => `${name}の参加を停止する`,
    target: '対象ページ',
    filter: '適用',
    detail: 'リンクと報酬台帳',
    signIn: 'ログイン',
    name: 'ショップ名',
    save: '保存',
    saved: '保存しました。',
    corrected: '回答を訂正しました。',
    withdrawn: '回答を取り下げました。',
    editAnswer: 'この回答を編集',
    withdrawAnswer: 'この回答を取り下げる',
    check: '入力内容を確認してください',
    create: 'ショップを作成',
    deleteNow: 'ショップを削除',
    restore: '元に戻す',
    download: 'ショップのデータをダウンロード',
    exportReady: '書き出しができました',
    imports: '過去の声の取り込み',
    startImport: '取り込みを始める',
    importDone: '完了',
  },
}

const browser = { instance: null }
try {
  await hub.waitFor('/')
  const seeded = await hub.request('POST', '/__dev/seed')
  assert.equal(seeded.status, 200, seeded.body)
  // One cron run: the demo's weekly digest of last week, on the overview.
  const cron = await hub.request('GET', '/cdn-cgi/handler/scheduled')
  assert.equal(cron.status, 200, cron.body)
  browser.instance = await launchChromium()
  mkdirSync('test-results', { recursive: true })

  // English on a desktop and a phone, Japanese on a phone (the narrowest with the longest words);
  // Japanese on a desktop is left out for CI's time (npm run docs:screenshots plays Japanese too).
  for (const [lang, devices] of [
    ['en', ['desktop', 'phone']],
    ['ja', ['phone']],
  ]) {
    for (const [device, viewport] of Object.entries(VIEWPORTS).filter(([d]) => devices.includes(d))) {
      const what = `${lang}, ${device}`
      const w = WORDS[lang]
      const context = await browser.instance.newContext({ viewport, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' })
      const page = await context.newPage()
      const dialogs = []
      page.on('dialog', (d) => {
        dialogs.push(d.message())
        void d.dismiss()
      })

      // Sign in (the language follows the browser), then the site page from the inbox's menu.
      await page.goto(`${hub.base}/admin/login`)
      assert.equal(await page.getAttribute('html', 'lang'), lang, `the sign-in page speaks ${lang}`)
      await checked(page, `the sign-in page (${what})`)
      await page.fill('input[name=token]', TOKEN)
      await page.click('button[type=submit]')
      // The operator lands on the list of shops (with "New shop"), and opens the demo's.
      await page.waitForURL(/\/admin$/)
      await checked(page, `the list of shops (${what})`)
      await page.locator('a[href="/admin/sites/demo"]').first().click()
      await page.waitForURL(/\/admin\/sites\/demo$/)
      await page.getByRole('navigation').getByRole('link', { name: w.settings }).click()
      await page.waitForURL(/\/admin\/sites\/demo\/settings$/)
      await page.getByLabel(w.name).waitFor()
      await page.screenshot({ path: `test-results/console-site-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the site page (${what})`)

      // A refused form: every problem listed in the page's language, each a link to its field.
      await page.getByLabel(w.name).fill('')
      await page.locator('#time_zone').fill('Mars/Olympus')
      await page.locator('#response_target_hours').fill('0')
      // The browser's own check would stop an empty required field first; the hub must say it too.
      await page.locator('#name').evaluate((el) => el.removeAttribute('required'))
      await page.getByRole('button', { name: w.save }).click()
      const alert = page.getByRole('alert')
      await alert.getByText(w.check).waitFor()
      assert.equal(await alert.locator('a').count(), 3, `three refused fields (${what})`)
      assert.equal(await page.locator('#time_zone').inputValue(), 'Mars/Olympus', 'what was typed is kept')
      // Each refused field says so where it is: its problem beside it, described and marked invalid.
      assert.equal(await page.locator('#time_zone').getAttribute('aria-invalid'), 'true')
      await page.locator('#time_zone_error').waitFor()
      assert.match((await page.locator('#time_zone').getAttribute('aria-describedby')) ?? '', /\btime_zone_error\b/)
      await alert.locator('a[href="#time_zone"]').click()
      assert.equal(await page.evaluate(() => location.hash), '#time_zone')
      await checked(page, `the refused site form (${what})`)

      // Saved.
      await page.getByLabel(w.name).fill(lang === 'ja' ? '田中商店' : 'Tanaka Goods')
      await page.locator('#time_zone').fill('Asia/Tokyo')
      await page.locator('#response_target_hours').fill('36')
      await page.getByRole('button', { name: w.save }).click()
      await page.getByText(w.saved).waitFor()
      assert.equal(await page.locator('#response_target_hours').inputValue(), '36')

      // An API key: shown once, then only its prefix; revoked.
      const label = `Storefront ${lang} ${device}`
      await page.locator('#label').fill(label)
      await page.locator('form[action$="/keys"] button').click()
      const key = await page.locator('p.ok code').textContent()
      assert.match(key ?? '', /^gh_/)
      const api = await hub.request('GET', '/api/sites/demo', undefined, { Authorization: `Bearer ${key}` })
      assert.equal(api.status, 200, 'the new key works')
      await checked(page, `the new key (${what})`)
      // The form was answered with a redirect: a reload neither makes another key nor shows this one again.
      await page.reload()
      assert.equal(await page.getByText(key).count(), 0, `a reload does not show the key again (${what})`)
      assert.equal(await page.locator('tr', { hasText: label }).count(), 1, `a reload makes no other key (${what})`)
      await page.goto(`${hub.base}/admin/sites/demo/settings`)
      assert.equal(await page.getByText(key).count(), 0, 'a key is shown once')
      await page.locator('tr', { hasText: label }).getByRole('button').click()
      await page.locator('tr', { hasText: label }).locator('.meta').waitFor()
      const revoked = await hub.request('GET', '/api/sites/demo', undefined, { Authorization: `Bearer ${key}` })
      assert.equal(revoked.status, 401, 'a revoked key no longer works')

      // A new signing secret, shown once.
      await page.locator('form[action$="/inbound-secret"] button').click()
      assert.match((await page.locator('p.ok code').textContent()) ?? '', /^whsec_/)
      await checked(page, `the new secret (${what})`)

      // The targets, from the inbox's menu: each with its voices; a rename is saved.
      await page.goto(`${hub.base}/admin/sites/demo`)
      await page.getByRole('navigation').getByRole('link', { name: w.targets }).click()
      await page.waitForURL(/\/admin\/sites\/demo\/targets$/)
      const tshirt = page.locator('li', { has: page.locator('code', { hasText: /^tshirt$/ }) })
      await tshirt.locator('input[name=title]').fill(`Organic cotton T-shirt (${lang})`)
      await tshirt.getByRole('button', { name: w.save }).click()
      await page.getByText(w.saved).waitFor()
      await page.screenshot({ path: `test-results/console-targets-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the targets page (${what})`)

      // The inbox, and a voice: its source's site, a moderation form with nothing chosen, and a
      // reply whose author is remembered on the next voice's form.
      await page.goto(`${hub.base}/admin/sites/demo`)
      await checked(page, `the inbox (${what})`)
      // Its target filter chooses a product by its name.
      await page.getByLabel(w.target).selectOption({ label: `Organic cotton T-shirt (${lang})` })
      await page.getByRole('button', { name: w.filter, exact: true }).click()
      await page.waitForURL(/[?&]target=tshirt\b/)
      await checked(page, `the inbox filtered by a product (${what})`)
      await page.goto(`${hub.base}/admin/mentions/m_demo_tb_positive`)
      assert.equal(await page.locator('#action').inputValue(), '', `the moderation form starts empty (${what})`)
      await page.locator('#body').fill(lang === 'ja' ? 'ありがとうございます。' : 'Thank you for writing about us.')
      await page.locator('#author_name').fill(`Aiko ${lang} ${device}`)
      await page.locator('#author_role').fill(lang === 'ja' ? '店長' : 'Owner')
      await page.locator('form[action$="/responses"] button[type=submit]').click()
      await page.getByRole('status').getByText(w.saved).waitFor()
      await page.screenshot({ path: `test-results/console-voice-${lang}-${device}.png`, fullPage: true })
      await checked(page, `a voice's page (${what})`)
      // The reply corrected (a new version), then withdrawn with a reason and the box ticked.
      const reply = page.locator('li.voice').last()
      await reply.getByText(w.editAnswer).click()
      await reply.getByText(w.withdrawAnswer).click()
      await checked(page, `a voice's page with an answer's forms open (${what})`)
      await reply
        .locator('textarea[name=edit_body]')
        .fill(lang === 'ja' ? 'ご紹介ありがとうございます。' : 'Thank you!')
      await reply.locator('form[action$="/edit"] button[type=submit]').click()
      await page.getByRole('status').getByText(w.corrected).waitFor()
      const corrected = page.locator('li.voice').last()
      await corrected.getByText(w.withdrawAnswer).click()
      await corrected.locator('input[name=withdraw_reason]').fill(`Test ${lang} ${device}`)
      await corrected.locator('input[name=confirm]').check()
      await corrected.locator('form[action$="/withdraw"] button[type=submit]').click()
      await page.getByRole('status').getByText(w.withdrawn).waitFor()
      assert.equal(
        await page.locator('li.voice').last().locator('form[action$="/edit"]').count(),
        0,
        `a withdrawn answer offers no edit (${what})`,
      )
      await page.screenshot({ path: `test-results/console-voice-withdrawn-${lang}-${device}.png`, fullPage: true })
      await checked(page, `a voice's page with a withdrawn answer (${what})`)
      await page.goto(`${hub.base}/admin/mentions/m_demo_webmention`)
      assert.equal(
        await page.locator('#author_name').inputValue(),
        `Aiko ${lang} ${device}`,
        'the responder is remembered',
      )

      // A voice found in a watched feed: publish it on the page it is about, or set it aside.
      await page.goto(`${hub.base}/admin/mentions/m_demo_found_aside`)
      await page.locator('#found-heading').waitFor()
      await page.screenshot({ path: `test-results/console-found-${lang}-${device}.png`, fullPage: true })
      await checked(page, `a found voice's page (${what})`)
      if (lang === 'en' && device === 'desktop') {
        await page.goto(`${hub.base}/admin/mentions/m_demo_found`)
        // Offered: the page it is about (the T-shirt), the shop's other targets.
        assert.equal(await page.locator('#target').inputValue(), '')
        await page.locator('form[action$="/publish"] button[type=submit]').click()
        await page.getByRole('status').getByText(w.saved).waitFor()
        assert.equal(await page.locator('#found-heading').count(), 0, 'a published found voice is moderated as usual')
      }
      if (lang === 'ja' && device === 'phone') {
        await page.locator('form[action$="/dismiss"] button[type=submit]').click()
        await page.getByRole('status').getByText(w.saved).waitFor()
        await checked(page, `a found voice set aside (${what})`)
      }

      // The overview: four charts, each with its numbers, and last week's digest.
      await page.goto(`${hub.base}/admin/sites/demo/overview`)
      assert.equal(await page.locator('figure svg[role=img]').count(), 4)
      await page.locator('#digest_heading').waitFor()
      await page.screenshot({ path: `test-results/console-overview-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the overview (${what})`)

      // Webhooks: an address added, its secret shown once.
      await page.goto(`${hub.base}/admin/sites/demo/webhooks`)
      await page.locator('#url').fill(`https://hooks.example/${lang}-${device}/${LONG_PATH}`)
      await page.locator('form[action$="/webhooks"] button[type=submit]').click()
      const secret = (await page.locator('p.ok code').textContent()) ?? ''
      assert.match(secret, /^whsec_/)
      await page.reload()
      assert.equal(await page.getByText(secret).count(), 0, `a reload does not show the secret again (${what})`)
      assert.equal(
        await page.locator('li.voice', { hasText: `https://hooks.example/${lang}-${device}/${LONG_PATH}` }).count(),
        1,
        `a reload adds no other address (${what})`,
      )
      await page.screenshot({ path: `test-results/console-webhooks-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the webhooks page (${what})`)
      // The address stopped and started again; its own page changes its events.
      const address = page.locator('li.voice', { hasText: `https://hooks.example/${lang}-${device}/${LONG_PATH}` })
      await address.locator('form[action$="/disable"] button').click()
      await page
        .locator('li.voice', { hasText: `https://hooks.example/${lang}-${device}/${LONG_PATH}` })
        .locator('form[action$="/enable"] button')
        .click()
      await page.locator('p.ok').waitFor()
      await page
        .locator('li.voice', { hasText: `https://hooks.example/${lang}-${device}/${LONG_PATH}` })
        .locator('a')
        .first()
        .click()
      await page.waitForURL(/\/webhooks\/ep_/)
      await page.locator('input[name=events][value="mention.published"]').check()
      await page.locator('form fieldset button[type=submit]').first().click()
      await page.getByText(w.saved).waitFor()
      await checked(page, `an address's page (${what})`)

      // Watched feeds: one added with its keywords.
      await page.goto(`${hub.base}/admin/sites/demo/watches`)
      await page.locator('#feed_url').fill(`https://blogsearch.example/rss?q=${lang}-${device}`)
      await page.locator('#keywords').fill('田中商店\nTanaka Goods')
      await page.locator('form[action$="/watches"] button[type=submit]').click()
      await page.locator('p.ok').waitFor()
      // Read by the cron (this machine has no outside network: the feed fails, and says why).
      await hub.request('GET', '/cdn-cgi/handler/scheduled')
      await page.reload()
      await page.locator('table th[scope=row]').first().waitFor()
      await page.screenshot({ path: `test-results/console-watches-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the watched feeds (${what})`)

      // Reviews, from the inbox's menu: the coupon and the form's words saved, codes added to the pool.
      await page.goto(`${hub.base}/admin/sites/demo`)
      await page.getByRole('navigation').getByRole('link', { name: w.reviews, exact: true }).click()
      await page.waitForURL(/\/admin\/sites\/demo\/reviews$/)
      await page.locator('#coupon_mode').selectOption('pool')
      await page.locator('#coupon_offer').fill(lang === 'ja' ? '次回10%引き' : '10% off next time')
      await page.locator('#intro_ja').fill('いつもありがとうございます。率直なご感想をお聞かせください。')
      await page.locator('form[action$="/reviews"] button[type=submit]').click()
      await page.getByText(w.saved).waitFor()
      await page.locator('#codes').fill(`${lang.toUpperCase()}-${device}-1\n${lang.toUpperCase()}-${device}-2`)
      await page.locator('form[action$="/codes"] button[type=submit]').click()
      await page.locator('p.ok').waitFor()
      await page.screenshot({ path: `test-results/console-reviews-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the reviews page (${what})`)

      // The invitations, each with its stage in words.
      await page.getByRole('link', { name: w.invitations }).click()
      await page.waitForURL(/\/invitations$/)
      assert.ok((await page.locator('li.voice').count()) >= 1, `the demo order's invitation is listed (${what})`)
      await page.screenshot({ path: `test-results/console-invitations-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the invitations page (${what})`)

      // Erasure: refused until its box is ticked, then done and on record.
      await page.goto(`${hub.base}/admin/sites/demo/erasure`)
      await page.locator('#order_id').fill(`no-such-order-${lang}-${device}`)
      await page.getByRole('button', { name: w.erase }).click()
      await page.getByRole('alert').locator('a[href="#confirm"]').waitFor()
      await checked(page, `the refused erasure form (${what})`)
      await page.locator('#confirm').check()
      await page.getByRole('button', { name: w.erase }).click()
      await page.locator('p.ok').waitFor()
      await page.locator('li.voice', { hasText: `no-such-order-${lang}-${device}` }).waitFor()
      await page.screenshot({ path: `test-results/console-erasure-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the erasure page (${what})`)

      // A blogger applies on the public page, in the browser's language.
      const blogger = await browser.instance.newContext({ viewport, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' })
      const apply = await blogger.newPage()
      await apply.goto(`${hub.base}/affiliates/demo/apply`)
      assert.equal(await apply.getAttribute('html', 'lang'), lang, `the application page speaks ${lang}`)
      await checked(apply, `the application page (${what})`)
      await apply.locator('#name').fill(`Blogger ${lang} ${device}`)
      await apply.locator('#email').fill(`blogger-${lang}-${device}@blog.example`)
      await apply.locator('#blog_url').fill(`https://${lang}-${device}.blog.example/`)
      // The browser would insist on the box; the hub must too.
      await apply.locator('#disclose').evaluate((el) => el.removeAttribute('required'))
      await apply.getByRole('button', { name: w.apply }).click()
      await apply.getByRole('alert').locator('a[href="#disclose"]').waitFor()
      assert.equal(await apply.locator('#email').inputValue(), `blogger-${lang}-${device}@blog.example`)
      await checked(apply, `the refused application (${what})`)
      await apply.locator('#disclose').check()
      await apply.getByRole('button', { name: w.apply }).click()
      await apply.getByRole('heading', { name: w.applied }).waitFor()
      await apply.screenshot({ path: `test-results/console-apply-${lang}-${device}.png`, fullPage: true })

      // The shop approves: this hub sends no e-mail, so the one-time link is shown to pass on.
      await page.goto(`${hub.base}/admin/sites/demo/partners`)
      const applicant = page.locator('li.voice', { hasText: `Blogger ${lang} ${device}` })
      // Each button names the partner it is about.
      await applicant.getByRole('button', { name: `${w.approve}: Blogger ${lang} ${device}` }).click()
      const link = (await page.locator('p.ok code').textContent()) ?? ''
      assert.match(link, /\/partners\/demo\/sign-in\/[a-z0-9]{40}$/)
      await page.screenshot({ path: `test-results/console-partners-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the partners page (${what})`)
      // The programme's terms, saved.
      await page.locator('#commission_percent').fill('12.5')
      await page.locator('form[action$="/programme"] button[type=submit]').click()
      await page.getByText(w.saved).waitFor()
      assert.equal(await page.locator('#commission_percent').inputValue(), '12.5')

      // The blogger opens the link: a button signs them in, once.
      await apply.goto(link)
      await checked(apply, `the sign-in link's page (${what})`)
      await apply.getByRole('button', { name: w.signIn }).click()
      await apply.waitForURL(/\/partners\/demo$/)
      await apply.getByText(`Blogger ${lang} ${device}`).first().waitFor()
      assert.equal(await apply.getAttribute('html', 'lang'), lang, `the partner page speaks ${lang}`)
      await apply.screenshot({ path: `test-results/console-partner-page-${lang}-${device}.png`, fullPage: true })
      await checked(apply, `the partner's own page (${what})`)
      await apply.goto(link)
      await apply.getByRole('button', { name: w.signIn }).click()
      await apply.getByRole('alert').waitFor()
      await blogger.close()

      // One partner's page: links and the ledger.
      await page.goto(`${hub.base}/admin/sites/demo/partners`)
      await page.locator('li.voice').first().getByRole('link', { name: w.detail }).click()
      await page.waitForURL(/\/partners\/pt_/)
      await page.screenshot({ path: `test-results/console-partner-${lang}-${device}.png`, fullPage: true })
      await checked(page, `a partner's page (${what})`)

      // Suspending asks first: the button opens the question; only its answer, naming the partner, suspends.
      await page.goto(`${hub.base}/admin/sites/demo/partners`)
      const applicantName = `Blogger ${lang} ${device}`
      const listed = page.locator('li.voice', { hasText: applicantName })
      const yes = listed.getByRole('button', { name: w.suspendYes(applicantName) })
      assert.equal(await yes.isVisible(), false, `nothing is suspended by one click (${what})`)
      await listed.locator('summary', { hasText: w.suspend }).click()
      await yes.waitFor()
      await checked(page, `the question before suspending (${what})`)
      await yes.click()
      await page.getByRole('status').getByText(w.saved).waitFor()
      await page
        .locator('li.voice', { hasText: applicantName })
        .getByRole('button', { name: `${w.approve}: ${applicantName}` })
        .waitFor()
      // A new shop, made in the console: refused at its field first, then created; its embed page,
      // then its deletion (typed slug, refused when mistyped) and its restore.
      const slug = `e2e-${lang}-${device}`
      await page.goto(`${hub.base}/admin/sites/new?lang=${lang}`)
      await checked(page, `the new shop's page (${what})`)
      await page.locator('#name').fill(`E2E ${lang} ${device}`)
      await page.locator('#slug').fill('Not A Slug')
      await page.locator('#origins').fill(`https://${slug}.example`)
      await page.locator('#lang').selectOption(lang)
      await page.locator('#time_zone').selectOption(lang === 'ja' ? 'Asia/Tokyo' : 'Europe/London')
      await page.getByRole('button', { name: w.create }).click()
      await page.locator('#slug[aria-invalid="true"]').waitFor()
      await checked(page, `the new shop refused (${what})`)
      await page.locator('#slug').fill(slug)
      await page.getByRole('button', { name: w.create }).click()
      await page.waitForURL(new RegExp(`/admin/sites/${slug}/embed`))
      await page.locator('code', { hasText: 'gh_sk_' }).first().waitFor()
      await page.screenshot({ path: `test-results/console-embed-${lang}-${device}.png`, fullPage: true })
      await checked(page, `the new shop's embed page (${what})`)
      // History brought in: the form refused at its file field, then a webmention.io export uploaded
      // (a long name, a long address) and its report once the queue has read it.
      await page.goto(`${hub.base}/admin/sites/${slug}`)
      await page.getByRole('navigation').getByRole('link', { name: w.imports }).click()
      await page.waitForURL(new RegExp(`/admin/sites/${slug}/imports$`))
      await checked(page, `the imports page (${what})`)
      await page.locator('input[name=format][value=webmention_io]').check()
      await page.locator('#auto_targets').check()
      await page.getByRole('button', { name: w.startImport }).click()
      await page.locator('#file[aria-invalid="true"]').waitFor()
      await checked(page, `the import form refused (${what})`)
      await page.locator('#file').setInputFiles({
        name: `webmention-io-export-of-${slug}-${'every-mention-ever-received-'.repeat(4)}.json`,
        mimeType: 'application/json',
        buffer: Buffer.from(mentionsFor(`https://${slug}.example`)),
      })
      await page.getByRole('button', { name: w.startImport }).click()
      await page.waitForURL(new RegExp(`/admin/sites/${slug}/imports/imp_`))
      for (let i = 0; i < 60 && (await page.locator('strong', { hasText: w.importDone }).count()) === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500))
        await page.reload()
      }
      await page.locator('a[href^="/admin/mentions/m_"]').first().waitFor()
      await page.screenshot({ path: `test-results/console-import-${lang}-${device}.png`, fullPage: true })
      await checked(page, `an import's report (${what})`)
      await page.goto(`${hub.base}/admin/sites/${slug}/imports`)
      await checked(page, `the imports page with an import (${what})`)

      await page.goto(`${hub.base}/admin/sites/${slug}/delete`)
      await checked(page, `the delete page (${what})`)
      // The shop's data first: the button starts an export and lands back here; the queue writes it meanwhile.
      await page.getByRole('button', { name: w.download }).click()
      // Back on the page it was sent from (it is the same address: wait for the new page's load).
      await page.waitForURL(new RegExp(`/admin/sites/${slug}/delete`), { timeout: 90_000 })
      for (let i = 0; i < 60 && !(await page.content()).includes(w.exportReady); i++) {
        await new Promise((resolve) => setTimeout(resolve, 500))
        await page.reload()
      }
      await page.getByRole('link', { name: 'voices.jsonl' }).waitFor()
      await checked(page, `the delete page with the shop's export (${what})`)
      await page.locator('#confirm').fill('wrong')
      await page.getByRole('button', { name: w.deleteNow }).click()
      await page.locator('#confirm[aria-invalid="true"]').waitFor()
      await page.locator('#confirm').fill(slug)
      await page.getByRole('button', { name: w.deleteNow }).click()
      await page.getByRole('button', { name: `${w.restore}: E2E ${lang} ${device}` }).click()
      await page.getByRole('status').waitFor()
      await checked(page, `the sites list after a restore (${what})`)

      assert.deepEqual(dialogs, [])
      await context.close()
    }
  }
  console.log(
    'Console browser test passed: sign-in, the site page (settings refused and saved, a key made and revoked, a new secret), the targets page (a rename), the inbox (filtered by a product chosen by its name) and a voice (a reply, its author remembered, the reply corrected and withdrawn), a found voice (published, set aside), the overview (four charts, last week’s digest), webhooks (an address added, stopped and started, its events changed), watched feeds (one added, read by the cron, its failure and the run shown), reviews (coupon, words and codes saved; invitations; an erasure refused, then done), partners (a blogger applies on the public page, refused then taken; approved with a one-time link that signs in once; one partner’s page; suspended only after the question), a new shop (refused at its field, then made, its embed page with its first key; its history brought in from an uploaded webmention.io export, refused at the file field first, its report once read; its data exported from the delete page; deleted after its slug is typed, then restored) in English (desktop and 390 px) and Japanese (390 px), axe-core clean, no page scrolling sideways, every form answered with a redirect (a reload repeats nothing, shows no secret again)',
  )
  console.log(
    'Screenshots: test-results/console-{site,targets,voice,found,overview,webhooks,watches,reviews,invitations,erasure,apply,partners,partner,partner-page,import}-{en-desktop,en-phone,ja-phone}.png',
  )
} finally {
  await browser.instance?.close()
  hub.stop()
}
