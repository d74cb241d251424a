import { describe, expect, it } from 'vitest'

import { headerNames, readCsvWindow } from '../../src/imports/formats/csv'

const rows = Array.from({ length: 40 }, (_, n) => [
  String(n),
  n % 3 === 0 ? `line one\r\nline "two", with a comma` : `plain ${n}`,
  n % 5 === 0 ? '' : '日本語のセル',
])
const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)
const csv = (lineEnd: string) => `${rows.map((r) => r.map(quote).join(',')).join(lineEnd)}${lineEnd}`

/** Every row of `text`, read in windows of `size` characters as the importer does. */
function readAll(text: string, size: number, perRead: number) {
  const out: string[][] = []
  let offset = 0
  for (let reads = 0; reads < 10_000; reads++) {
    const window = text.slice(offset, offset + size)
    const atEnd = offset + size >= text.length
    const { rows: read, next } = readCsvWindow(window, perRead, atEnd)
    out.push(...read)
    if (next === null) return out
    if (read.length === 0) throw new Error('a row larger than the window')
    offset += next
  }
  throw new Error('never ended')
}

describe('CSV read a window at a time', () => {
  it('finds every row whatever the window, quoted line breaks and commas included, with any line ending', () => {
    for (const lineEnd of ['\n', '\r\n']) {
      const text = csv(lineEnd)
      for (const size of [120, 500, text.length + 10])
        for (const perRead of [1, 7, 1000]) expect(readAll(text, size, perRead), `${size}/${perRead}`).toEqual(rows)
    }
  })

  it('says when a row is larger than the window, and skips blank lines', () => {
    expect(() => readAll(`a,b\n"${'x'.repeat(500)}",y\n`, 100, 10)).toThrow(/larger than the window/)
    expect(readCsvWindow('a,b\n\n  \nc,d', 10, true).rows).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
  })

  it('splits on commas only, even in a window whose rows hold tabs and semicolons in quoted cells', () => {
    expect(readCsvWindow('p1,5,"x\ty\tz;w"\np2,4,"a;b"\n', 10, true).rows).toEqual([
      ['p1', '5', 'x\ty\tz;w'],
      ['p2', '4', 'a;b'],
    ])
    expect(() => readCsvWindow('a\n', 0, true)).toThrow(RangeError)
  })

  it('reads the header’s names without the BOM Excel writes', () => {
    const [header] = readCsvWindow('\ufeffid, rating ,body\n1,5,ok\n', 1, false).rows
    expect(headerNames(header ?? [])).toEqual(['id', 'rating', 'body'])
  })
})
