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
export function readCsvWindow(text: string, max: number, atEnd: boolean, newline?: '\n' | '\r\n' | '\r'): CsvWindow {
  if (max < 1) throw new RangeError('readCsvWindow reads at least one row')
  const rows: string[][] = []
  const ends: number[] = []
  Papa.parse<string[]>(text, {
    // Never guessed: a window whose rows hold tabs or semicolons in quoted cells would be split on them.
    delimiter: ',',
    // Given when known: Papa Parse guesses it with quoted cells taken out, which fails on a lone CR.
    ...(newline ? { newline } : {}),
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

/** Where each of a file's fields is in its rows, and the columns no field uses (shown in the report). */
export type Columns<F extends string> = { at: Partial<Record<F, number>>; unused: string[]; names: string[] }

const nameKey = (name: string) => name.toLowerCase().replace(/\s+/g, ' ').trim()

/**
 * Matches a header to fields by their column names (case and spacing aside): each field is the first
 * of its names the header has, a column serving one field at most; refused with the
 * `required` fields the header lacks.
 */
export function matchColumns<F extends string>(
  header: readonly string[],
  fields: readonly F[],
  names: Record<F, readonly string[]>,
  required: readonly F[],
): Columns<F> | { missing: F[] } {
  const keys = headerNames(header).map(nameKey)
  const at: Partial<Record<F, number>> = {}
  const taken = new Set<number>()
  for (const field of fields) {
    const index = names[field].map((n) => keys.indexOf(n)).find((i) => i !== -1 && !taken.has(i))
    if (index === undefined) continue
    at[field] = index
    taken.add(index)
  }
  const missing = required.filter((f) => at[f] === undefined)
  if (missing.length > 0) return { missing }
  return { at, unused: headerNames(header).filter((_, i) => !taken.has(i)), names: keys }
}

/** A row's cell for a field, trimmed after `clean`; null when the file has no such column or it is blank. */
export function cellOf<F extends string>(
  row: readonly string[],
  at: Partial<Record<F, number>>,
  field: F,
  clean: (raw: string) => string = (raw) => raw,
): string | null {
  const index = at[field]
  const value = index === undefined ? '' : clean(row[index] ?? '').trim()
  return value === '' ? null : value
}
