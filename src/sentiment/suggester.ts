/**
 * Which classifier suggests a verified voice's sentiment: the lexicon (./lexicon.ts), or —
 * when the Worker has a Workers AI binding named `AI` (add `[ai] binding = "AI"` to
 * wrangler.toml; it needs a Cloudflare account, so dev and tests never use it) — Workers AI's
 * text classification for English text. Japanese text, an unclear answer and any error fall
 * back to the lexicon. Used after a check (in the queue), never on the ingest path.
 */
import type { Sentiment } from '../db/schema'
import { suggestSentiment } from './lexicon'

export const AI_MODEL = '@cf/huggingface/distilbert-sst-2-int8'
/** Below this confidence the model's answer counts as neutral. */
const CONFIDENT = 0.8

export type Suggester = (text: string) => Promise<Sentiment | null>

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/

function fromScores(out: unknown): Sentiment | null {
  if (!Array.isArray(out)) return null
  const entries: unknown[] = out
  const score = (label: string) => {
    const hit = entries.find(
      (o): o is { score?: unknown } =>
        typeof o === 'object' && o !== null && 'label' in o && String(o.label).toUpperCase() === label,
    )
    return Number(hit?.score ?? NaN)
  }
  const positive = score('POSITIVE')
  const negative = score('NEGATIVE')
  if (Number.isNaN(positive) && Number.isNaN(negative)) return null
  if (positive >= CONFIDENT) return 'positive'
  if (negative >= CONFIDENT) return 'negative'
  return 'neutral'
}

export function suggesterOf(env: Pick<Env, 'AI'>): Suggester {
  const ai = env.AI
  const lexicon: Suggester = (text) => Promise.resolve(suggestSentiment(text))
  if (!ai) return lexicon
  return async (text) => {
    if (text.trim() === '' || JAPANESE.test(text)) return suggestSentiment(text)
    try {
      return fromScores(await ai.run(AI_MODEL, { text: text.slice(0, 2000) })) ?? suggestSentiment(text)
    } catch (err) {
      console.error(JSON.stringify({ msg: 'Workers AI sentiment failed; using the lexicon', error: String(err) }))
      return suggestSentiment(text)
    }
  }
}
