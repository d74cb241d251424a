#!/usr/bin/env node
/**
 * `npm run bench` — the feed's read cost and latency, measured against a floor in the same run.
 *
 * Starts `wrangler dev` on a throw-away local D1 (.bench/), seeds the `bench` site with
 * 1,000 and then 100,000 published voices over 1,000 targets, and at each size prints:
 *   - D1 rows_read of one feed page of 20 (site-wide, one target, filtered), from the
 *     X-D1-Rows-Read header the Worker sets in development; goal ≤ 3 × 20, equal at both sizes;
 *   - median latency of GET /feeds/bench.json (cache misses, then cache hits) against a
 *     floor route that runs one indexed SELECT … LIMIT 20; goal: ratio ≤ 1.5.
 * Requests alternate between the routes so both see the same machine conditions.
 *
 * Then ingest, at 100,000 voices: requests per second of Webmention and TrackBack
 * receipts under autocannon (10 connections), against a floor route doing one D1 insert,
 * in alternating 5-second slices; goal: ≥ 0.7 of the floor. Every receipt is a new voice
 * from a new blog (so flood limits do not turn them into cheap 429s); the first check of a
 * source is delayed an hour, so the queue consumer stays out of the measurement.
 *
 * Then the affiliate redirect, the hot path: median latency of GET /r/{code} (302 plus the
 * click handed to the queue after the answer) against a floor route answering a bare 302,
 * under autocannon load in alternating slices; goal: ratio ≤ 1.5. Prints how many clicks the
 * queue consumer wrote. BENCH_SKIP_FEED=1, BENCH_SKIP_INGEST=1, BENCH_SKIP_REDIRECT=1 skip parts.
 */
import autocannon from 'autocannon'

import { startLocalHub } from './local-hub.mjs'

const PORT = process.env.BENCH_PORT ?? '8799'
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300)
const PAGE = 20

// Everything the hub needs, so the bench does not depend on a developer's .dev.vars (a fresh clone has none).
const hub = startLocalHub({
  port: PORT,
  dir: '.bench',
  vars: { VERIFY_FIRST_DELAY_SECONDS: 3600, ADMIN_TOKEN: 'bench-operator-token', WEBHOOK_SECRETS_KEY: 'YmVuY2gtb25seS1zZWNyZXRzLWtleS0zMi1ieXRlcyE=' },
  log: process.env.BENCH_LOG,
})
const { request, stop } = hub
const BASE = hub.base
const waitUp = () => hub.waitFor('/__dev/bench/floor')

/** Grows the bench site to `total` voices in steps of 10,000 (long requests stall wrangler dev's proxy). */
async function seed(total) {
  let seeded = { mentions: 0 }
  do {
    const step = Math.min(total, seeded.mentions + 10_000)
    const res = await request('POST', `/__dev/bench/seed?mentions=${step}`)
    if (res.status === 503) continue // wrangler dev restarted the worker; seeding resumes where it stopped
    if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${res.body}`)
    seeded = JSON.parse(res.body)
  } while (seeded.mentions < total)
  return seeded
}

async function timed(path) {
  const start = performance.now()
  const res = await request('GET', path)
  const ms = performance.now() - start
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
  return { ms, rows: Number(res.headers['x-d1-rows-read']), items: JSON.parse(res.body).items?.length }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function measure(label) {
  const feeds = {
    'site-wide': `/feeds/bench.json?limit=${PAGE}`,
    'one target': `/feeds/bench.json?target=p0042&limit=${PAGE}`,
    'target+sentiment': `/feeds/bench.json?target=p0042&sentiment=negative&limit=${PAGE}`,
    'kind+sentiment': `/feeds/bench.json?kind=webmention&sentiment=positive&limit=${PAGE}`,
    'page 2 (cursor)': null,
  }
  const first = JSON.parse((await request('GET', `${feeds['site-wide']}&_=cursor`)).body)
  feeds['page 2 (cursor)'] = new URL(first.next_url).pathname + new URL(first.next_url).search

  const rows = {}
  for (const [name, path] of Object.entries(feeds)) {
    const r = await timed(`${path}&_=${label}-rows`)
    rows[name] = { rows: r.rows, items: r.items }
  }

  // Warm up, then alternate floor / feed-miss / feed-hit.
  for (let i = 0; i < 20; i++) {
    await timed('/__dev/bench/floor')
    await timed(`${feeds['site-wide']}&_=warm${i}`)
  }
  const floor = []
  const miss = []
  const hit = []
  for (let i = 0; i < ROUNDS; i++) {
    floor.push((await timed('/__dev/bench/floor')).ms)
    miss.push((await timed(`${feeds['site-wide']}&_=${label}-${i}`)).ms) // a new cache key each time
    hit.push((await timed(feeds['site-wide'])).ms)
  }
  return { rows, floor: median(floor), miss: median(miss), hit: median(hit) }
}

function report(size, r) {
  console.log(`\n== ${size.toLocaleString('en')} voices ==`)
  console.log(`D1 rows_read per feed page of ${PAGE} (goal ≤ ${3 * PAGE}):`)
  for (const [name, { rows, items }] of Object.entries(r.rows)) {
    console.log(`  ${name.padEnd(18)} ${String(rows).padStart(4)} rows for ${String(items).padStart(2)} items  ${rows <= 3 * PAGE ? 'ok' : 'OVER'}`)
  }
  console.log(`Median latency over ${ROUNDS} rounds:`)
  console.log(`  floor (one indexed SELECT … LIMIT 20)  ${r.floor.toFixed(2)} ms`)
  console.log(`  feed, cache miss                        ${r.miss.toFixed(2)} ms  ratio ${(r.miss / r.floor).toFixed(2)} (goal ≤ 1.5)`)
  console.log(`  feed, cache hit                         ${r.hit.toFixed(2)} ms  ratio ${(r.hit / r.floor).toFixed(2)}`)
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
      body: new URLSearchParams({ source, target: `https://bench.example/products/p${String(n % 1000).padStart(4, '0')}` }).toString(),
    }
  }
  if (kind === 'trackback') {
    return {
      method: 'POST',
      path: `/tb/bench/p${String(n % 1000).padStart(4, '0')}`,
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ url: source, title: `Post ${n}`, excerpt: 'A few words about the product.', blog_name: `Blog ${n}` }).toString(),
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

