/**
 * What an export takes out of a shop, one kind at a time: each kind reads its next batch of
 * rows in keyset order and turns them into lines of its JSON Lines file (and of its CSV file,
 * when it has one). The manifest describes each kind's fields from the same definitions.
 */
import * as v from 'valibot'

import type { Position } from '../common/cursor'
import type { Db } from '../db/client'
import type { Cell } from '../common/csv'

/** One batch of a kind: its lines, its CSV rows (if it has a CSV file), and where the next batch begins. */
export type KindBatch = { lines: unknown[]; csv: Cell[][]; cursor: string | null }

export type ExportKind = {
  /** Its name, and its JSON Lines file (`{name}.jsonl`). */
  name: string
  /** What one line is. */
  about: string
  /** Each field of a line, in a few words. */
  fields: Readonly<Record<string, string>>
  /** A CSV file of the same rows for spreadsheets: its name and its header. */
  csv?: { file: string; columns: readonly string[] }
  /** The batch after `cursor` (null: from the start), `limit` rows at most. */
  batch: (db: Db, siteId: number, cursor: string | null, limit: number, hubOrigin: string) => Promise<KindBatch>
}

export const jsonlFile = (kind: Pick<ExportKind, 'name'>) => `${kind.name}.jsonl`

/** A time as the files write it: ISO 8601 in UTC, or null. */
export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

const PositionJson = v.object({ time: v.number(), id: v.string() })
const TextId = v.object({ id: v.string() })
const NumberId = v.object({ id: v.number() })

const parse = <S extends v.GenericSchema>(schema: S, cursor: string | null): v.InferOutput<S> | null => {
  if (cursor === null) return null
  try {
    const parsed = v.safeParse(schema, JSON.parse(cursor))
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

/** Cursors as the export row keeps them: a (time, id) position, or an id. */
export const cursors = {
  position: {
    read: (cursor: string | null): Position | null => parse(PositionJson, cursor),
    after: (row: { time: number; id: string } | undefined) => (row ? JSON.stringify(row) : null),
  },
  textId: {
    read: (cursor: string | null) => parse(TextId, cursor)?.id ?? null,
    after: (id: string | undefined) => (id === undefined ? null : JSON.stringify({ id })),
  },
  numberId: {
    read: (cursor: string | null) => parse(NumberId, cursor)?.id ?? null,
    after: (id: number | undefined) => (id === undefined ? null : JSON.stringify({ id })),
  },
}
