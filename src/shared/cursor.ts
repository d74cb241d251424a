/**
 * Opaque keyset cursors: the sort key of the last item of a page, as base64url JSON.
 * Not signed: a cursor only says where to continue inside what the caller may read anyway.
 */
import * as v from 'valibot'

export const encodeCursor = (key: readonly (string | number)[]) =>
  btoa(JSON.stringify(key)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

const TimeAndId = v.tuple([v.pipe(v.number(), v.integer(), v.minValue(0)), v.pipe(v.string(), v.maxLength(64))])

/** Where a keyset list continues: the (time, id) of the last row it showed, or looked at. */
export type Position = { time: number; id: string }

/** The cursor of a position (read back by `decodeTimeCursor`). */
export const positionCursor = (p: Position) => encodeCursor([p.time, p.id])

/** A (time, id) cursor, or null when the string is not one we issued. */
export function decodeTimeCursor(cursor: string): Position | null {
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null
  try {
    const json: unknown = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')))
    const parsed = v.safeParse(TimeAndId, json)
    return parsed.success ? { time: parsed.output[0], id: parsed.output[1] } : null
  } catch {
    return null
  }
}
