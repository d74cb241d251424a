/**
 * `/review/{token}` — the hosted review form of an invited buyer, and what the link allows
 * afterwards (edit, delete, say whether the shop's answer resolved the problem). The token in
 * the path is the credential, so these pages are never cached, never indexed, and send no
 * Referer; a cross-site form cannot post without knowing it, so no CSRF token is needed.
 */
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'

import { getDb } from '../db/client'
import { type AppEnv, newRouter } from '../env'
import { clientIpOf } from '../shared/client-ip'
import { AppError } from '../shared/errors'
import { type FormFields, readUtf8Form } from '../shared/utf8-form'
import { passesTurnstile, turnstileOf } from '../shared/turnstile'
import { pathParam } from '../shared/validation'
import { emitter, eventSink } from '../webhooks/events'
import { check, DisplayName, Entry } from './inputs'
import { type PhotoUpload, photoStore, readPhotos } from './photos'
import { deleteReview, editReview, type EntryInput, openLink, type ReviewDeps, type ReviewLink, recordVerdict, submitReviews } from './service'
import { ctxOf, type FormValues, MessagePage, ReviewFormPage, ReviewsPage } from './views'
import type { ReviewLang } from './words'

/** Room for three 5 MB photos per product and the text; a bigger body is refused before it is read. */
export const MAX_REVIEW_BODY = 16 * 1024 * 1024

export function reviewDeps(env: Env, hubOrigin: string): ReviewDeps {
  const db = getDb(env.DB)
  return {
    db,
    secretsKey: env.WEBHOOK_SECRETS_KEY,
    events: eventSink(db, env.WEBHOOK_QUEUE, hubOrigin),
    emit: emitter(db, env.WEBHOOK_QUEUE),
    photos: photoStore(env),
  }
}

const PRIVATE_HEADERS = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' }

const langOf = (c: Context<AppEnv>, fallback: ReviewLang): ReviewLang => {
  const q = c.req.query('lang')
  return q === 'ja' || q === 'en' ? q : fallback
}

const pageCtx = (c: Context<AppEnv>, token: string, lang: ReviewLang) =>
  ctxOf(lang, `/review/${encodeURIComponent(token)}`, turnstileOf(c.env)?.siteKey ?? null)

/** Errors of a link (forged, expired) and of a form, as a page in the buyer's language. */
function errorPage(c: Context<AppEnv>, token: string, err: unknown, lang: ReviewLang = 'en') {
  if (!(err instanceof AppError)) throw err
  const ctx = pageCtx(c, token, langOf(c, lang))
  const text = err.code === 'not_found' && /link/.test(err.message) ? ctx.w.invalid : err.code === 'gone' ? ctx.w.expired : err.message
  const status = err.code === 'gone' ? 410 : err.code === 'not_found' ? 404 : err.code === 'conflict' ? 409 : 400
  return c.html(<MessagePage ctx={ctx} text={text} />, status, PRIVATE_HEADERS)
}

async function withLink(c: Context<AppEnv>, run: (deps: ReviewDeps, token: string, link: ReviewLink) => Promise<Response>) {
  const token = pathParam(c.req.param('token'))
  const deps = reviewDeps(c.env, new URL(c.req.url).origin)
  let link: ReviewLink
  try {
    link = await openLink(deps, token, Date.now())
  } catch (err) {
    return errorPage(c, token, err)
  }
  try {
    return await run(deps, token, link)
  } catch (err) {
    return errorPage(c, token, err, link.invitation.lang)
  }
}

/** The form's entries: the products the buyer rated (a product left unrated is skipped, unless they wrote about it). */
function entriesOf(link: ReviewLink, fields: FormFields): { values: FormValues; entries: EntryInput[]; photos: PhotoUpload[][]; error?: string } {
  const text = (name: string) => fields.text.get(name) ?? ''
  const values: FormValues = { name: text('name'), entries: [] }
  const entries: EntryInput[] = []
  const photos: PhotoUpload[][] = []
  let error: string | undefined
  link.invitation.items.forEach((target, i) => {
    const raw = { rating: text(`rating_${i}`), title: text(`title_${i}`), text: text(`text_${i}`) }
    values.entries.push(raw)
    const files = fields.files.get(`photos_${i}`) ?? []
    if (raw.rating.trim() === '' && raw.text.trim() === '' && raw.title.trim() === '' && files.length === 0) return
    const label = link.targets.find((t) => t.id === target)?.title ?? target
    const checked = check(Entry, raw, label)
    if (!checked.ok) {
      error ??= checked.message
      return
    }
    entries.push({ target, ...checked.value })
    photos.push(files.map((file) => ({ file, label })))
  })
  return { values, entries, photos, error }
}

