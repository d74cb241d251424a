import { describe, expect, it } from 'vitest'

import { decodeStrict, detectCharset } from '../../src/common/charset'
import { readCsvWindow } from '../../src/imports/formats/csv'
import {
  gatherOrders,
  orderColumns,
  orderRow,
  type OrderColumns,
  type OrderRow,
} from '../../src/imports/formats/order-columns'
import { encodeLegacy } from '../helpers/legacy-charsets'

/** A Japanese cart's order export: one row per item, in Shift_JIS, CRLF, as carts write them. */
const cartExport = [
  '受注番号,受注日時,注文者氏名,メールアドレス,商品コード,商品名,数量,合計金額',
  '10001,2024/03/01 10:15:00,山田 花子,hanako@example.jp,tshirt,オーガニックTシャツ,1,3980',
  '10001,2024/03/01 10:15:00,山田 花子,hanako@example.jp,mug,マグカップ,2,3980',
  '10002,2024/03/02 21:40:00,佐藤 健,ken@example.jp,mug,マグカップ,1,1650',
  '10003,2024/03/03 08:00:00,鈴木,,tshirt,オーガニックTシャツ,1,3980',
].join('\r\n')

describe('past orders as CSV', () => {
  it('reads a Japanese cart’s Shift_JIS export, gathering the rows of each order', () => {
    const bytes = encodeLegacy(cartExport, 'shift_jis')
    const charset = detectCharset([bytes])
    expect(charset).toBe('shift_jis')
    const [header = [], ...rows] = readCsvWindow(decodeStrict(bytes, charset ?? 'utf-8') ?? '', 100, true).rows
    const columns = orderColumns(header) as OrderColumns
    expect(columns.unused).toEqual(['商品名', '数量', '合計金額'])
    const read = rows.map((r) => orderRow(r, columns))
    expect(read[3]).toBe('no_email')
    expect(gatherOrders(read.filter((r): r is OrderRow => typeof r !== 'string'))).toEqual([
      {
        orderId: '10001',
        orderedAt: '2024/03/01 10:15:00',
        email: 'hanako@example.jp',
        name: '山田 花子',
        items: ['tshirt', 'mug'],
      },
      { orderId: '10002', orderedAt: '2024/03/02 21:40:00', email: 'ken@example.jp', name: '佐藤 健', items: ['mug'] },
    ])
  })

  it('reads Glasshouse’s own columns with several items in one cell, and refuses a header without what an invitation needs', () => {
    const [header = [], row = []] = readCsvWindow(
      'order_id,ordered_at,email,items\nA-1,2024-05-01,a@example.com,"tshirt|mug"\n',
      10,
      true,
    ).rows
    expect(orderRow(row, orderColumns(header) as OrderColumns)).toEqual({
      orderId: 'A-1',
      orderedAt: '2024-05-01',
      email: 'a@example.com',
      name: null,
      items: ['tshirt', 'mug'],
    })
    expect(orderColumns(['注文番号', 'お名前'])).toEqual({ missing: ['ordered_at', 'email', 'item'] })
  })
})
