#!/usr/bin/env node
/**
 * Every shell example of the README and docs/ runs as written against a fresh local hub, the
 * way a reader pastes them: each file's fenced `sh`/`bash`/`shell` blocks in order, in one
 * bash (`set -euo pipefail`, so variables carry from block to block), in the order of DOCS
 * below. A block passes when all its commands exit 0; `curl` runs with `--fail-with-body`, so
 * an HTTP error fails it too, unless the block says `# Expected error: …` (it shows one on
 * purpose — and then it fails unless an HTTP error does come). A JSON answer an example shows
 * in a `# → {…}` comment must be in the block's output (`…` stands for anything). Only the
 * blocks in SKIPPED are left out, each with its reason.
 *
 * The hub is what `npm run dev` starts — the settings of .dev.vars.example, the migrations, the
 * demo data — with a throw-away D1 in `.docs-examples/`, on DOCS_PORT (8809 unless set): the
 * examples' `127.0.0.1:8787` is read as that port, and PORT is set for `npm run smoke`.
 * Commands run in `.docs-examples/cwd/` (files they write land there). Needs bash, curl, jq
 * and openssl. Run by `npm test`; alone: `npm run test:docs`. DOCS_ONLY=docs/reviews.md (a
 * comma-separated list) runs only those files; the hub's own log is left in `.docs-examples/hub.log`.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

import { startLocalHub } from '../../scripts/local-hub.mjs'
import { checkPages, DOCS } from './pages.mjs'

/** Blocks not run, each found by its first line, with the reason. */
const SKIPPED = [
  {
    file: 'README.md',
    first: 'npm install',
    reason: 'installs and starts the hub this runner started itself; its `npm test` runs this runner',
  },
  {
    file: 'README.ja.md',
    first: 'npm install',
    reason: 'installs and starts the hub this runner started itself; its `npm test` runs this runner',
  },
  { file: 'docs/deploy.md', first: 'npx wrangler login', reason: 'needs a Cloudflare account (creates its resources)' },
  { file: 'docs/deploy.md', first: 'npm run smoke -- https://hub.example.com', reason: 'needs a deployed hub' },
  { file: 'docs/deploy.md', first: 'git pull', reason: 'needs a Cloudflare account (migrates and deploys)' },
  {
    file: 'docs/ja/deploy.md',
    first: 'npx wrangler login',
    reason: 'needs a Cloudflare account (creates its resources)',
  },
  { file: 'docs/ja/deploy.md', first: 'HUB=https://hub.example.com', reason: 'needs a deployed hub' },
  { file: 'docs/ja/deploy.md', first: 'npm run smoke -- https://hub.example.com', reason: 'needs a deployed hub' },
  { file: 'docs/ja/deploy.md', first: 'git pull', reason: 'needs a Cloudflare account (migrates and deploys)' },
  { file: 'docs/operations.md', first: 'npx wrangler tail', reason: 'needs a Cloudflare account (a deployed Worker)' },
  { file: 'docs/scaling.md', first: 'npm run bench', reason: 'the benchmark takes about 10 minutes' },
  {
    file: 'docs/sentiment.md',
    first: 'npm run train:sentiment -- --cv',
    reason: 'trains the model again and rewrites its committed weights',
  },
  { file: 'docs/sentiment.md', first: 'npm run bench:sentiment', reason: 'starts a hub of its own (about a minute)' },
]

const PORT = process.env.DOCS_PORT ?? '8809'
const DIR = '.docs-examples'
const WORK = `${DIR}/cwd`
/** The longest one file's blocks may take together (the linkback example waits for its check). */
const FILE_TIMEOUT_MS = 180_000
const EXPECTED_ERROR = /^\s*#\s*Expected error\b/im
const MARK = '@@docs-example'
/** Where a block that expects an error counts the HTTP errors its curls met (a file: pipelines run in subshells). */
const ERRORS_MET = '.errors-met'

/**
 * The JSON answers a block's `# → …` comments show (an HTTP status before one is left aside),
 * each as a pattern of the output: `…` stands for anything, spaces are not compared.
 */
