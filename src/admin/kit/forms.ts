/**
 * The console's forms: a form's outcome (the change, or its refusal shown on the page it came
 * from), and reading what a person typed — a field left empty, one per line, a number. Each page
 * turns its form into the API's input (the same schemas then check it, so the console and the
 * API share one set of rules) and names a refused field by its label on the page.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { AppError, statusOf } from '../../common/errors'
import { InvalidForm } from '../../common/form-errors'
import { type AdminEnv, field, pageContext } from './context'
import type { Notice } from './layout'

/** A form's outcome: what `change` answers, or its refusal and conflicts as a notice on the page `render` draws. */
export async function onForm(
  c: Context<AdminEnv>,
  render: (notice: Notice | null, status: ContentfulStatusCode) => Promise<Response>,
  change: () => Promise<Response>,
) {
  try {
    return await change()
  } catch (err) {
    if (err instanceof InvalidForm) return render(refusedForm(c, err), 400)
    if (err instanceof AppError && (err.code === 'conflict' || err.code === 'invalid_input'))
      return render({ kind: 'error', text: err.messageIn(pageContext(c).lang) }, statusOf(err.code))
    throw err
  }
}

/**
 * A refused form's notice: every field's problem, by its label (the page keeps what was typed). The
 * refused fields are kept for the page's context too, so each field says its problem where it is.
 */
export function refusedForm(c: Context<AdminEnv>, err: InvalidForm): Notice {
  c.set('refused', err.fields)
  return { kind: 'error', text: pageContext(c).t.checkForm, errors: err.fields }
}

/** Empty form values mean "any". */
export const orUndefined = <T extends string>(value: T | '' | undefined) =>
  value === '' || value === undefined ? undefined : value

/** A field's text, trimmed; undefined when it was left empty (an optional setting then keeps its default). */
export function filledIn(c: Context<AdminEnv>, name: string) {
  const text = field(c, name)?.trim() ?? ''
  return text === '' ? undefined : text
}

/** A textarea's lines, trimmed, the empty ones left out, each with its number in the box (from 1). */
export const numberedLines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line, i) => ({ text: line.trim(), line: i + 1 }))
    .filter((l) => l.text !== '')

/** A textarea's lines, trimmed, the empty ones left out. */
export const linesOf = (text: string | undefined) => numberedLines(text).map((l) => l.text)

/** Which line of its box each item of a list came from (item's index → line), to name a refused one. */
export const lineNumbers = (text: string | undefined): ReadonlyMap<string, number> =>
  new Map(numberedLines(text).map((l, i) => [String(i), l.line]))

/** A number typed into a form; anything else is left as typed, for the schema to refuse in words. */
export const numberOf = (text: string | undefined) => {
  // NFKC: a Japanese input method may type full-width digits (１２).
  const typed = (text ?? '').normalize('NFKC').trim()
  return /^-?\d+(\.\d+)?$/.test(typed) ? Number(typed) : typed
}
