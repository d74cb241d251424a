/**
 * A site's reviews: invitation and coupon settings and the form's words (saved through the site's
 * settings), codes added to the coupon pool, the invitations and where each stands, and buyers'
 * erasure requests with their record. Each form done answers with a redirect (a reload never
 * sends it again); a refused one shows its page again with what was typed.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'

import { decodeTimeCursor, positionCursor } from '../../../common/cursor'
import { checkForm, fieldErrors, type FormLabels, InvalidForm } from '../../../common/form-errors'
import { oneOf, pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { addCouponCodes, Codes, couponStock } from '../../../reviews/coupons'
import { eraseBuyer, erasureRecordsOf } from '../../../reviews/erasure'
import { ErasureInput } from '../../../reviews/inputs'
import { invitationsOf, invitationStage } from '../../../reviews/invitations/invitations'
import { photoStore } from '../../../reviews/photos/photos'
import { INVITATION_STAGES } from '../../../reviews/store'
import { SitePatch } from '../../../sites/inputs'
import { changeSite, loadSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { targetsOf } from '../../../targets/store'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { redirectWith, takeFlash } from '../../kit/flash'
import { filledIn, lineNumbers, linesOf, onForm, orUndefined } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { reviewLabels, reviewSettingsInput } from './form'
import { ErasurePage } from './erasure-page'
import { InvitationsPage } from './invitations-page'
import { ReviewsPage } from './page'
import { WORDS, type Words } from './words'

const InvitationFilter = v.object({
  stage: v.optional(v.union([v.literal(''), oneOf(INVITATION_STAGES)])),
  order: v.optional(v.pipe(v.string(), v.maxLength(100))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
})

const siteBase = (slug: string) => `/admin/sites/${encodeURIComponent(slug)}`

/** A site's reviews page: invitation and coupon settings, the form's words, the pool's stock. */
async function renderReviews(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  const db = getDb(c.env.DB)
  const site = await loadSite(db, c.get('principal'), pathParam(c.req.param('site')))
  const settings = readSettings(site.settings)
  return c.html(
    <ReviewsPage
      ctx={{
        ...pageContext(c, WORDS, settings.time_zone),
        path: `/admin/sites/${encodeURIComponent(site.slug)}/reviews`,
      }}
      site={site}
      settings={settings}
      stock={await couponStock(db, site.id)}
      notice={notice}
      values={values}
    />,
    status,
  )
}

/** A site's invitations, by stage or order id, a page at a time, with their products' titles. */
async function renderInvitations(c: Context<AdminEnv>) {
  const db = getDb(c.env.DB)
  const query = v.safeParse(InvitationFilter, c.req.query())
  const q = query.success ? query.output : {}
  const now = c.var.now()
  const page = await invitationsOf(
    db,
    c.get('principal'),
    pathParam(c.req.param('site')),
    { stage: orUndefined(q.stage), order: orUndefined(q.order?.trim() ?? '') },
    q.cursor ? decodeTimeCursor(q.cursor) : null,
    50,
    now,
  )
  const titles = new Map(
    (await targetsOf(db, page.site.id, [...new Set(page.items.flatMap((i) => i.items))])).map((t) => [t.id, t.title]),
  )
  return c.html(
    <InvitationsPage
      ctx={pageContext(c, WORDS, readSettings(page.site.settings).time_zone)}
      site={page.site}
      lines={page.items.map((i) => ({
        invitation: i,
        stage: invitationStage(i, now),
        products: i.items.map((id) => titles.get(id) ?? id),
      }))}
      stage={orUndefined(q.stage)}
      order={q.order}
      next={page.next ? positionCursor(page.next) : null}
    />,
  )
}

