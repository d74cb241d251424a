/**
 * Reading a voice's sentiment from its words, explainably. The text is folded (./fold.ts), cut into
 * sentences and clauses, and the phrase lists (./phrases-*.ts) — with the shop's learned phrases
 * first (./learning.ts) — are matched, the longest first, each stretch of text counted once. A
 * negation turns a phrase around (良くない, "didn't shrink"). A clause after a turn (けど, のに,
 * "but", "however") weighs more than the clause before it. A voice with any real complaint in it
 * is negative — mixed, when it praises too — so that it waits in the inbox with the complaints.
 */
import type { Sentiment } from '../db/schema'
import { type Folded, fold, originalOf } from './fold'
import { BUILT_IN } from './built-in'
import type { CompiledGroup, Reason } from './phrases'

export type Evidence = {
  /** The voice's own words that matched. */
  text: string
  /** 1 praise, -1 complaint, 0 neither (a phrase the shop's staff marked neutral). */
  polarity: 1 | -1 | 0
  reason: Reason
  /** A negation turned the phrase around. */
  negated: boolean
  /** Learned from the shop's staff. */
  learned: boolean
  /** What it counted for, after its clause's weight. */
  weight: number
  /** Where it is in the folded text. */
  start: number
  end: number
}

export type Reading = {
  sentiment: Sentiment | null
  /** Praise and a complaint in one voice (its sentiment is then negative). */
  mixed: boolean
  /** How sure the reading is, 0–1: low when little was found or the two sides were close. */
  confidence: number
  /** What decided, the weightiest first. */
  evidence: Evidence[]
  /** The folded text's clauses and their weights. */
  clauses: Clause[]
}

/** The weight of a clause before a turn, and after it. */
const BEFORE_TURN = 0.6
const AFTER_TURN = 1.4
/** A complaint counts when it weighs this much … */
const COMPLAINT = 1
/** … and at least this share of the praise beside it (less is a complaint waved away). */
const MIXED_RATIO = 0.5
const PRAISE = 1
/** A complaint alone, with no praise beside it, counts from this weight. */
const LONE_COMPLAINT = 0.75
/** A question weighs less than a statement ("which size is better?"). */
const QUESTION = 0.5

/** Sentence ends; a turn inside a sentence; a sentence that begins with a turn. */
const SENTENCE_END = /[。!?\n]+|\.(?=\s|$)/gu
const TURN =
  /けど|けれど(?:も)?|のに|ものの|(?<=(?:[いたすだ]|です|ます|でした|ました))が(?=[、,\s]|[^ぁ-ゖ])|しかし|でも[、,]|ただ[、,し]|とは(?:いえ|言え)(?![なずま])|\b(?:but|however|yet|except|that said|having said that|on the other hand|the only (?:thing|problem|downside|issue|complaint|negative|gripe|con))\b/gu
const TURN_AT_START =
  /^\s*(?:でも|しかし|ただ|けど|だけど|ですが|とはいえ|一方|but|however|that said|unfortunately|sadly|still)(?![\p{L}])/u
/** A concession first: "although it is pretty, it shrank" turns at the comma. */
const CONCESSION_AT_START = /^\s*(?:although|though|even though|while|whilst)\b/u

const JA_NEGATION =
  /^(?:[ぁ-ゖ]{0,4}?|とは(?:言|い)え|とは思え|[ぁ-ゖ]{0,2}(?:は|も))(?:ない|なかった|なく|ません|ず|ぬ|なし|無し|無い|ねー|ねぇ|へん|にくい|にくく|づらい|づらく)/u
