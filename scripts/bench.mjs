#!/usr/bin/env node
/**
 * `npm run bench` — what the hub's requests cost, each measured against a floor in the same run.
 *
 * Starts `wrangler dev` on a throw-away local D1 (.bench/) and seeds the `bench` site with
 * 10,000 and then 1,000,000 voices over 1,000 targets (BENCH_SIZES=10000,100000 for a shorter
 * run), in steps of 10,000 that each finish in seconds, timing a feed request between steps to
 * show the hub stays responsive. At each size it prints, for every public document (feed pages,
 * jf2 of one target and of the whole site — its first page, deep numbered pages, since —
 * JSON-LD, trust, ledger), every operator list and filter, the inbox, and the partner's page and
 * API: D1 rows_read (X-D1-Rows-Read, set in development) and the median and p99 latency. Goal:
 * rows_read bounded by the page size and equal at both sizes.
 *
 * Then the embed's hot path, at the largest size:
 *   - median latency of a feed cache miss against a floor route running one indexed
 *     SELECT … LIMIT 20; goal: ratio ≤ 1.5;
 *   - throughput of a warm widget view — GET /embed.js and its one feed request, a cache hit
 *     (X-Cache: hit, X-D1-Queries: 0), both from the shop's origin — against a route that
 *     touches no D1 answering the same bytes for each, under autocannon in alternating slices;
 *     goal: ≥ 0.75 and 0 D1 queries;
 *   - the widget's size, gzipped; goal: ≤ 10 KB.
 *
 * Then ingest: requests per second of Webmention and TrackBack receipts under autocannon
 * (10 connections), against a floor route doing one D1 insert, in alternating 5-second
 * slices; goal: ≥ 0.8 of the floor. Every receipt is a new voice from a new blog (so flood
 * limits do not turn them into cheap 429s); the first check of a source is delayed an hour,
 * so the queue consumer stays out of the measurement.
 *
 * Then the affiliate redirect: median latency of GET /r/{code} (302 plus the click handed to
 * the queue after the answer) against a floor route answering a bare 302, under autocannon
 * load in alternating slices; goal: ratio ≤ 1.3. Prints how many clicks the queue consumer
 * wrote.
 *
 * Then listening: 100 watched feeds over 5 sites, served by this script on loopback (30 entries
 * a feed, 3 naming the shop). Each scheduled run reads at most 20, so the 100 take five runs;
 * for each run it prints the time, D1 rows_read and queries of the run's own code (`listen()`,
 * through a development route), against a floor that only fetches the same feeds. Then the same
 * five runs when every feed answers 304 (conditional GET). Goals: rows_read per run bounded by
 * the feeds it reads (the tables' size plays no part), and unchanged feeds cheaper than new ones.
 *
 * Then an export of the bench site at the largest size (src/dev/bench-export.ts), driven a step
 * at a time — each step the work of one export queue message: up to 1,000 rows of one kind
 * written to R2 — and each step timed. It prints the steps, the whole export's time, the most
 * rows and bytes one step read and wrote, the slowest step (goal: far below the Workers CPU limit
 * of 30 s a queue invocation, which its wall time bounds), and the resident memory of the local
 * workerd process before, during and after (goal: flat, whatever the shop holds); then the
 * time to stream the largest file through a signed link, with workerd's memory meanwhile.
 *
 * Last, an import of an old blog's WordPress export with 100,000 trackbacks and pingbacks into
 * the bench site (scripts/bench-import.mjs), a step at a time: its rate in voices a second, its
 * steps and slowest step, workerd's memory, and the public feed's latency while it runs against
 * its idle figure (goal: ratio ≤ 1.5).
 *
 * Then a Shopify burst (scripts/bench-shopify.mjs): the bench site connected to Shopify, its
 * products made by products/create webhooks, then 1,000 signed orders/fulfilled webhooks as
 * Shopify sends them after an outage, 20 in flight, with retries of the same delivery among them:
 * the hook's acceptance latency p50 and p99 against the ingest floor (one D1 insert) sent as many
 * times alongside, the 5xx answers (goal 0), the queue's drain, and one review invitation for
 * each order (goal: none lost, none doubled).
 *
 * BENCH_SKIP_READ=1, BENCH_SKIP_INGEST=1, BENCH_SKIP_REDIRECT=1, BENCH_SKIP_SHOPIFY=1,
 * BENCH_SKIP_LISTEN=1, BENCH_SKIP_EXPORT=1, BENCH_SKIP_IMPORT=1 skip parts. BENCH_ONLY=import (or
 * shopify) runs that part alone, on the smallest size (`BENCH_ONLY=import BENCH_SIZES=10000 npm
 * run bench`: a few minutes; `BENCH_ONLY=shopify BENCH_SIZES=10000 npm run bench`: about a
 * minute); BENCH_IMPORT_LINKBACKS=10000 imports fewer, BENCH_SHOPIFY_ORDERS=100 sends fewer.
 */