const formLimit = bodyLimit({ maxSize: MAX_REVIEW_BODY, onError: (c) => c.text('The form is too large: photos are at most 5 MB each.', 413, PRIVATE_HEADERS) })

export const reviewRoutes = newRouter()
  .use('/:token', formLimit)
  .use('/:token/*', formLimit)
  .get('/:token', (c) =>
    withLink(c, async (_deps, token, link) => {
      const ctx = pageCtx(c, token, langOf(c, link.invitation.lang))
      if (link.can.submit) return c.html(<ReviewFormPage ctx={ctx} link={link} />, 200, PRIVATE_HEADERS)
      return c.html(<ReviewsPage ctx={ctx} link={link} thanks={c.req.query('thanks') === '1'} />, 200, PRIVATE_HEADERS)
    })
  )
  .post('/:token', (c) =>
    withLink(c, async (deps, token, link) => {
      const ctx = pageCtx(c, token, langOf(c, link.invitation.lang))
      const form = await readUtf8Form(c.req.raw)
      if (!form.ok) return c.html(<MessagePage ctx={ctx} text={form.message} />, form.status, PRIVATE_HEADERS)
      if (!link.can.submit) return c.redirect(`${ctx.path}?thanks=1`, 303)
      const { values, entries, photos, error } = entriesOf(link, form.fields)
      const name = check(DisplayName, values.name, ctx.w.name)
      const problem = error ?? (name.ok ? undefined : name.message) ?? (entries.length === 0 ? ctx.w.rating : undefined)
      const ok = await passesTurnstile(turnstileOf(c.env), form.fields.text.get('cf-turnstile-response'), clientIpOf(c.req))
      const refusal = problem ?? (ok ? undefined : 'Turnstile')
      const uploads = refusal ? null : await readPhotos(photos)
      const why = refusal ?? (uploads && !uploads.ok ? uploads.message : undefined)
      if (why !== undefined || !name.ok || !uploads?.ok) {
        return c.html(<ReviewFormPage ctx={ctx} link={link} values={values} error={why ?? ''} />, 400, PRIVATE_HEADERS)
      }
      await submitReviews(deps, link, { name: name.value, entries, photos: uploads.photos }, Date.now())
      return c.redirect(`${ctx.path}?thanks=1`, 303)
    })
  )
  .post('/:token/reviews/:id', (c) =>
    withLink(c, async (deps, token, link) => {
      const form = await readUtf8Form(c.req.raw)
      const ctx = pageCtx(c, token, langOf(c, link.invitation.lang))
      if (!form.ok) return c.html(<MessagePage ctx={ctx} text={form.message} />, form.status, PRIVATE_HEADERS)
      const checked = check(Entry, Object.fromEntries(form.fields.text))
      if (!checked.ok) return c.html(<ReviewsPage ctx={ctx} link={link} thanks={false} notice={checked.message} />, 400, PRIVATE_HEADERS)
      await editReview(deps, link, pathParam(c.req.param('id')), checked.value, Date.now())
      return c.redirect(ctx.path, 303)
    })
  )
  .post('/:token/reviews/:id/delete', (c) =>
    withLink(c, async (deps, token, link) => {
      await deleteReview(deps, link, pathParam(c.req.param('id')), Date.now())
      return c.redirect(pageCtx(c, token, link.invitation.lang).path, 303)
    })
  )
  .post('/:token/reviews/:id/verdict', (c) =>
    withLink(c, async (deps, token, link) => {
      const form = await readUtf8Form(c.req.raw)
      const answer = form.ok ? form.fields.text.get('resolved') : undefined
      if (answer !== 'yes' && answer !== 'no') throw new AppError('invalid_input', 'resolved: must be yes or no')
      await recordVerdict(deps, link, pathParam(c.req.param('id')), answer === 'yes', Date.now())
      return c.redirect(pageCtx(c, token, link.invitation.lang).path, 303)
    })
  )
