#!/usr/bin/env node
/**
 * A real static-site client from npm against the hub's site-wide jf2 feed: the Eleventy plugin
 * `@chrisburnell/eleventy-cache-webmentions`, unchanged, with its `feed` pointed at
 * `/feeds/demo.jf2` (as it would be at webmention.io's `mentions.jf2?domain=`). It runs in Node
 * against `wrangler dev` with a throw-away D1 and the demo data, plus a second product whose voice
 * comes in by TrackBack. The plugin fetches the whole domain in numbered pages, files the entries
 * by `wm-target`, and `getWebmentions(options, pageUrl)` must give each product page its own
 * voices only; a later build asks only for what is new (`since=` the newest `wm-received` it
 * holds) and adds it, in numbered pages when there is more than a page of it, a voice received long
 * before but published since among it. Also reads one page as webmention.js asks (`target[]`). No browser.
 *
 * Run by `npm test` (the end of `npm run test:browser`); `node test/clients/eleventy-webmentions.e2e.mjs` alone.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { startLocalHub } from '../../scripts/local-hub.mjs'

const TOKEN = 'e2e-clients-operator-token'
const PORT = process.env.E2E_CLIENTS_PORT ?? '8794'
const SHOP = 'https://shop.example'

const hub = startLocalHub({
  port: PORT,
  dir: '.e2e-clients',
  vars: { ADMIN_TOKEN: TOKEN, WEBHOOK_SECRETS_KEY: 'ZTJlLWNsaWVudHMtc2VjcmV0cy1rZXktMzItYnl0ZXM=' },
})
// The plugin keeps what it fetched on disk (eleventy-fetch's cache): a directory of its own.
const cacheDirectory = mkdtempSync(join(tmpdir(), 'glasshouse-webmentions-'))

/** An Eleventy build (./eleventy-build.mjs, a process of its own): each page's webmentions, and what it asked the hub. */
async function build(options, pages) {
  const { stdout } = await promisify(execFile)(process.execPath, [
    new URL('./eleventy-build.mjs', import.meta.url).pathname,
    JSON.stringify(options),
    ...pages,
  ])
  const { byPage, asked } = JSON.parse(stdout.slice(stdout.indexOf('{"byPage"')))
  return { byPage, asked: asked.map((a) => ({ ...a, url: new URL(a.url) })) }
}

const json = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }
const jf2 = async (query) => JSON.parse((await hub.request('GET', `/feeds/demo.jf2?${query}`)).body)

/** A blogger's TrackBack to the demo shop's `target`, published at once (link checks are off). */
async function ping(target, n) {
  const form = new URLSearchParams({
    url: `https://mug-blog-${n}.example/2026/mug`,
    title: `Mug post ${n}`,
    excerpt: `The mug holds tea well (${n}).`,
    blog_name: `Mug blog ${n}`,
  })
  const res = await hub.request('POST', `/tb/demo/${target}`, form.toString(), {
    'Content-Type': 'application/x-www-form-urlencoded',
  })
  assert.match(res.body, /<error>0<\/error>/, res.body)
}

