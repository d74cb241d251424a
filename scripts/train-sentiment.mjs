#!/usr/bin/env node
/**
 * Trains the sentiment model (src/sentiment/model.ts) from the labelled voices in
 * test/sentiment/corpus/tuning/ and writes its weights to src/sentiment/model.generated.ts.
 * The held-out voices (test/sentiment/corpus/held-out/) are never read here:
 * `npm run bench:sentiment` measures the model on them.
 *
 *   npm run train:sentiment                      train and write the weights
 *   npm run train:sentiment -- --cv              five-fold cross-validation on the tuning voices only
 *   npm run train:sentiment -- --check           fail when the weights are older than their sources
 *                                                (`npm run typecheck` runs it)
 *
 * A multinomial logistic regression (three classes: negative, positive, neutral) over the features
 * src/sentiment/features.ts builds — the phrase lists' findings and the text's pieces — trained
 * with AdaGrad and an L2 penalty, in a fixed order, so the same sources give the same weights.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'

import { build } from 'esbuild'

const OUT = 'src/sentiment/model.generated.ts'
const TUNING = 'test/sentiment/corpus/tuning'
const SOURCES = [
  'scripts/train-sentiment.mjs',
  ...[
    'fold',
    'phrases',
    'phrases-ja',
    'phrases-ja-praise',
    'phrases-en',
    'phrases-en-praise',
    'built-in',
    'reading',
    'features',
  ].map((f) => `src/sentiment/${f}.ts`),
]
export const CLASSES = ['negative', 'positive', 'neutral']
const EPOCHS = 30
const RATE = 0.3
const L2 = 2e-5
/** A piece seen in fewer voices than this is left out (it would only learn those voices by heart). */
const MIN_VOICES = 2

const corpusFiles = () =>
  readdirSync(TUNING)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => `${TUNING}/${f}`)

function sourceHash() {
  const hash = createHash('sha256')
  for (const file of [...SOURCES, ...corpusFiles()]) hash.update(file).update(readFileSync(file))
  return hash.digest('hex').slice(0, 16)
}

const mode = process.argv[2] ?? 'train'
if (mode === '--check') {
  const written = /MODEL_SOURCES = "([0-9a-f]+)"/.exec(readFileSync(OUT, 'utf8'))?.[1]
  if (written !== sourceHash()) {
    console.error(`${OUT} is out of date: run \`npm run train:sentiment\` and commit it`)
    process.exit(1)
  }
  process.exit(0)
}

