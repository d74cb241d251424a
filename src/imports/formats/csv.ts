/**
 * CSV files (reviews from another service, a cart's orders) read a window at a time with
 * Papa Parse: RFC 4180 quoting, a quoted cell may hold commas and line breaks, any line ending.
 * A window of a long file may end inside a row, so unless it reaches the file's end the last row
 * it holds is left for the next read, which starts where that row starts. Offsets are in the
 * window's text: a file in Shift_JIS or EUC-JP is decoded to UTF-8 whole (with the charset
 * detected as the TrackBack receiver does) before it is read in windows.
 */
import Papa from 'papaparse'

export type CsvWindow = {
  rows: string[][]
  /** Where in the window's text the next read starts; null when the window held the file's end. */
  next: number | null
}

/**
 * Up to `max` rows of `text` (a window of the file, starting at a row). `atEnd`: the window ends
 * where the file does. A row that is not whole in the window is left for the next read; a window
 * holding no whole row and not at the end means the row is larger than the window.
 */
export function readCsvWindow(text: string, max: number, atEnd: boolean): CsvWindow {
  if (max < 1) throw new RangeError('readCsvWindow reads at least one row')
  const rows: string[][] = []
  const ends: number[] = []
  Papa.parse<string[]>(text, {
    // Never guessed: a window whose rows hold tabs or semicolons in quoted cells would be split on them.
    delimiter: ',',
    skipEmptyLines: 'greedy',
    step(result, parser) {
      rows.push(result.data)
      ends.push(result.meta.cursor)
      // One row more than asked, to know where the last asked one ends.
      if (rows.length > max) parser.abort()
    },
  })
  if (rows.length > max) {
    // The extra row was read only to find where the rows before it end.
    rows.length = max
    return { rows, next: ends[max - 1] ?? 0 }
  }
  if (atEnd) return { rows, next: null }
  // The last row may be cut by the window's end: it is read again next time.
  rows.pop()
  ends.pop()
  return { rows, next: ends.at(-1) ?? 0 }
}

/** The header row's names, trimmed, with a UTF-8 BOM left by Excel taken off the first. */
export const headerNames = (row: readonly string[]) =>
  row.map((name, i) => (i === 0 ? name.replace(/^\ufeff/, '') : name).trim())
