/**
 * `/review/{token}` — the hosted review form of an invited buyer, and what the link allows
 * afterwards (edit, delete, say whether the shop's answer resolved the problem). The token in
 * the path is the credential, so these pages are never cached, never indexed, and send no
 * Referer; a cross-site form cannot post without knowing it, so no CSRF token is needed.
 */
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import * as v from 'valibot'

import { getDb } from '../../db/client'
import { type AppEnv, newRouter } from '../../env'
import type { Clock } from '../../common/clock'
import { clientIpOf } from '../../common/client-ip'
import { AppError, statusOf } from '../../common/errors'
import { type FieldError, fieldErrors, type FormLabels } from '../../common/form-errors'
import { type FormFields, formReadMessage, readUtf8Form } from '../../common/utf8-form'
import { passesTurnstile, turnstileOf } from '../../common/turnstile'
import { pathParam } from '../../common/validation'
import { emitter, eventSink } from '../../webhooks/events'
import { DisplayName, Entry } from '../inputs'
import { type PhotoUpload, photoStore, readPhotos } from '../photos/photos'
import {
  deleteReview,
  editReview,
  type EntryInput,
  linkOpened,
  openLink,
  type ReviewDeps,
  type ReviewLink,
  recordVerdict,
  submitReviews,
} from './service'
import { ctxOf, type FormValues, MessagePage, type PageCtx, ReviewFormPage, ReviewsPage } from './pages'
import { isLang } from '../../common/lang'
import type { ReviewLang } from './words'

/** Room for three 5 MB photos per product and the text; a bigger body is refused before it is read. */
export const MAX_REVIEW_BODY = 16 * 1024 * 1024

export function reviewDeps(env: Env, hubOrigin: string, clock: Clock): ReviewDeps {
  const db = getDb(env.DB)
  return {
    db,
    secretsKey: env.WEBHOOK_SECRETS_KEY,
    events: eventSink(db, env.WEBHOOK_QUEUE, hubOrigin, clock),
    emit: emitter(db, env.WEBHOOK_QUEUE, clock),
    photos: photoStore(env),
  }
}

const PRIVATE_HEADERS = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' }

const langOf = (c: Context<AppEnv>, fallback: ReviewLang): ReviewLang => {
  const q = c.req.query('lang')
  return isLang(q) ? q : fallback
}

const pageCtx = (c: Context<AppEnv>, token: string, lang: ReviewLang) =>
  ctxOf(lang, `/review/${encodeURIComponent(token)}`, turnstileOf(c.env)?.siteKey ?? null)

/** Errors of a link (forged, expired) and of a form, as a page in the buyer's language. */
function errorPage(c: Context<AppEnv>, token: string, err: unknown, lang: ReviewLang = 'en') {
  if (!(err instanceof AppError)) throw err
  const ctx = pageCtx(c, token, langOf(c, lang))
  const text =
    err.code === 'not_found' && /link/.test(err.message)
      ? ctx.w.invalid
      : err.code === 'gone'
        ? ctx.w.expired
        : err.message
  return c.html(<MessagePage ctx={ctx} text={text} />, statusOf(err.code), PRIVATE_HEADERS)
}

async function withLink(
  c: Context<AppEnv>,
  run: (deps: ReviewDeps, token: string, link: ReviewLink) => Promise<Response>,
) {
  const token = pathParam(c.req.param('token'))
  const deps = reviewDeps(c.env, new URL(c.req.url).origin, c.var.now)
  let link: ReviewLink
  try {
    link = await openLink(deps, token, c.var.now())
  } catch (err) {
    return errorPage(c, token, err)
  }
  try {
    return await run(deps, token, link)
  } catch (err) {
    return errorPage(c, token, err, link.invitation.lang)
  }
}

/**
 * The form's entries: the products the buyer rated (a product left unrated is skipped, unless
 * they wrote about it), and every problem of every entry, named by product and field.
 */
function entriesOf(
  link: ReviewLink,
  fields: FormFields,
  ctx: PageCtx,
): {
  values: FormValues
  entries: EntryInput[]
  photos: PhotoUpload[][]
  otherPhotos: PhotoUpload[][]
  errors: FieldError[]
} {
  const text = (name: string) => fields.text.get(name) ?? ''
  const values: FormValues = { name: text('name'), entries: [] }
  const entries: EntryInput[] = []
  const photos: PhotoUpload[][] = []
  // Photos of entries refused for their text: checked too, so that their problems are listed with the rest.
  const otherPhotos: PhotoUpload[][] = []
  const errors: FieldError[] = []
  link.invitation.items.forEach((target, i) => {
    const raw = { rating: text(`rating_${i}`), title: text(`title_${i}`), text: text(`text_${i}`) }
    values.entries.push(raw)
    const files = fields.files.get(`photos_${i}`) ?? []
    if (raw.rating.trim() === '' && raw.text.trim() === '' && raw.title.trim() === '' && files.length === 0) return
    const product = link.targets.find((t) => t.id === target)?.title ?? target
    const labels: FormLabels = {
      rating: { field: `rating_${i}`, label: `${product} — ${ctx.w.rating}` },
      title: { field: `title_${i}`, label: `${product} — ${ctx.w.reviewTitle}` },
      text: { field: `text_${i}`, label: `${product} — ${ctx.w.text}` },
    }
    const uploads = files.map((file) => ({ file, field: `photos_${i}`, label: `${product} — ${ctx.w.photosLabel}` }))
    const checked = v.safeParse(Entry, raw, { lang: ctx.lang })
    if (!checked.success) {
      errors.push(...fieldErrors(checked.issues, labels))
      otherPhotos.push(uploads)
      return
    }
    entries.push({ target, ...checked.output })
    photos.push(uploads)
  })
  return { values, entries, photos, otherPhotos, errors }
}

