/**
 * A shop's learned phrases (./learning.ts) as the reader uses them: compiled once, matched before
 * the built-in lists and winning over them and over the model.
 */
import type { LearnedPhrase } from '../db/schema'
import { compileGroup, type CompiledGroup } from './phrases'

export type LearnedGroups = { groups: readonly CompiledGroup[] }

export const NOTHING_LEARNED: LearnedGroups = { groups: [] }

/** A learned phrase weighs as much as the lists' surest phrases. */
const LEARNED_WEIGHT = 2
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const LATIN = /^[a-z0-9' -]+$/u

export function learnedGroups(phrases: readonly LearnedPhrase[]): LearnedGroups {
  if (phrases.length === 0) return NOTHING_LEARNED
  const groups: CompiledGroup[] = []
  for (const side of [-1, 0, 1] as const) {
    for (const language of ['en', 'ja'] as const) {
      const patterns = phrases
        .filter((p) => p.side === side && LATIN.test(p.phrase) === (language === 'en'))
        .map((p) => escape(p.phrase))
      if (patterns.length > 0)
        groups.push(compileGroup(['learned', side, LEARNED_WEIGHT, true, patterns], language, true))
    }
  }
  return { groups }
}
