#!/usr/bin/env node
/**
 * The operator's day in a real browser (Debian's Chromium, driven by playwright-core),
 * against `wrangler dev` with the demo data: sign in, find the seeded negative review at the
 * top of the inbox, publish an apology, see it in the public feed and on the demo storefront,
 * publish a resolution report, see the trust figures move. A blog post whose words are markup
 * (sent by Webmention from a page this script serves on loopback) must stay inert text on
 * every page (whole tags are stripped on the way in, so the page uses broken markup, which is
 * stored as text). The API reference (/docs) must not scroll sideways on a 390 px phone. Saves
 * screenshots of the inbox, the review form and the API reference in test-results/.
 *
 * Run by `npm test` (after vitest); `npm run test:browser` alone.
 */
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import http from 'node:http'

import { launchChromium, requireChromium } from './chromium.mjs'

import { startLocalHub } from '../../scripts/local-hub.mjs'

const TOKEN = 'e2e-operator-token'
const PORT = process.env.E2E_PORT ?? '8797'

requireChromium()

/** A blogger's page on loopback whose h-entry text is markup (entity-escaped, so it is text, not tags). */
function serveHostileBlog() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    // Whole tags are stripped when a voice is stored; broken markup (no closing >) stays as text.
    res.end(`<!doctype html><html><head><title>Review &lt;img src=x onerror="window.__xss=1"</title></head><body>
      <article class="h-entry">
        <h1 class="p-name">Review &lt;img src=x onerror="window.__xss=2"</h1>
        <span class="p-author h-card"><a class="p-name u-url" href="javascript:window.__xss=5">Mallory &lt;svg onload=window.__xss=3</a></span>
        <p class="e-content">The <a href="https://shop.example/products/tshirt">shirt</a> is awful &lt;img src=x onerror="window.__xss=4"</p>
      </article></body></html>`)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const hub = startLocalHub({
  port: PORT,
  dir: '.e2e',
  // Everything the hub needs, so the test does not depend on a developer's .dev.vars.
  vars: {
    ADMIN_TOKEN: TOKEN,
    VERIFY_FIRST_DELAY_SECONDS: 0,
    ALLOW_LOOPBACK_SOURCES: 'true',
    WEBHOOK_SECRETS_KEY: 'ZTJlLW9ubHktc2VjcmV0cy1rZXktMzItYnl0ZXMhISE=',
  },
})
/** A tiny JPEG whose Exif carries a GPS position (the review form must cut it). */
function jpegWithGps() {
  const seg = (marker, payload) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload]
  const text = (t) => [...Buffer.from(t, 'latin1')]
  return Buffer.from([
    0xff,
    0xd8,
    ...seg(0xe0, text('JFIF\0\x01\x01\0\0\x01\0\x01\0\0')),
    ...seg(0xe1, text('Exif\0\0GPSLatitude 35.6895N')),
    ...seg(0xda, [1, 1, 0, 0, 0x3f, 0]),
    0x12,
    0x34,
    0xff,
    0xd9,
  ])
}

