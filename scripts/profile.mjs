#!/usr/bin/env node
/**
 * `npm run profile -- webmention` — where a request's time goes inside the Worker: starts the
 * bench's throw-away hub (.bench/, 10,000 voices) with the V8 inspector, drives one kind of
 * request under autocannon (10 connections, PROFILE_SECONDS, 8 by default) while the CPU
 * profiler samples, and prints the functions that took the most time themselves and with what
 * they called, with their source (the Worker's bundle maps back to src/ in wrangler dev).
 * Kinds: webmention, trackback, redirect, and the bench's floors ingest-floor and
 * redirect-floor, to compare against. Several kinds may be given; each is profiled in turn.
 */
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

import autocannon from 'autocannon'
import { SourceMapConsumer } from 'source-map-js'
import WebSocket from 'ws'

import { startLocalHub } from './local-hub.mjs'

const PORT = process.env.BENCH_PORT ?? '8799'
const INSPECTOR = process.env.PROFILE_INSPECTOR_PORT ?? '9239'
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 8)
const kinds = process.argv.slice(2)
if (kinds.length === 0) kinds.push('webmention')

let n = 0
/** One request of a kind, each from a new blog and a new address (flood limits stay out of it). */
function requestOf(kind) {
  const i = ++n
  const headers = {
    'CF-Connecting-IP': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    'User-Agent': 'Mozilla/5.0 (Windows NT 10.0) profile',
  }
  const form = { ...headers, 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }
  const product = `p${String(i % 1000).padStart(4, '0')}`
  const source = `https://blog${i}.profile-blogs.example/posts/${i}`
  switch (kind) {
    case 'webmention':
      return {
        method: 'POST',
        path: '/webmention/bench',
        headers: form,
        body: new URLSearchParams({ source, target: `https://bench.example/products/${product}` }).toString(),
      }
    case 'trackback':
      return {
        method: 'POST',
        path: `/tb/bench/${product}`,
        headers: form,
        body: new URLSearchParams({
          url: source,
          title: `Post ${i}`,
          excerpt: 'Words.',
          blog_name: `Blog ${i}`,
        }).toString(),
      }
    case 'ingest-floor':
      return { method: 'POST', path: '/__dev/bench/ingest-floor', headers }
    case 'redirect':
      return { method: 'GET', path: '/r/benchlk2', headers }
    case 'redirect-floor':
      return { method: 'GET', path: '/__dev/bench/redirect-floor', headers }
    default:
      throw new Error(`unknown kind ${kind}: webmention, trackback, redirect, ingest-floor or redirect-floor`)
  }
}