/** The features module (and the fold it reads with), bundled for Node. */
async function loadFeatures() {
  const out = await build({
    stdin: {
      contents: "export { featuresOf } from './src/sentiment/features'; export { fold } from './src/sentiment/fold'",
      resolveDir: '.',
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'neutral',
  })
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`)
}

/** Words in at least this share of the voices are too common for a shop to learn alone (src/sentiment/learning.ts). */
const COMMON_SHARE = 0.015

function commonWords(fold, voices) {
  const segmenter = new Intl.Segmenter('ja', { granularity: 'word' })
  const seen = new Map()
  for (const v of voices) {
    // As src/sentiment/learning.ts cuts a voice into words: before folding (the segmenter knows katakana words), then folded.
    const cut = [...segmenter.segment(v.text.normalize('NFKC').toLowerCase())].filter((s) => s.isWordLike)
    const words = new Set(cut.map((s) => fold(s.segment).text))
    for (const w of words) seen.set(w, (seen.get(w) ?? 0) + 1)
  }
  return [...seen]
    .filter(([, n]) => n >= voices.length * COMMON_SHARE)
    .map(([w]) => w)
    .sort()
}

export const labelOf = (label) => (label === 'complaint' || label === 'mixed' ? 0 : label === 'praise' ? 1 : 2)

export function readVoices(files) {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l)),
  )
}

/** A voice as the trainer sees it: its slots and values, summed. */
function vectorOf(featuresOf, text) {
  const v = new Map()
  for (const p of featuresOf(text).pieces) v.set(p.slot, (v.get(p.slot) ?? 0) + p.value)
  return v
}

/** A small deterministic generator (mulberry32), so each run shuffles the same way. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function train(examples, slots) {
  const k = CLASSES.length
  const w = new Map([...slots].map((s) => [s, new Float64Array(k)]))
  const g2 = new Map([...slots].map((s) => [s, new Float64Array(k).fill(1e-8)]))
  const bias = new Float64Array(k)
  const order = examples.map((_, i) => i)
  const next = random(7)
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[order[i], order[j]] = [order[j], order[i]]
    }
    for (const i of order) {
      const { x, y } = examples[i]
      const p = probabilities(w, bias, x)
      for (let c = 0; c < k; c++) {
        const err = p[c] - (c === y ? 1 : 0)
        bias[c] -= RATE * 0.1 * err
        for (const [slot, value] of x) {
          const ws = w.get(slot)
          if (!ws) continue
          const grad = err * value + L2 * ws[c]
          const acc = g2.get(slot)
          acc[c] += grad * grad
          ws[c] -= (RATE * grad) / Math.sqrt(acc[c])
        }
      }
    }
  }
  return { w, bias }
}

function probabilities(w, bias, x) {
  const z = Array.from(bias)
  for (const [slot, value] of x) {
    const ws = w.get(slot)
    if (ws) for (let c = 0; c < z.length; c++) z[c] += ws[c] * value
  }
  const top = Math.max(...z)
  const e = z.map((v) => Math.exp(v - top))
  const sum = e.reduce((a, b) => a + b, 0)
  return e.map((v) => v / sum)
}

function slotsOf(examples) {
  const voices = new Map()
  for (const { x } of examples) for (const slot of x.keys()) voices.set(slot, (voices.get(slot) ?? 0) + 1)
  return new Set([...voices].filter(([, n]) => n >= MIN_VOICES).map(([slot]) => slot))
}

/** Weights as text: per slot, its distance from the previous slot (a varint) and one byte per class. */
function pack({ w, bias }) {
  const kept = [...w].filter(([, ws]) => ws.some((v) => Math.abs(v) >= 0.005)).sort((a, b) => a[0] - b[0])
  const top = kept.reduce((m, [, ws]) => Math.max(m, ...Array.from(ws, Math.abs)), 0)
  const scale = top / 127
  const bytes = []
  let last = 0
  for (const [slot, ws] of kept) {
    let gap = slot - last
    last = slot
    while (gap >= 0x80) {
      bytes.push((gap & 0x7f) | 0x80)
      gap >>>= 7
    }
    bytes.push(gap)
    for (const v of ws) bytes.push(Math.round(v / scale) & 0xff)
  }
  return {
    weights: Buffer.from(bytes).toString('base64'),
    scale,
    bias: Array.from(bias, (b) => Math.round(b * 1e4) / 1e4),
    slots: kept.length,
  }
}

const { featuresOf, fold } = await loadFeatures()
const voices = readVoices(corpusFiles())
const examples = voices.map((v) => ({ x: vectorOf(featuresOf, v.text), y: labelOf(v.label), lang: v.lang }))

if (mode === '--cv') {
  // Five folds; each voice read by a model that never saw it, at a few complaint thresholds (src/sentiment/suggest.ts).
  const folds = 5
  const read = []
  for (let f = 0; f < folds; f++) {
    const trainSet = examples.filter((_, i) => i % folds !== f)
    const model = train(trainSet, slotsOf(trainSet))
    for (const e of examples.filter((_, i) => i % folds === f))
      read.push({ e, p: probabilities(model.w, model.bias, e.x) })
  }
  for (const at of [0.35, 0.4, 0.45, 0.5]) {
    console.log(`complaint from a chance of ${at}`)
    for (const lang of ['ja', 'en']) {
      const m = [0, 1, 2].map(() => [0, 0, 0])
      for (const { e, p } of read.filter((r) => r.e.lang === lang)) m[e.y][p[0] >= at ? 0 : p[1] >= p[2] ? 1 : 2]++
      const cells = m.map((row, c) => {
        const col = m.reduce((s, r) => s + r[c], 0)
        return `${CLASSES[c]} ${(row[c] / row.reduce((a, b) => a + b, 0)).toFixed(2)}/${(row[c] / col).toFixed(2)}`
      })
      console.log(`  ${lang} recall/precision: ${cells.join('  ')}`)
    }
  }
  process.exit(0)
}

const packed = pack(train(examples, slotsOf(examples)))
writeFileSync(
  OUT,
  [
    '// Generated by `npm run train:sentiment` from test/sentiment/corpus/tuning/ — do not edit; add voices and train again.',
    `export const MODEL_SOURCES = ${JSON.stringify(sourceHash())}`,
    `export const MODEL_VOICES = ${examples.length}`,
    `export const MODEL_SCALE = ${packed.scale}`,
    `export const MODEL_BIAS: readonly [number, number, number] = ${JSON.stringify(packed.bias)}`,
    `export const MODEL_WEIGHTS =\n  ${JSON.stringify(packed.weights)}`,
    "/** Words too common in shoppers' voices to be learned alone from a shop's examples. */",
    `export const COMMON_WORDS = ${JSON.stringify(commonWords(fold, voices).join(' '))}`,
    '',
  ].join('\n'),
)
console.log(`${OUT}: ${examples.length} voices, ${packed.slots} slots, ${Math.round(packed.weights.length / 1024)} KiB`)
