/**
 * What an HTML form says when its input is refused: every field's problem at once, each
 * named by the label the person sees, in the page's language, with a link to the field.
 * The JSON API says the same with field names (./validation.ts).
 */
import type { FC } from 'hono/jsx'
import * as v from 'valibot'

import { AppError } from './errors'
import type { PageLang } from './page-shell'
import { issueMessage, issuePath } from './validation'

/** One refused field: its form name (the id of its input, for the link), its label and what is wrong. */
export type FieldError = { field: string; label: string; message: string }

/**
 * A form's fields by their path in the parsed input (`author.name`) → the name of the input and its
 * label; for a box of lines (one origin, code or keyword per line), `lines` maps each item of the
 * parsed list (its index, or its key in a record) to its line in the box, so a refusal names it.
 */
export type FormLabels = Record<string, { field: string; label: string; lines?: ReadonlyMap<string, number> }>

/** A refused form: an AppError (400) whose fields a page can list. */
export class InvalidForm extends AppError {
  constructor(readonly fields: FieldError[]) {
    super('invalid_input', fields.map((f) => (f.label ? `${f.label}: ${f.message}` : f.message)).join('; '))
    this.name = 'InvalidForm'
  }
}

/**
 * The labelled field an issue belongs to — its own path, or the list it is an item of (`origins.2`
 * → `origins`) — and, for an item of a box of lines, the line it came from.
 */
function placeOf(issue: v.BaseIssue<unknown>, labels: FormLabels): { path: string; line: number | undefined } {
  const keys = issue.path?.map((p) => String(p.key)) ?? []
  for (let n = keys.length; n > 0; n--) {
    const path = keys.slice(0, n).join('.')
    const item = keys[n]
    if (labels[path]) return { path, line: item === undefined ? undefined : labels[path].lines?.get(item) }
  }
  return { path: issuePath(issue), line: undefined }
}

const LINE = { en: (n: number) => `line ${n}: `, ja: (n: number) => `${n}行目：` } as const

/**
 * The first problem of each field, in the order of `labels` (the form's order), named by label; a
 * refused line of a box of lines is named by its number ("line 3: …"). Two paths shown in one
 * field (a box copied into another setting) say it once.
 */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[], labels: FormLabels): FieldError[] {
  const byPath = new Map<string, string>()
  for (const issue of issues) {
    const { path, line } = placeOf(issue, labels)
    const lang: PageLang = issue.lang === 'ja' ? 'ja' : 'en'
    if (!byPath.has(path)) byPath.set(path, `${line === undefined ? '' : LINE[lang](line)}${issueMessage(issue)}`)
  }
  const order = Object.keys(labels)
  const errors = [...byPath]
    .sort(([a], [b]) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1))
    .map(([path, message]) => ({
      field: labels[path]?.field ?? path.replace(/\./g, '_'),
      label: labels[path]?.label ?? path,
      message,
    }))
  return errors.filter((e, i) => errors.findIndex((f) => f.field === e.field) === i)
}

/** Parses a form's input in the page's language; throws InvalidForm naming every refused field. */
export function checkForm<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  lang: PageLang,
  labels: FormLabels,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { lang })
  if (!result.success) throw new InvalidForm(fieldErrors(result.issues, labels))
  return result.output
}

const HEADING = { en: 'Please check the form:', ja: '入力内容を確認してください：' } as const

/** The list of a refused form's problems, announced to screen readers, each linking to its field. */
export const FormErrors: FC<{ lang: PageLang; errors: readonly FieldError[]; text?: string }> = ({
  lang,
  errors,
  text,
}) => (
  <div class="error" role="alert">
    <p>{text ?? HEADING[lang]}</p>
    {errors.length > 0 && (
      <ul>
        {errors.map((e) => (
          <li>
            {e.label ? (
              <>
                <a href={`#${e.field}`}>{e.label}</a>: {e.message}
              </>
            ) : (
              e.message
            )}
          </li>
        ))}
      </ul>
    )}
  </div>
)