/** 〜すぎない？ asks; it does not deny. */
const JA_ASKING = /^[ぁ-ゖ]{0,6}?(?:ない|なかった)(?:[のかねよ]|です|でしょう)?か?\?/u
const JA_ONLY = /^[ぁ-ゖ]{0,3}?しか/u
const EN_NEGATION =
  /(?:^|[^\p{L}'])(?:not|no|never|hardly|barely|without|nor|neither|none|nothing|cannot|[a-z]+n't|dont|didnt|doesnt|isnt|wasnt|wont|cant|couldnt|wouldnt|arent|werent|aint)(?!\s+only\b)(?:\s+[\p{L}']+){0,2}?\s+$/u

export type Clause = { start: number; end: number; weight: number }

function clausesOf(text: string): Clause[] {
  const sentences: { start: number; end: number; question?: boolean }[] = []
  let start = 0
  for (const m of text.matchAll(SENTENCE_END)) {
    sentences.push({ start, end: m.index, question: m[0].includes('?') })
    start = m.index + m[0].length
  }
  sentences.push({ start, end: text.length })

  const clauses: Clause[] = []
  let previous: Clause[] = []
  for (const s of sentences) {
    const body = text.slice(s.start, s.end)
    if (body.trim() === '') continue
    const cuts = [...body.matchAll(TURN)].map((m) => m.index).filter((at) => at > 0)
    const concession = CONCESSION_AT_START.test(body) ? body.search(/[,、]/u) : -1
    if (concession > 0) cuts.unshift(concession)
    const bounds = [0, ...cuts, body.length]
    const own: Clause[] = []
    for (const [i, from] of bounds.slice(0, -1).entries()) {
      const weight = bounds.length === 2 ? 1 : i === bounds.length - 2 ? AFTER_TURN : BEFORE_TURN
      own.push({
        start: s.start + from,
        end: s.start + (bounds[i + 1] ?? body.length),
        weight: s.question ? weight * QUESTION : weight,
      })
    }
    if (TURN_AT_START.test(body)) {
      for (const c of own) c.weight = Math.max(c.weight, AFTER_TURN)
      for (const c of previous) c.weight = Math.min(c.weight, BEFORE_TURN)
    }
    clauses.push(...own)
    previous = own
  }
  return clauses
}

type Hit = { start: number; end: number; group: CompiledGroup }

const LATIN = /[a-z]/u
const JAPANESE_OR_SIGNS = /[^\p{ASCII}]/u

function hitsOf(text: string, groups: readonly CompiledGroup[]): Hit[] {
  const hits: Hit[] = []
  // A language's lists are read only when the text has its letters.
  const english = LATIN.test(text)
  const other = JAPANESE_OR_SIGNS.test(text)
  for (const group of groups) {
    if (!(group.language === 'en' ? english : other)) continue
    group.re.lastIndex = 0
    for (const m of text.matchAll(group.re)) {
      if (m[0].length > 0) hits.push({ start: m.index, end: m.index + m[0].length, group })
    }
  }
  // The shop's learned phrases first, then the longest: each stretch of text counts once.
  hits.sort(
    (a, b) =>
      Number(b.group.learned) - Number(a.group.learned) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  )
  const taken = new Uint8Array(text.length)
  return hits.filter((h) => {
    if (taken.subarray(h.start, h.end).some(Boolean)) return false
    taken.fill(1, h.start, h.end)
    return true
  })
}

function negated(text: string, hit: Hit, clause: Clause): boolean {
  if (hit.group.fixed || hit.group.polarity === 0) return false
  if (hit.group.language === 'ja') {
    const after = text.slice(hit.end, Math.min(hit.end + 12, clause.end))
    // A question (〜遅くなかったですか?) asks; it does not deny: look past the clause's end for its mark.
    const asking = JA_ASKING.test(text.slice(hit.end, hit.end + 12))
    return JA_NEGATION.test(after) && !JA_ONLY.test(after) && !asking
  }
  return EN_NEGATION.test(text.slice(Math.max(clause.start, hit.start - 40), hit.start))
}

/** Reads `original` with the built-in phrase lists and, first, the shop's learned ones. */
export const readSentiment = (original: string, learned: readonly CompiledGroup[] = []): Reading =>
  readFolded(original, fold(original), learned)

/** Reads a text already folded. */
export function readFolded(original: string, folded: Folded, learned: readonly CompiledGroup[] = []): Reading {
  const text = folded.text
  const clauses = clausesOf(text)
  const clauseAt = (at: number) =>
    clauses.find((c) => at >= c.start && at < c.end) ?? { start: 0, end: text.length, weight: 1 }

  const evidence: Evidence[] = hitsOf(text, learned.length > 0 ? [...learned, ...BUILT_IN] : BUILT_IN).map((hit) => {
    const clause = clauseAt(hit.start)
    const turned = negated(text, hit, clause)
    const polarity = turned ? (-hit.group.polarity as -1 | 1) : hit.group.polarity
    return {
      text: originalOf(original, folded, hit.start, hit.end),
      polarity,
      reason: hit.group.reason,
      negated: turned,
      learned: hit.group.learned,
      weight: hit.group.weight * clause.weight,
      start: hit.start,
      end: hit.end,
    }
  })
  return { ...decide(evidence), clauses }
}

function decide(evidence: Evidence[]): Omit<Reading, 'clauses'> {
  // A phrase said again adds nothing (a how-to that says 返品 six times is not six complaints).
  const sum = (p: number) => {
    const heaviest = new Map<string, number>()
    for (const e of evidence) if (e.polarity === p) heaviest.set(e.text, Math.max(heaviest.get(e.text) ?? 0, e.weight))
    return [...heaviest.values()].reduce((s, w) => s + w, 0)
  }
  const praise = sum(1)
  const complaint = sum(-1)
  const neither = sum(0)
  const sorted = evidence.filter((e) => e.weight > 0).sort((a, b) => b.weight - a.weight)
  const total = praise + complaint + neither
  if (total === 0) return { sentiment: null, mixed: false, confidence: 0, evidence: [] }

  let sentiment: Sentiment
  if (neither >= Math.max(praise, complaint)) sentiment = 'neutral'
  else if (complaint >= COMPLAINT && complaint >= praise * MIXED_RATIO) sentiment = 'negative'
  else if (praise >= PRAISE && praise > complaint) sentiment = 'positive'
  else if (complaint >= LONE_COMPLAINT && praise === 0) sentiment = 'negative'
  else if (praise > 0 && complaint === 0) sentiment = 'positive'
  else sentiment = 'neutral'

  const mixed = sentiment === 'negative' && praise >= PRAISE
  const side = sentiment === 'negative' ? complaint : sentiment === 'positive' ? praise : neither
  // Sure when the deciding side weighs a lot and the other little.
  const confidence = Math.min(1, side / 3) * (side / total)
  return { sentiment, mixed, confidence: Math.round(confidence * 100) / 100, evidence: sorted }
}
