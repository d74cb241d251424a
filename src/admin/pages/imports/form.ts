/**
 * The import form as the API's input (the same schema checks it), with what only a page has: the
 * uploaded file (a File from the multipart form, within the console's cap), and the box that maps
 * old addresses to targets, read a line at a time so a line that cannot be read is named.
 */
import type { Context } from 'hono'

import { type FieldError, type FormLabels, InvalidForm, checkForm } from '../../../common/form-errors'
import { IMPORT_FORMATS, type ImportFormat } from '../../../db/schema'
import { MAX_FILE_BYTES } from '../../../imports/files'
import type { ImportRequest } from '../../../imports/imports'
import { ImportCreate, optionsOf } from '../../../imports/inputs'
import { type AdminEnv, field, type PageContext } from '../../kit/context'
import { filledIn, numberedLines } from '../../kit/forms'
import { phrase } from '../../kit/words'
import type { Words } from './words'

/** The largest file the console takes: its form is read whole into the Worker's memory (the API streams larger ones). */
export const CONSOLE_MAX_FILE_BYTES = 25 * 1024 * 1024

/** The largest file of `format` the console takes. */
export const consoleMaxOf = (format: string) => {
  const known = (IMPORT_FORMATS as readonly string[]).includes(format)
  return Math.min(CONSOLE_MAX_FILE_BYTES, known ? MAX_FILE_BYTES[format as ImportFormat] : CONSOLE_MAX_FILE_BYTES)
}

/** A size in megabytes, the language's way ("25 MB"). */
export const megabytes = (bytes: number, lang: string) =>
  `${(bytes / 1024 / 1024).toLocaleString(lang, { maximumFractionDigits: 1 })} MB`

/** Between an old address and its target: an arrow (→, ->, =>), a tab or spaces. */
const BETWEEN = /\s*(?:→|->|=>)\s*|\s+/

/** The mapping box: old address → target, each old address with its line (to name a refused one); the first unreadable line's problem. */
function readMap(text: string | undefined, ctx: PageContext<Words>) {
  const targets: Record<string, string> = {}
  const lines = new Map<string, number>()
  let problem: string | null = null
  for (const { text: row, line } of numberedLines(text)) {
    const parts = row.split(BETWEEN).filter((p) => p !== '')
    const [from, to] = parts
    if (parts.length !== 2 || from === undefined || to === undefined) {
      problem ??= phrase(ctx.lang, ctx.t.mapLineUnread, { line })
      continue
    }
    const first = lines.get(from)
    if (first !== undefined) {
      problem ??= phrase(ctx.lang, ctx.t.mapLineTwice, { line, first })
      continue
    }
    targets[from] = to
    lines.set(from, line)
  }
  return { targets, lines, problem }
}

/** A file's name as the import keeps it: no control characters, at most 200 characters. */
const nameOf = (file: File) => {
  const name = file.name
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200)
  return name === '' ? null : name
}

/** The form's fields in the order the page shows them (the refusals are listed in it). */
const ORDER = ['format', 'file', 'url', 'targets', 'from', 'to']

/**
 * The import the form asks for, and its file (null when the hub fetches it from a URL); every
 * refused field at once (InvalidForm), each named by its label.
 */
export function importRequest(
  c: Context<AdminEnv>,
  ctx: PageContext<Words>,
): { request: ImportRequest; file: File | null } {
  const t = ctx.t
  const file = c.get('form').files.get('file')?.[0] ?? null
  const url = filledIn(c, 'url')
  const map = readMap(field(c, 'targets'), ctx)
  const from = filledIn(c, 'from')
  const to = filledIn(c, 'to')
  const format = field(c, 'format') ?? ''
  const labels: FormLabels = {
    format: { field: 'format', label: t.format },
    url: { field: 'url', label: t.url },
    targets: { field: 'targets', label: t.targetsMap, lines: map.lines },
    from: { field: 'from', label: t.from },
    to: { field: 'to', label: t.to },
  }
  const problems: FieldError[] = []
  if ((file === null) === (url === undefined)) problems.push({ field: 'file', label: t.file, message: t.fileOrUrl })
  const max = consoleMaxOf(format)
  if (file !== null && file.size > max)
    problems.push({
      field: 'file',
      label: t.file,
      message: phrase(ctx.lang, t.fileTooLarge, {
        size: megabytes(file.size, ctx.lang),
        max: megabytes(max, ctx.lang),
      }),
    })
  if (map.problem !== null) problems.push({ field: 'targets', label: t.targetsMap, message: map.problem })
  let input: ImportCreate | null = null
  try {
    input = checkForm(
      ImportCreate,
      {
        format,
        ...(file ? { file_name: nameOf(file) ?? undefined } : {}),
        ...(url !== undefined ? { url } : {}),
        trust: field(c, 'trust') === 'on',
        comments: field(c, 'comments') === 'on',
        auto_targets: field(c, 'auto_targets') === 'on',
        targets: map.targets,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      },
      ctx.lang,
      labels,
    )
  } catch (err) {
    if (!(err instanceof InvalidForm)) throw err
    problems.push(...err.fields.filter((f) => ORDER.includes(f.field)))
    // The schema's one check across fields (from after to) is said at the second date, in the page's language.
    if (err.fields.some((f) => !ORDER.includes(f.field)))
      problems.push({ field: 'to', label: t.to, message: t.toBeforeFrom })
  }
  const seen = new Set<string>()
  const refused = problems
    .filter((p) => !seen.has(p.field) && seen.add(p.field))
    .sort((a, b) => ORDER.indexOf(a.field) - ORDER.indexOf(b.field))
  if (refused.length > 0 || input === null) throw new InvalidForm(refused)
  return {
    request: {
      format: input.format,
      fileName: input.file_name ?? null,
      options: optionsOf(input, new URL(c.req.url).origin),
    },
    file,
  }
}
