/**
 * The sentiment bench's Worker side (scripts/bench-sentiment.mjs): reads the voices it is sent
 * with the suggestion the hub makes, inside the Worker, and times each reading of a 2 KB voice
 * there — against a floor, folding the same text once (the least any reading does) — so the figures are the Worker's.
 */
import { fold } from '../sentiment/fold'
import { suggest } from '../sentiment/suggest'

export type BenchVoice = { id: string; text: string }

/** Each voice's suggestion. */
export const benchRead = (voices: readonly BenchVoice[]) => voices.map((v) => ({ id: v.id, ...suggest(v.text) }))

/**
 * Milliseconds per reading of each text, and per floor pass: each text read `repeat` times in a
 * row and the time divided (the Worker's clock ticks in whole milliseconds), after a warm-up.
 */
export function benchTime(texts: readonly string[], repeat: number) {
  for (const t of texts.slice(0, 20)) suggest(t)
  const reading: number[] = []
  const floor: number[] = []
  for (const t of texts) {
    const a = performance.now()
    for (let i = 0; i < repeat; i++) suggest(t)
    const b = performance.now()
    for (let i = 0; i < repeat; i++) fold(t)
    const c = performance.now()
    reading.push((b - a) / repeat)
    floor.push((c - b) / repeat)
  }
  return { reading, floor }
}
