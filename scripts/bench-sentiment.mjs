#!/usr/bin/env node
/**
 * `npm run bench:sentiment`: how well and how fast the hub suggests a voice's sentiment, measured
 * inside the Worker (a local hub under `wrangler dev`, through development routes:
 * src/dev/bench-sentiment.ts).
 *
 * - Quality, on the held-out voices (test/sentiment/corpus/held-out/, never used to train or
 *   tune the reader): the confusion matrix for Japanese and English apart — rows what the voice is
 *   (a mixed voice counts as a complaint), columns what the hub suggested — with recall and
 *   precision. Goals: complaints found ≥ 0.9 with precision ≥ 0.9, praise found ≥ 0.85, neutral
 *   kept neutral ≥ 0.8. The tuning voices' figures follow, for comparison (they are what the
 *   model learned from, so they read higher).
 * - Cost: the time of one suggestion for a voice of 2 KB (Japanese and English voices joined up to
 *   2,048 characters), median and p99, against a floor measured in the same run (folding the same
 *   text once, the least any reading does). Goals: ≤ 1 ms median, ≤ 5 ms p99.
 * - Size: what the reader adds to the Worker, minified and gzipped (goal: ≤ 1 MB).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

import { build } from 'esbuild'

import { startLocalHub } from './local-hub.mjs'

const PORT = process.env.BENCH_PORT ?? '8798'
/** Each 2 KB voice is read this many times in a row and the time divided (the Worker's clock ticks in milliseconds). */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 50)
const CORPUS = 'test/sentiment/corpus'
const CLASSES = ['negative', 'positive', 'neutral']
const expected = (label) =>
  label === 'complaint' || label === 'mixed' ? 'negative' : label === 'praise' ? 'positive' : 'neutral'
const voicesOf = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l))

const partsOf = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => voicesOf(`${dir}/${f}`))
const heldOut = partsOf(`${CORPUS}/held-out`)
const tuning = partsOf(`${CORPUS}/tuning`)

const hub = startLocalHub({
  port: PORT,
  dir: '.bench-sentiment',
  vars: { ADMIN_TOKEN: 'bench-operator-token', WEBHOOK_SECRETS_KEY: 'YmVuY2gtb25seS1zZWNyZXRzLWtleS0zMi1ieXRlcyE=' },
  log: process.env.BENCH_LOG,
})
const post = async (path, body) => {
  const res = await hub.request('POST', path, JSON.stringify(body), { 'Content-Type': 'application/json' })
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.slice(0, 300)}`)
  return JSON.parse(res.body)
}

async function read(voices) {
  const read = new Map()
  for (let i = 0; i < voices.length; i += 200) {
    for (const r of await post(
      '/__dev/bench/sentiment/read',
      voices.slice(i, i + 200).map(({ id, text }) => ({ id, text })),
    )) {
      read.set(r.id, r)
    }
  }
  return read
}

function matrix(voices, read, lang) {
  const m = CLASSES.map(() => CLASSES.map(() => 0))
  for (const v of voices.filter((v) => v.lang === lang)) {
    m[CLASSES.indexOf(expected(v.label))][CLASSES.indexOf(read.get(v.id).sentiment ?? 'neutral')]++
  }
  return m
}

const GOALS = { negative: [0.9, 0.9], positive: [0.85, 0], neutral: [0.8, 0] }

function printMatrix(title, m, goals) {
  console.log(`\n${title} (${m.flat().reduce((a, b) => a + b, 0)} voices; rows: what it is, columns: suggested)`)
  console.log(`  ${''.padEnd(10)}${CLASSES.map((c) => c.padStart(10)).join('')}    recall  precision`)
  const met = []
  m.forEach((row, i) => {
    const recall = row[i] / row.reduce((a, b) => a + b, 0)
    const precision = row[i] / m.reduce((s, r) => s + r[i], 0)
    const [rGoal, pGoal] = GOALS[CLASSES[i]]
    const ok = recall >= rGoal && precision >= pGoal
    if (goals) met.push(ok)
    const goal = goals ? `   goal ≥ ${rGoal}${pGoal ? ` / ≥ ${pGoal}` : ''}: ${ok ? 'met' : 'MISSED'}` : ''
    console.log(
      `  ${CLASSES[i].padEnd(10)}${row.map((n) => String(n).padStart(10)).join('')}    ${recall.toFixed(2).padStart(6)}  ${precision.toFixed(2).padStart(9)}${goal}`,
    )
  })
  return met.every(Boolean)
}

/** Voices joined up to 2,048 characters, `count` of them, from voices in one language. */
function longVoices(voices, lang, count) {
  const texts = voices.filter((v) => v.lang === lang).map((v) => v.text)
  const out = []
  for (let i = 0; out.length < count; i++) {
    let t = ''
    for (let j = i; t.length < 2048; j++) t += `${texts[j % texts.length]}\n`
    out.push(t.slice(0, 2048))
  }
  return out
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]

async function readerSize() {
  const out = await build({
    entryPoints: ['src/sentiment/suggest.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    platform: 'neutral',
  })
  return gzipSync(out.outputFiles[0].contents).length
}

try {
  await hub.waitFor('/healthz')
  const heldRead = await read(heldOut)
  console.log('Sentiment suggestions, read inside the Worker')
  let allMet = true
  for (const lang of ['ja', 'en'])
    allMet = printMatrix(`Held-out voices, ${lang}`, matrix(heldOut, heldRead, lang), true) && allMet
  const tuningRead = await read(tuning)
  for (const lang of ['ja', 'en'])
    printMatrix(`Tuning voices (trained on), ${lang}`, matrix(tuning, tuningRead, lang), false)

  const texts = [...longVoices(heldOut, 'ja', 100), ...longVoices(heldOut, 'en', 100)]
  const { reading, floor } = await post(`/__dev/bench/sentiment/time?repeat=${REPEAT}`, texts)
  const med = quantile(reading, 0.5)
  const p99 = quantile(reading, 0.99)
  const floorMed = quantile(floor, 0.5)
  console.log(`\nOne suggestion for a 2 KB voice (${reading.length} voices, each read ${REPEAT} times in the Worker)`)
  console.log(
    `  median ${med.toFixed(3)} ms (goal ≤ 1 ms: ${med <= 1 ? 'met' : 'MISSED'}), p99 ${p99.toFixed(3)} ms (goal ≤ 5 ms: ${p99 <= 5 ? 'met' : 'MISSED'})`,
  )
  console.log(
    `  floor (folding the same text once, the least any reading does): median ${floorMed.toFixed(3)} ms; ratio ${(med / Math.max(floorMed, 0.001)).toFixed(1)}`,
  )
  const size = await readerSize()
  console.log(
    `\nWhat the reader adds to the Worker: ${(size / 1024).toFixed(0)} KiB gzipped (goal ≤ 1024 KiB: ${size <= 1 << 20 ? 'met' : 'MISSED'})`,
  )
  console.log(`\nQuality goals on the held-out voices: ${allMet ? 'all met' : 'NOT all met'}`)
} finally {
  hub.stop()
}
