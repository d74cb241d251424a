/**
 * The voice page's forms that correct one of its answers: a new version, or its withdrawal. The
 * same services and rules as the API (src/corrections/); a refused form is shown at its fields on
 * the voice's page, a stale edit with the current version in the box, and a change done answers
 * with a redirect to the page.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { type FieldError, InvalidForm, checkForm } from '../../../common/form-errors'
import { pathParam } from '../../../common/validation'
import { StaleResponse } from '../../../corrections/correct'
import { editResponse } from '../../../corrections/edit'
import { ResponsePatch, ResponseWithdrawal } from '../../../corrections/inputs'
import { withdrawResponse } from '../../../corrections/withdraw'
import { getDb } from '../../../db/client'
import { sendAnnouncement, tellsOf } from '../../../responses/follow-ups'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { redirectWith } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { phrase } from '../../kit/words'
import type { Editing } from './answer-forms'
import { WORDS, type Words } from './words'

/** Draws the voice's page (./routes.tsx): with a notice, its status, what was typed, and the answer whose form was refused. */
export type RenderVoice = (
  c: Context<AdminEnv>,
  id: string,
  notice: Notice | null,
  status?: ContentfulStatusCode,
  values?: ReadonlyMap<string, string>,
  editing?: Editing | null,
) => Promise<Response>

/** The answer's edit form as the API's input. */
function editInput(c: Context<AdminEnv>) {
  const role = field(c, 'edit_author_role')?.trim()
  const version = field(c, 'version') ?? ''
  return {
    version: /^\d{1,7}$/.test(version) ? Number(version) : version,
    stage: field(c, 'edit_stage'),
    body: field(c, 'edit_body'),
    author: { name: field(c, 'edit_author_name'), ...(role ? { role } : {}) },
  }
}

export const answerRoutes = (renderVoice: RenderVoice) => {
  /** A form about answer `rid` of voice `id`: refused at its fields (`editing`), or done and redirected with `say`. */
  const answerForm = (
    c: Context<AdminEnv>,
    change: (id: string, rid: string) => Promise<unknown>,
    say: keyof Words,
  ) => {
    const id = pathParam(c.req.param('id'))
    const rid = pathParam(c.req.param('response'))
    const values = c.get('form').text
    return onForm(
      c,
      (notice, status) => renderVoice(c, id, notice, status, undefined, { id: rid, values, stale: false }),
      async () => {
        try {
          await change(id, rid)
        } catch (err) {
          if (!(err instanceof StaleResponse)) throw err
          const ctx = pageContext(c, WORDS)
          const typed = field(c, 'edit_body') ?? ''
          c.set('refused', [
            {
              field: `edit_body_${rid}`,
              label: ctx.t.body,
              message: `${phrase(ctx.lang, ctx.t.staleAnswer, { version: err.current.version })} “${typed}”`,
            },
          ])
          return renderVoice(c, id, { kind: 'error', text: err.messageIn(ctx.lang) }, 409, undefined, {
            id: rid,
            values,
            stale: true,
          })
        }
        return redirectWith<Words>(c, `/admin/mentions/${encodeURIComponent(id)}`, { say })
      },
    )
  }

  return consoleRouter()
    .post('/mentions/:id/responses/:response/edit', (c) =>
      answerForm(
        c,
        async (id, rid) => {
          const ctx = pageContext(c)
          const input = checkForm(ResponsePatch, editInput(c), ctx.lang, {
            version: { field: `edit_body_${rid}`, label: ctx.t.body },
            stage: { field: `edit_stage_${rid}`, label: ctx.t.stage },
            body: { field: `edit_body_${rid}`, label: ctx.t.body },
            'author.name': { field: `edit_author_name_${rid}`, label: ctx.t.authorName },
            'author.role': { field: `edit_author_role_${rid}`, label: ctx.t.authorRole },
          })
          const hub = new URL(c.req.url).origin
          const tell = tellsOf(c.env, hub, c.var.now).updated
          const db = getDb(c.env.DB)
          const done = await editResponse(db, c.get('principal'), rid, input, c.var.now(), hub, tell, id)
          await sendAnnouncement(c.env, done.announcement, c.var.now)
        },
        'answerEdited',
      ),
    )
    .post('/mentions/:id/responses/:response/withdraw', (c) =>
      answerForm(
        c,
        async (id, rid) => {
          const ctx = pageContext(c, WORDS)
          const problems: FieldError[] = []
          let reason = ''
          try {
            reason = checkForm(ResponseWithdrawal, { reason: field(c, 'withdraw_reason') }, ctx.lang, {
              reason: { field: `withdraw_reason_${rid}`, label: ctx.t.withdrawReason },
            }).reason
          } catch (err) {
            if (!(err instanceof InvalidForm)) throw err
            problems.push(...err.fields)
          }
          if (field(c, 'confirm') !== 'on')
            problems.push({ field: `confirm_${rid}`, label: ctx.t.withdrawConfirm, message: ctx.t.mustConfirm })
          if (problems.length > 0) throw new InvalidForm(problems)
          const hub = new URL(c.req.url).origin
          const tell = tellsOf(c.env, hub, c.var.now).withdrawn
          const db = getDb(c.env.DB)
          const done = await withdrawResponse(db, c.get('principal'), rid, reason, c.var.now(), hub, tell, id)
          await sendAnnouncement(c.env, done.announcement, c.var.now)
        },
        'answerWithdrawn',
      ),
    )
}
