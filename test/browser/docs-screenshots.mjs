#!/usr/bin/env node
/**
 * The pictures of the Japanese staff guide (docs/ja/images/), made by the real console in a real
 * browser (Debian's Chromium, driven by playwright-core) so that they stay current: a local hub with
 * the demo, one cron run (last week's digest), two blog posts sent by TrackBack (a complaint in
 * Japanese, and an off-topic post), and staff who sign in with a Japanese browser and answer the
 * complaint — an お詫び, then a 改善のご報告 — correct and withdraw answers, moderate, and look at
 * the found voices, the overview, the embed page and the widget on a Japanese product page. Each
 * picture's page is checked first (what it must show, axe-core, nothing scrolling sideways), so the
 * script fails when the console changes under it: it is a test too.
 *
 * `npm run docs:screenshots` writes the pictures there and prints their names (commit them); with
 * `--check` every scene is played and checked the same way and the pictures go to
 * test-results/docs-ja/ instead. Not part of `npm test` (CI's time is spent elsewhere): run it when
 * the console changes.
 */
import assert from 'node:assert/strict'
import { mkdirSync, statSync } from 'node:fs'
import http from 'node:http'

import { axeClean, launchChromium, requireChromium } from './chromium.mjs'

import { startLocalHub } from '../../scripts/local-hub.mjs'

const TOKEN = 'docs-shots-operator-token'
const PORT = process.env.E2E_DOCS_SHOTS_PORT ?? '8795'
const OUT = process.argv.includes('--check') ? 'test-results/docs-ja' : 'docs/ja/images'
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1024, height: 768 }
/** Staff and shoppers in Japan: the browser's language and clock. */
const IN_JAPAN = { locale: 'ja-JP', timezoneId: 'Asia/Tokyo' }
/** The hub's public address, as the embed page shows it to paste (the browser still talks to the local hub). */
const HUB_ORIGIN = 'https://glasshouse.example.jp'

/** The console's Japanese words the script finds things by (src/admin/kit/words.ts, src/admin/pages/*\/words.ts). */
const W = {
  signIn: 'ログイン',
  inbox: '受信箱',
  unansweredNegative: '未回答の否定的な声',
  responses: '公式回答',
  stage: '段階',
  apology: 'お詫び',
  resolution: '改善のご報告（改善した点）',
  resolutionShort: '改善のご報告',
  body: '本文',
  authorName: 'お名前',
  authorRole: '役割（例：店長、作り手）',
  publish: '公開する',
  publishResponse: '回答を公開',
  saved: '保存しました。',
  editAnswer: 'この回答を編集',
  withdrawAnswer: 'この回答を取り下げる',
  withdrawReason: '取り下げの理由（公開）',
  withdrawConfirm: '取り下げとその理由が公開されることを理解しました',
  withdrawButton: '回答を取り下げる',
  withdrawn: '回答を取り下げました。',
  moderation: 'モデレーション',
  action: '操作',
  remove: '削除する',
  category: '分類（削除の場合）',
  offTopic: '無関係',
  reason: '公開される理由（台帳に表示）',
  foundVoice: '監視中のフィードで見つかった声',
  waitingForDecision: '判断待ち',
  publishVoice: '公開する',
  setAside: '見送る',
  foundWaiting: /監視中のフィードで見つかった声が\d+件、判断を待っています/,
  overview: '概要',
  lastDigest: '先週のまとめ',
  embedLink: '埋め込み',
  embed: 'ウィジェットの埋め込み',
  preview: 'プレビュー',
}

/** What the staff and the bloggers write: realistic Japanese, the glossary's words. */
const COMPLAINT = {
  url: 'https://koromogae.example.jp/entry/2026/12/tshirt-color',
  title: 'Tシャツの色が写真と違った',
  excerpt:
    '商品写真ではくすんだ紺色に見えたのに、届いたのはかなり明るい青でした。生地はしっかりしていて気に入っているだけに残念です。',
  blog_name: 'ゆるっと衣替え日記',
}
const OFF_TOPIC = {
  url: 'https://sumaho-navi.example.com/cheap-sim-2026',
  title: '格安スマホのおすすめ10選【2026年版】',
  excerpt: '今いちばんお得な格安スマホを料金と速度で比べました。乗り換えるなら今がチャンス。',
  blog_name: 'スマホ比較ナビ',
}
const APOLOGY = {
  body: 'ご期待と違う色のお品をお届けしてしまい、申し訳ございません。商品写真の色味が実物と異なっていたことを確認しました。交換・返品を承りますので、お問い合わせフォームからご連絡ください。',
  name: '山田',
  role: '店長',
}
const RESOLUTION = {
  body: '全色の商品写真を自然光で撮り直し、12月5日に差し替えました。説明文にも「実物は写真よりやや明るめです」と書き添えています。ご指摘ありがとうございました。',
  name: '佐藤',
  role: '商品撮影担当',
}
/** The demo's found voice in Japanese (src/demo/seed.ts). */
const FOUND_TITLE = 'Demo Shop のTシャツ、届くまで2週間'
const WITHDRAW_REASON = '色違いの入荷予定が変わったため。新しい予定は改めてお知らせします。'
const REMOVAL_REASON = '商品と関係のない記事のため削除しました。'