try {
  await hub.waitFor('/')
  const seeded = await hub.request('POST', '/__dev/seed')
  assert.equal(seeded.status, 200, seeded.body)
  const settings = JSON.stringify({ settings: { verify_links: false, cache_seconds: 0 } })
  assert.equal((await hub.request('PATCH', '/api/sites/demo', settings, json)).status, 200)
  const mug = JSON.stringify({ id: 'mug', url: `${SHOP}/products/mug`, title: 'Mug', kind: 'product' })
  assert.equal((await hub.request('POST', '/api/sites/demo/targets', mug, json)).status, 201)
  await ping('mug', 1)

  // What the hub lists for each page, read by target.
  const ids = async (target) => (await jf2(`target=${target}&per-page=100`)).children.map((e) => e['wm-id']).sort()
  const tshirtIds = await ids('tshirt')
  assert.ok(tshirtIds.length >= 5, 'the demo has the T-shirt’s voices')

  // As the plugin's README sets it up for webmention.io, with the hub's address instead.
  const options = {
    domain: SHOP,
    feed: `${hub.base}/feeds/demo.jf2?domain=shop.example&per-page=5`,
    key: 'children',
    cacheDirectory,
    duration: '0s',
  }
  const started = performance.now()
  const first = await build(options, ['/products/tshirt/', `${SHOP}/products/mug/`])
  const tshirt = first.byPage['/products/tshirt/']
  assert.deepEqual(tshirt.map((e) => e['wm-id']).sort(), tshirtIds, 'the T-shirt page gets its own voices')
  assert.ok(
    tshirt.every((e) => e['wm-target'] === `${SHOP}/products/tshirt`),
    'and no other page’s',
  )
  assert.deepEqual(
    first.byPage[`${SHOP}/products/mug/`].map((e) => e['wm-source']),
    ['https://mug-blog-1.example/2026/mug'],
  )
  // The whole domain came in numbered pages of 5, the last one short.
  assert.deepEqual(
    first.asked.map((a) => [a.url.searchParams.get('page'), a.url.searchParams.get('per-page'), a.status]),
    Array.from({ length: first.asked.length }, (_, i) => [String(i), '5', 200]),
  )
  assert.ok(first.asked.length >= 2 && first.asked.at(-1).found < 5)

  // A later build, after one new voice: the plugin asks only for what came after the newest it holds.
  await ping('mug', 2)
  const later = await build(options, ['/products/mug/', '/products/tshirt/'])
  assert.deepEqual(later.byPage['/products/mug/'].map((e) => e['wm-source']).sort(), [
    'https://mug-blog-1.example/2026/mug',
    'https://mug-blog-2.example/2026/mug',
  ])
  assert.deepEqual(later.byPage['/products/tshirt/'].map((e) => e['wm-id']).sort(), tshirtIds)
  assert.equal(later.asked.length, 1)
  assert.ok(later.asked[0].url.searchParams.get('since'), 'asked with since=')
  assert.equal(later.asked[0].found, 1, 'only the new voice was sent')

  // More than a page of new voices before the next build, one of them received long before the
  // newest the plugin holds (a voice found in a watched feed, published by staff only now): the
  // plugin walks numbered pages of what came after `since` and gets every one, the found voice too.
  for (let n = 3; n <= 8; n++) await ping('mug', n)
  const found = await hub.request('POST', '/api/mentions/m_demo_found/publish', '{}', json)
  assert.equal(found.status, 200, found.body)
  const third = await build(options, ['/products/mug/', '/products/tshirt/'])
  assert.deepEqual(
    third.byPage['/products/mug/'].map((e) => e['wm-source']).sort(),
    Array.from({ length: 8 }, (_, i) => `https://mug-blog-${i + 1}.example/2026/mug`),
  )
  assert.deepEqual(
    third.byPage['/products/tshirt/'].map((e) => e['wm-id']).sort(),
    [...tshirtIds, 'm_demo_found'].sort(),
  )
  assert.deepEqual(
    third.asked.map((a) => [a.url.searchParams.get('page'), a.status, a.found]),
    [
      ['0', 200, 5],
      ['1', 200, 2],
    ],
  )
  assert.ok(
    third.asked.every((a) => a.url.searchParams.get('since')),
    'each page asked with since=',
  )

  // webmention.js's read of one page: the page's http and https addresses.
  const page = encodeURIComponent(`${SHOP}/products/tshirt`)
  const oneTarget = await jf2(
    `per-page=50&sort-by=published&sort-dir=up&target[]=${page.replace('https', 'http')}&target[]=${page}`,
  )
  assert.deepEqual(oneTarget.children.map((e) => e['wm-id']).sort(), [...tshirtIds, 'm_demo_found'].sort())

  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    `Client test passed: @chrisburnell/eleventy-cache-webmentions filed the hub's site-wide jf2 by page (numbered pages, then since=, then since= in numbered pages) in ${seconds} s; webmention.js's target[] read`,
  )
} finally {
  rmSync(cacheDirectory, { recursive: true, force: true })
  hub.stop()
}
