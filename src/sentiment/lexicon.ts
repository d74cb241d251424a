/**
 * A small lexicon classifier that suggests a sentiment for a linked voice (its title and
 * excerpt), in English and Japanese. It only suggests: the operator's choice always wins,
 * and a suggestion is marked as one in the API and the feed. Deliberately simple and
 * predictable — a word list, negation that flips the next few words (English) or a
 * following ない/ません (Japanese) — so that staff can see why it chose what it chose.
 */
import type { Sentiment, SentimentSource } from '../db/schema'

const EN_POSITIVE = new Set([
  'love',
  'loved',
  'loves',
  'great',
  'excellent',
  'perfect',
  'amazing',
  'awesome',
  'recommend',
  'recommended',
  'happy',
  'pleased',
  'comfortable',
  'beautiful',
  'best',
  'good',
  'nice',
  'fantastic',
  'wonderful',
  'sturdy',
  'durable',
  'worth',
  'satisfied',
  'delighted',
  'favourite',
  'favorite',
  'gorgeous',
  'lovely',
  'thanks',
  'superb',
])
const EN_NEGATIVE = new Set([
  'bad',
  'poor',
  'terrible',
  'awful',
  'broken',
  'broke',
  'disappointed',
  'disappointing',
  'disappointment',
  'worst',
  'refund',
  'returned',
  'faded',
  'ripped',
  'torn',
  'defective',
  'useless',
  'waste',
  'late',
  'delayed',
  'shrank',
  'shrunk',
  'itchy',
  'flimsy',
  'leak',
  'leaks',
  'leaked',
  'smells',
  'rude',
  'horrible',
  'hate',
  'hated',
  'problem',
  'problems',
  'unhappy',
  'uncomfortable',
  'overpriced',
  'scam',
  'fell',
  'cracked',
  'stained',
])
const EN_NEGATORS = new Set(['not', 'no', 'never', 'hardly', 'barely', 'cannot', 'without', 'nor'])
/** How many following words a negator turns around ("not very good"). */
const NEGATION_REACH = 3

/** Japanese terms matched as substrings (no word boundaries in Japanese text); `fixed` terms are never flipped. */
const JA_TERMS: { term: string; polarity: 1 | -1; fixed?: boolean }[] = [
  ...[
    '良い',
    'よい',
    '良かった',
    'よかった',
    '良く',
    '最高',
    '満足',
    '気に入',
    'おすすめ',
    'オススメ',
    'お勧め',
    '素晴らし',
    '素敵',
    'すてき',
    '嬉し',
    'うれし',
    '快適',
    '丁寧',
    '可愛',
    'かわいい',
    '綺麗',
    'きれい',
    '丈夫',
    '愛用',
    'リピート',
    '大好き',
    '助かり',
    'ありがとう',
  ].map((term) => ({ term, polarity: 1 as const })),
  ...[
    '残念',
    '最悪',
    '不満',
    '壊れ',
    '破れ',
    '遅い',
    '遅れ',
    '返品',
    '不良',
    '色落ち',
    'ほつれ',
    'がっかり',
    '期待外れ',
    '期待はずれ',
    'ひどい',
    '酷い',
    '縮ん',
    '臭い',
    '痛い',
    '高すぎ',
    '問題',
    '不具合',
    '返金',
    '微妙',
    '悪い',
    '悪かった',
    '悪く',
    '失敗',
  ].map((term) => ({ term, polarity: -1 as const })),
  ...['二度と', '届かな', '使いにく', '届いていな'].map((term) => ({ term, polarity: -1 as const, fixed: true })),
]
/** A negation right after a Japanese term turns it around (良くない, 満足できない, 問題ない). */
const JA_NEGATION = /^(?:[ぁ-ん]{0,3})?(?:ない|なかった|ません|ず|なし)/

export type SentimentScore = { positive: number; negative: number; matched: string[] }

export function scoreText(text: string): SentimentScore {
  const score: SentimentScore = { positive: 0, negative: 0, matched: [] }
  const add = (polarity: number, term: string) => {
    if (polarity > 0) score.positive++
    else score.negative++
    score.matched.push(polarity > 0 ? `+${term}` : `-${term}`)
  }

  let negatedFor = 0
  for (const raw of text.toLowerCase().match(/[a-z']+/g) ?? []) {
    const word = raw.replace(/^'+|'+$/g, '')
    if (EN_NEGATORS.has(word) || word.endsWith("n't")) {
      negatedFor = NEGATION_REACH
      continue
    }
    const polarity = EN_POSITIVE.has(word) ? 1 : EN_NEGATIVE.has(word) ? -1 : 0
    if (polarity !== 0) add(negatedFor > 0 ? -polarity : polarity, negatedFor > 0 ? `not ${word}` : word)
    if (negatedFor > 0) negatedFor--
  }

  // Longest terms first, each stretch of text counted once (良かった is not also 良い).
  const taken = new Array<boolean>(text.length).fill(false)
  for (const { term, polarity, fixed } of [...JA_TERMS].sort((a, b) => b.term.length - a.term.length)) {
    for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length)) {
      if (taken.slice(at, at + term.length).some(Boolean)) continue
      taken.fill(true, at, at + term.length)
      const negated = !fixed && JA_NEGATION.test(text.slice(at + term.length, at + term.length + 6))
      add(negated ? -polarity : polarity, negated ? `${term}(否定)` : term)
    }
  }
  return score
}

/** A review's sentiment is its stars': 1–2 negative, 3 neutral, 4–5 positive. */
export function sentimentOfRating(rating: number): Sentiment {
  return rating <= 2 ? 'negative' : rating === 3 ? 'neutral' : 'positive'
}

/** The suggested sentiment, or null when the text says nothing either way. */
export function suggestSentiment(text: string): Sentiment | null {
  const { positive, negative } = scoreText(text)
  if (positive === 0 && negative === 0) return null
  if (positive > negative) return 'positive'
  if (negative > positive) return 'negative'
  return 'neutral'
}

/**
 * The sentiment fields to write for a voice whose words are `parts`: the suggestion, unless
 * the operator has set the sentiment (theirs always wins) or the words suggest nothing.
 */
export function suggestedFields(
  current: { sentimentBy: SentimentSource | null },
  ...parts: (string | null | undefined)[]
) {
  return suggestionFields(current, suggestSentiment(wordsOf(...parts)))
}

/** A voice's words for a classifier: its title and excerpt. */
export const wordsOf = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join('\n')

/**
 * The fields that record `sentiment` as a suggestion — none when the operator chose, when a
 * review's stars decided it, or when nothing was suggested.
 */
export function suggestionFields(current: { sentimentBy: SentimentSource | null }, sentiment: Sentiment | null) {
  if ((current.sentimentBy !== null && current.sentimentBy !== 'suggested') || sentiment === null) return {}
  return { sentiment, sentimentBy: 'suggested' as const }
}