import { spawnSync } from 'node:child_process'
import http, { createServer } from 'node:http'
import { gzipSync } from 'node:zlib'

import autocannon from 'autocannon'

import { measureImport } from './bench-import.mjs'
import { measureShopifyBurst } from './bench-shopify.mjs'
import { startLocalHub } from './local-hub.mjs'

const PORT = process.env.BENCH_PORT ?? '8799'
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300)
const READ_ROUNDS = Number(process.env.BENCH_READ_ROUNDS ?? 40)
const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number)
const PAGE = 20
/** A page of one product's voices: 5, so it is full at 10,000 voices too (10 a product). */
const FEW = 5
const TOKEN = 'bench-operator-token'
const PARTNER_KEY = 'gh_pk_bench_partner_key_for_development_only'
/** BENCH_ONLY=import or shopify: that part alone, on the smallest size. */
const ONLY = process.env.BENCH_ONLY?.toUpperCase()
/** Whether a part is left out: BENCH_SKIP_{part}=1, or every part but the one BENCH_ONLY names. */
const skips = (part) => (ONLY !== undefined && part !== ONLY) || process.env[`BENCH_SKIP_${part}`] === '1'

// Everything the hub needs, so the bench does not depend on a developer's .dev.vars (a fresh clone has none).
const hub = startLocalHub({
  port: PORT,
  dir: '.bench',
  vars: {
    VERIFY_FIRST_DELAY_SECONDS: 3600,
    ADMIN_TOKEN: TOKEN,
    WEBHOOK_SECRETS_KEY: 'YmVuY2gtb25seS1zZWNyZXRzLWtleS0zMi1ieXRlcyE=',
    // The listening bench serves its feeds on loopback.
    ALLOW_LOOPBACK_SOURCES: 'true',
  },
  log: process.env.BENCH_LOG,
})
const { request, stop } = hub
const BASE = hub.base
const waitUp = () => hub.waitFor('/__dev/bench/floor')

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)]

/**
 * Grows the bench site to `total` voices in steps of 10,000 (each a few seconds of work, so no
 * request is left running behind a timed-out proxy), timing a feed request after every step.
 */
async function seed(total) {
  let seeded = { mentions: 0 }
  const between = []
  const started = performance.now()
  do {
    const step = Math.min(total, seeded.mentions + 10_000)
    const res = await request('POST', `/__dev/bench/seed?mentions=${step}`)
    if (res.status === 503) continue // wrangler dev restarted the worker; seeding resumes where it stopped
    if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${res.body}`)
    seeded = JSON.parse(res.body)
    between.push((await timed(`/feeds/bench.json?limit=${PAGE}&_=seeding${seeded.mentions}`)).ms)
  } while (seeded.mentions < total)
  const first = await timed(`/feeds/bench.json?target=p0042&limit=${PAGE}&_=after-seeding${total}`)
  return {
    ...seeded,
    seconds: (performance.now() - started) / 1000,
    worstBetween: Math.max(...between),
    firstAfter: first.ms,
  }
}

async function timed(path, headers = {}, method = 'GET') {
  const start = performance.now()
  const res = await request(method, path, undefined, headers)
  const ms = performance.now() - start
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.slice(0, 200)}`)
  return {
    ms,
    rows: Number(res.headers['x-d1-rows-read']),
    queries: Number(res.headers['x-d1-queries']),
    cache: res.headers['x-cache'],
    body: res.body,
  }
}

/** A signed-in session's cookie: the operator's web UI, or the bench partner's page. */
async function cookieFrom(path, field, value) {
  const res = await request('POST', path, new URLSearchParams({ [field]: value }).toString(), {
    'Content-Type': 'application/x-www-form-urlencoded',
    Origin: BASE,
  })
  if (res.status !== 303) throw new Error(`${path}: sign-in answered ${res.status}`)
  return String(res.headers['set-cookie']).split(';')[0]
}

