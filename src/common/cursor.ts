/**
 * Opaque keyset cursors: the sort key of the last item of a page, as base64url JSON.
 * Not signed: a cursor only says where to continue inside what the caller may read anyway.
 */
import * as v from 'valibot'

import { AppError } from './errors'

export const encodeCursor = (key: readonly (string | number)[]) =>
  btoa(JSON.stringify(key)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

const TimeAndId = v.tuple([v.pipe(v.number(), v.integer(), v.minValue(0)), v.pipe(v.string(), v.maxLength(64))])

/** Where a keyset list continues: the (time, id) of the last row it showed, or looked at. */
export type Position = { time: number; id: string }

/** The cursor of a position (read back by `decodeTimeCursor`). */
export const positionCursor = (p: Position) => encodeCursor([p.time, p.id])

/** A cursor's key if it has the given shape, or null when the string is not a cursor we issued. */
export function decodeCursor<S extends v.GenericSchema>(cursor: string, shape: S): v.InferOutput<S> | null {
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null
  try {
    const json: unknown = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')))
    const parsed = v.safeParse(shape, json)
    return parsed.success ? parsed.output : null
  } catch {
    return null
  }
}

/** A (time, id) cursor, or null when the string is not one we issued. */
export function decodeTimeCursor(cursor: string): Position | null {
  const key = decodeCursor(cursor, TimeAndId)
  return key && { time: key[0], id: key[1] }
}

/** Lists ordered by an id alone (targets by their id, sites by their number). */
const TextId = v.tuple([v.pipe(v.string(), v.maxLength(64))])
const NumberId = v.tuple([v.pipe(v.number(), v.integer(), v.minValue(0))])
export const idCursor = (id: string | number) => encodeCursor([id])

/** A `cursor` query parameter: null when absent, a 400 when it is not a cursor we issued. */
export function cursorParam(cursor: string | undefined): Position | null {
  return cursor === undefined ? null : (decodeTimeCursor(cursor) ?? refuseCursor())
}

/** As `cursorParam`, for a list ordered by a text id. */
export function textIdParam(cursor: string | undefined): string | null {
  return cursor === undefined ? null : (decodeCursor(cursor, TextId)?.[0] ?? refuseCursor())
}

/** As `cursorParam`, for a list ordered by a numeric id. */
export function numberIdParam(cursor: string | undefined): number | null {
  return cursor === undefined ? null : (decodeCursor(cursor, NumberId)?.[0] ?? refuseCursor())
}

function refuseCursor(): never {
  throw new AppError('invalid_input', 'cursor: not a cursor this API issued (use next_cursor or next_url as given)')
}

/** One page from rows read with `limit + 1`: the first `limit`, and where to continue when there were more. */
export function pageOf<T>(
  rows: readonly T[],
  limit: number,
  positionOf: (row: T) => Position,
): { items: T[]; next: Position | null } {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items, next: rows.length > limit && last !== undefined ? positionOf(last) : null }
}

/** `url` with `cursor` set to continue after `next`; null when there is no next page. */
export function nextPageUrl(url: URL, next: Position | null): string | null {
  if (!next) return null
  const continued = new URL(url)
  continued.searchParams.set('cursor', positionCursor(next))
  return continued.toString()
}
