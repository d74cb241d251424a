/**
 * The sentiment fields a voice is written with: a review's stars decide, staff's choice always
 * wins, and other voices get the suggestion their words give (./suggest.ts), marked as one.
 */
import type { Sentiment, SentimentSource } from '../db/schema'
import type { LearnedGroups } from './learned'
import { suggest } from './suggest'

/** A review's sentiment is its stars': 1–2 negative, 3 neutral, 4–5 positive. */
export function sentimentOfRating(rating: number): Sentiment {
  return rating <= 2 ? 'negative' : rating === 3 ? 'neutral' : 'positive'
}

/** The suggested sentiment of some words, or null when there are none. */
export const suggestSentiment = (text: string, learned?: LearnedGroups) => suggest(text, learned).sentiment

/**
 * The sentiment fields to write for a voice whose words are `parts`: the suggestion, unless
 * staff have set the sentiment (theirs always wins), its stars did, or there are no words.
 */
export function suggestedFields(
  current: { sentimentBy: SentimentSource | null },
  ...parts: (string | null | undefined)[]
) {
  if (current.sentimentBy !== null && current.sentimentBy !== 'suggested') return {}
  return suggestionFields(current, suggestSentiment(wordsOf(...parts)))
}

/** A voice's words for a classifier: its title and excerpt. */
export const wordsOf = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join('\n')

/**
 * The fields that record `sentiment` as a suggestion — none when staff chose, when a review's
 * stars decided it, or when nothing was suggested.
 */
export function suggestionFields(current: { sentimentBy: SentimentSource | null }, sentiment: Sentiment | null) {
  if ((current.sentimentBy !== null && current.sentimentBy !== 'suggested') || sentiment === null) return {}
  return { sentiment, sentimentBy: 'suggested' as const }
}