/** Every read the bench prices: [name, path, headers, page size]. Public ones get a fresh cache key each time (a miss). */
async function readRequests() {
  const operator = { Authorization: `Bearer ${TOKEN}` }
  const admin = { Cookie: await cookieFrom('/admin/login', 'token', TOKEN) }
  const partnerPage = { Cookie: await cookieFrom('/partners/bench/login', 'key', PARTNER_KEY) }
  const partnerApi = { Authorization: `Bearer ${PARTNER_KEY}` }
  const firstFeed = JSON.parse((await request('GET', `/feeds/bench.json?limit=${PAGE}&_=cursor`)).body)
  const firstList = JSON.parse(
    (await request('GET', `/api/sites/bench/mentions?limit=${PAGE}`, undefined, operator)).body,
  )
  const list = (query) => `/api/sites/bench/mentions?limit=${PAGE}${query ? `&${query}` : ''}`
  // The site-wide jf2 since the 60th newest voice's receipt: a page of 20 of the ~60 after it.
  const newest = JSON.parse((await request('GET', '/feeds/bench.jf2?per-page=60&_=since')).body).children
  const since = encodeURIComponent(newest[newest.length - 1]['wm-received'])
  return [
    ['feed, site-wide', `/feeds/bench.json?limit=${PAGE}`, {}, PAGE, true],
    ['feed, one target', `/feeds/bench.json?target=p0042&limit=${FEW}`, {}, FEW, true],
    ['feed, target+sentiment', `/feeds/bench.json?target=p0042&sentiment=negative&limit=${FEW}`, {}, FEW, true],
    ['feed, kind+sentiment', `/feeds/bench.json?kind=webmention&sentiment=positive&limit=${PAGE}`, {}, PAGE, true],
    [
      'feed, page 2 (cursor)',
      new URL(firstFeed.next_url).pathname + new URL(firstFeed.next_url).search,
      {},
      PAGE,
      true,
    ],
    ['jf2, one target', `/feeds/bench.jf2?target=p0042&per-page=${FEW}`, {}, FEW, true],
    ['jf2, site-wide', `/feeds/bench.jf2?per-page=${PAGE}`, {}, PAGE, true],
    ['jf2, site-wide since a time', `/feeds/bench.jf2?per-page=${PAGE}&since=${since}`, {}, PAGE, true],
    ['jf2, site-wide since a wm-id', `/feeds/bench.jf2?per-page=${PAGE}&since=m_bench_0000100`, {}, PAGE, true],
    // Numbered pages deep in the list (publication numbers): full at 10,000 voices, and as cheap at any size.
    ['jf2, site-wide page 95 of 100', '/feeds/bench.jf2?per-page=100&page=95', {}, 100, true],
    ['jf2, oldest first, page 95', '/feeds/bench.jf2?per-page=100&page=95&sort-dir=up', {}, 100, true],
    ['jf2, page 5 of 1,000', '/feeds/bench.jf2?per-page=1000&page=5', {}, 1000, true],
    // What eleventy-cache-webmentions asks on a later build: numbered pages after `since`.
    ['jf2, since a time, page 1', `/feeds/bench.jf2?per-page=${PAGE}&page=1&since=${since}`, {}, PAGE, true],
    ['JSON-LD, one target', '/feeds/bench/jsonld?target=p0042', {}, 10, true],
    ['trust, one target', '/feeds/bench/trust.json?target=p0042', {}, 1, true],
    ['ledger', '/feeds/bench/ledger.json?limit=20', {}, PAGE, true],
    ['list, all', list(''), operator, PAGE],
    ['list, page 2 (cursor)', list(`cursor=${firstList.next_cursor}`), operator, PAGE],
    ['list, status', list('status=published'), operator, PAGE],
    ['list, kind', list('kind=webmention'), operator, PAGE],
    ['list, sentiment', list('sentiment=negative'), operator, PAGE],
    ['list, target', `/api/sites/bench/mentions?limit=${FEW}&target=p0042`, operator, FEW],
    ['list, unanswered+sentiment', list('unanswered=1&sentiment=negative'), operator, PAGE],
    ['list, unanswered (window)', list('unanswered=1'), operator, PAGE],
    ['list, status+kind (window)', list('status=published&kind=pingback'), operator, PAGE],
    [
      'list, 4 filters (window)',
      list('status=published&kind=webmention&sentiment=negative&unanswered=1'),
      operator,
      PAGE,
    ],
    ['inbox (3 groups of 50)', '/admin/sites/bench', admin, 150],
    ['inbox, kind', '/admin/sites/bench?kind=webmention', admin, 150],
    ['inbox, target', '/admin/sites/bench?target=p0042', admin, 150],
    ['inbox, status list', '/admin/sites/bench?status=spam', admin, 100],
    ['targets', '/api/sites/bench/targets?limit=20', operator, PAGE],
    ['targets, registered', '/api/sites/bench/targets?automatic=false&limit=20', operator, PAGE],
    ['partners', '/api/sites/bench/partners?limit=20', operator, PAGE],
    ['sites', '/api/sites?limit=20', operator, PAGE],
    ['partner page', '/partners/bench', partnerPage, 200],
    ['partner API, commissions', `/partners/bench/api/commissions?limit=${PAGE}`, partnerApi, PAGE],
    ['partner API, links', '/partners/bench/api/links', partnerApi, PAGE],
  ]
}