/** The erasure form and the record of requests (the newest 50, then a page at a time). */
async function renderErasure(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  const cursor = c.req.query('cursor')
  const before = cursor ? decodeTimeCursor(cursor) : null
  const slug = pathParam(c.req.param('site'))
  const page = await erasureRecordsOf(getDb(c.env.DB), c.get('principal'), slug, before, 50)
  return c.html(
    <ErasurePage
      ctx={{
        ...pageContext(c, WORDS, readSettings(page.site.settings).time_zone),
        path: `/admin/sites/${encodeURIComponent(page.site.slug)}/erasure`,
      }}
      site={page.site}
      records={page.items}
      next={page.next ? positionCursor(page.next) : null}
      notice={notice}
      values={values}
    />,
    status,
  )
}

export const reviewsRoutes = consoleRouter()
  .get('/sites/:site/reviews', async (c) => renderReviews(c, (await takeFlash(c, WORDS)).notice))
  .post('/sites/:site/reviews', (c) =>
    onForm(
      c,
      (notice, status) => renderReviews(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const patch = checkForm(SitePatch, reviewSettingsInput(c), ctx.lang, reviewLabels(ctx.t))
        const slug = pathParam(c.req.param('site'))
        await changeSite(getDb(c.env.DB), c.get('principal'), slug, patch, c.var.now())
        return redirectWith<Words>(c, `${siteBase(slug)}/reviews`, { say: 'saved' })
      },
    ),
  )
  .post('/sites/:site/reviews/codes', (c) =>
    onForm(
      c,
      (notice, status) => renderReviews(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const { codes } = checkForm(Codes, { codes: linesOf(field(c, 'codes')) }, ctx.lang, {
          codes: { field: 'codes', label: ctx.t.codes, lines: lineNumbers(field(c, 'codes')) },
        })
        const slug = pathParam(c.req.param('site'))
        const out = await addCouponCodes(getDb(c.env.DB), c.get('principal'), slug, codes, c.var.now())
        // A code pasted twice in the box is added once, and the notice says so.
        const twice = codes.length - new Set(codes).size
        return redirectWith<Words>(c, `${siteBase(slug)}/reviews`, {
          say: 'codesAdded',
          values: { added: out.added, known: out.duplicates },
          also: twice > 0 ? [{ say: 'codesTwice', values: { n: twice } }] : [],
        })
      },
    ),
  )
  .get('/sites/:site/invitations', (c) => renderInvitations(c))
  .get('/sites/:site/erasure', async (c) => renderErasure(c, (await takeFlash(c, WORDS)).notice))
  .post('/sites/:site/erasure', (c) =>
    onForm(
      c,
      (notice, status) => renderErasure(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const given = (name: string) => filledIn(c, name)
        const labels: FormLabels = {
          '': { field: 'email', label: ctx.t.erasureEmail },
          email: { field: 'email', label: ctx.t.erasureEmail },
          order_id: { field: 'order_id', label: ctx.t.erasureOrder },
        }
        const input = {
          email: given('email'),
          order_id: given('order_id'),
          remove_reviews: field(c, 'remove_reviews') === 'on',
        }
        const parsed = v.safeParse(ErasureInput, input, { lang: ctx.lang })
        // Erasing cannot be undone: the box must be ticked, and every problem is shown at once.
        const errors = parsed.success ? [] : fieldErrors(parsed.issues, labels)
        if (field(c, 'confirm') !== 'on')
          errors.push({ field: 'confirm', label: ctx.t.confirmErasure, message: ctx.t.confirmNeeded })
        if (!parsed.success || errors.length > 0) throw new InvalidForm(errors)
        const deps = { db: getDb(c.env.DB), secretsKey: c.env.WEBHOOK_SECRETS_KEY, photos: photoStore(c.env) }
        const slug = pathParam(c.req.param('site'))
        const out = await eraseBuyer(deps, c.get('principal'), slug, parsed.output, c.var.now())
        const values = { invitations: out.invitations, reviews: out.reviews }
        return redirectWith<Words>(c, `${siteBase(slug)}/erasure`, { say: 'erasedCounts', values })
      },
    ),
  )
