/** What the operator API answers about imports (the API description shows them). */
import * as v from 'valibot'

import { Count, ListOf, MaybeTimestamp, Timestamp } from '../common/outputs'
import { IMPORT_FORMATS, IMPORT_OUTCOMES, IMPORT_STATES } from '../db/schema'

const Counts = v.strictObject({ added: Count, duplicate: Count, skipped: Count, refused: Count })

export const ImportOut = v.strictObject({
  id: v.string(),
  format: v.picklist(IMPORT_FORMATS),
  state: v.picklist(IMPORT_STATES),
  file_name: v.string(),
  file_bytes: Count,
  /** What the file says it comes from (an old blog's address), once read. */
  origin: v.nullable(v.string()),
  options: v.strictObject({
    trust: v.boolean(),
    comments: v.boolean(),
    auto_targets: v.boolean(),
    targets: v.record(v.string(), v.string()),
    url: v.nullable(v.string()),
    from: v.nullable(v.string()),
    to: v.nullable(v.string()),
  }),
  /** Steps taken and lines reported so far. */
  progress: v.strictObject({ steps: Count, lines: Count }),
  counts: Counts,
  created_at: Timestamp,
  finished_at: MaybeTimestamp,
  /** Why the whole file was refused (a code), and in words. */
  error: v.nullable(v.string()),
  error_text: v.nullable(v.string()),
  /** Where to PUT the file while the import waits for it (null after). */
  upload_url: v.nullable(v.string()),
  report_url: v.string(),
})

export const ImportList = ListOf(ImportOut)

export const ImportLineOut = v.strictObject({
  line: Count,
  outcome: v.picklist(IMPORT_OUTCOMES),
  /** Where the record is in the file, e.g. "post 12, comment 45". */
  place: v.string(),
  /** Its source page, author or order number. */
  subject: v.nullable(v.string()),
  /** The voice (or invitation) it became, or the one it duplicates. */
  ref: v.nullable(v.string()),
  reason: v.nullable(v.string()),
  /** The reason in the language asked for (`lang`). */
  reason_text: v.nullable(v.string()),
})

export const ImportLinePage = v.strictObject({
  items: v.array(ImportLineOut),
  /** The next page's address; null on the last. */
  next_url: v.nullable(v.string()),
})