/** rows_read, median and p99 latency of every read (public ones as cache misses). */
async function readCosts(label) {
  const out = {}
  for (const [name, path, headers, page, isPublic] of await readRequests()) {
    const sep = path.includes('?') ? '&' : '?'
    const at = (i) => (isPublic ? `${path}${sep}_=${label}-${i}` : path)
    for (let i = 0; i < 3; i++) await timed(at(`warm${i}`), headers)
    const ms = []
    let rows = 0
    for (let i = 0; i < READ_ROUNDS; i++) {
      const r = await timed(at(i), headers)
      ms.push(r.ms)
      rows = Math.max(rows, r.rows)
    }
    out[name] = { rows, page, median: median(ms), p99: p99(ms) }
  }
  return out
}

function reportCosts(seeded, costs) {
  console.log(`\n== ${seeded.mentions.toLocaleString('en')} voices ==`)
  console.log(
    `Seeded in ${seeded.seconds.toFixed(0)} s in steps of 10,000; slowest feed request between steps ${seeded.worstBetween.toFixed(0)} ms; first one after seeding ${seeded.firstAfter.toFixed(0)} ms`,
  )
  console.log(`D1 rows_read and latency over ${READ_ROUNDS} requests each (public documents as cache misses):`)
  console.log(
    `  ${'request'.padEnd(30)} ${'rows'.padStart(5)} ${'page'.padStart(5)} ${'median'.padStart(9)} ${'p99'.padStart(9)}`,
  )
  for (const [name, c] of Object.entries(costs)) {
    console.log(
      `  ${name.padEnd(30)} ${String(c.rows).padStart(5)} ${String(c.page).padStart(5)} ${c.median.toFixed(1).padStart(7)} ms ${c.p99.toFixed(1).padStart(7)} ms`,
    )
  }
}

/** Median latency of the floor, a feed miss and a feed hit, alternating so all see the same machine. */
async function measureHotPath(label) {
  const feed = `/feeds/bench.json?limit=${PAGE}`
  for (let i = 0; i < 20; i++) {
    await timed('/__dev/bench/floor')
    await timed(`${feed}&_=warm${i}`)
  }
  const floor = []
  const miss = []
  const hit = []
  for (let i = 0; i < ROUNDS; i++) {
    floor.push((await timed('/__dev/bench/floor')).ms)
    miss.push((await timed(`${feed}&_=${label}-${i}`)).ms) // a new cache key each time
    hit.push((await timed(feed)).ms)
  }
  const r = { floor: median(floor), miss: median(miss), hit: median(hit) }
  console.log(`\n== The embed's hot path (median over ${ROUNDS} rounds, one request at a time) ==`)
  console.log(`  floor (one indexed SELECT … LIMIT 20)  ${r.floor.toFixed(2)} ms`)
  console.log(
    `  feed, cache miss                        ${r.miss.toFixed(2)} ms  ratio ${(r.miss / r.floor).toFixed(2)} (goal ≤ 1.5)`,
  )
  console.log(`  feed, cache hit                         ${r.hit.toFixed(2)} ms  ratio ${(r.hit / r.floor).toFixed(2)}`)
}

/**
 * A storefront's warm view of the widget: the two requests a product page makes (the script, then
 * its one feed request, both from the shop's origin) against a route that touches no D1 answering
 * the same bytes for each, as pairs per connection under autocannon, alternating 5-second slices.
 */
