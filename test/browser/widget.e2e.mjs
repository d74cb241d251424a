#!/usr/bin/env node
/**
 * The storefront widget in a real browser (Debian's Chromium, driven by playwright-core): a shop's
 * product page, served from another origin than the hub (./storefront.mjs), pastes the two lines.
 * The widget shows the seeded voices and the trust summary, loads a second page (which brings the
 * negative voice with its apology and resolution report), says each voice's sentiment in words,
 * filters, switches to Japanese, keeps hostile words as inert text, adds the JSON-LD, fits a 360 px
 * phone, and passes axe-core (no serious or critical violation). Every text in it stands out at
 * 4.5:1 or more against what is really behind it — on pages that follow the system's light or
 * dark, on a white page under a dark system, on a dark page under a light one. A render asks the
 * hub once for each document, however the lines are pasted and the attributes set; a wrong site
 * or target says so, in English and Japanese. Screenshots go to test-results/.
 *
 * Run by `npm test` (after the inbox test); `node test/browser/widget.e2e.mjs` alone.
 */
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'

import { axeClean, launchChromium, requireChromium } from './chromium.mjs'
import { serveStorefront } from './storefront.mjs'
import { assertOneRequestEach, hubRequests, settled, textContrast } from './widget-checks.mjs'

import { startLocalHub } from '../../scripts/local-hub.mjs'

const TOKEN = 'e2e-widget-operator-token'
const PORT = process.env.E2E_WIDGET_PORT ?? '8796'

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

