/** What the operator API answers about watched feeds and their runs (the API description shows them). */
import * as v from 'valibot'

import { Count, MaybeTimestamp, Timestamp } from '../common/outputs'

const ErrorCode = v.pipe(
  v.string(),
  v.description('Why reading the feed failed: a code (timeout, unreachable, http_404, not_a_feed …).'),
)

export const WatchOut = v.strictObject({
  id: v.pipe(v.string(), v.description('wt_…')),
  feed_url: v.string(),
  keywords: v.array(v.string()),
  created_at: Timestamp,
  next_fetch_at: Timestamp,
  last_fetched_at: MaybeTimestamp,
  failures: v.pipe(Count, v.description('Readings failed in a row (each backs off longer).')),
  last_error: v.nullable(ErrorCode),
  last_error_message: v.nullable(v.string()),
})

export const RunOut = v.strictObject({
  at: Timestamp,
  fetched: Count,
  unchanged: Count,
  failed: Count,
  voices_added: Count,
  errors: v.array(v.strictObject({ feed_url: v.string(), error: ErrorCode, message: v.string() })),
})

export const WatchList = v.strictObject({
  items: v.array(WatchOut),
  runs: v.pipe(v.array(RunOut), v.description("The site's newest scheduled runs.")),
})
