/**
 * The phrase lists' shape and how they are compiled: one regular expression per group, over the
 * folded text (./fold.ts). Japanese phrases match anywhere (Japanese has no spaces between words);
 * English phrases match whole words.
 */
import { toHiragana } from './fold'

/** Why a phrase counts: what it says about the shop (the console names it in English and Japanese). */
export const REASONS = [
  'delay',
  'no_reply',
  'unlike_photo',
  'size_change',
  'damaged',
  'broken_promise',
  'staff_tone',
  'wont_return',
  'not_recommended',
  'disappointed',
  'defect',
  'praise',
  'feeling',
  /** Words that look like a judgement and are not one here (advice, a question, a hashtag). */
  'plain',
  'learned',
] as const
export type Reason = (typeof REASONS)[number]

/** A group of phrases: why they count, which way (1 praise, -1 complaint, 0 neither), how much, and whether a negation turns them around. */
export type PhraseGroup = [reason: Reason, polarity: 1 | -1 | 0, weight: number, fixed: boolean, patterns: string[]]

export type Language = 'ja' | 'en'

export type CompiledGroup = {
  reason: Reason
  polarity: 1 | -1 | 0
  weight: number
  fixed: boolean
  /** Where a negation is looked for: after a Japanese phrase, before an English one. */
  language: Language
  /** Phrases learned from the shop's staff win over the lists. */
  learned: boolean
  re: RegExp
}

const source = (pattern: string) => `(?:${toHiragana(pattern.normalize('NFKC'))})`

export function compileGroup(group: PhraseGroup, language: Language, learned = false): CompiledGroup {
  const [reason, polarity, weight, fixed, patterns] = group
  // Folding makes some spellings one (ガッカリ, がっかり): each is tried once.
  const alternatives = [...new Set(patterns.map(source))].join('|')
  const re = language === 'en' ? `\\b(?:${alternatives})\\b` : alternatives
  return { reason, polarity, weight, fixed, language, learned, re: new RegExp(re, 'gu') }
}
