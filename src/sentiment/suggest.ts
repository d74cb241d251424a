/**
 * The sentiment suggestion for a voice's words, and why. Two readers agree on most voices: the
 * phrase lists (./reading.ts), which find what a complaint or praise says (返信なし, "came apart",
 * 悪くない), and the model trained on the labelled voices (./model.ts), which weighs everything
 * the voice says. The model decides; phrases the shop's staff taught (./learning.ts) overrule it,
 * since they are the shop's own vocabulary. A voice with any real complaint in it is negative
 * (mixed, when it praises too), so that it waits in the inbox with the complaints. It only
 * suggests: staff's choice always wins, and a suggestion is marked as one everywhere.
 */
import type { Sentiment } from '../db/schema'
import { type Features, featuresOf } from './features'
import { type LearnedGroups, NOTHING_LEARNED } from './learned'
import { modelReading, readWithModel } from './model'
import type { Reason } from './phrases'
import type { Evidence } from './reading'

/** The model calls a voice a complaint from this chance on (complaints are the ones not to miss). */
const COMPLAINT_AT = 0.4
/** A complaint the lists name at this weight stands against a phrase staff taught as praise or neutral. */
const STANDING_COMPLAINT = 1
/** A complaint is mixed when the phrase lists found at least this much praise beside it (and can name it). */
const MIXED_PRAISE = 0.5

export type Suggestion = {
  sentiment: Sentiment | null
  mixed: boolean
  /** 0–1: how sure. Below `UNSURE` a model service may be asked (./suggester.ts). */
  confidence: number
}

/** A phrase that decided: the voice's own words, why they count, which way, and whether staff taught it. */
export type Because = { text: string; reason: Reason | 'words'; side: 1 | -1 | 0; negated: boolean; learned: boolean }

export const UNSURE = 0.6

/** A quoted phrase is at most this long (a run of a long post is cut, with an ellipsis). */
const QUOTE_AT_MOST = 60
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
const quoted = (text: string) => {
  const chars = Array.from(graphemes.segment(text), (g) => g.segment)
  return chars.length <= QUOTE_AT_MOST ? text : `${chars.slice(0, QUOTE_AT_MOST - 1).join('')}…`
}

/**
 * `part` of `text` widened to the end of the word it cuts — a phrase list's stem 「写真と違」 is
 * quoted as the voice wrote it, 「写真と違った」, and "disappoint" as "disappointed" — by the
 * kana of its inflection (three at most) or the rest of a Latin word; as it is when it is not in
 * `text`. (workerd's word segmenter cuts Japanese into single characters, so it cannot say.)
 */
function wholeWords(text: string, part: string): string {
  const at = text.indexOf(part)
  if (at < 0 || part === '') return part
  const end = at + part.length
  const rest = text.slice(end)
  const more = /[\p{Script=Han}\p{Script=Hiragana}]$/u.test(part)
    ? /^\p{Script=Hiragana}{1,3}/u.exec(rest)
    : /[\p{Script=Latin}\p{N}]$/u.test(part)
      ? /^[\p{Script=Latin}\p{N}'’]{1,20}/u.exec(rest)
      : null
  return text.slice(at, end + (more?.[0].length ?? 0))
}

/** The reading of `text`: the phrase lists' (with the shop's learned phrases) and the model's. */
function decided(text: string, learned: LearnedGroups, f?: Features) {
  const { reading, chances } = f
    ? { reading: f.reading, chances: modelReading(f).chances }
    : readWithModel(text, learned.groups)
  const weigh = (keep: (e: Evidence) => boolean) => reading.evidence.filter(keep).reduce((s, e) => s + e.weight, 0)
  const praise = weigh((e) => e.polarity > 0)
  const model: Sentiment =
    chances.negative >= COMPLAINT_AT ? 'negative' : chances.positive >= chances.neutral ? 'positive' : 'neutral'
  const learnedSides = new Set(reading.evidence.filter((e) => e.learned).map((e) => e.polarity))
  if (learnedSides.size > 0) {
    // What staff taught moves a voice their way, but never clears a complaint: a phrase they called
    // praise or neutral does not outweigh a complaint the lists name or the model is sure of.
    if (learnedSides.has(-1)) return { sentiment: 'negative' as const, mixed: praise >= MIXED_PRAISE, confidence: 1 }
    // The rest of the voice still speaks: read without the learned phrases, is it a complaint?
    let rest = text
    for (const e of reading.evidence) if (e.learned) rest = rest.split(e.text).join(' ')
    const without = readWithModel(rest, []).chances
    if (weigh((e) => e.polarity < 0 && !e.learned) >= STANDING_COMPLAINT || without.negative >= COMPLAINT_AT) {
      return { sentiment: 'negative' as const, mixed: true, confidence: Math.round(without.negative * 100) / 100 }
    }
    return {
      sentiment: learnedSides.has(1) ? ('positive' as const) : ('neutral' as const),
      mixed: false,
      confidence: 1,
    }
  }
  return {
    sentiment: model,
    mixed: model === 'negative' && praise >= MIXED_PRAISE,
    confidence: Math.round(chances[model] * 100) / 100,
  }
}

/** The suggested sentiment of `text`, or null when there are no words to read. */
export function suggest(text: string, learned: LearnedGroups = NOTHING_LEARNED): Suggestion {
  if (text.trim() === '') return { sentiment: null, mixed: false, confidence: 0 }
  const { sentiment, mixed, confidence } = decided(text, learned)
  return { sentiment, mixed, confidence }
}

/** The suggestion with the phrases that decided it, the weightiest first (at most `limit`). */
export function explain(
  text: string,
  learned: LearnedGroups = NOTHING_LEARNED,
  limit = 5,
): Suggestion & { because: Because[] } {
  if (text.trim() === '') return { sentiment: null, mixed: false, confidence: 0, because: [] }
  const f = featuresOf(text, learned.groups)
  const { sentiment, mixed, confidence } = decided(text, learned, f)
  const sides = new Set<number>(
    sentiment === 'negative' ? (mixed ? [-1, 1] : [-1]) : sentiment === 'positive' ? [1] : [0],
  )
  const found = f.reading.evidence.filter((e) => sides.has(e.polarity) || e.learned)
  const because: Because[] = found.map((e) => ({
    text: quoted(wholeWords(text, e.text)),
    reason: e.reason,
    side: e.polarity,
    negated: e.negated,
    learned: e.learned,
  }))
  // The model's own phrases, where the lists found nothing there.
  const taken = (start: number, end: number) => f.reading.evidence.some((e) => e.start < end && start < e.end)
  for (const p of modelReading(f, sentiment, text).phrases) {
    if (!taken(p.start, p.end))
      because.push({
        text: quoted(wholeWords(text, p.text)),
        reason: 'words',
        side: sentiment === 'negative' ? -1 : sentiment === 'positive' ? 1 : 0,
        negated: false,
        learned: false,
      })
  }
  // Complaints first, then praise; each phrase once.
  const seen = new Set<string>()
  const unique = because.filter((b) => !seen.has(b.text) && seen.add(b.text))
  return { sentiment, mixed, confidence, because: unique.sort((a, b) => a.side - b.side).slice(0, limit) }
}