function expectedAnswers(text) {
  return text.split('\n').flatMap((line) => {
    const shown = /#\s*→\s*(?:\d{3}\s+)?([[{].*)$/.exec(line)?.[1]
    if (!shown) return []
    // The JSON itself: up to the bracket that closes the first (words may follow it).
    let depth = 0
    let end = -1
    for (let i = 0; i < shown.length && end < 0; i++) {
      if ('{['.includes(shown[i])) depth++
      else if ('}]'.includes(shown[i]) && --depth === 0) end = i
    }
    if (end < 0) return []
    const json = shown.slice(0, end + 1)
    const pattern = json
      .replace(/\s+/g, '')
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\s\\S]*?')
    return [{ json, pattern: new RegExp(pattern) }]
  })
}

/** The fenced shell blocks of `file`: their text, the line of their first command, and skips. */
function blocksOf(file) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const blocks = []
  let open = null
  lines.forEach((line, i) => {
    if (open === null && /^```(sh|bash|shell)\s*$/.test(line)) open = { file, line: i + 2, text: [] }
    else if (open !== null && /^```\s*$/.test(line)) {
      const text = open.text.join('\n')
      const skip = SKIPPED.find((s) => s.file === file && text.trimStart().startsWith(s.first))
      if (skip) skip.used = true
      blocks.push({ file, line: open.line, text, skip: skip?.reason })
      open = null
    } else if (open !== null) open.text.push(line)
  })
  return blocks
}

/** One bash script for a file's blocks; each announces its start and end on a line of its own. */
function scriptOf(blocks) {
  const parts = [
    'set -Eeuo pipefail',
    'exec 2>&1',
    // The failing line, and the lines that called it (a failing curl is the wrapper below).
    `trap 'echo; echo "${MARK} error-line $LINENO \${BASH_LINENO[*]}"' ERR`,
    `export PORT=${PORT}`,
  ]
  const lineMap = [] // script line → [block index, line in the doc]
  let scriptLine = parts.length
  blocks.forEach((block, index) => {
    const strict = !EXPECTED_ERROR.test(block.text)
    const head = [
      `printf '\\n${MARK} start ${index}\\n'`,
      strict
        ? 'curl() { command curl --fail-with-body "$@"; }'
        : `rm -f ${ERRORS_MET}; curl() { command curl --fail-with-body "$@" || { local c=$?; [ $c -eq 22 ] && echo >> ${ERRORS_MET} || return $c; }; }`,
    ]
    const text = block.text.replaceAll('127.0.0.1:8787', `127.0.0.1:${PORT}`).split('\n')
    scriptLine += head.length
    text.forEach((_, i) => (lineMap[scriptLine + i + 1] = [index, block.line + i]))
    // A block that shows an error on purpose must have met one.
    const check = strict
      ? []
      : [`[ -s ${ERRORS_MET} ] || { echo "this block says it shows an error, and no HTTP error came"; false; }`]
    scriptLine += text.length + check.length + 1
    parts.push(...head, ...text, ...check, `printf '\\n${MARK} end ${index}\\n'`)
  })
  return { script: parts.join('\n') + '\n', lineMap }
}