const browser = { instance: null }
const shop = await serveStorefront(hub.base)
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

  // The negative voice's apology corrected (shown "edited"), and a reply posted on it by mistake,
  // withdrawn (shown as its tombstone, never its words).
  const detail = JSON.parse((await hub.request('GET', '/api/mentions/m_demo_tb_negative', undefined, json)).body)
  const apology = detail.responses.find((r) => r.stage === 'apology')
  const corrected = await hub.request(
    'PATCH',
    `/api/responses/${apology.id}`,
    JSON.stringify({ version: apology.version, body: `${apology.body} (corrected)` }),
    json,
  )
  assert.equal(corrected.status, 200, corrected.body)
  const mistaken = await hub.request(
    'POST',
    '/api/mentions/m_demo_tb_negative/responses',
    JSON.stringify({ stage: 'reply', body: 'Words never to be shown', author: { name: 'Aiko' } }),
    json,
  )
  assert.equal(mistaken.status, 201, mistaken.body)
  const withdrawn = await hub.request(
    'POST',
    `/api/responses/${JSON.parse(mistaken.body).id}/withdraw`,
    JSON.stringify({ reason: 'Posted on the wrong voice' }),
    json,
  )
  assert.equal(withdrawn.status, 200, withdrawn.body)

  browser.instance = await launchChromium()
  mkdirSync('test-results', { recursive: true })
  const dialogs = []

  // The page's background and the reader's system setting: a page that follows the system (light,
  // dark), a white page read on a phone set to dark, a dark page read on a system set to light.
  for (const { bg, colorScheme, shot } of [
    { bg: 'os', colorScheme: 'light', shot: 'light' },
    { bg: 'os', colorScheme: 'dark', shot: 'dark' },
    { bg: 'white', colorScheme: 'dark', shot: 'white-page-dark-system' },
    { bg: 'dark', colorScheme: 'light', shot: 'dark-page-light-system' },
  ]) {
    const what = `the storefront (${shot})`
    const context = await browser.instance.newContext({ colorScheme, viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()))
    const asked = hubRequests(page, hub.base)
    await page.goto(`${shopUrl}?bg=${bg}`)
    const widget = page.locator('glasshouse-voices')
    await widget.getByRole('heading', { name: 'What customers say' }).waitFor()
    await settled(page)
    assertOneRequestEach(asked, what, { jsonld: true })
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
    assert.deepEqual(stages, ['Apology from the shop', 'What the shop fixed', 'Reply from the shop'])
    await negative.getByText(/· edited /).waitFor()
    await negative.getByText(/^The shop withdrew this answer on .+: Posted on the wrong voice$/).waitFor()
    assert.equal(await negative.getByText('Words never to be shown').count(), 0, 'a withdrawn answer’s words')
    // Each voice's sentiment in words, and first in its card's accessible name: not only its bar's colour.
    const classified = await widget.locator('li.voice.positive, li.voice.neutral, li.voice.negative').count()
    assert.ok(classified >= 4, `voices with a sentiment: ${classified}`)
    const said = await widget.locator('li.voice .sentiment').allTextContents()
    assert.equal(said.length, classified)
    assert.deepEqual([...new Set(said)].sort(), ['Critical', 'Neutral', 'Positive'])
    assert.equal(await negative.locator('.sentiment').textContent(), 'Critical')
    await widget.getByRole('article', { name: 'Critical 3回洗ったら首元が伸びた' }).waitFor()
    // Every text stands out against what is really behind it, the page's own background included.
    const contrast = await textContrast(page)
    assert.ok(contrast.checked > 50, `texts checked: ${contrast.checked}`)
    assert.deepEqual(contrast.failures, [], `texts under 4.5:1 on ${what}`)
    if (bg === 'os' && colorScheme === 'light') {
      // The reader switches the system to dark while reading: the page goes dark, and so does the widget.
      await page.emulateMedia({ colorScheme: 'dark' })
      await page.waitForFunction(() =>
        document.querySelector('glasshouse-voices').shadowRoot.querySelector('section.dark'),
      )
      assert.deepEqual((await textContrast(page)).failures, [], `texts under 4.5:1 on ${what}, switched to dark`)
      await page.emulateMedia({ colorScheme: 'light' })
      await page.waitForFunction(
        () => !document.querySelector('glasshouse-voices').shadowRoot.querySelector('section.dark'),
      )
    }
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
    await page.screenshot({ path: `test-results/widget-desktop-${shot}.png`, fullPage: true })
    await axeClean(page, what)
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

  // One request per document on the first render, however the two lines are pasted and the attributes set.
  const shopper = await browser.instance.newContext()
  for (const [path, feed] of [
    ['readme', /^\/feeds\/demo\.json\?target=tshirt&limit=10$/],
    ['every-attribute', /^\/feeds\/demo\.json\?target=tshirt&limit=2&sentiment=negative$/],
    ['script-first', /^\/feeds\/demo\.json\?target=tshirt&limit=2$/],
    ['scripted', /^\/feeds\/demo\.json\?target=tshirt&limit=3&kind=review$/],
  ]) {
    const page = await shopper.newPage()
    const asked = hubRequests(page, hub.base)
    await page.goto(shopUrl + path)
    await settled(page)
    assertOneRequestEach(asked, path, { jsonld: path !== 'readme' })
    assert.match(asked.find((p) => p.startsWith('/feeds/demo.json')) ?? '', feed, path)
    if (path === 'script-first') assert.equal(await page.evaluate(() => window.__definedFirst), true, path)
    if (path === 'readme') {
      // A new language or theme redraws what is held; a new target is one more request.
      const voices = page.locator('glasshouse-voices')
      await voices.evaluate((el) => (el.setAttribute('lang', 'ja'), el.setAttribute('theme', 'dark')))
      await voices.getByRole('heading', { name: 'お客様の声' }).waitFor()
      await voices.evaluate((el) => el.setAttribute('target', 'https://shop.example/products/new'))
      await voices.getByText('まだ声はありません。').waitFor()
      await page.waitForTimeout(500)
      assert.equal(asked.length, 2, asked.join(', '))
    }
    await page.close()
  }

  // A wrong site or target says so: a quiet line for shoppers, why in the console for the shop's developer.
  for (const [path, lang, words] of [
    ['missing-site', 'en', 'This shop or product is not on the hub.'],
    ['missing-target', 'en', 'This shop or product is not on the hub.'],
    ['missing-site', 'ja', 'このショップまたは商品はハブに登録されていません。'],
    ['missing-target', 'ja', 'このショップまたは商品はハブに登録されていません。'],
  ]) {
    const page = await shopper.newPage()
    const warned = page.waitForEvent('console', {
      predicate: (m) => m.type() === 'warning' && m.text().includes(words),
    })
    await page.goto(`${shopUrl}${path}?lang=${lang}`)
    const widget = page.locator('glasshouse-voices')
    await widget.getByText(words).waitFor()
    assert.match(
      (await warned).text(),
      path === 'missing-site' ? /site="no-such-shop".*No such site/ : /target="no-such-product".*no such target/,
    )
    assert.equal(await widget.getByText(/try again later|時間をおいて/).count(), 0, `${path} ${lang}: not a failure`)
    assert.equal(await widget.getByRole('button').count(), 0, `${path} ${lang}: nothing to filter`)
    await axeClean(page, `${path} in ${lang}`)
    await page.close()
  }
  await shopper.close()

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
  for (const word of await widget.locator('.sentiment').allTextContents()) assert.match(word, /^(好意的|中立|批判的)$/)
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
    'Widget browser test passed: cross-origin embed, one request per document, trust summary, voices, second page, an edited answer and a withdrawn one’s tombstone, sentiment in words, filters by keyboard, Japanese, inert hostile words, JSON-LD, 360 px phone, text contrast and axe-core on white, dark and system-following pages, a wrong site or target in both languages; webmention.js renders the jf2 feed',
  )
  console.log('Screenshots: test-results/widget-desktop-*.png, test-results/widget-phone-ja.png')
} finally {
  await browser.instance?.close()
  shop.close()
  hub.stop()
}
