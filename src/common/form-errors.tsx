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

/** A form's fields by their path in the parsed input (`author.name`) → the name of the input and its label. */
export type FormLabels = Record<string, { field: string; label: string }>

/** A refused form: an AppError (400) whose fields a page can list. */
export class InvalidForm extends AppError {
  constructor(readonly fields: FieldError[]) {
    super('invalid_input', fields.map((f) => (f.label ? `${f.label}: ${f.message}` : f.message)).join('; '))
    this.name = 'InvalidForm'
  }
}

/** The labelled field a path belongs to: itself, or the list it is an item of (`origins.2` → `origins`). */
function labelledPath(path: string, labels: FormLabels): string {
  for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') if (labels[p]) return p
  return path
}

/** The first problem of each field, in the order of `labels` (the form's order), named by label. */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[], labels: FormLabels): FieldError[] {
  const byPath = new Map<string, string>()
  for (const issue of issues) {
    const path = labelledPath(issuePath(issue), labels)
    if (!byPath.has(path)) byPath.set(path, issueMessage(issue))
  }
  const order = Object.keys(labels)
  return [...byPath]
    .sort(([a], [b]) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1))
    .map(([path, message]) => ({
      field: labels[path]?.field ?? path.replace(/\./g, '_'),
      label: labels[path]?.label ?? path,
      message,
    }))
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
