/**
 * Past orders as CSV, to invite their buyers to review: Glasshouse's own columns and the names
 * Japanese cart systems give the same columns in their order exports (受注番号, 注文日時,
 * メールアドレス…). Carts write one row per item bought, so the rows of one order, one after
 * another, are gathered into that order.
 */
import { cellOf, matchColumns } from './csv'

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
