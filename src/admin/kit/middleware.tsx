/**
 * What runs around every console route: no copy is kept anywhere, the form is read as UTF-8
 * (refused in the page's language when it cannot be), a session is needed past sign-in and every
 * form that changes something carries its CSRF token, and an error no form can show gets a page.
 */
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'

import { csrfMatches } from '../../auth/cookie-sessions'
import { AppError, expectedFailure } from '../../common/errors'
import { formReadMessage, readForms } from '../../common/utf8-form'
import { getDb } from '../../db/client'
import { type AdminEnv, field, pageContext } from './context'
import { MessagePage } from './message-page'
import { sessionOf } from './sessions'

export const noStore = createMiddleware<AdminEnv>(async (c, next) => {
  await next()
  c.header('Cache-Control', 'no-store')
})

export const readForm = readForms<AdminEnv>((c, failure) => {
  const ctx = pageContext(c)
  return c.html(<MessagePage ctx={ctx} text={formReadMessage(failure.reason, ctx.lang)} />, failure.status)
})

export const requireSession = createMiddleware<AdminEnv>(async (c, next) => {
  const session = await sessionOf(c, getDb(c.env.DB), c.var.now())
  if (!session) return c.redirect('/admin/login', 303)
  c.set('session', session)
  c.set('principal', session.principal)
  if (c.req.method === 'POST' && !(await csrfMatches(session.csrf, field(c, '_csrf')))) {
    throw new AppError('forbidden', pageContext(c).t.staleForm)
  }
  return next()
})

/** A page for an error no form can show (a stale form, another site's id), in the page's language. */
export function errorPage(err: Error, c: Context<AdminEnv>) {
  const ctx = pageContext(c)
  const failure = expectedFailure(err, ctx.lang)
  if (!failure) throw err
  const text = failure.message ?? (failure.code === 'payload_too_large' ? ctx.t.tooLarge : ctx.t.staleForm)
  return c.html(<MessagePage ctx={ctx} text={text} />, failure.status)
}