/** The Worker's inspector (wrangler dev lists one target: the Worker). */
async function inspector() {
  for (let i = 0; i < 60; i++) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${INSPECTOR}/json`)).json()
      const target = list.find((t) => t.webSocketDebuggerUrl)
      if (target) {
        const ws = new WebSocket(target.webSocketDebuggerUrl)
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
        let id = 0
        const waiting = new Map()
        const scripts = new Map()
        ws.on('message', (data) => {
          const msg = JSON.parse(String(data))
          if (msg.method === 'Debugger.scriptParsed') scripts.set(msg.params.scriptId, msg.params)
          if (msg.id && waiting.has(msg.id)) {
            waiting.get(msg.id)(msg)
            waiting.delete(msg.id)
          }
        })
        const send = (method, params = {}) =>
          new Promise((resolve) => {
            waiting.set(++id, resolve)
            ws.send(JSON.stringify({ id, method, params }))
          })
        return { send, scripts, close: () => ws.close() }
      }
    } catch {
      // not up yet
    }
    await sleep(500)
  }
  throw new Error(`no inspector on port ${INSPECTOR}`)
}

/** The source maps of the scripts the inspector saw (the Worker's bundle maps back to src/). */
function sourceMaps(scripts) {
  const maps = new Map()
  for (const [id, script] of scripts) {
    if (!script.url.startsWith('file://') || !script.sourceMapURL) continue
    try {
      const path = fileURLToPath(new URL(script.sourceMapURL, script.url))
      maps.set(id, new SourceMapConsumer(JSON.parse(readFileSync(path, 'utf8'))))
    } catch {
      // no map to read: the bundle's own lines are shown
    }
  }
  return maps
}

/** Self and total time per function (by name and place), from a V8 CPU profile. */
function summarise(profile, maps) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const interval = (profile.endTime - profile.startTime) / Math.max(profile.samples.length, 1) / 1000 // ms per sample
  const self = new Map()
  for (const sample of profile.samples) {
    const node = byId.get(sample)
    self.set(node.id, (self.get(node.id) ?? 0) + interval)
  }
  const parentOf = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)
  const label = (node) => {
    const f = node.callFrame
    const original = maps.get(f.scriptId)?.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber })
    const where = original?.source
      ? `${original.source.replace(/^.*?\/(src|node_modules)\//, '$1/')}:${original.line}`
      : f.url
        ? `${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`
        : ''
    return `${f.functionName || '(anonymous)'} ${where}`.trim()
  }
  const selfBy = new Map()
  const totalBy = new Map()
  let all = 0
  for (const [id, ms] of self) {
    all += ms
    const node = byId.get(id)
    selfBy.set(label(node), (selfBy.get(label(node)) ?? 0) + ms)
    // Each sample counts once for every distinct function on its stack.
    const seen = new Set()
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const name = label(byId.get(at))
      if (seen.has(name)) continue
      seen.add(name)
      totalBy.set(name, (totalBy.get(name) ?? 0) + ms)
    }
  }
  return { all, selfBy, totalBy }
}

const hub = startLocalHub({
  port: PORT,
  dir: '.bench',
  vars: {
    VERIFY_FIRST_DELAY_SECONDS: 3600,
    ADMIN_TOKEN: 'bench-operator-token',
    WEBHOOK_SECRETS_KEY: 'YmVuY2gtb25seS1zZWNyZXRzLWtleS0zMi1ieXRlcyE=',
  },
  args: ['--inspector-port', INSPECTOR],
})
try {
  await hub.waitFor('/__dev/bench/floor')
  const seeded = await hub.request('POST', '/__dev/bench/seed?mentions=10000')
  if (seeded.status !== 200) throw new Error(`seeding failed: ${seeded.status} ${seeded.body}`)
  const cdp = await inspector()
  await cdp.send('Debugger.enable')
  await sleep(500)
  const maps = sourceMaps(cdp.scripts)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
  for (const kind of kinds) {
    await autocannon({
      url: hub.base,
      connections: 10,
      duration: 2,
      requests: [{ setupRequest: (r) => ({ ...r, ...requestOf(kind) }) }],
    })
    await cdp.send('Profiler.start')
    const load = await autocannon({
      url: hub.base,
      connections: 10,
      duration: SECONDS,
      requests: [{ setupRequest: (r) => ({ ...r, ...requestOf(kind) }) }],
    })
    const { result } = await cdp.send('Profiler.stop')
    const done = load['2xx'] + load['3xx']
    const { all, selfBy, totalBy } = summarise(result.profile, maps)
    const idle = selfBy.get('(idle)') ?? 0
    const busy = all - idle
    console.log(
      `\n== ${kind}: ${done} answers in ${SECONDS} s (${(done / SECONDS).toFixed(0)}/s); the isolate busy ${busy.toFixed(0)} ms, ${(busy / Math.max(done, 1)).toFixed(2)} ms an answer ==`,
    )
    const top = (map, count) =>
      [...map]
        .filter(([name]) => name !== '(idle)' && name !== '(root)' && name !== '(program)')
        .sort((a, b) => b[1] - a[1])
        .slice(0, count)
    console.log('  most time in the function itself (ms an answer):')
    for (const [name, ms] of top(selfBy, 15)) console.log(`    ${(ms / done).toFixed(3).padStart(7)}  ${name}`)
    console.log('  most time with what it called (ms an answer):')
    for (const [name, ms] of top(totalBy, 25)) console.log(`    ${(ms / done).toFixed(3).padStart(7)}  ${name}`)
  }
  cdp.close()
} finally {
  hub.stop()
}
