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
import { type AdminEnv, field, type PageContext, pageContext } from './context'
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
    if (err instanceof InvalidForm) return render(formNotice(err, pageContext(c)), 400)
    if (err instanceof AppError && (err.code === 'conflict' || err.code === 'invalid_input'))
      return render({ kind: 'error', text: err.messageIn(pageContext(c).lang) }, statusOf(err.code))
    throw err
  }
}

/** A refused form's notice: every field's problem, by its label (the page keeps what was typed). */
export const formNotice = (err: InvalidForm, ctx: PageContext): Notice => ({
  kind: 'error',
  text: ctx.t.checkForm,
  errors: err.fields,
})

/** Empty form values mean "any". */
export const orUndefined = <T extends string>(value: T | '' | undefined) =>
  value === '' || value === undefined ? undefined : value

/** A field's text, trimmed; undefined when it was left empty (an optional setting then keeps its default). */
export function filledIn(c: Context<AdminEnv>, name: string) {
  const text = field(c, name)?.trim() ?? ''
  return text === '' ? undefined : text
}

/** A textarea's lines, trimmed, the empty ones left out. */
export const linesOf = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')

/** A number typed into a form; anything else is left as typed, for the schema to refuse in words. */
export const numberOf = (text: string | undefined) => {
  // NFKC: a Japanese input method may type full-width digits (１２).
  const typed = (text ?? '').normalize('NFKC').trim()
  return /^-?\d+(\.\d+)?$/.test(typed) ? Number(typed) : typed
}