const blog = await serveHostileBlog()
const browser = { instance: null }
try {
  await hub.waitFor('/')
  const seeded = await hub.request('POST', '/__dev/seed')
  assert.equal(seeded.status, 200, seeded.body)
  // The storefront should show each step at once: no edge-cache window for the demo site here.
  const quick = await hub.request('PATCH', '/api/sites/demo', JSON.stringify({ settings: { cache_seconds: 0 } }), {
    Authorization: `Bearer ${TOKEN}`,
    'Content-Type': 'application/json',
  })
  assert.equal(quick.status, 200, quick.body)

  // The hostile post arrives by Webmention and is verified by the queue consumer.
  const source = `http://127.0.0.1:${blog.address().port}/post`
  const sent = await hub.request(
    'POST',
    '/webmention/demo',
    new URLSearchParams({ source, target: 'https://shop.example/products/tshirt' }).toString(),
    {
      'Content-Type': 'application/x-www-form-urlencoded',
    },
  )
  assert.equal(sent.status, 201, sent.body)
  const statusPath = new URL(sent.headers.location).pathname
  for (let i = 0; ; i++) {
    const s = JSON.parse((await hub.request('GET', statusPath)).body)
    if (s.status === 'verified') break
    assert.ok(i < 60 && s.status === 'queued', `the hostile post was not verified: ${JSON.stringify(s)}`)
    await new Promise((r) => setTimeout(r, 500))
  }

  // Public documents are kept at the edge for the site's cache_seconds: a fresh query string is a fresh copy.
  const fresh = () => `fresh=${Date.now()}`
  const trust = async () => JSON.parse((await hub.request('GET', `/feeds/demo/trust.json?${fresh()}`)).body)
  const before = await trust()

  browser.instance = await launchChromium()
  const page = await browser.instance.newPage({ locale: 'en-GB' })
  const dialogs = []
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })

  /** Every page is a standards-mode document (a missing doctype means quirks mode). */
  const standardsMode = async (p, what) =>
    assert.equal(await p.evaluate(() => document.compatMode), 'CSS1Compat', `${what} renders in quirks mode`)

  // Sign in.
  await page.goto(`${hub.base}/admin`)
  assert.match(page.url(), /\/admin\/login$/)
  await standardsMode(page, 'the sign-in page')
  await page.fill('input[name=token]', TOKEN)
  await page.click('button[type=submit]')
  // The operator lands on the list of shops and opens the demo's.
  await page.waitForURL(/\/admin$/)
  await page.locator('a[href="/admin/sites/demo"]').first().click()
  await page.waitForURL(/\/admin\/sites\/demo$/)

  // The seeded negative review, unanswered, is at the top of the inbox.
  const first = page.locator('#unansweredNegative li a').first()
  assert.match((await first.getAttribute('href')) ?? '', /m_demo_review_negative$/)
  mkdirSync('test-results', { recursive: true })
  await page.screenshot({ path: 'test-results/inbox.png', fullPage: true })

  // Publish an apology.
  await first.click()
  await page.waitForURL(/m_demo_review_negative$/)
  const apology = 'We are sorry the colour ran. A replacement is on its way.'
  await page.selectOption('select[name=stage]', 'apology')
  await page.fill('textarea[name=body]', apology)
  await page.fill('input[name=author_name]', '山田')
  await page.fill('input[name=author_role]', '店長')
  await page.click('form[action$="/responses"] button[type=submit]')
  await page.getByRole('status').getByText('Saved.').waitFor()
  assert.ok((await page.textContent('body')).includes(apology))

  // It is in the public feed and on the demo storefront page.
  const feed = JSON.parse((await hub.request('GET', `/feeds/demo.json?target=tshirt&${fresh()}`)).body)
  const item = feed.items.find((i) => i.id === 'm_demo_review_negative')
  assert.ok(item._glasshouse.responses.some((r) => r.stage === 'apology' && r.content_text === apology))
  await page.goto(`${hub.base}/`)
  // The storefront's widget renders the feed in its Shadow DOM (Playwright's locators pierce it).
  await page.locator('glasshouse-voices').getByText(apology).waitFor()
  const answerPage = item._glasshouse.responses.find((r) => r.stage === 'apology').url
  await page.goto(answerPage)
  await standardsMode(page, 'the response page')
  assert.ok((await page.textContent('body')).includes(apology))
  const afterApology = await trust()
  assert.equal(afterApology.apologies, before.apologies + 1)
  assert.ok(afterApology.negative_response_rate > before.negative_response_rate)

  // Publish the resolution report; the share of apologies followed by one moves.
  await page.goto(`${hub.base}/admin/mentions/m_demo_review_negative`)
  await page.selectOption('select[name=stage]', 'resolution')
  await page.fill('textarea[name=body]', 'We changed the dye supplier from the November batch.')
  await page.fill('input[name=author_name]', 'Aiko Sato')
  await page.click('form[action$="/responses"] button[type=submit]')
  await page.getByRole('status').getByText('Saved.').waitFor()
  const afterResolution = await trust()
  assert.ok(
    afterResolution.resolution_rate > afterApology.resolution_rate,
    `${afterApology.resolution_rate} → ${afterResolution.resolution_rate}`,
  )

  // The hostile post's words are inert text in the inbox, on its page and on the storefront.
  const list = JSON.parse(
    (
      await hub.request('GET', '/api/sites/demo/mentions?kind=webmention', undefined, {
        Authorization: `Bearer ${TOKEN}`,
      })
    ).body,
  )
  const hostile = list.items.find((m) => m.source_url === source)
  assert.ok(hostile, 'the hostile post is listed')
  console.log(
    'Hostile voice as stored:',
    JSON.stringify({ title: hostile.title, excerpt: hostile.excerpt, author: hostile.author }),
  )
  assert.ok(`${hostile.title}${hostile.excerpt}`.includes('<'), 'the stored words still contain markup characters')
  for (const path of ['/admin/sites/demo', `/admin/mentions/${hostile.id}`, '/']) {
    await page.goto(`${hub.base}${path}`)
    await standardsMode(page, path)
    if (path === '/') await page.locator('glasshouse-voices').getByText('is awful', { exact: false }).first().waitFor()
    assert.equal(await page.evaluate(() => window.__xss), undefined, `markup ran on ${path}`)
    assert.equal(
      await page.locator('body img[src=x], body svg[onload]').count(),
      0,
      `markup became elements on ${path}`,
    )
    assert.equal(
      await page.locator('a[href^="javascript:" i]').count(),
      0,
      `a javascript: URL became a link on ${path}`,
    )
  }
  assert.ok(
    (await page.locator('glasshouse-voices').getByText('is awful <img src=x onerror="window.__xss=4"').count()) > 0,
    'the storefront shows the words as text',
  )
  assert.deepEqual(dialogs, [])

  // The seeded buyer reviews on a phone with JavaScript off: a 1-star review with a photo
  // carrying a GPS position gets the same coupon, and reaches the storefront without the GPS.
  const reviewLink = JSON.parse(seeded.body).review_link
  assert.ok(reviewLink, 'the seed made a review link')
  const phone = await browser.instance.newContext({
    javaScriptEnabled: false,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    locale: 'ja-JP',
  })
  const form = await phone.newPage()
  await form.goto(reviewLink)
  await standardsMode(form, 'the review form')
  const box = await form.locator('form').boundingBox()
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `the form fits a phone: ${JSON.stringify(box)}`)
  await form.screenshot({ path: 'test-results/review-form.png', fullPage: true })
  await form.check('input[name=rating_0][value="1"]')
  await form.fill('input[name=title_0]', 'Seams came apart')
  await form.fill('textarea[name=text_0]', 'The side seam opened after two weeks.')
  await form.fill('input[name=name]', 'Phone Buyer')
  await form.setInputFiles('input[name=photos_0]', {
    name: 'IMG_0001.JPG',
    mimeType: 'image/jpeg',
    buffer: jpegWithGps(),
  })
  await form.click('button[type=submit]')
  await form.waitForURL(/thanks=1$/)
  assert.match((await form.textContent('.coupon')) ?? '', /^DEMO-[A-Z2-9]{10}$/)
  // The storefront's widget needs JavaScript: look at it in the desktop browser.
  await page.goto(`${hub.base}/`)
  await page.locator('glasshouse-voices').getByText('The side seam opened after two weeks.').waitFor()
  const reviewItem = JSON.parse(
    (await hub.request('GET', `/feeds/demo.json?target=tshirt&${fresh()}`)).body,
  ).items.find((i) => i.title === 'Seams came apart')
  assert.equal(reviewItem._glasshouse.disclosure, 'incentivized')
  assert.equal(reviewItem._glasshouse.verified_purchase, true)
  const photo = await hub.request('GET', new URL(reviewItem._glasshouse.photos[0].url).pathname)
  assert.equal(photo.status, 200)
  assert.ok(!photo.body.includes('GPS'), 'the stored photo has no GPS')
  await phone.close()

  // The API reference on a phone: long paths, tables and JSON Schemas (all opened) wrap or scroll in their own box.
  const reader = await browser.instance.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })
  const docs = await reader.newPage()
  await docs.goto(`${hub.base}/docs`)
  await standardsMode(docs, 'the API reference')
  await docs.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true
  })
  const docsWidth = await docs.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(docsWidth <= 390, `the API reference scrolls sideways on a 390 px phone (${docsWidth} px wide)`)
  await docs.screenshot({ path: 'test-results/api-docs-phone.png' })
  await reader.close()

  console.log(
    'Browser test passed: sign-in, inbox order, apology, feed, storefront, resolution, trust figures, inert markup, review form on a phone without JavaScript, the API reference on a phone',
  )
  console.log('Screenshots: test-results/inbox.png, test-results/review-form.png, test-results/api-docs-phone.png')
} finally {
  await browser.instance?.close()
  blog.close()
  hub.stop()
}
