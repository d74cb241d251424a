/**
 * The trained model's reading of a voice (weights in ./model.generated.ts, trained by
 * scripts/train-sentiment.mjs): the chance of each sentiment from the voice's features
 * (./features.ts), and the words that weighed most toward the one it chose — merged into the
 * voice's own phrases, so staff see "返信ゼロ" or "never answered", not a list of fragments.
 */
import type { Sentiment } from '../db/schema'
import { type Features, readPieces, SLOTS } from './features'
import type { CompiledGroup } from './phrases'
import { originalOf } from './fold'
import { MODEL_BIAS, MODEL_SCALE, MODEL_WEIGHTS } from './model.generated'

export const CLASSES = ['negative', 'positive', 'neutral'] as const satisfies readonly Sentiment[]

let weights: Int8Array | null = null

/** The weights, unpacked on first use: three signed bytes per slot. */
function loaded(): Int8Array {
  if (weights) return weights
  const bytes = Uint8Array.from(atob(MODEL_WEIGHTS), (c) => c.charCodeAt(0))
  const w = new Int8Array(SLOTS * CLASSES.length)
  let slot = 0
  for (let i = 0; i < bytes.length;) {
    let gap = 0
    for (let shift = 0; ; shift += 7) {
      const b = bytes[i++] ?? 0
      gap |= (b & 0x7f) << shift
      if (b < 0x80) break
    }
    slot += gap
    for (let c = 0; c < CLASSES.length; c++) w[slot * CLASSES.length + c] = ((bytes[i++] ?? 0) << 24) >> 24
  }
  weights = w
  return w
}

export type Phrase = { text: string; weight: number; start: number; end: number }
export type ModelReading = { chances: Chances; phrases: Phrase[] }

/**
 * The chance of each sentiment; with `toward` and the voice's text, also the phrases that pushed
 * most toward that sentiment (only the console asks: finding them costs more than the chances).
 */
export function modelReading(f: Features, toward?: Sentiment, original?: string): ModelReading {
  const sums = new Sums()
  for (const p of f.pieces) sums.add(p.slot, p.value)
  const chances = sums.chances()
  const chosen = toward === undefined ? -1 : CLASSES.indexOf(toward)
  return { chances, phrases: chosen === -1 || original === undefined ? [] : phrasesToward(original, f, chosen) }
}

/** The phrase lists' reading of a voice and the model's chances, summed as the pieces come (no list kept). */
export function readWithModel(original: string, learned: readonly CompiledGroup[]) {
  const sums = new Sums()
  const { reading } = readPieces(original, learned, (slot, value) => {
    sums.add(slot, value)
  })
  return { reading, chances: sums.chances() }
}

/** The model's three sums, from its bias, and the chances they give. */
class Sums {
  private w = loaded()
  private z: [number, number, number] = [...MODEL_BIAS]

  add(slot: number, value: number) {
    const at = slot * 3
    const v = MODEL_SCALE * value
    this.z[0] += (this.w[at] ?? 0) * v
    this.z[1] += (this.w[at + 1] ?? 0) * v
    this.z[2] += (this.w[at + 2] ?? 0) * v
  }

  chances(): Chances {
    return chancesOf(...this.z)
  }
}

type Chances = Record<(typeof CLASSES)[number], number>

function chancesOf(negative: number, positive: number, neutral: number): Chances {
  const top = Math.max(negative, positive, neutral)
  const e = [negative, positive, neutral].map((z) => Math.exp(z - top))
  const sum = e.reduce((a, b) => a + b, 0)
  return { negative: (e[0] ?? 0) / sum, positive: (e[1] ?? 0) / sum, neutral: (e[2] ?? 0) / sum }
}

/**
 * Each character's share of what pushed toward class `c` (a piece's push, less its push toward
 * the others, spread over its characters); runs of characters that pushed are the phrases.
 */
function phrasesToward(original: string, f: Features, c: number): Phrase[] {
  const w = loaded()
  const text = f.folded.text
  const push = new Float64Array(text.length)
  for (const p of f.pieces) {
    if (p.end <= p.start) continue
    const own = w[p.slot * CLASSES.length + c] ?? 0
    let others = 0
    for (let k = 0; k < CLASSES.length; k++) if (k !== c) others += w[p.slot * CLASSES.length + k] ?? 0
    const share = ((own - others / (CLASSES.length - 1)) * MODEL_SCALE * p.value) / (p.end - p.start)
    for (let i = p.start; i < p.end; i++) push[i] = (push[i] ?? 0) + share
  }
  const pushAt = (i: number) => push[i] ?? 0
  const space = (i: number) => /\s/u.test(text.charAt(i))
  const runs: Phrase[] = []
  for (let i = 0; i < text.length;) {
    if (pushAt(i) <= 0 || space(i)) {
      i++
      continue
    }
    let j = i
    let weight = 0
    while (j < text.length && (pushAt(j) > 0 || (space(j) && pushAt(j + 1) > 0))) weight += pushAt(j++)
    runs.push({ text: originalOf(original, f.folded, i, j).trim(), weight, start: i, end: j })
    i = j
  }
  return runs.filter((r) => r.text.length > 1).sort((a, b) => b.weight - a.weight)
}
