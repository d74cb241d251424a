#!/usr/bin/env node
/**
 * The storefront widget in a real browser (Debian's Chromium, driven by playwright-core): a shop's
 * product page, served from another origin than the hub, pastes the two lines. The widget shows
 * the seeded voices and the trust summary, loads a second page (which brings the negative voice
 * with its apology and resolution report), filters, switches to Japanese, keeps hostile words as
 * inert text, adds the JSON-LD, fits a 360 px phone, and passes axe-core (no serious or critical
 * violation) in light and dark. Screenshots go to test-results/.
 *
 * Run by `npm test` (after the inbox test); `node test/browser/widget.e2e.mjs` alone.
 */
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'

import { axeClean, launchChromium, requireChromium } from './chromium.mjs'

import { startLocalHub } from '../../scripts/local-hub.mjs'

const TOKEN = 'e2e-widget-operator-token'
const PORT = process.env.E2E_WIDGET_PORT ?? '8796'
const WEBMENTION_JS = readFileSync(
  createRequire(import.meta.url).resolve('webmention.js/static/webmention.min.js'),
  'utf8',
)

requireChromium()

const hub = startLocalHub({
  port: PORT,
  dir: '.e2e-widget',
  vars: {
    ADMIN_TOKEN: TOKEN,
    VERIFY_FIRST_DELAY_SECONDS: 0,
    WEBHOOK_SECRETS_KEY: 'ZTJlLXdpZGdldC1zZWNyZXRzLWtleS0zMi1ieXRlcyE=',
  },
})