async function measureWidgetView() {
  const SLICES = Number(process.env.BENCH_HIT_SLICES ?? 4)
  // What the widget asks for with `site` and `target` set (src/embed/client/voices-element.ts).
  const feed = `/feeds/bench.json?target=p0042&limit=10`
  const origin = { Origin: 'https://bench.example' }
  const warm = await timed(feed, origin)
  const hot = await timed(feed, origin)
  const script = await request('GET', '/embed.js', undefined, origin)
  const view = [
    { method: 'GET', path: '/embed.js', headers: origin },
    { method: 'GET', path: feed, headers: origin },
  ]
  const floor = [
    { method: 'GET', path: `/__dev/bench/no-db?bytes=${Buffer.byteLength(script.body)}`, headers: origin },
    { method: 'GET', path: `/__dev/bench/no-db?bytes=${Buffer.byteLength(hot.body)}`, headers: origin },
  ]
  const rates = { none: [], view: [] }
  const rate = async (requests) => {
    const r = await autocannon({ url: BASE, connections: 10, duration: 5, requests })
    // Two requests make a view.
    return { perSecond: r['2xx'] / 2 / 5, wrong: r.non2xx + r.errors + r.timeouts }
  }
  let wrong = 0
  await rate(floor) // warm-up
  await rate(view)
  for (let i = 0; i < SLICES; i++) {
    for (const [kind, requests] of [
      ['none', floor],
      ['view', view],
    ]) {
      const r = await rate(requests)
      rates[kind].push(r.perSecond)
      wrong += r.wrong
    }
  }
  const after = await timed(feed, origin)
  const none = median(rates.none)
  const seen = median(rates.view)
  const ratio = seen / none
  console.log(
    `\n== A warm widget view: GET /embed.js + its feed (autocannon, 10 connections, ${SLICES} × 5 s slices each) ==`,
  )
  console.log(`  the same bytes, no D1          ${none.toFixed(0)} views/s`)
  console.log(
    `  the widget's two requests      ${seen.toFixed(0)} views/s  ratio ${ratio.toFixed(2)} (goal ≥ 0.75: ${ratio >= 0.75 ? 'met' : 'NOT met'})${wrong ? `  (${wrong} non-2xx/errors)` : ''}`,
  )
  console.log(
    `  the feed: X-Cache ${hot.cache}, ${hot.queries} D1 queries, ${hot.rows} rows read (goal 0: ${hot.queries === 0 ? 'met' : 'NOT met'}); the first request was a ${warm.cache}, and after the load: ${after.cache}`,
  )
}

async function widgetSize() {
  const res = await request('GET', '/embed.js')
  const bytes = Buffer.byteLength(res.body)
  const gzipped = gzipSync(res.body, { level: 9 }).length
  console.log(`\n== The widget, GET /embed.js ==`)
  console.log(`  ${(bytes / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped (goal ≤ 10 KB)`)
}

let sequence = 0
/** A fresh source page on a fresh blog, and a fresh client address, for every request. */
function ingestRequest(kind) {
  const n = ++sequence
  const source = `https://blog${n}.bench-blogs.example/posts/${n}`
  const headers = { 'CF-Connecting-IP': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` }
  if (kind === 'webmention') {
    return {
      method: 'POST',
      path: '/webmention/bench',
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        source,
        target: `https://bench.example/products/p${String(n % 1000).padStart(4, '0')}`,
      }).toString(),
    }
  }
  if (kind === 'trackback') {
    return {
      method: 'POST',
      path: `/tb/bench/p${String(n % 1000).padStart(4, '0')}`,
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({
        url: source,
        title: `Post ${n}`,
        excerpt: 'A few words about the product.',
        blog_name: `Blog ${n}`,
      }).toString(),
    }
  }
  return { method: 'POST', path: '/__dev/bench/ingest-floor', headers }
}

async function load(kind, seconds) {
  const result = await autocannon({
    url: BASE,
    connections: 10,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, ...ingestRequest(kind) }) }],
  })
  const ok = result['2xx']
  const wrong = result.non2xx + result.errors + result.timeouts
  return { perSecond: ok / seconds, wrong }
}

