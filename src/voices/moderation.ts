/**
 * Moderation rules. Nothing is hidden for being negative: a voice leaves the feed only as
 * spam or for a stated, content-neutral reason, every step is logged in
 * moderation_events, and every step can be undone.
 */
import {
  type ModerationAction,
  type ModerationCategory,
  type VoiceModerationAction,
  REMOVAL_CATEGORIES,
  type RemovalCategory,
  type Sentiment,
  type VoiceKind,
  type VoiceStatus,
} from '../db/schema'
import type { CounterName, StatsDelta } from '../stats/counters'

export { REMOVAL_CATEGORIES, type RemovalCategory }
const isRemovalCategory = (category: string | undefined): category is RemovalCategory =>
  REMOVAL_CATEGORIES.includes(category as RemovalCategory)

export type ModerationRequest = { action: VoiceModerationAction; category?: string | undefined; reason: string }

export type ModerationDecision =
  | { ok: true; toStatus: VoiceStatus; category: ModerationCategory }
  | { ok: false; code: 'invalid_input' | 'conflict'; message: string; ja: string }

const hideable: readonly VoiceStatus[] = ['published', 'pending', 'spam', 'removed']

export function decideModeration(
  current: { kind: VoiceKind; status: VoiceStatus; publishedAt: number | null },
  req: ModerationRequest,
): ModerationDecision {
  // A found voice nobody has published was never shown: staff set it aside (src/listening/discovered.ts), which the ledger does not count.
  if (current.kind === 'discovered' && current.publishedAt === null && req.action !== 'restore')
    return {
      ok: false,
      code: 'conflict',
      message: 'A voice found in a watched feed is published or set aside until it has been published',
      ja: 'フィードで見つかった声は、公開するまでは「公開」か「見送り」を選んでください',
    }
  switch (req.action) {
    case 'spam': {
      if (req.category !== undefined && req.category !== 'spam') {
        return {
          ok: false,
          code: 'invalid_input',
          message: 'category: the spam action files under "spam"; use action "remove" for other reasons',
          ja: '分類：スパムの分類は「スパム」だけです。ほかの理由では「削除」を選んでください',
        }
      }
      if (!hideable.includes(current.status) || current.status === 'spam') {
        return {
          ok: false,
          code: 'conflict',
          message: `A ${current.status} voice cannot be marked spam`,
          ja: 'この声は今の状態ではスパムにできません',
        }
      }
      return { ok: true, toStatus: 'spam', category: 'spam' }
    }
    case 'remove': {
      if (!isRemovalCategory(req.category)) {
        return {
          ok: false,
          code: 'invalid_input',
          message: `category: must be one of ${REMOVAL_CATEGORIES.join(', ')}`,
          ja: '分類：削除の理由を選んでください',
        }
      }
      if (!hideable.includes(current.status) || current.status === 'removed') {
        return {
          ok: false,
          code: 'conflict',
          message: `A ${current.status} voice cannot be removed`,
          ja: 'この声は今の状態では削除できません',
        }
      }
      return { ok: true, toStatus: 'removed', category: req.category }
    }
    case 'restore': {
      if (current.status !== 'spam' && current.status !== 'removed') {
        return {
          ok: false,
          code: 'conflict',
          message: `Only spam or removed voices can be restored, this one is ${current.status}`,
          ja: '復元できるのはスパムか削除済みの声だけです',
        }
      }
      // A voice that was never published (still awaiting verification) goes back to waiting.
      return { ok: true, toStatus: current.publishedAt === null ? 'pending' : 'published', category: 'restore' }
    }
  }
}

/**
 * A step that took a published negative voice out of the feed, whatever it was filed as:
 * counted apart in the public figures, so criticism cannot quietly vanish as "spam".
 */
export const hidesNegativeVoice = (action: ModerationAction, from: VoiceStatus, sentiment: Sentiment | null) =>
  (action === 'remove' || action === 'spam') && from === 'published' && sentiment === 'negative'

/** The counter each ledger entry moves; an answer withdrawn leaves the voice where it was and counts in none. */
const EVENT_COUNTER = {
  remove: 'removed',
  spam: 'spam',
  restore: 'restored',
  withdraw_answer: null,
  trust_import: null,
} as const satisfies Record<ModerationAction, CounterName | null>

/** What `n` moderation steps of one kind count for in the ledger's counters. */
export const eventDelta = (
  action: ModerationAction,
  from: VoiceStatus,
  sentiment: Sentiment | null,
  n = 1,
): StatsDelta => ({
  counters: {
    ...(EVENT_COUNTER[action] === null ? {} : { [EVENT_COUNTER[action]]: n }),
    hiddenNegative: hidesNegativeVoice(action, from, sentiment) ? n : 0,
  },
  buckets: {},
})
