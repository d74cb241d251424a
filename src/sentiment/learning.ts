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

/** Particles and endings: a phrase neither starts nor ends with one (は雑, 感が teach nothing). */
const PARTICLE = /^(?:[はがをにでともへやかねよなのだ]|です|ます|でした|ました|から|まで|より|けど|って)$/u

/** The words of a text, as Intl.Segmenter cuts them (before folding: it knows katakana words), folded. */
function cutIntoWords(text: string): string[] {
  return [...segmenter.segment(text.normalize('NFKC').toLowerCase())]
    .filter((s) => s.isWordLike)
    .map((s) => fold(s.segment).text)
}

/** The phrases a text may teach: runs of up to three words, in folded form (./fold.ts). */
function phrasesIn(text: string): Set<string> {
  const words = cutIntoWords(text)
  const found = new Set<string>()
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= MAX_WORDS && i + n <= words.length; n++) {
      const run = words.slice(i, i + n)
      if (run.every((w) => COMMON.has(w)) || PARTICLE.test(run[0] ?? '') || PARTICLE.test(run.at(-1) ?? '')) continue
      const latin = run.every((w) => /^[a-z0-9']+$/u.test(w))
      const phrase = run.join(latin ? ' ' : '')
      if (phrase.length >= (latin ? 4 : MIN_LENGTH) && MEANINGFUL.test(phrase)) found.add(phrase)
    }
  }
  return found
}

/** At most this many candidate phrases are weighed against every example (the cost stays linear). */
const CANDIDATES = 300

/**
 * What the examples teach: the shop's phrases, the most often seen first. Candidates come from the
 * examples the suggestion got wrong, the most frequent among them first; each is then looked for in
 * every example.
 */
export function learnFrom(examples: readonly Example[]): LearnedPhrase[] {
  const support = new Map<string, number>()
  for (const e of examples) {
    if (suggest(e.words).sentiment === e.sentiment) continue
    for (const p of phrasesIn(e.words)) support.set(p, (support.get(p) ?? 0) + 1)
  }
  const candidates = [...support]
    .filter(([, n]) => n >= SEEN_AT_LEAST)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, CANDIDATES)
    .map(([p]) => p)
  const folded = examples.map((e) => ({ sentiment: e.sentiment, text: fold(e.words).text }))
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
