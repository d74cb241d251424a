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
import { InputField, SelectField, TextField } from './fields'
import type { FormValues } from './layout'

export const who = (m: VoiceRow) => m.authorName ?? m.blogName ?? m.sourceHost ?? '—'

/** The fields of a response, for one voice or several (with what was typed, after a refusal). */
export const ResponseFields: FC<{
  ctx: PageContext
  stage: 'reply' | 'apology' | 'resolution'
  values?: FormValues
}> = ({ ctx, stage, values }) => {
  const t = ctx.t
  return (
    <>
      <SelectField
        name="stage"
        label={t.stage}
        value={values?.get('stage') ?? stage}
        options={[
          { value: 'reply', label: t.stageReply },
          { value: 'apology', label: t.stageApology },
          { value: 'resolution', label: t.stageResolution },
        ]}
      />
      <TextField name="body" label={t.body} required maxlength={5000} value={values?.get('body') ?? ''} />
      <InputField
        name="author_name"
        label={t.authorName}
        required
        maxlength={100}
        value={values?.get('author_name') ?? ''}
      />
      <InputField name="author_role" label={t.authorRole} maxlength={50} value={values?.get('author_role') ?? ''} />
      <button type="submit">{t.publish}</button>
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
