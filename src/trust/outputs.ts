/** The public trust documents' shapes: trust.json, ledger.json, and the figures the feed carries too. */
import * as v from 'valibot'

import { MODERATION_ACTIONS, MODERATION_CATEGORIES, SENTIMENTS, TARGET_KINDS, VOICE_STATUSES } from '../db/schema'
import { Count, Int, Timestamp } from '../common/outputs'

const Share = v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(1)))

export const TrustFiguresOut = v.strictObject({
  voices: v.pipe(Count, v.description('Published voices.')),
  by_sentiment: v.strictObject({ positive: Count, neutral: Count, negative: Count, unclassified: Count }),
  responded: Count,
  response_rate: v.pipe(Share, v.description('Share of published voices with an official response.')),
  negative_response_rate: v.pipe(Share, v.description('Share of published negative voices with an official response.')),
  median_hours_to_first_response: v.nullable(v.number()),
  answered_within_target: v.pipe(
    v.strictObject({ target_hours: Count, share: Share }),
    v.description("Share of answered voices whose first response came within the site's response target."),
  ),
  apologies: Count,
  resolution_rate: v.pipe(Share, v.description('Share of apologies later followed by a resolution report.')),
})

/** Reviews' stars: how many, the average (two decimals) and the count for each star. */
export const RatingSummaryOut = v.strictObject({
  count: Count,
  average: v.nullable(v.number()),
  histogram: v.strictObject({ '1': Count, '2': Count, '3': Count, '4': Count, '5': Count }),
})

/** The moderation ledger's counts, and the head hash anyone can compare with a copy they saved. */
export const LedgerSummaryOut = v.strictObject({
  removed: Count,
  spam: Count,
  restored: Count,
  gone: Count,
  hidden_negative: v.pipe(Count, v.description('Steps that took a published negative voice out of the feed.')),
  ledger_head: v.nullable(v.string()),
})

export const SiteRef = v.strictObject({ slug: v.string(), name: v.string() })

/** GET /feeds/{site}/trust.json */
export const TrustDocOut = v.strictObject({
  site: SiteRef,
  target: v.nullable(v.strictObject({ id: v.string(), url: v.string(), title: v.string() })),
  ...TrustFiguresOut.entries,
  rating: RatingSummaryOut,
  moderation: LedgerSummaryOut,
})

/** GET /feeds/{site}/ledger.json */
export const LedgerDocOut = v.strictObject({
  site: SiteRef,
  head: v.nullable(v.string()),
  algorithm: v.pipe(v.string(), v.description('How to recompute each hash.')),
  summary: LedgerSummaryOut,
  entries: v.array(
    v.strictObject({
      seq: Int,
      date: Timestamp,
      voice: v.pipe(
        v.string(),
        v.description("The voice's id (m_…); for an entry about an import (`trust_import`), the import's id (imp_…)."),
      ),
      action: v.picklist(MODERATION_ACTIONS),
      category: v.picklist(MODERATION_CATEGORIES),
      reason: v.string(),
      from_status: v.picklist(VOICE_STATUSES),
      to_status: v.picklist(VOICE_STATUSES),
      sentiment: v.nullable(v.picklist(SENTIMENTS)),
      rating: v.nullable(Int),
      prev_hash: v.nullable(v.string()),
      hash: v.nullable(v.string()),
    }),
  ),
  next_url: v.optional(v.string()),
})

/** What a feed says about the target it is of (id, title and kind null: a storefront page with no voices yet). */
export const TargetRefOut = v.strictObject({
  id: v.nullable(v.string()),
  url: v.string(),
  title: v.nullable(v.string()),
  kind: v.nullable(v.picklist(TARGET_KINDS)),
})
