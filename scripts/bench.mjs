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
 */
import { spawn, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import http from 'node:http'

const PORT = process.env.BENCH_PORT ?? '8799'
const BASE = `http://127.0.0.1:${PORT}`
const STATE = '.bench/state'
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300)
const PAGE = 20

rmSync('.bench', { recursive: true, force: true })
const migrate = spawnSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', STATE], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, CI: 'true' },
})
if (migrate.status !== 0) process.exit(migrate.status ?? 1)

const dev = spawn(
  'npx',
  ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', PORT, '--persist-to', STATE, '--var', 'ENVIRONMENT:development', '--log-level', process.env.BENCH_LOG ?? 'error'],
  { stdio: ['ignore', process.env.BENCH_LOG ? 'inherit' : 'ignore', 'inherit'], detached: true }
)
const stop = () => {
  try {
    process.kill(-dev.pid, 'SIGTERM')
  } catch {}
}
process.on('exit', stop)
process.on('SIGINT', () => process.exit(130))

/**
 * One request on a new connection (`agent: false`): pooled keep-alive connections go stale
 * while a long seeding request runs and then hang in wrangler dev's proxy.
 */
function request(method, path) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${BASE}${path}`, { method, agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.setTimeout(600_000, () => req.destroy(new Error(`${method} ${path}: timed out`)))
    req.on('error', reject)
    req.end()
  })
}

async function waitUp() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await request('GET', '/__dev/bench/floor')).status === 200) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error('wrangler dev did not start')
}

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

try {
  await waitUp()
  const results = []
  for (const size of [1_000, 100_000]) {
    const seeded = await seed(size)
    const r = await measure(`n${size}`)
    report(seeded.mentions, r)
    results.push(r)
  }
  // A target has 1 voice at 1,000 and 100 at 100,000: compare the pages that are full at both sizes.
  const full = Object.keys(results[0].rows).filter((k) => results[0].rows[k].items === PAGE && results[1].rows[k].items === PAGE)
  const same = full.every((k) => results[0].rows[k].rows === results[1].rows[k].rows)
  console.log(`\nrows_read of full pages (${full.join(', ')}) the same at 1,000 and 100,000 voices: ${same ? 'yes' : 'no'}`)
} finally {
  stop()
}
