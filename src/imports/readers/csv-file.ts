/**
 * A CSV file of an import (reviews, orders), read a window of whole rows at a time straight from
 * its bytes: a row ends at a line feed outside quotes, and neither the line feed nor the quote byte
 * is ever part of a multi-byte character in UTF-8, Shift_JIS (CP932) or EUC-JP, so the rows are
 * found before they are decoded, and a file in a Japanese cart's Shift_JIS is never converted
 * whole. The charset is detected from the first window (a UTF-8 byte order mark says UTF-8), the
 * header is its first row; both ride in the position with the next row's byte and number.
 */
import { type Charset, decodeStrict, detectCharset } from '../../common/charset'
import { headerNames, readCsvWindow } from '../formats/csv'
import { readWindow } from '../files'
import { positionOf, type StepContext } from '../step'
import type { FileReason } from '../reasons'

const WINDOW_BYTES = 512 * 1024
/** A row larger than this (a review's text is a few kilobytes) stops the import. */
const MAX_ROW_BYTES = 4 * 1024 * 1024

type Position = { at: number; charset: Charset; row: number; header: string[] }
const isPosition = (v: unknown): v is Position =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Position).at === 'number' &&
  typeof (v as Position).row === 'number' &&
  Array.isArray((v as Position).header)

const LF = 0x0a
const QUOTE = 0x22
const BOM = [0xef, 0xbb, 0xbf]

const COMMA = 0x2c
const CR = 0x0d

/**
 * The ends (just past the line break) of up to `max` rows in `bytes`, which starts at a row, read as
 * RFC 4180 reads them: a quote opens a quoted cell only at a cell's start (`5" tall` is text), two
 * quotes in a quoted cell are one, and a row ends at LF, CRLF or a lone CR (old Mac Excel) outside
 * quotes. A CR at the window's very end is left for the next window, which sees what follows it.
 */
function rowEnds(bytes: Uint8Array, max: number): number[] {
  const ends: number[] = []
  let state: 'start' | 'plain' | 'quoted' | 'quote' = 'start'
  for (let i = 0; i < bytes.length && ends.length < max; i++) {
    const b = bytes[i]
    if (state === 'quoted') {
      if (b === QUOTE) state = 'quote'
      continue
    }
    if (state === 'quote' && b === QUOTE) {
      state = 'quoted'
      continue
    }
    if (b === QUOTE && state === 'start') state = 'quoted'
    else if (b === COMMA) state = 'start'
    else if (b === LF || (b === CR && i + 1 < bytes.length && bytes[i + 1] !== LF)) {
      ends.push(i + 1)
      state = 'start'
    } else if (b !== CR) state = 'plain'
  }
  return ends
}

/** How the window's rows end (the first row's break), for the parser. */
function newlineOf(bytes: Uint8Array, ends: readonly number[]): '\n' | '\r\n' | '\r' | undefined {
  const end = ends.find((e) => bytes[e - 1] === LF || bytes[e - 1] === CR)
  if (end === undefined) return undefined
  if (bytes[end - 1] === CR) return '\r'
  return bytes[end - 2] === CR ? '\r\n' : '\n'
}

export type CsvRow = { number: number; cells: string[] }

export type CsvRead =
  { ok: true; header: string[]; rows: CsvRow[]; cursor: string | null } | { ok: false; reason: FileReason }

/**
 * Up to `max` rows from where the last step stopped (after the header), and the position after
 * them (null at the file's end). A row's number counts the header as row 1.
 */
export async function readCsvRows(ctx: StepContext, max: number): Promise<CsvRead> {
  const size = ctx.row.fileBytes
  const position = positionOf(ctx.row.cursor, isPosition)
  let window = WINDOW_BYTES
  for (;;) {
    const from = position?.at ?? 0
    const bytes = await readWindow(ctx.bucket, ctx.key, from, window)
    if (!bytes) return { ok: false, reason: 'file_missing' }
    const atFileEnd = from + bytes.length >= size
    // The header is one row more on the first read.
    const wanted = position ? max : max + 1
    const ends = rowEnds(bytes, wanted)
    // The file's last row may end without a line feed.
    if (ends.length < wanted && atFileEnd && ends.at(-1) !== bytes.length) ends.push(bytes.length)
    if (ends.length === 0) {
      if (atFileEnd) return { ok: true, header: position?.header ?? [], rows: [], cursor: null }
      if (window >= MAX_ROW_BYTES) return { ok: false, reason: 'malformed' }
      window *= 2
      continue
    }
    const cut = ends.at(-1) ?? 0
    let chunk = bytes.subarray(0, cut)
    let charset = position?.charset ?? null
    if (charset === null) {
      const bom = BOM.every((b, i) => chunk[i] === b)
      charset = bom ? 'utf-8' : detectCharset([chunk])
      if (charset === null || charset === 'iso-2022-jp') return { ok: false, reason: 'undecodable' }
      if (bom) chunk = chunk.subarray(3)
    }
    const text = decodeStrict(chunk, charset)
    if (text === null) return { ok: false, reason: 'undecodable' }
    const parsed = readCsvWindow(text, wanted, true, newlineOf(bytes, ends)).rows
    // Papa Parse found rows the byte scan did not: the file's quoting is broken here (rows would be lost).
    if (parsed.length > ends.length) return { ok: false, reason: 'malformed' }
    let header = position?.header ?? null
    let number = position?.row ?? 1
    if (header === null) {
      const first = parsed.shift()
      if (!first) return { ok: false, reason: 'malformed' }
      header = headerNames(first)
      number = 2
    }
    const rows = parsed.map((cells, i) => ({ number: number + i, cells }))
    const at = from + cut
    const next: Position = { at, charset, row: number + rows.length, header }
    return { ok: true, header, rows, cursor: at >= size ? null : JSON.stringify(next) }
  }
}
