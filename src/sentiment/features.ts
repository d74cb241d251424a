/**
 * What the trained model (./model.ts) reads in a voice: the phrase lists' findings (./reading.ts)
 * by reason, and the text's own pieces — single kanji and runs of two and three characters in
 * Japanese, words and word pairs in English — each hashed to a slot. A piece in the clause after
 * a turn (けど, "but") also counts as such, since that clause carries the weight. The same code
 * builds the features for training (scripts/train-sentiment.mjs) and for reading, so they never
 * drift apart.
 */
import { type Folded, fold } from './fold'
import { type Reading, readFolded } from './reading'
import type { CompiledGroup } from './phrases'

/** Slots in the model: 2^18, plenty for the pieces a few thousand voices hold. */
export const SLOTS = 1 << 18

export type Piece = { slot: number; value: number; start: number; end: number }
export type Features = { folded: Folded; reading: Reading; pieces: Piece[] }

const OFFSET = 0x811c9dc5
const PRIME = 0x01000193
/** FNV-1a over a key's UTF-16 units (from `h`, to go on from a prefix), 32 bits. */
function fnv(key: string, h = OFFSET): number {
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), PRIME)
  return h
}
const slotOf = (h: number) => (h >>> 0) % SLOTS
/** The same piece in a clause after a turn: another slot. */
const AFTER_TURN_SALT = 0x5bd1e995
/** … and in the voice's last clause. */
const LAST_CLAUSE_SALT = 0x27d4eb2d

const LATIN_WORD = /[a-z0-9']+/gu
/** Characters read as pieces: not Latin letters, digits, spaces or punctuation. */
const isPieceChar = (code: number) =>
  code > 0x7f &&
  code !== 0x3001 &&
  code !== 0x3002 &&
  !(code >= 0x2000 && code <= 0x206f) &&
  !(code >= 0x3000 && code <= 0x303f)
const isKanji = (code: number) => code >= 0x4e00 && code <= 0x9fff
const KEY_RULE = fnv('R:')
const KEY_WORD = fnv('w:')
const KEY_CHARS = fnv('c:')
/** The model reads at most this much of a voice (a long post's first 4,000 characters). */
const READ_AT_MOST = 4000

/** Where the pieces go: each piece's slot, value and place in the folded text. */
export type Sink = (slot: number, value: number, start: number, end: number) => void

/** The voice's features, as a list (for training and for explaining a reading). */
export function featuresOf(original: string, learned: readonly CompiledGroup[] = []): Features {
  const pieces: Piece[] = []
  const read = readPieces(original, learned, (slot, value, start, end) => pieces.push({ slot, value, start, end }))
  return { ...read, pieces }
}

/** Slots already given a piece in the voice being read (the pieces count once), and which. */
const taken = new Uint8Array(SLOTS)
const takenSlots: number[] = []

/** Reads the voice and hands each of its pieces to `sink` (the model sums them as they come). */
export function readPieces(original: string, learned: readonly CompiledGroup[], sink: Sink) {
  const folded = fold(original.slice(0, READ_AT_MOST))
  const reading = readFolded(original, folded, learned)
  const text = folded.text

  // The phrase lists' findings, by reason and side, and their sums.
  let praise = 0
  let complaint = 0
  for (const e of reading.evidence) {
    const side = e.polarity > 0 ? '+' : e.polarity < 0 ? '-' : '0'
    sink(slotOf(fnv(`${e.reason}${side}`, KEY_RULE)), e.weight, e.start, e.end)
    if (e.polarity > 0) praise += e.weight
    if (e.polarity < 0) complaint += e.weight
  }
  const sum = (key: string, value: number) => {
    sink(slotOf(fnv(key)), value, 0, 0)
  }
  sum('L:+', Math.min(praise, 4) / 2)
  sum('L:-', Math.min(complaint, 4) / 2)
  sum('L:mixed', Math.min(praise, complaint, 2))
  sum(`L:${reading.sentiment ?? 'none'}`, 1)

  // Which positions are in a clause after a turn.
  const afterTurn = new Uint8Array(text.length)
  for (const c of reading.clauses) if (c.weight > 1) afterTurn.fill(1, c.start, c.end)
  // The last clause: where a voice usually says what it makes of it all.
  const lastClause = reading.clauses[reading.clauses.length - 1]
  const lastFrom = lastClause?.start ?? text.length

  // Each piece once (presence, not count), by its slot: where it starts and ends.
  const starts: number[] = []
  const ends: number[] = []
  const gram = (h: number, start: number, end: number) => {
    const slot = slotOf(h)
    if (taken[slot] === 1) return
    taken[slot] = 1
    takenSlots.push(slot)
    starts.push(start)
    ends.push(end)
  }
  let previous: { h: number; start: number; end: number } | null = null
  for (const m of text.matchAll(LATIN_WORD)) {
    const h = fnv(m[0], KEY_WORD)
    const end = m.index + m[0].length
    gram(h, m.index, end)
    if (previous && /^\s*$/u.test(text.slice(previous.end, m.index))) {
      gram(Math.imul(previous.h ^ 0x20, PRIME) ^ h, previous.start, end)
    }
    previous = { h, start: m.index, end }
  }
  for (let i = 0; i < text.length; i++) {
    const a = text.charCodeAt(i)
    if (!isPieceChar(a)) continue
    const single = Math.imul(KEY_CHARS ^ a, PRIME)
    if (isKanji(a)) gram(single, i, i + 1)
    const b = text.charCodeAt(i + 1)
    if (!isPieceChar(b)) continue
    const ab = Math.imul(single ^ b, PRIME)
    gram(ab, i, i + 2)
    const c = text.charCodeAt(i + 2)
    if (isPieceChar(c)) gram(Math.imul(ab ^ c, PRIME), i, i + 3)
  }
  // Scaled so that a long post does not outweigh a short one.
  const count = takenSlots.length
  const scale = 1 / Math.sqrt(Math.max(count, 1))
  for (let i = 0; i < count; i++) {
    const slot = takenSlots[i] ?? 0
    const start = starts[i] ?? 0
    const end = ends[i] ?? 0
    taken[slot] = 0
    sink(slot, scale, start, end)
    // The same piece after a turn, and in the last clause: other slots.
    if (afterTurn[start]) sink(slotOf(Math.imul(slot ^ AFTER_TURN_SALT, PRIME)), scale, start, end)
    if (start >= lastFrom) sink(slotOf(Math.imul(slot ^ LAST_CLAUSE_SALT, PRIME)), scale, start, end)
  }
  takenSlots.length = 0
  return { folded, reading }
}