async function measureIngest() {
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
  console.log(`\n== Ingest at 100,000 voices (autocannon, 10 connections, ${SLICES} × 5 s slices each) ==`)
  console.log(`  floor (one D1 insert)   ${floor.toFixed(0)} req/s`)
  for (const kind of ['webmention', 'trackback']) {
    const rate = median(rates[kind])
    console.log(`  ${kind.padEnd(22)}  ${rate.toFixed(0)} req/s  ratio ${(rate / floor).toFixed(2)} (goal ≥ 0.7)${wrong[kind] ? `  (${wrong[kind]} non-2xx/errors)` : ''}`)
  }
}

/** Median latency (ms) of GETs to `path` under autocannon load (10 connections), each request from a new address. */
async function latencyUnderLoad(path, seconds) {
  let n = 0
  const result = await autocannon({
    url: BASE,
    connections: 10,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, method: 'GET', path, headers: { 'CF-Connecting-IP': `10.9.${(++n >> 8) & 255}.${n & 255}`, 'User-Agent': 'Mozilla/5.0 (Windows NT 10.0) bench' } }) }],
  })
  return { p50: result.latency.p50, ok: result['3xx'], wrong: result['2xx'] + result.non2xx - result['3xx'] + result.errors + result.timeouts }
}

async function measureRedirect() {
  const SLICES = Number(process.env.BENCH_REDIRECT_SLICES ?? 4)
  const p50 = { floor: [], redirect: [] }
  let wrong = 0
  await latencyUnderLoad('/__dev/bench/redirect-floor', 2) // warm-up
  await latencyUnderLoad('/r/benchlk2', 2)
  for (let i = 0; i < SLICES; i++) {
    for (const [kind, path] of [['floor', '/__dev/bench/redirect-floor'], ['redirect', '/r/benchlk2']]) {
      const r = await latencyUnderLoad(path, 5)
      p50[kind].push(r.p50)
      wrong += r.wrong
    }
  }
  const floor = median(p50.floor)
  const redirect = median(p50.redirect)
  console.log(`\n== Affiliate redirect GET /r/{code} (autocannon, 10 connections, ${SLICES} × 5 s slices each) ==`)
  console.log(`  floor (a bare 302)      median ${floor.toFixed(2)} ms`)
  console.log(`  redirect + click        median ${redirect.toFixed(2)} ms  ratio ${(redirect / Math.max(floor, 0.01)).toFixed(2)} (goal ≤ 1.5)${wrong ? `  (${wrong} unexpected answers)` : ''}`)
  const recorded = JSON.parse((await hub.request('GET', '/__dev/bench/clicks')).body)
  console.log(`  clicks recorded by the queue consumer: ${recorded.clicks} (written after the 302, never before it)`)
}

try {
  await waitUp()
  const results = []
  // BENCH_SKIP_FEED=1: seed 100,000 voices and measure ingest only.
  const skipFeed = process.env.BENCH_SKIP_FEED === '1'
  for (const size of skipFeed ? [] : [1_000, 100_000]) {
    const seeded = await seed(size)
    const r = await measure(`n${size}`)
    report(seeded.mentions, r)
    results.push(r)
  }
  // A target has 1 voice at 1,000 and 100 at 100,000: compare the pages that are full at both sizes.
  if (skipFeed) await seed(100_000)
  const full = skipFeed ? [] : Object.keys(results[0].rows).filter((k) => results[0].rows[k].items === PAGE && results[1].rows[k].items === PAGE)
  const same = !skipFeed && full.every((k) => results[0].rows[k].rows === results[1].rows[k].rows)
  if (!skipFeed) console.log(`\nrows_read of full pages (${full.join(', ')}) the same at 1,000 and 100,000 voices: ${same ? 'yes' : 'no'}`)
  if (process.env.BENCH_SKIP_INGEST !== '1') await measureIngest()
  if (process.env.BENCH_SKIP_REDIRECT !== '1') await measureRedirect()
} finally {
  stop()
}
