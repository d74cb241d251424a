/**
 * Past orders as CSV (Glasshouse's columns or a Japanese cart's export, in UTF-8 or Shift_JIS),
 * a window of rows at a time: the rows of each order gathered into one invitation to plan. A
 * cart writes one row per item, so the last order of a window is kept back for the next step,
 * which reads it whole: the position is where the CSV reader stood before that window and how
 * many rows of it are done (found by reading the window again as far as they go).
 */
import { readSettings } from '../../sites/settings'
import { lastOrderStart, type OrderColumns, orderColumns, orderGroups, readOrderDate } from '../formats/order-columns'
import type { InvitationRecord } from '../invitations'
import { type CsvRow, readCsvRows } from './csv-file'
import { type FormatReader, positionOf, type StepContext } from '../step'
import type { LineRecord } from '../voices'

/** Rows one step reads at most while looking for the end of an order longer than a step (then it is cut there). */
const MAX_ORDER_ROWS = 2000

/** `csv`: the CSV reader's position the window starts at (null: the file's start); `skip`: its rows already done. */
type Position = { csv: string | null; skip: number }
const isPosition = (v: unknown): v is Position =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Position).skip === 'number' &&
  ((v as Position).csv === null || typeof (v as Position).csv === 'string')

const placeOf = (rows: readonly number[]) =>
  rows.length === 1 ? `row ${String(rows[0])}` : `rows ${String(rows[0])}–${String(rows.at(-1))}`

function recordsOf(ctx: StepContext, rows: readonly CsvRow[], columns: OrderColumns) {
  const timeZone = readSettings(ctx.site.settings).time_zone
  return orderGroups(rows, columns).map(({ rows: numbers, orderId, order }): InvitationRecord | LineRecord => {
    const place = placeOf(numbers)
    const subject = orderId?.slice(0, 100) ?? null
    if (typeof order === 'string') return { place, subject, outcome: 'refused', reason: order }
    const at = readOrderDate(order.orderedAt, timeZone)
    if (at === null) return { place, subject, outcome: 'refused', reason: 'bad_date' }
    return { place, order: { ...order, at } }
  })
}

export const readOrdersCsv: FormatReader = async (ctx) => {
  const position = positionOf(ctx.row.cursor, isPosition) ?? { csv: null, skip: 0 }
  const from: StepContext = { ...ctx, row: { ...ctx.row, cursor: position.csv } }
  let max = position.skip + ctx.records
  for (;;) {
    const read = await readCsvRows(from, max)
    if (!read.ok) return read
    const columns = orderColumns(read.header)
    if ('missing' in columns) return { ok: false, reason: 'no_order_columns' }
    const rows = read.rows.slice(position.skip)
    if (read.cursor === null) return { ok: true, records: recordsOf(ctx, rows, columns), cursor: null }
    const start = lastOrderStart(rows, columns)
    // One order fills the window: read further, up to a limit (past it the order is cut there).
    if (start === 0 && max < MAX_ORDER_ROWS) {
      max = Math.min(max * 2, MAX_ORDER_ROWS)
      continue
    }
    if (start === 0 || start === rows.length) {
      const next: Position = { csv: read.cursor, skip: 0 }
      return { ok: true, records: recordsOf(ctx, rows, columns), cursor: JSON.stringify(next) }
    }
    // Where the kept-back order starts: the window read again as far as the rows before it.
    const done = position.skip + start
    const upTo = await readCsvRows(from, done)
    if (!upTo.ok) return upTo
    if (upTo.cursor === null) return { ok: false, reason: 'malformed' }
    const next: Position = { csv: upTo.cursor, skip: done - upTo.rows.length }
    return { ok: true, records: recordsOf(ctx, rows.slice(0, start), columns), cursor: JSON.stringify(next) }
  }
}