async function measureIngest(voices) {
  const SLICES = Number(process.env.BENCH_INGEST_SLICES ?? 4)
  const rates = { floor: [], webmention: [], trackback: [] }
  const wrong = { floor: 0, webmention: 0, trackback: 0 }
  await load('floor', 2) // warm-up
  for (let i = 0; i < SLICES; i++) {
    for (const kind of Object.keys(rates)) {
      const r = await load(kind, 5)
      rates[kind].push(r.perSecond)
      wrong[kind] += r.wrong
    }
  }
  const floor = median(rates.floor)
  console.log(
    `\n== Ingest at ${voices.toLocaleString('en')} voices (autocannon, 10 connections, ${SLICES} × 5 s slices each) ==`,
  )
  console.log(`  floor (one D1 insert)   ${floor.toFixed(0)} req/s`)
  for (const kind of ['webmention', 'trackback']) {
    const rate = median(rates[kind])
    console.log(
      `  ${kind.padEnd(22)}  ${rate.toFixed(0)} req/s  ratio ${(rate / floor).toFixed(2)} (goal ≥ 0.8: ${rate / floor >= 0.8 ? 'met' : 'NOT met'})${wrong[kind] ? `  (${wrong[kind]} non-2xx/errors)` : ''}`,
    )
  }
}

/** Median latency (ms) of GETs to `path` under autocannon load (10 connections), each request from a new address. */
async function latencyUnderLoad(path, seconds) {
  let n = 0
  const result = await autocannon({
    url: BASE,
    connections: 10,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          method: 'GET',
          path,
          headers: {
            'CF-Connecting-IP': `10.9.${(++n >> 8) & 255}.${n & 255}`,
            'User-Agent': 'Mozilla/5.0 (Windows NT 10.0) bench',
          },
        }),
      },
    ],
  })
  return {
    p50: result.latency.p50,
    ok: result['3xx'],
    wrong: result['2xx'] + result.non2xx - result['3xx'] + result.errors + result.timeouts,
  }
}

async function measureRedirect() {
  const SLICES = Number(process.env.BENCH_REDIRECT_SLICES ?? 4)
  const p50 = { floor: [], redirect: [] }
  let wrong = 0
  await latencyUnderLoad('/__dev/bench/redirect-floor', 2) // warm-up
  await latencyUnderLoad('/r/benchlk2', 2)
  for (let i = 0; i < SLICES; i++) {
    for (const [kind, path] of [
      ['floor', '/__dev/bench/redirect-floor'],
      ['redirect', '/r/benchlk2'],
    ]) {
      const r = await latencyUnderLoad(path, 5)
      p50[kind].push(r.p50)
      wrong += r.wrong
    }
  }
  const floor = median(p50.floor)
  const redirect = median(p50.redirect)
  console.log(`\n== Affiliate redirect GET /r/{code} (autocannon, 10 connections, ${SLICES} × 5 s slices each) ==`)
  console.log(`  floor (a bare 302)      median ${floor.toFixed(2)} ms`)
  console.log(
    `  redirect + click        median ${redirect.toFixed(2)} ms  ratio ${(redirect / Math.max(floor, 0.01)).toFixed(2)} (goal ≤ 1.3: ${redirect / Math.max(floor, 0.01) <= 1.3 ? 'met' : 'NOT met'})${wrong ? `  (${wrong} unexpected answers)` : ''}`,
  )
  const recorded = JSON.parse((await hub.request('GET', '/__dev/bench/clicks')).body)
  console.log(`  clicks recorded by the queue consumer: ${recorded.clicks} (written after the 302, never before it)`)
}

/** A watched feed as a blog search serves it: `entries` items, the first `naming` of them about the shop. */
function benchFeed(n, entries, naming) {
  const items = Array.from({ length: entries }, (_, i) => {
    const about = i < naming ? 'Glasshouse Goods のマグカップを買いました' : 'An ordinary day, nothing about shops'
    return `<item><title>Post ${n}-${i}</title><link>https://blog-${n}.example/entry/${i}</link><description><![CDATA[<p>${about}. ${'Words of the post. '.repeat(20)}</p>]]></description><pubDate>Fri, 20 Nov 2026 09:00:00 +0900</pubDate></item>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Search ${n}</title><link>https://search.example/</link><description>results</description>${items.join('')}</channel></rss>`
}

/** The resident memory of the local hub's workerd process (the isolate runs in it), in MB; null where ps cannot tell. */
function workerdMb() {
  const out = spawnSync('ps', ['-o', 'rss=,comm=', '-g', String(hub.pid)], { encoding: 'utf8' })
  const kb = (out.stdout ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm]) => comm === 'workerd')
    .reduce((sum, [rss]) => sum + Number(rss), 0)
  return kb > 0 ? Math.round(kb / 1024) : null
}

