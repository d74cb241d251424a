/**
 * Learning from the shop's staff. Each time staff set a voice's sentiment, the voice's words and
 * their sentiment are kept as an example (./learning-store.ts). From the examples the suggestion
 * got wrong, the shop's phrases are found: runs of one to three words (Japanese words as
 * Intl.Segmenter cuts them) that recur in the examples staff gave one sentiment and not in the
 * others. They are matched before everything else when the shop's next voices are read
 * (./learned.ts), so after a couple of dozen corrections in the shop's own vocabulary ("酸味が強め"
 * for a roaster whose buyers want it mild), the next such voice is suggested as staff would.
 */
import type { LearnedPhrase, Sentiment } from '../db/schema'
import { fold } from './fold'
import { COMMON_WORDS } from './model.generated'
import { suggest } from './suggest'

/** Words every shop's voices use (a, の, 商品): a phrase of these alone teaches nothing. */
const COMMON = new Set(COMMON_WORDS.split(' '))

export type Example = { words: string; sentiment: Sentiment }

/** At most this many phrases per shop. */
export const PHRASES_KEPT = 100
/** A phrase counts when it is in at least this many examples of one sentiment … */
const SEEN_AT_LEAST = 2
/** … and at least this share of the examples it is in have that sentiment. */
const PURITY = 0.8
const MAX_WORDS = 3

const SIDE: Record<Sentiment, -1 | 0 | 1> = { negative: -1, neutral: 0, positive: 1 }
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' })
/** A phrase worth learning has a letter, kanji or katakana — not only particles, digits or signs. */
const MEANINGFUL = /[a-z\p{Script=Han}]|[\u3041-\u3096]{3,}/u
const MIN_LENGTH = 2

/** The phrases a text may teach: runs of up to three words, in folded form (./fold.ts). */
function phrasesIn(text: string): Set<string> {
  const words = [...segmenter.segment(fold(text).text)].filter((s) => s.isWordLike).map((s) => s.segment)
  const found = new Set<string>()
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= MAX_WORDS && i + n <= words.length; n++) {
      const run = words.slice(i, i + n)
      if (run.every((w) => COMMON.has(w))) continue
      const latin = run.every((w) => /^[a-z0-9']+$/u.test(w))
      const phrase = run.join(latin ? ' ' : '')
      if (phrase.length >= (latin ? 4 : MIN_LENGTH) && MEANINGFUL.test(phrase)) found.add(phrase)
    }
  }
  return found
}

/** What the examples teach: the shop's phrases, the most often seen first. */
export function learnFrom(examples: readonly Example[]): LearnedPhrase[] {
  const folded = examples.map((e) => ({ ...e, text: fold(e.words).text }))
  const candidates = new Set<string>()
  for (const e of examples) {
    if (suggest(e.words).sentiment !== e.sentiment) for (const p of phrasesIn(e.words)) candidates.add(p)
  }
  const learned: LearnedPhrase[] = []
  for (const phrase of candidates) {
    const seen: Record<Sentiment, number> = { negative: 0, neutral: 0, positive: 0 }
    for (const e of folded) if (e.text.includes(phrase)) seen[e.sentiment]++
    const total = seen.negative + seen.neutral + seen.positive
    const best = (Object.keys(seen) as Sentiment[]).reduce((a, b) => (seen[b] > seen[a] ? b : a))
    const count = seen[best]
    if (count >= SEEN_AT_LEAST && count / total >= PURITY) learned.push({ phrase, side: SIDE[best], seen: count })
  }
  // The most often seen first, the shorter (more general) first among equals; a phrase that holds
  // a phrase already kept on the same side adds nothing.
  learned.sort((a, b) => b.seen - a.seen || a.phrase.length - b.phrase.length || (a.phrase < b.phrase ? -1 : 1))
  const kept: LearnedPhrase[] = []
  for (const p of learned) {
    if (kept.some((k) => k.side === p.side && p.phrase.includes(k.phrase))) continue
    kept.push(p)
    if (kept.length === PHRASES_KEPT) break
  }
  return kept
}