/** The shop's own product page, on its own origin: its product block and the two lines. */
function serveStorefront() {
  const server = http.createServer((req, res) => {
    // Another widget, unchanged: webmention.js (from npm) reading the hub's jf2 feed.
    if (req.url === '/webmention.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' })
      return res.end(WEBMENTION_JS)
    }
    if (req.url === '/blog-style') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      return res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tee — webmention.js</title></head><body>
<div id="webmentions"></div><script src="/webmention.js" data-page-url="https://shop.example/products/tshirt" data-max-webmentions="50" async></script></body></html>`)
    }
    const lang = new URL(req.url, 'http://x').searchParams.get('lang') ?? 'en'
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Organic cotton T-shirt — a shop</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:1rem auto;padding:0 1rem}@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}}</style>
</head><body><main><h1>Organic cotton T-shirt</h1><p>¥3,980</p>
<glasshouse-voices site="demo" target="tshirt" limit="3" jsonld></glasshouse-voices>
<script type="module" src="${hub.base}/embed.js" async></script>
</main></body></html>`)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const browser = { instance: null }
const shop = await serveStorefront()
const shopUrl = `http://127.0.0.1:${shop.address().port}/`
try {
  await hub.waitFor('/')
  const seeded = await hub.request('POST', '/__dev/seed')
  assert.equal(seeded.status, 200, seeded.body)
  const json = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }
  assert.equal(
    (
      await hub.request(
        'PATCH',
        '/api/sites/demo',
        JSON.stringify({ settings: { verify_links: false, cache_seconds: 0 } }),
        json,
      )
    ).status,
    200,
  )
  // A hostile TrackBack: tags are stripped when stored, so what survives is entity-escaped markup,
  // a javascript: URL as words, and a right-to-left override — all of it must stay visible text.
  const hostile = new URLSearchParams({
    url: 'https://mallory.example/post',
    title: 'Mallory &lt;img src=x onerror="window.__xss=1"&gt; &lt;iframe src=javascript:window.__xss=2&gt;',
    excerpt:
      'javascript:window.__xss=3 &lt;svg onload=window.__xss=4&gt; &lt;style&gt;*{display:none}&lt;/style&gt; \u202Eevil reversed',
    blog_name: '&lt;b onclick=window.__xss=5&gt;Blog',
  })
  const pinged = await hub.request('POST', '/tb/demo/tshirt', hostile.toString(), {
    'Content-Type': 'application/x-www-form-urlencoded',
  })
  assert.match(pinged.body, /<error>0<\/error>/)

  browser.instance = await launchChromium()
  mkdirSync('test-results', { recursive: true })
  const dialogs = []

  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.instance.newContext({ colorScheme, viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()))
    await page.goto(shopUrl)
    const widget = page.locator('glasshouse-voices')
    await widget.getByRole('heading', { name: 'What customers say' }).waitFor()
    // The trust summary and the newest three voices, kinds in shoppers' words, labels disclosed.
    await widget.getByText(/out of 5 from \d+ reviews?/).waitFor()
    await widget.getByText(/% answered by the shop/).waitFor()
    assert.equal(await widget.locator('li.voice').count(), 3)
    assert.equal(await widget.getByText('Pingback', { exact: true }).count(), 0, 'no protocol names')
    assert.ok(
      (await widget
        .getByText('Mallory <img src=x onerror="window.__xss=1"> <iframe src=javascript:window.__xss=2>')
        .count()) > 0,
      'hostile title as text',
    )
    await widget.getByText('PR / Advertising').waitFor()
    // More pages: the third brings the oldest, a negative post with its apology and then its resolution report.
    await widget.getByRole('button', { name: 'More' }).click()
    await widget.getByText('3 more loaded.').waitFor()
    assert.equal(await widget.locator('li.voice').count(), 6)
    await widget.getByRole('button', { name: 'More' }).click()
    await widget.getByText('3回洗ったら首元が伸びた').waitFor()
    await widget.getByText('2 more loaded.').waitFor()
    assert.equal(await widget.getByRole('button', { name: 'More' }).count(), 0, 'no more pages')
    const negative = widget.locator('li.voice', { hasText: '3回洗ったら首元が伸びた' })
    const stages = await negative.locator('.stage').allTextContents()
    assert.deepEqual(stages, ['Apology from the shop', 'What the shop fixed'])
    // Nothing hostile became an element, ran, or became a link.
    assert.equal(await page.evaluate(() => window.__xss), undefined)
    assert.equal(
      await page
        .locator('glasshouse-voices img, glasshouse-voices iframe, glasshouse-voices svg, glasshouse-voices b')
        .count(),
      0,
    )
    assert.equal(await page.locator('a[href^="javascript:" i]').count(), 0)
    for (const href of await widget
      .locator('a')
      .evaluateAll((as) => as.map((a) => `${a.getAttribute('href')} ${a.getAttribute('rel')}`))) {
      assert.match(href, /^https?:\/\/\S+ nofollow ugc noopener noreferrer$/)
    }
    // The product's review markup is on the page, as JSON.
    const ld = await page.locator('script[type="application/ld+json"]').textContent()
    assert.equal(JSON.parse(ld)['@type'], 'Product')
    await page.screenshot({ path: `test-results/widget-desktop-${colorScheme}.png`, fullPage: true })
    await axeClean(page, `the storefront (${colorScheme})`)
    // Critical voices only, by keyboard.
    await widget.getByRole('button', { name: 'Critical' }).focus()
    await page.keyboard.press('Enter')
    await widget.locator('button[aria-pressed=true]', { hasText: 'Critical' }).waitFor()
    await page.waitForFunction(
      () =>
        !document.querySelector('glasshouse-voices').shadowRoot.querySelector('li.voice.positive, li.voice.neutral'),
    )
    assert.ok((await widget.locator('li.voice.negative').count()) >= 1, 'the critical voices')
    await context.close()
  }

  // Japanese: by the widget's lang attribute, every word of the chrome and the dates.
  const phone = await browser.instance.newContext({
    viewport: { width: 360, height: 780 },
    isMobile: true,
    hasTouch: true,
  })
  const page = await phone.newPage()
  await page.goto(`${shopUrl}?lang=ja`)
  const widget = page.locator('glasshouse-voices')
  await widget.getByRole('heading', { name: 'お客様の声' }).waitFor()
  await widget.getByRole('button', { name: 'もっと見る' }).waitFor()
  await widget.getByText(/ショップの回答率 \d+%/).waitFor()
  assert.ok((await widget.locator('.by').first().textContent()).match(/\d{4}\/\d{1,2}\/\d{1,2}/), 'a Japanese date')
  await page.evaluate(() => document.querySelector('glasshouse-voices').setAttribute('lang', 'en'))
  await widget.getByRole('heading', { name: 'What customers say' }).waitFor()
  await page.evaluate(() => document.querySelector('glasshouse-voices').setAttribute('lang', 'ja'))
  await widget.getByRole('heading', { name: 'お客様の声' }).waitFor()
  await widget.getByRole('button', { name: 'もっと見る' }).click()
  await widget.getByText('3件を追加で表示しました。').waitFor()
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= 360),
    'no horizontal scroll on a 360 px phone',
  )
  await page.screenshot({ path: 'test-results/widget-phone-ja.png', fullPage: true })
  await axeClean(page, 'the storefront on a phone, in Japanese')
  await phone.close()
  // webmention.js 0.5.5 always asks webmention.io; the route sends its request, query unchanged, to the hub's jf2 feed.
  const blog = await browser.instance.newPage()
  blog.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()))
  const asked = []
  await blog.route('https://webmention.io/api/mentions.jf2?*', async (route) => {
    const search = new URL(route.request().url()).search
    asked.push(search)
    const answer = await fetch(`${hub.base}/feeds/demo.jf2${search}`)
    await route.fulfill({
      status: answer.status,
      headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' },
      body: await answer.text(),
    })
  })
  await blog.goto(`${shopUrl}blog-style`)
  await blog.locator('#webmentions .comments li').first().waitFor()
  assert.match(
    asked[0] ?? '',
    /target%5B%5D=https%3A%2F%2Fshop\.example%2Fproducts%2Ftshirt|target\[\]=https%3A%2F%2Fshop\.example%2Fproducts%2Ftshirt/,
  )
  const listed = await blog.locator('#webmentions').innerText()
  assert.match(listed, /Alice/)
  assert.match(listed, /Finally a tee that fits/)
  assert.match(listed, /<img src=x onerror/, 'the hostile title is shown as words')
  assert.equal(await blog.evaluate(() => window.__xss), undefined)
  await blog.close()
  assert.deepEqual(dialogs, [])

  console.log(
    'Widget browser test passed: cross-origin embed, trust summary, voices, second page, filters by keyboard, Japanese, inert hostile words, JSON-LD, 360 px phone, axe-core clean in light and dark; webmention.js renders the jf2 feed',
  )
  console.log(
    'Screenshots: test-results/widget-desktop-light.png, test-results/widget-desktop-dark.png, test-results/widget-phone-ja.png',
  )
} finally {
  await browser.instance?.close()
  shop.close()
  hub.stop()
}
