/** What the operator API answers about exports (the API description shows them). */
import * as v from 'valibot'

import { Count, ListOf, MaybeTimestamp, Timestamp } from '../common/outputs'
import { EXPORT_STATES } from '../db/schema'
import { EXPORT_KINDS } from './kinds'

/** One file of an export: its rows and bytes so far, and once the export is done its download link. */
export const ExportFileOut = v.strictObject({
  name: v.string(),
  rows: Count,
  bytes: Count,
  /** A signed link, valid for an hour from this answer (null until the export is done, and after it expired). */
  url: v.nullable(v.string()),
  url_expires_at: MaybeTimestamp,
})

export const ExportOut = v.strictObject({
  id: v.string(),
  state: v.picklist(EXPORT_STATES),
  created_at: Timestamp,
  finished_at: MaybeTimestamp,
  /** When its files are deleted (null while it runs). */
  expires_at: MaybeTimestamp,
  /** Where it is: the kind it is at (null once past the last), its number among them, the batches written. */
  progress: v.strictObject({
    kind: v.nullable(v.picklist(EXPORT_KINDS.map((k) => k.name))),
    step: Count,
    steps: Count,
    batches: Count,
  }),
  /** Rows written so far, by kind. */
  counts: v.record(v.string(), Count),
  bytes: Count,
  files: v.array(ExportFileOut),
  error: v.nullable(v.string()),
})

export const ExportList = ListOf(ExportOut)
