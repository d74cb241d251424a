/**
 * A voice's official responses as stored on the voice itself (mentions.responses_json),
 * the copy public reads use. The `responses` table stays the record; the copy is rebuilt
 * from it in the same batch as every response write.
 */
import * as v from 'valibot'

import { RESPONSE_STAGES } from '../db/schema'

const StoredResponseSchema = v.object({
  id: v.string(),
  stage: v.picklist(RESPONSE_STAGES),
  body: v.string(),
  author_name: v.string(),
  author_role: v.nullable(v.string()),
  created_at: v.number(),
  // Copies written before answers could be edited or withdrawn lack these: a first version, never changed.
  version: v.optional(v.number(), 1),
  edited_at: v.optional(v.nullable(v.number()), null),
  /** A withdrawn answer stays as a tombstone: when and why, its body left out (empty). */
  withdrawn_at: v.optional(v.nullable(v.number()), null),
  withdrawn_reason: v.optional(v.nullable(v.string()), null),
})

export type StoredResponse = v.InferOutput<typeof StoredResponseSchema>

/** Oldest first; entries that do not parse are skipped rather than failing the page. */
export function parseResponses(json: string): StoredResponse[] {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(raw)) return []
  return raw
    .flatMap((entry) => {
      const parsed = v.safeParse(StoredResponseSchema, entry)
      return parsed.success ? [parsed.output] : []
    })
    .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1))
}