/** Streams a download through, counting its bytes (never holding it); its time and workerd's peak memory meanwhile. */
function streamed(url) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let bytes = 0
    let peak = workerdMb() ?? 0
    const sample = setInterval(() => (peak = Math.max(peak, workerdMb() ?? 0)), 500)
    http
      .get(url, { agent: false }, (res) => {
        res.on('data', (chunk) => (bytes += chunk.length))
        res.on('end', () => {
          clearInterval(sample)
          resolve({ status: res.statusCode, bytes, seconds: (performance.now() - started) / 1000, peak })
        })
      })
      .on('error', (err) => {
        clearInterval(sample)
        reject(err)
      })
  })
}

async function measureExport(voices) {
  console.log(`\nExport of the bench site (${voices.toLocaleString('en')} voices), one queue message's step at a time`)
  const before = workerdMb()
  const start = await request('POST', '/__dev/bench/export/start')
  if (start.status !== 200) throw new Error(`export start: ${start.status} ${start.body}`)
  const { id } = JSON.parse(start.body)
  const started = performance.now()
  const steps = []
  let peak = before ?? 0
  for (;;) {
    const t = performance.now()
    const res = await request('POST', `/__dev/bench/export/step?id=${id}`)
    if (res.status === 503) continue // wrangler dev restarted the worker: the step is taken again
    if (res.status !== 200) throw new Error(`export step: ${res.status} ${res.body}`)
    const step = JSON.parse(res.body)
    steps.push({ ...step, ms: performance.now() - t })
    if (steps.length % 10 === 0) peak = Math.max(peak, workerdMb() ?? 0)
    if (steps.length % 200 === 0)
      console.log(`  ${steps.length} steps, ${((performance.now() - started) / 1000).toFixed(0)} s, at ${step.kind}`)
    if (step.state !== 'running') break
  }
  const seconds = (performance.now() - started) / 1000
  const after = workerdMb()
  const ms = steps.map((s) => s.ms)
  const most = (key) => steps.reduce((a, b) => (b[key] > a[key] ? b : a))
  const [rows, bytes, slowest] = [most('rows'), most('bytes'), most('ms')]
  const auth = { Authorization: `Bearer ${TOKEN}` }
  const done = JSON.parse((await request('GET', `/api/sites/bench/exports/${id}`, undefined, auth)).body)
  console.log(
    `  state ${done.state}: ${steps.length} steps in ${seconds.toFixed(0)} s (${(steps.length / seconds).toFixed(1)} a second)`,
  )
  console.log(
    `  rows: ${JSON.stringify(done.counts)}; ${(done.bytes / 1e6).toFixed(1)} MB in ${done.files.length} files`,
  )
  console.log(
    `  most rows in a step: ${rows.rows} (${rows.kind}); most bytes written in a step: ${(bytes.bytes / 1e6).toFixed(2)} MB (${bytes.kind})`,
  )
  console.log(
    `  a step's wall time: median ${median(ms).toFixed(0)} ms, p99 ${p99(ms).toFixed(0)} ms, slowest ${slowest.ms.toFixed(0)} ms (${slowest.kind}) — goal: far below 30,000 ms`,
  )
  console.log(`  workerd resident memory: ${before} MB before, at most ${peak} MB during, ${after} MB after`)
  const largest = done.files.reduce((a, b) => (b.bytes > a.bytes ? b : a))
  const link = new URL(largest.url)
  const download = await streamed(`${BASE}${link.pathname}${link.search}`)
  console.log(
    `  streaming ${largest.name} (${(download.bytes / 1e6).toFixed(1)} MB, ${download.status}): ${download.seconds.toFixed(1)} s; workerd at most ${download.peak} MB meanwhile`,
  )
}