const formLimit = bodyLimit({
  maxSize: MAX_REVIEW_BODY,
  onError: (c: Context<AppEnv>) => {
    const ctx = pageCtx(c, pathParam(c.req.param('token')), langOf(c, 'en'))
    return c.html(<MessagePage ctx={ctx} text={ctx.w.tooLarge} />, 413, PRIVATE_HEADERS)
  },
})

export const reviewRoutes = newRouter()
  .use('/:token', formLimit)
  .use('/:token/*', formLimit)
  .get('/:token', (c) =>
    withLink(c, async (deps, token, link) => {
      const ctx = pageCtx(c, token, langOf(c, link.invitation.lang))
      if (link.can.submit) {
        await linkOpened(deps.db, link, c.var.now())
        return c.html(<ReviewFormPage ctx={ctx} link={link} />, 200, PRIVATE_HEADERS)
      }
      return c.html(<ReviewsPage ctx={ctx} link={link} thanks={c.req.query('thanks') === '1'} />, 200, PRIVATE_HEADERS)
    }),
  )
  .post('/:token', (c) =>
    withLink(c, async (deps, token, link) => {
      const ctx = pageCtx(c, token, langOf(c, link.invitation.lang))
      const form = await readUtf8Form(c.req.raw)
      if (!form.ok)
        return c.html(
          <MessagePage ctx={ctx} text={formReadMessage(form.reason, ctx.lang)} />,
          form.status,
          PRIVATE_HEADERS,
        )
      if (!link.can.submit) return c.redirect(`${ctx.path}?thanks=1`, 303)
      const { values, entries, photos, otherPhotos, errors } = entriesOf(link, form.fields, ctx)
      const name = v.safeParse(DisplayName, values.name, { lang: ctx.lang })
      if (!name.success) errors.push(...fieldErrors(name.issues, { '': { field: 'name', label: ctx.w.name } }))
      if (entries.length === 0 && errors.length === 0)
        errors.push({ field: 'rating_0', label: ctx.w.rating, message: ctx.w.rateOne })
      if (
        !(await passesTurnstile(turnstileOf(c.env), form.fields.text.get('cf-turnstile-response'), clientIpOf(c.req)))
      ) {
        errors.push({ field: 'submit', label: '', message: ctx.w.turnstile })
      }
      // The photos' problems join the others, so the buyer sees every problem at once.
      const uploads = await readPhotos([...photos, ...otherPhotos], ctx.lang)
      if (!uploads.ok) errors.push(...uploads.errors)
      if (!name.success || !uploads.ok || errors.length > 0) {
        return c.html(<ReviewFormPage ctx={ctx} link={link} values={values} errors={errors} />, 400, PRIVATE_HEADERS)
      }
      await submitReviews(
        deps,
        link,
        { name: name.output, entries, photos: uploads.photos.slice(0, photos.length) },
        c.var.now(),
      )
      return c.redirect(`${ctx.path}?thanks=1`, 303)
    }),
  )
  .post('/:token/reviews/:id', (c) =>
    withLink(c, async (deps, token, link) => {
      const form = await readUtf8Form(c.req.raw)
      const ctx = pageCtx(c, token, langOf(c, link.invitation.lang))
      if (!form.ok)
        return c.html(
          <MessagePage ctx={ctx} text={formReadMessage(form.reason, ctx.lang)} />,
          form.status,
          PRIVATE_HEADERS,
        )
      const id = pathParam(c.req.param('id'))
      const checked = v.safeParse(Entry, Object.fromEntries(form.fields.text), { lang: ctx.lang })
      if (!checked.success) {
        const labels: FormLabels = {
          rating: { field: `r_${id}`, label: ctx.w.rating },
          title: { field: `t_${id}`, label: ctx.w.reviewTitle },
          text: { field: `x_${id}`, label: ctx.w.text },
        }
        return c.html(
          <ReviewsPage ctx={ctx} link={link} thanks={false} errors={fieldErrors(checked.issues, labels)} />,
          400,
          PRIVATE_HEADERS,
        )
      }
      await editReview(deps, link, id, checked.output, c.var.now())
      return c.redirect(ctx.path, 303)
    }),
  )
  .post('/:token/reviews/:id/delete', (c) =>
    withLink(c, async (deps, token, link) => {
      await deleteReview(deps, link, pathParam(c.req.param('id')), c.var.now())
      return c.redirect(pageCtx(c, token, link.invitation.lang).path, 303)
    }),
  )
  .post('/:token/reviews/:id/verdict', (c) =>
    withLink(c, async (deps, token, link) => {
      const form = await readUtf8Form(c.req.raw)
      const answer = form.ok ? form.fields.text.get('resolved') : undefined
      if (answer !== 'yes' && answer !== 'no')
        throw new AppError('invalid_input', pageCtx(c, token, link.invitation.lang).w.answerYesNo)
      await recordVerdict(deps, link, pathParam(c.req.param('id')), answer === 'yes', c.var.now())
      return c.redirect(pageCtx(c, token, link.invitation.lang).path, 303)
    }),
  )
