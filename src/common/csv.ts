/**
 * CSV for spreadsheets (RFC 4180), the hub's one way to write it (the commission ledger's CSV, an
 * export's voices and reviews): a cell quoted when it holds a comma, a quote or a line break, lines
 * ended by CRLF. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is
 * what a spreadsheet runs as a formula: it is written after an apostrophe, so it stays text
 * (formula injection); numbers are written as they are.
 */

/**
 * The UTF-8 byte order mark, for a file to begin with: without it Excel in Japan opens a CSV as
 * Shift_JIS and shows Japanese text garbled.
 */
export const BOM = '\uFEFF'

const FORMULA_START = /^[=+\-@\t\r]/

export type Cell = string | number | boolean | null

/** One cell as written: neutralised if a spreadsheet would run it, quoted if it must be. */
export function csvCell(value: Cell): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One line of cells, CRLF-ended. */
export const csvLine = (cells: readonly Cell[]) => cells.map(csvCell).join(',') + '\r\n'
