/**
 * Which reader suggests a checked voice's sentiment: the local one (./suggest.ts) always; and —
 * when the Worker has a Workers AI binding named `AI` (add `[ai] binding = "AI"` to wrangler.toml;
 * it needs a Cloudflare account, so dev and tests never use it) — a multilingual model for the
 * voices the local reader is unsure about, within a strict time budget. A late, unreadable or
 * failed answer leaves the local one. Phrases the shop's staff taught are never second-guessed.
 * Used after a check (in the queue), never on the ingest path; the re-scoring job
 * (src/voices/rescore.ts) reads locally and leaves an unsure voice's suggestion as it is.
 */
import type { Sentiment } from '../db/schema'
import { type LearnedGroups, NOTHING_LEARNED } from './learned'
import { suggest, UNSURE } from './suggest'

/** A model that reads Japanese as well as English. */
export const AI_MODEL = '@cf/google/gemma-3-12b-it'
/** The model's answer must come within this; after it, the local answer stands. */
export const AI_BUDGET_MS = 1500
/** The model reads at most this much of a voice. */
const AI_READS = 2000

export type Suggester = (text: string, learned?: LearnedGroups) => Promise<Sentiment | null>

type AiBinding = { run(model: string, input: unknown): Promise<unknown> }

const PROMPT =
  'You read what a shopper wrote about an online shop. Answer with one word: "negative" if the text ' +
  'contains any complaint the shop should answer (even beside praise), "positive" if it praises without ' +
  'a real complaint, "neutral" if it only reports facts or asks a question.'

/** The model's one word, or null when it said anything else. */
export function sentimentOfAnswer(out: unknown): Sentiment | null {
  const text = typeof out === 'object' && out !== null && 'response' in out ? out.response : out
  if (typeof text !== 'string') return null
  const word = /^\W*(negative|positive|neutral|mixed)\b/i.exec(text.trim())?.[1]?.toLowerCase()
  return word === 'mixed' ? 'negative' : ((word as Sentiment | undefined) ?? null)
}

function withinBudget<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late')
    }, ms)
  })
  return Promise.race([work, late]).finally(() => {
    clearTimeout(timer)
  })
}

export function suggesterOf(env: { AI?: AiBinding }, budgetMs = AI_BUDGET_MS): Suggester {
  const ai = env.AI
  return async (text, learned = NOTHING_LEARNED) => {
    const local = suggest(text, learned)
    if (!ai || local.sentiment === null || local.confidence >= UNSURE) return local.sentiment
    try {
      const answer = await withinBudget(
        ai.run(AI_MODEL, {
          messages: [
            { role: 'system', content: PROMPT },
            { role: 'user', content: text.slice(0, AI_READS) },
          ],
          max_tokens: 3,
          temperature: 0,
        }),
        budgetMs,
      )
      const read = answer === 'late' ? null : sentimentOfAnswer(answer)
      if (read === null) {
        console.warn(
          JSON.stringify({
            msg: 'Workers AI sentiment unusable; the local suggestion stands',
            late: answer === 'late',
          }),
        )
      }
      return read ?? local.sentiment
    } catch (err) {
      console.error(
        JSON.stringify({ msg: 'Workers AI sentiment failed; the local suggestion stands', error: String(err) }),
      )
      return local.sentiment
    }
  }
}
