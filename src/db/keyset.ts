/**
 * Keyset paging on (time, id): the rows past a position, in the list's direction. A row-value
 * comparison, so an index ending in (time, id) answers it with a range, however deep the page.
 */
import { type SQL, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'

import type { Position } from '../common/cursor'

export const pastPosition = (time: SQLiteColumn, id: SQLiteColumn, p: Position, oldestFirst: boolean): SQL =>
  oldestFirst ? sql`(${time}, ${id}) > (${p.time}, ${p.id})` : sql`(${time}, ${id}) < (${p.time}, ${p.id})`
