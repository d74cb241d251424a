/** What a linkback's status URL answers as JSON (the API description shows it). */
import * as v from 'valibot'

import { VERIFY_REASONS, VOICE_KINDS, VOICE_STATUSES, VOICE_TYPES } from '../db/schema'
import { Count, Int, MaybeTimestamp, Timestamp, Words } from '../common/outputs'

/** Where a linkback stands: its check's state, or `accepted` when it was published without one. */
export const LINKBACK_STATES = ['queued', 'verified', 'rejected', 'deleted', 'accepted'] as const
export type LinkbackState = (typeof LINKBACK_STATES)[number]

export const LinkbackStatusOut = v.strictObject({
  status: v.picklist(LINKBACK_STATES),
  reason: v.pipe(v.nullable(v.picklist(VERIFY_REASONS)), v.description('A code; null when nothing went wrong.')),
  http_status: v.pipe(v.nullable(Int), v.description("The source's HTTP status, when the reason depends on it.")),
  summary: v.string(),
  explanation: Words,
  source: v.nullable(v.string()),
  target: v.string(),
  protocol: v.picklist(VOICE_KINDS),
  attempts: Count,
  received_at: Timestamp,
  verified_at: MaybeTimestamp,
  voice: v.strictObject({
    id: v.string(),
    status: v.picklist(VOICE_STATUSES),
    type: v.nullable(v.picklist(VOICE_TYPES)),
  }),
})
