/**
 * Past orders as CSV, to invite their buyers to review: Glasshouse's own columns and the names
 * Japanese cart systems give the same columns in their order exports (受注番号, 注文日時,
 * メールアドレス…). Carts write one row per item bought, so the rows of one order, one after
 * another, are gathered into that order.
 */
import { cellOf, matchColumns } from './csv'
import { readLocalDate } from './dates'

export const ORDER_FIELDS = ['order_id', 'ordered_at', 'email', 'name', 'item'] as const
export type OrderField = (typeof ORDER_FIELDS)[number]

const NAMES: Record<OrderField, readonly string[]> = {
  order_id: ['order_id', 'order number', 'order_number', '注文番号', '受注番号', '受注id', '注文id'],
  ordered_at: ['ordered_at', 'order date', 'date', '注文日時', '注文日', '受注日時', '受注日'],
  email: ['email', 'e-mail', 'メールアドレス', '注文者メールアドレス', '購入者メールアドレス', 'メール'],
  name: ['name', 'customer name', '注文者氏名', '注文者名', '購入者名', 'お名前', '氏名'],
  // An item: the storefront page's URL, or the product's code as the shop's targets know it.
  item: ['item', 'items', 'product', 'product_url', 'sku', '商品コード', '商品番号', '品番', '商品url'],
}

export type OrderColumns = { at: Partial<Record<OrderField, number>>; unused: string[] }

/** The header's columns, or the fields an order cannot do without that it lacks. */
export function orderColumns(header: readonly string[]): OrderColumns | { missing: OrderField[] } {
  const matched = matchColumns(header, ORDER_FIELDS, NAMES, ['order_id', 'ordered_at', 'email', 'item'])
  return 'missing' in matched ? matched : { at: matched.at, unused: matched.unused }
}

export type OrderRow = { orderId: string; orderedAt: string; email: string; name: string | null; items: string[] }

export type OrderRowRefusal = 'no_order_id' | 'no_date' | 'no_email' | 'no_item'

/** One row's order, its items split where a cell lists several (`|` or a line break). */
export function orderRow(row: readonly string[], columns: OrderColumns): OrderRow | OrderRowRefusal {
  const cell = (field: OrderField) => cellOf(row, columns.at, field)
  const orderId = cell('order_id')
  if (!orderId) return 'no_order_id'
  const orderedAt = cell('ordered_at')
  if (!orderedAt) return 'no_date'
  const email = cell('email')
  if (!email) return 'no_email'
  const items = (cell('item') ?? '')
    .split(/[|\n]/)
    .map((i) => i.trim())
    .filter((i) => i !== '')
  if (items.length === 0) return 'no_item'
  return { orderId, orderedAt, email, name: cell('name'), items }
}

/**
 * Gathers consecutive rows of one order (a cart's row per item) into one order, its items
 * without repeats. The last order of a window may go on in the next one: the caller keeps it
 * back until a row of another order or the file's end shows it whole.
 */
export function gatherOrders(rows: readonly OrderRow[]): OrderRow[] {
  const orders: OrderRow[] = []
  for (const row of rows) {
    const last = orders.at(-1)
    if (last && last.orderId === row.orderId) {
      for (const item of row.items) if (!last.items.includes(item)) last.items.push(item)
    } else orders.push({ ...row, items: [...row.items] })
  }
  return orders
}

/** A row of the file as the CSV reader gives it: its number (the header is row 1) and cells. */
export type NumberedRow = { number: number; cells: string[] }

/** The rows of one order (one after another in the file), and the order they make or why they make none. */
export type OrderGroup = { rows: number[]; orderId: string | null; order: OrderRow | OrderRowRefusal }

const orderIdOf = (row: NumberedRow, columns: OrderColumns) => cellOf(row.cells, columns.at, 'order_id')

/**
 * The orders of consecutive rows: a cart writes the order's number on each of its rows, and its
 * date, address and name on the first at least; a row without an order number is an order of
 * its own (refused). Each order's cells are the first its rows fill, its items all of theirs.
 */
export function orderGroups(rows: readonly NumberedRow[], columns: OrderColumns): OrderGroup[] {
  const runs: NumberedRow[][] = []
  for (const row of rows) {
    const last = runs.at(-1)
    const id = orderIdOf(row, columns)
    if (last && id !== null && orderIdOf(last[0] as NumberedRow, columns) === id) last.push(row)
    else runs.push([row])
  }
  return runs.map((run) => {
    const width = Math.max(...run.map((r) => r.cells.length))
    const item = columns.at.item
    const cells = Array.from({ length: width }, (_, i) =>
      i === item
        ? run.map((r) => r.cells[i] ?? '').join('\n')
        : (run.map((r) => r.cells[i] ?? '').find((c) => c.trim() !== '') ?? ''),
    )
    const order = orderRow(cells, columns)
    return {
      rows: run.map((r) => r.number),
      orderId: orderIdOf(run[0] as NumberedRow, columns),
      order: typeof order === 'string' ? order : { ...order, items: [...new Set(order.items)] },
    }
  })
}

/**
 * Where the last order of a window starts (its rows are kept back until the next window shows
 * whether more follow); the window's length when its last row names no order.
 */
export function lastOrderStart(rows: readonly NumberedRow[], columns: OrderColumns): number {
  const last = rows.at(-1)
  const id = last ? orderIdOf(last, columns) : null
  if (id === null) return rows.length
  let start = rows.length - 1
  while (start > 0 && orderIdOf(rows[start - 1] as NumberedRow, columns) === id) start--
  return start
}

const LOCAL = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i

/**
 * An order's date as carts write it: ISO 8601 with an offset, or a date (and time) on the shop's
 * clock — `2024-03-01 10:15:00`, `2024/3/1 10:15`, `2024年3月1日 10:15`, `2024/03/01` (midnight)
 * — or Movable Type's `03/01/2024 10:15 AM`. Null when it is no such date.
 */
export function readOrderDate(text: string, timeZone: string): number | null {
  const value = text
    .trim()
    .replace(/^(\d{4})年(\d{1,2})月(\d{1,2})日\s*/, '$1/$2/$3 ')
    .trim()
  if (WITH_OFFSET.test(value)) {
    const ms = Date.parse(value)
    return Number.isNaN(ms) ? null : ms
  }
  const m = LOCAL.exec(value)
  if (!m) return readLocalDate(value, timeZone)
  const [, year, month, day, hour = '0', minute = '00', second = '00'] = m
  const two = (s: string) => s.padStart(2, '0')
  return readLocalDate(`${year}-${two(month ?? '')}-${two(day ?? '')} ${two(hour)}:${minute}:${two(second)}`, timeZone)
}
