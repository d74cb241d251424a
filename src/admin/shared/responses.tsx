/**
 * A response to one voice or several, as the inbox and a voice's page both offer it: its fields,
 * what they become as the API's input and the labels a refused one is named by, and the name and
 * role of whoever answered last in this browser (the next form starts with them).
 */
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { FC } from 'hono/jsx'
import * as v from 'valibot'

import { SESSION_COOKIE_OPTIONS } from '../../common/cookies'
import type { FormLabels } from '../../common/form-errors'
import type { VoiceRow } from '../../voices/store'
import { type AdminEnv, field, type PageContext } from './context'
import type { FormValues } from './layout'

export const who = (m: VoiceRow) => m.authorName ?? m.blogName ?? m.sourceHost ?? '—'

/** The fields of a response, for one voice or several (with what was typed, after a refusal). */
export const ResponseFields: FC<{
  ctx: PageContext
  stage: 'reply' | 'apology' | 'resolution'
  values?: FormValues
}> = ({ ctx, stage, values }) => {
  const chosen = values?.get('stage') ?? stage
  return (
    <>
      <label for="stage">{ctx.t.stage}</label>
      <select id="stage" name="stage">
        <option value="reply" selected={chosen === 'reply'}>
          {ctx.t.stageReply}
        </option>
        <option value="apology" selected={chosen === 'apology'}>
          {ctx.t.stageApology}
        </option>
        <option value="resolution" selected={chosen === 'resolution'}>
          {ctx.t.stageResolution}
        </option>
      </select>
      <label for="body">{ctx.t.body}</label>
      <textarea id="body" name="body" required maxlength={5000}>
        {values?.get('body') ?? ''}
      </textarea>
      <label for="author_name">{ctx.t.authorName}</label>
      <input id="author_name" name="author_name" required maxlength={100} value={values?.get('author_name') ?? ''} />
      <label for="author_role">{ctx.t.authorRole}</label>
      <input id="author_role" name="author_role" maxlength={50} value={values?.get('author_role') ?? ''} />
      <button type="submit">{ctx.t.publish}</button>
    </>
  )
}

/** The response form's fields by their labels on the page. */
export const responseLabels = (t: PageContext['t']): FormLabels => ({
  mention_ids: { field: 'answer-many', label: t.selectedVoices },
  stage: { field: 'stage', label: t.stage },
  body: { field: 'body', label: t.body },
  'author.name': { field: 'author_name', label: t.authorName },
  'author.role': { field: 'author_role', label: t.authorRole },
})

/** A response form's fields (stage, body, author_name, author_role), and the ticked voices when `ids` is given. */
export function responseFormInput(c: Context<AdminEnv>, ids?: string[]) {
  const role = field(c, 'author_role')?.trim()
  return {
    ...(ids ? { mention_ids: ids } : {}),
    stage: field(c, 'stage'),
    body: field(c, 'body'),
    author: { name: field(c, 'author_name'), ...(role ? { role } : {}) },
  }
}

/** Who answered last in this browser, so the next response form starts with their name and role. */
const RESPONDER_COOKIE = 'glasshouse_responder'
const Responder = v.object({ name: v.pipe(v.string(), v.maxLength(100)), role: v.pipe(v.string(), v.maxLength(50)) })
const RESPONDER_OPTIONS = { ...SESSION_COOKIE_OPTIONS, path: '/admin' }

export function rememberResponder(c: Context<AdminEnv>, author: { name: string; role?: string | undefined }) {
  const value = JSON.stringify({ name: author.name, role: author.role ?? '' })
  setCookie(c, RESPONDER_COOKIE, value, { ...RESPONDER_OPTIONS, maxAge: 365 * 86400 })
}

/** Signing out forgets who answered. */
export const forgetResponder = (c: Context<AdminEnv>) => deleteCookie(c, RESPONDER_COOKIE, RESPONDER_OPTIONS)

/** The remembered name and role as form values (none when the cookie is missing or not ours). */
export function responderOf(c: Context<AdminEnv>): ReadonlyMap<string, string> | undefined {
  const raw = getCookie(c, RESPONDER_COOKIE)
  if (raw === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return undefined
  }
  const responder = v.safeParse(Responder, parsed)
  if (!responder.success) return undefined
  return new Map([
    ['author_name', responder.output.name],
    ['author_role', responder.output.role],
  ])
}
