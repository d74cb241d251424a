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

async function waitUp() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/__dev/bench/floor`)).ok) return
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
    const res = await fetch(`${BASE}/__dev/bench/seed?mentions=${step}`, { method: 'POST' })
    if (res.status === 503) continue // wrangler dev restarted the worker; seeding resumes where it stopped
    if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`)
    seeded = await res.json()
  } while (seeded.mentions < total)
  return seeded
}

async function timed(url) {
  const start = performance.now()
  const res = await fetch(url)
  await res.arrayBuffer()
  const ms = performance.now() - start
  if (!res.ok) throw new Error(`${url}: ${res.status}`)
  return { ms, rows: Number(res.headers.get('X-D1-Rows-Read')), cache: res.headers.get('X-Cache') }
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
  const first = await (await fetch(`${BASE}${feeds['site-wide']}&_=cursor`)).json()
  feeds['page 2 (cursor)'] = new URL(first.next_url).pathname + new URL(first.next_url).search + '&_=p2'

  const rows = {}
  for (const [name, path] of Object.entries(feeds)) rows[name] = (await timed(`${BASE}${path}&_=${label}-rows`)).rows

  // Warm up, then alternate floor / feed-miss / feed-hit.
  for (let i = 0; i < 20; i++) {
    await timed(`${BASE}/__dev/bench/floor`)
    await timed(`${BASE}${feeds['site-wide']}&_=warm${i}`)
  }
  const floor = []
  const miss = []
  const hit = []
  for (let i = 0; i < ROUNDS; i++) {
    floor.push((await timed(`${BASE}/__dev/bench/floor`)).ms)
    miss.push((await timed(`${BASE}${feeds['site-wide']}&_=${label}-${i}`)).ms) // a new cache key each time
    hit.push((await timed(`${BASE}${feeds['site-wide']}`)).ms)
  }
  return { rows, floor: median(floor), miss: median(miss), hit: median(hit) }
}

function report(size, r) {
  console.log(`\n== ${size.toLocaleString('en')} voices ==`)
  console.log(`D1 rows_read per feed page of ${PAGE} (goal ≤ ${3 * PAGE}):`)
  for (const [name, n] of Object.entries(r.rows)) console.log(`  ${name.padEnd(18)} ${String(n).padStart(4)}  ${n <= 3 * PAGE ? 'ok' : 'OVER'}`)
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
  const same = JSON.stringify(results[0].rows) === JSON.stringify(results[1].rows)
  console.log(`\nrows_read the same at 1,000 and 100,000 voices: ${same ? 'yes' : 'no'}`)
} finally {
  stop()
}
