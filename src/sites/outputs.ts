/** What the operator API answers about sites and their keys (the API description shows them). */
import * as v from 'valibot'

import { Count, ListOf, MaybeTimestamp, PageOf, Timestamp } from '../common/outputs'
import { SiteSettingsOut } from './settings'

/**
 * A deleted shop's state: `restorable` during the grace period (until `purge_after`), then
 * `purging` while the cron deletes its rows, step by step (a table a step), `rows_purged` so far.
 */
export const DeletionOut = v.strictObject({
  state: v.picklist(['restorable', 'purging']),
  deleted_at: Timestamp,
  purge_after: Timestamp,
  rows_purged: Count,
  step: Count,
  steps: Count,
  purging_table: v.nullable(v.string()),
})

export const SiteOut = v.strictObject({
  slug: v.string(),
  name: v.string(),
  origins: v.array(v.string()),
  embed_origins: v.array(v.string()),
  settings: SiteSettingsOut,
  created_at: Timestamp,
  /** Null while the shop is live. */
  deletion: v.nullable(DeletionOut),
})

export const SitePage = PageOf(SiteOut)

/** A site key as listed: never the key itself. */
export const SiteKeyOut = v.strictObject({
  id: v.string(),
  prefix: v.string(),
  label: v.string(),
  created_at: Timestamp,
  revoked_at: MaybeTimestamp,
})

export const SiteKeyList = ListOf(SiteKeyOut)

/** A new site key: the key (gh_sk_…) is in this answer once. */
export const SiteKeyCreated = v.strictObject({
  id: v.string(),
  key: v.string(),
  prefix: v.string(),
  label: v.string(),
  created_at: Timestamp,
})

/** What a rebuild of the counters recounted: counter rows written, voices read. */
export const StatsRebuilt = v.strictObject({ rows: Count, voices: Count })

/** What a re-scoring run did: voices read, suggestions changed, and where the next run goes on (null: done). */
export const SentimentRescored = v.strictObject({ read: Count, changed: Count, next_cursor: v.nullable(v.string()) })