const started = Date.now()
requireChromium()

const hub = startLocalHub({
  port: PORT,
  dir: '.e2e-docs-shots',
  vars: {
    ADMIN_TOKEN: TOKEN,
    VERIFY_FIRST_DELAY_SECONDS: 0,
    HUB_ORIGIN,
    WEBHOOK_SECRETS_KEY: 'ZG9jcy1zaG90cy1zZWNyZXRzLWtleS0zMi1ieXRlcyE=',
  },
})

/** A Japanese shop's product page on another origin than the hub, with the two lines pasted. */
function serveProductPage() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>オーガニックコットンTシャツ</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:760px;margin:1rem auto;padding:0 1rem}</style></head>
<body><main><h1>オーガニックコットンTシャツ</h1><p>¥3,980（税込）</p>
<glasshouse-voices site="demo" target="tshirt" limit="1"></glasshouse-voices>
<script type="module" src="${hub.base}/embed.js" async></script>
</main></body></html>`)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

/** A blog post's TrackBack, as blog software sends it. */
async function trackback(post) {
  const sent = await hub.request('POST', '/tb/demo/tshirt', new URLSearchParams(post).toString(), {
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
  })
  assert.match(sent.body, /<error>0<\/error>/, sent.body)
}

/** axe-core finds nothing serious, the page speaks Japanese, and it does not scroll sideways. */
async function checked(page, what) {
  assert.equal(await page.getAttribute('html', 'lang'), 'ja', `${what} speaks Japanese`)
  await axeClean(page, what)
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }))
  assert.ok(scrollWidth <= innerWidth, `${what} scrolls sideways: ${scrollWidth} px wide in ${innerWidth} px`)
}

/** Staff publish an answer through the voice page's form (stage, words, name, role) and land back on it. */
async function publishAnswer(page, form, stage, answer) {
  await form.getByLabel(W.stage).selectOption({ label: stage })
  await form.getByLabel(W.body).fill(answer.body)
  await form.getByLabel(W.authorName).fill(answer.name)
  await form.getByLabel(W.authorRole).fill(answer.role)
  await form.getByRole('button', { name: W.publish }).click()
  await page.getByRole('status').getByText(W.saved).waitFor()
}

const written = []

/** The page from the top of `from` to the bottom of `to` (the same element, or two), the page's full width, a margin around. */
async function shot(page, name, from, to = from) {
  const top = await from.boundingBox()
  const bottom = await to.boundingBox()
  assert.ok(top && bottom, `${name}: what to show is on the page`)
  const scrollY = await page.evaluate(() => window.scrollY)
  const y = Math.max(0, top.y + scrollY - 12)
  const path = `${OUT}/${name}`
  await page.screenshot({
    path,
    fullPage: true,
    clip: { x: 0, y, width: page.viewportSize().width, height: bottom.y + scrollY + bottom.height + 12 - y },
  })
  written.push(path)
}

const browser = { instance: null }
const shop = await serveProductPage()
try {
  await hub.waitFor('/')
  const seeded = await hub.request('POST', '/__dev/seed')
  assert.equal(seeded.status, 200, seeded.body)
  const json = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }
  // The demo shop does not check the blogs' links (they are made up) and the widget shows each answer at once.
  const quick = await hub.request(
    'PATCH',
    '/api/sites/demo',
    JSON.stringify({ settings: { verify_links: false, cache_seconds: 0 } }),
    json,
  )
  assert.equal(quick.status, 200, quick.body)
  // One cron run: the demo's weekly digest of last week, on the overview.
  const cron = await hub.request('GET', '/cdn-cgi/handler/scheduled')
  assert.equal(cron.status, 200, cron.body)
  await trackback(COMPLAINT)

  browser.instance = await launchChromium()
  mkdirSync(OUT, { recursive: true })
  const dialogs = []
  /** A member of staff signed in with a Japanese browser, on the demo shop's inbox. */
  const staff = async (viewport) => {
    const context = await browser.instance.newContext({ viewport, ...IN_JAPAN })
    const page = await context.newPage()
    page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()))
    await page.goto(`${hub.base}/admin/login`)
    await page.fill('input[name=token]', TOKEN)
    await page.getByRole('button', { name: W.signIn }).click()
    await page.waitForURL(/\/admin$/)
    await page.goto(`${hub.base}/admin/sites/demo`)
    return { context, page }
  }
  const { context, page } = await staff(PHONE)

  // 1. The inbox: the unanswered negative voices first, the new complaint among them.
  const negatives = page.locator('section#unansweredNegative')
  await negatives.getByRole('heading', { name: new RegExp(`^${W.unansweredNegative}`) }).waitFor()
  const complaint = negatives.locator('li', { hasText: COMPLAINT.title })
  await complaint.waitFor()
  const firstSection = await page.locator('section[id]').first().getAttribute('id')
  assert.equal(firstSection, 'unansweredNegative', 'the unanswered negative voices come first')
  await checked(page, 'the inbox')
  await shot(page, 'inbox.png', page.getByRole('heading', { level: 1 }), negatives)

  // 2. The complaint's page: an お詫び published through the form; the form then offers the 改善のご報告.
  await complaint.getByRole('link', { name: COMPLAINT.title }).click()
  await page.waitForURL(/\/admin\/mentions\/m_/)
  const form = page.locator('form[action$="/responses"]')
  await publishAnswer(page, form, W.apology, APOLOGY)
  const answers = page.locator('li.voice')
  assert.equal(await answers.count(), 1)
  await answers.first().locator('p', { hasText: APOLOGY.body }).waitFor()
  await answers.first().getByText(`${APOLOGY.name}（${APOLOGY.role}）`).waitFor()
  assert.equal(
    await form.getByLabel(W.stage).locator('option:checked').textContent(),
    W.resolution,
    'the next stage offered is the resolution report',
  )
  await checked(page, 'the complaint with its apology')
  await shot(page, 'voice-apology.png', page.getByRole('status'), form)

  // 3. The 改善のご報告, by another member of staff: both answers, in order.
  await publishAnswer(page, form, W.resolution, RESOLUTION)
  assert.equal(await answers.count(), 2)
  assert.equal(await answers.nth(0).locator('strong').first().textContent(), W.apology)
  await answers.nth(0).locator('p', { hasText: APOLOGY.body }).waitFor()
  await answers.nth(1).locator('p', { hasText: RESOLUTION.body }).waitFor()
  assert.equal(await answers.nth(1).locator('strong').first().textContent(), W.resolutionShort)
  await checked(page, 'the complaint with its apology and resolution report')
  await shot(page, 'voice-resolution.png', page.getByRole('heading', { name: W.responses }), answers.nth(1))

  // 4. The forms that correct and withdraw the resolution report, open.
  const resolution = answers.nth(1)
  await resolution.getByText(W.editAnswer).click()
  await resolution.getByText(W.withdrawAnswer).click()
  assert.equal(await resolution.getByLabel(W.body).inputValue(), RESOLUTION.body, 'the edit starts from the answer')
  await resolution.getByLabel(W.withdrawReason).waitFor()
  await resolution.getByLabel(W.withdrawConfirm).waitFor()
  await checked(page, 'the answer’s forms')
  await shot(page, 'answer-edit.png', resolution)

  // 5. An answer withdrawn with its public reason: the seeded reply that promised a restock.
  await page.goto(`${hub.base}/admin/mentions/m_demo_tb_positive`)
  const reply = page.locator('li.voice').first()
  await reply.locator('p', { hasText: '色違いは来月入荷します' }).waitFor()
  await reply.getByText(W.withdrawAnswer).click()
  await reply.getByLabel(W.withdrawReason).fill(WITHDRAW_REASON)
  await reply.getByLabel(W.withdrawConfirm).check()
  await reply.getByRole('button', { name: W.withdrawButton }).click()
  await page.getByRole('status').getByText(W.withdrawn).waitFor()
  const tombstone = page.locator('li.voice').first()
  await tombstone.getByText(new RegExp(`に取り下げ：${WITHDRAW_REASON}$`)).waitFor()
  assert.equal(await tombstone.getByText('色違いは来月入荷します').count(), 0, 'the withdrawn words are gone')
  assert.equal(await tombstone.locator('form').count(), 0, 'a withdrawn answer offers no forms')
  await checked(page, 'a withdrawn answer')
  await shot(page, 'answer-withdrawn.png', page.getByRole('heading', { name: W.responses }), tombstone)

  // 6. Moderation: an off-topic post, its removal filled in (and then saved).
  await trackback(OFF_TOPIC)
  await page.goto(`${hub.base}/admin/sites/demo`)
  await page.getByRole('link', { name: OFF_TOPIC.title }).click()
  await page.waitForURL(/\/admin\/mentions\/m_/)
  const moderation = page.locator('form[action$="/moderation"] fieldset')
  await moderation.getByText(W.moderation).waitFor()
  await moderation.getByLabel(W.action).selectOption({ label: W.remove })
  await moderation.getByLabel(W.category).selectOption({ label: W.offTopic })
  await moderation.getByLabel(W.reason).fill(REMOVAL_REASON)
  await page.evaluate(() => document.activeElement?.blur())
  await checked(page, 'the moderation form')
  await shot(page, 'moderation.png', moderation)
  await moderation.getByRole('button').click()
  await page.getByRole('status').getByText(W.saved).waitFor()
  await page.getByText(REMOVAL_REASON).waitFor()

  // 7. The found voices waiting for a decision, from the inbox's link: the one in Japanese, to publish or set aside.
  await page.goto(`${hub.base}/admin/sites/demo`)
  await page.getByRole('link', { name: W.foundWaiting }).click()
  await page.waitForURL(/kind=discovered/)
  await page.getByRole('link', { name: FOUND_TITLE }).click()
  await page.waitForURL(/\/admin\/mentions\/m_/)
  const found = page.locator('section[aria-labelledby=found-heading]')
  await found.getByRole('heading', { name: W.foundVoice }).waitFor()
  await page.getByText(W.waitingForDecision).waitFor()
  await found.getByRole('button', { name: W.publishVoice }).waitFor()
  await found.getByRole('button', { name: W.setAside }).waitFor()
  await checked(page, 'a found voice')
  await shot(page, 'found.png', page.getByRole('heading', { level: 1 }), found)
  await context.close()

  // 8. The overview on a wider screen: last week's digest.
  const { context: desk, page: deskPage } = await staff(DESKTOP)
  await deskPage.getByRole('navigation').getByRole('link', { name: W.overview, exact: true }).click()
  await deskPage.waitForURL(/\/overview$/)
  const digest = deskPage.locator('section[aria-labelledby=digest_heading]')
  await digest.getByRole('heading', { name: W.lastDigest }).waitFor()
  assert.equal(await deskPage.locator('figure svg[role=img]').count(), 4, 'four charts')
  assert.ok((await digest.locator('table').count()) >= 1, 'the digest has its numbers')
  await checked(deskPage, 'the overview')
  await shot(deskPage, 'overview.png', deskPage.getByRole('heading', { level: 1 }), digest)

  // 9. The embed page: the two lines and the preview of the widget.
  await deskPage.goto(`${hub.base}/admin/sites/demo`)
  await deskPage.getByRole('navigation').getByRole('link', { name: W.embedLink, exact: true }).click()
  await deskPage.waitForURL(/\/embed/)
  await deskPage.getByRole('heading', { name: new RegExp(W.embed) }).waitFor()
  if ((await deskPage.locator('#preview_heading').count()) === 0) {
    await deskPage.getByLabel('商品').selectOption('tshirt')
    await deskPage.locator('form[method=get] button').click()
  }
  const snippet = (await deskPage.locator('pre code').textContent()) ?? ''
  assert.match(snippet, /^<glasshouse-voices site="demo" target="[^"]+"><\/glasshouse-voices>\n<script type="module"/)
  const preview = deskPage.locator('section[aria-labelledby=preview_heading] glasshouse-voices')
  await preview.getByRole('heading', { name: 'お客様の声' }).waitFor()
  await preview.getByText(COMPLAINT.title).waitFor()
  await checked(deskPage, 'the embed page')
  await shot(deskPage, 'embed.png', deskPage.getByRole('heading', { level: 1 }), preview.locator('li.voice').first())
  await desk.close()

  // 10. The widget on a Japanese product page, on a phone: the complaint with the shop's two answers.
  const shopper = await browser.instance.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, ...IN_JAPAN })
  const product = await shopper.newPage()
  product.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()))
  await product.goto(`http://127.0.0.1:${shop.address().port}/`)
  const widget = product.locator('glasshouse-voices')
  await widget.getByRole('heading', { name: 'お客様の声' }).waitFor()
  const voice = widget.locator('li.voice', { hasText: COMPLAINT.title })
  await voice.getByText(APOLOGY.body).waitFor()
  await voice.getByText(RESOLUTION.body).waitFor()
  await widget.getByText(/ショップの回答率 \d+%/).waitFor()
  await checked(product, 'the widget on a product page')
  await shot(product, 'widget.png', product.getByRole('heading', { level: 1 }), widget)
  await shopper.close()

  assert.deepEqual(dialogs, [])
  console.log(`Docs screenshots written in ${((Date.now() - started) / 1000).toFixed(0)} s:`)
  for (const path of written) console.log(`  ${path} (${Math.round(statSync(path).size / 1024)} KB)`)
} finally {
  await browser.instance?.close()
  shop.close()
  hub.stop()
}