/** Runs a file's script in its own process group (so a page server left behind is stopped too). */
function runScript(path) {
  return new Promise((resolve) => {
    const bash = spawn('bash', [`../${path.split('/').pop()}`], {
      cwd: WORK,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    const onData = (chunk) => (out += chunk)
    bash.stdout.on('data', onData)
    bash.stderr.on('data', onData)
    const timer = setTimeout(() => {
      out += `\n(stopped after ${FILE_TIMEOUT_MS / 1000} s)\n`
      kill(bash)
    }, FILE_TIMEOUT_MS)
    let code = null
    bash.on('exit', (exitCode) => {
      code = exitCode
      clearTimeout(timer)
      kill(bash) // a page server an example left running, which also holds the output open
    })
    bash.on('close', () => resolve({ code, out }))
  })
}

const kill = (child) => {
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    // already gone
  }
}

/** Splits a run's output by block: each block's output and whether it ended. */
function resultsOf(out, count) {
  const results = Array.from({ length: count }, () => ({ ran: false, ended: false, output: '' }))
  let current = -1
  const errorLines = []
  for (const line of out.split('\n')) {
    const m = new RegExp(`^${MARK} (start|end|error-line) ([\\d ]+)$`).exec(line)
    if (m?.[1] === 'start') {
      current = Number(m[2])
      results[current].ran = true
    } else if (m?.[1] === 'end') results[Number(m[2])].ended = true
    else if (m?.[1] === 'error-line') errorLines.push(...m[2].trim().split(' ').map(Number))
    else if (current >= 0) results[current].output += `${line}\n`
  }
  return { results, errorLines }
}

const envExample = () =>
  Object.fromEntries(
    readFileSync('.dev.vars.example', 'utf8')
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  )

await checkPages()
const only = process.env.DOCS_ONLY?.split(',').map((f) => f.trim())
const files = DOCS.map((file) => ({ file, blocks: blocksOf(file) })).filter(({ file }) => !only || only.includes(file))
const stale = SKIPPED.filter((s) => !s.used)
if (stale.length > 0) {
  for (const s of stale) console.error(`SKIPPED lists a block that is gone: ${s.file} starting "${s.first}"`)
  process.exit(1)
}

const started = performance.now()
const hub = startLocalHub({ port: PORT, dir: DIR, vars: envExample(), errorLog: 'hub.log' })
await hub.waitFor('/healthz')
const seeded = await hub.request('POST', '/__dev/seed')
if (seeded.status !== 200) throw new Error(`seeding the demo failed: ${seeded.status} ${seeded.body}`)
mkdirSync(WORK, { recursive: true })
console.log(`Docs examples against ${hub.base} (hub up in ${((performance.now() - started) / 1000).toFixed(1)} s)`)

let passed = 0
let failed = 0
let skipped = 0
for (const { file, blocks } of files) {
  for (const b of blocks.filter((b) => b.skip)) {
    skipped++
    console.log(`- ${file}:${b.line} skipped: ${b.skip}`)
  }
  const run = blocks.filter((b) => !b.skip)
  if (run.length === 0) continue
  const { script, lineMap } = scriptOf(run)
  const path = `${DIR}/${file.replaceAll('/', '_')}.sh`
  writeFileSync(path, script)
  const t0 = performance.now()
  const { code, out } = await runScript(path)
  const { results, errorLines } = resultsOf(out, run.length)
  results.forEach((r, i) => {
    const b = run[i]
    const output = r.output.replace(/\s+/g, '')
    const missing = expectedAnswers(b.text).filter((e) => !e.pattern.test(output))
    if (r.ran && r.ended && missing.length === 0) {
      passed++
      console.log(`✓ ${file}:${b.line}`)
      return
    }
    if (r.ran && r.ended) {
      failed++
      console.log(`✗ ${file}:${b.line} did not answer what it shows: ${missing.map((e) => e.json).join(' ; ')}`)
      console.log(r.output.replace(/\n+$/, '').replace(/^/gm, '    '))
      return
    }
    failed++
    if (!r.ran) {
      console.log(`✗ ${file}:${b.line} not run: an earlier block of ${file} failed`)
      return
    }
    const at = errorLines.map((l) => lineMap[l]).find((m) => m?.[0] === i)?.[1] ?? b.line
    const command = readFileSync(file, 'utf8').split('\n')[at - 1]
    console.log(`✗ ${file}:${at} failed (bash exit ${code}): ${command}`)
    console.log(r.output.replace(/\n+$/, '').replace(/^/gm, '    '))
  })
  if (results.every((r) => r.ended) && code !== 0) {
    failed++
    console.log(`✗ ${file}: bash exited ${code} after its last block`)
  }
  if (process.env.DOCS_VERBOSE) console.log(`  ${file}: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}
hub.stop()
if (failed > 0) console.log(`The hub's log: ${DIR}/hub.log`)
console.log(`Docs examples took ${((performance.now() - started) / 1000).toFixed(1)} s`)
console.log(`examples: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed === 0 ? 0 : 1)
