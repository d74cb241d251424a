import { describe, expect, it } from 'vitest'

import { decodeStrict, detectCharset } from '../../src/common/charset'
import { readCsvWindow } from '../../src/imports/formats/csv'
import {
  gatherOrders,
  lastOrderStart,
  orderColumns,
  orderGroups,
  orderRow,
  type OrderColumns,
  type OrderRow,
  readOrderDate,
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

  const columns = orderColumns(['受注番号', '注文日時', 'メールアドレス', '注文者氏名', '商品コード']) as OrderColumns
  const numbered = (rows: string[][]) => rows.map((cells, i) => ({ number: i + 2, cells }))

  it('gathers an order’s rows into one, its cells the first its rows fill and its items without repeats', () => {
    const rows = numbered([
      ['1', '2024/03/01 10:15', 'a@example.jp', '山田', 'TS'],
      ['1', '', '', '', 'MG'],
      ['1', '', '', '', 'TS'],
      ['', '2024/03/01 11:00', 'b@example.jp', '', 'TS'],
      ['2', '', 'c@example.jp', '', 'TS'],
      ['1', '2024/03/02 09:00', 'a@example.jp', '', 'MG'],
    ])
    expect(orderGroups(rows, columns)).toEqual([
      {
        rows: [2, 3, 4],
        orderId: '1',
        order: {
          orderId: '1',
          orderedAt: '2024/03/01 10:15',
          email: 'a@example.jp',
          name: '山田',
          items: ['TS', 'MG'],
        },
      },
      { rows: [5], orderId: null, order: 'no_order_id' },
      { rows: [6], orderId: '2', order: 'no_date' },
      // The same number further down, not next to its rows: an order of its own (the invitation's key finds it).
      { rows: [7], orderId: '1', order: expect.objectContaining({ orderId: '1', items: ['MG'] }) },
    ])
  })

  it('finds where a window’s last order starts, to keep it back for the next step', () => {
    const row = (id: string) => [id, '2024/03/01', 'a@example.jp', '', 'TS']
    expect(lastOrderStart(numbered([row('1'), row('2'), row('2')]), columns)).toBe(1)
    expect(lastOrderStart(numbered([row('2'), row('2')]), columns)).toBe(0)
    expect(lastOrderStart(numbered([row('1'), row('')]), columns)).toBe(2)
    expect(lastOrderStart([], columns)).toBe(0)
  })

  it('reads order dates as carts write them, on the shop’s clock unless they carry an offset', () => {
    const tokyo = (iso: string) => Date.parse(`${iso}+09:00`)
    expect(readOrderDate('2024/03/01 10:15:00', 'Asia/Tokyo')).toBe(tokyo('2024-03-01T10:15:00'))
    expect(readOrderDate('2024/3/1 9:05', 'Asia/Tokyo')).toBe(tokyo('2024-03-01T09:05:00'))
    expect(readOrderDate('2024-03-01', 'Asia/Tokyo')).toBe(tokyo('2024-03-01T00:00:00'))
    expect(readOrderDate('2024-03-01T10:15', 'Asia/Tokyo')).toBe(tokyo('2024-03-01T10:15:00'))
    expect(readOrderDate('2024年3月1日 10:15', 'Asia/Tokyo')).toBe(tokyo('2024-03-01T10:15:00'))
    expect(readOrderDate(' 2024-03-01T10:15:00Z ', 'Asia/Tokyo')).toBe(Date.parse('2024-03-01T10:15:00Z'))
    expect(readOrderDate('2024-03-01T10:15:00+02:00', 'UTC')).toBe(Date.parse('2024-03-01T08:15:00Z'))
    expect(readOrderDate('03/01/2024 10:15 PM', 'UTC')).toBe(Date.parse('2024-03-01T22:15:00Z'))
    for (const bad of [
      '',
      'last tuesday',
      '2024/02/30 10:00',
      '2024-13-01',
      '2024/03/01 25:00',
      '1989-12-31',
      '2024-03-01T10:15:00+9',
    ])
      expect(readOrderDate(bad, 'UTC'), bad).toBeNull()
  })
})