async function measureListening() {
  const WATCHES = 100
  const ENTRIES = 30
  const NAMING = 3
  const served = { full: 0, notModified: 0 }
  const server = createServer((req, res) => {
    const n = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '')?.[1]
    if (n === undefined) return res.writeHead(404).end()
    const etag = `"feed-${n}-v1"`
    if (req.headers['if-none-match'] === etag) {
      served.notModified++
      return res.writeHead(304, { ETag: etag }).end()
    }
    served.full++
    res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: etag })
    res.end(benchFeed(n, ENTRIES, NAMING))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const feeds = `http://127.0.0.1:${server.address().port}`
  const post = async (path) => {
    const res = await timed(path, {}, 'POST')
    return { ...res, body: JSON.parse(res.body) }
  }
  try {
    const start = Date.now()
    await post(`/__dev/bench/listen/seed?watches=${WATCHES}&now=${start}&feeds=${encodeURIComponent(feeds)}`)
    console.log(
      `\n== Listening: ${WATCHES} watched feeds over ${WATCHES / 20} sites (${ENTRIES} entries a feed, ${NAMING} naming the shop) ==`,
    )
    const pass = async (label, from) => {
      const runs = []
      for (let t = from, read = 0; read < WATCHES; t += 10 * 60_000) {
        const floor = await post(`/__dev/bench/listen/floor?now=${t}`)
        const run = await post(`/__dev/bench/listen/run?now=${t}`)
        read += run.body.watches
        runs.push({ floor, run })
        const s = run.body
        console.log(
          `  ${label} run ${runs.length}: ${s.watches} feeds (${s.fetched} read, ${s.unchanged} unchanged, ${s.failed} failed), ${s.added} voices added — ${run.ms.toFixed(0)} ms, rows_read ${run.rows}, ${run.queries} queries; floor (fetch only) ${floor.ms.toFixed(0)} ms, ratio ${(run.ms / Math.max(floor.ms, 1)).toFixed(2)}`,
        )
        if (runs.length > WATCHES) throw new Error('the runs do not get through the watches')
      }
      return runs
    }
    const fresh = await pass('new entries', start)
    const later = start + 2 * 60 * 60_000
    await post(`/__dev/bench/listen/due?now=${later}`)
    const unchanged = await pass('unchanged  ', later)
    const worst = (runs) => Math.max(...runs.map((r) => r.run.rows))
    const perFeed = (runs) => worst(runs) / 20
    console.log(
      `  a run with new entries: median ${median(fresh.map((r) => r.run.ms)).toFixed(0)} ms, at most ${worst(fresh)} rows read (${perFeed(fresh).toFixed(1)} a feed read; goal: bounded by the feeds read)`,
    )
    console.log(
      `  a run of unchanged feeds: median ${median(unchanged.map((r) => r.run.ms)).toFixed(0)} ms, at most ${worst(unchanged)} rows read (goal: less than with new entries)`,
    )
    console.log(`  the feeds served ${served.full} full answers and ${served.notModified} 304s (floors included)`)
  } finally {
    server.close()
  }
}

try {
  await waitUp()
  let voices = 0
  if (!skips('READ')) {
    const costs = []
    for (const size of SIZES) {
      const seeded = await seed(size)
      voices = seeded.mentions
      const c = await readCosts(`n${size}`)
      reportCosts(seeded, c)
      costs.push(c)
    }
    if (costs.length > 1) {
      const [a, b] = [costs[0], costs[costs.length - 1]]
      const differ = Object.keys(a).filter((name) => a[name].rows !== b[name].rows)
      // A bound with margin: a windowed page reads its window (5 rows per item) twice, plus the page (src/voices/store.ts).
      const over = Object.keys(b).filter((name) => b[name].rows > 12 * b[name].page + 20)
      console.log(
        `\nrows_read the same at ${SIZES[0].toLocaleString('en')} and ${SIZES[SIZES.length - 1].toLocaleString('en')} voices: ${differ.length === 0 ? 'yes, for every request' : `for all but ${differ.map((n) => `${n} (${a[n].rows} → ${b[n].rows})`).join(', ')}`}`,
      )
      console.log(
        `rows_read within 12 × page + 20 for every request: ${over.length === 0 ? 'yes' : `no: ${over.join(', ')}`}`,
      )
    }
    await measureHotPath(`n${voices}`)
    await measureWidgetView()
    await widgetSize()
  } else {
    voices = (await seed(ONLY ? SIZES[0] : SIZES[SIZES.length - 1])).mentions
  }
  if (!skips('INGEST')) await measureIngest(voices)
  if (!skips('REDIRECT')) await measureRedirect()
  if (!skips('SHOPIFY')) await measureShopifyBurst(hub, { median, p99, token: TOKEN })
  if (!skips('LISTEN')) await measureListening()
  if (!skips('EXPORT')) await measureExport(voices)
  if (!skips('IMPORT')) await measureImport(hub, { timed, median, p99, workerdMb, token: TOKEN })
} finally {
  stop()
}
