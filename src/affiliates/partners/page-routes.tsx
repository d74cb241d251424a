/**
 * `/partners/{site}` — the partner page, signed in with the partner key. The same rules as the
 * partner API; forms carry the session's CSRF token and must come from this origin.
 */
import type { Context } from 'hono'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import * as v from 'valibot'

import { getDb } from '../../db/client'
import type { AppEnv } from '../../env'
import { intakeDeps } from '../../linkbacks/intake'
import { clientIpOf } from '../../common/client-ip'
import { AppError, expectedFailure, statusOf } from '../../common/errors'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { checkForm, InvalidForm } from '../../common/form-errors'
import { type FormEnv, formField, formReadMessage, readForms } from '../../common/utf8-form'
import { HttpUrl, Line, pathParam } from '../../common/validation'
import { findSiteBySlug } from '../../sites/store'
import { listTargets } from '../../targets/store'
import { entriesOfPartner } from '../commissions/ledger'
import { createLink, linksOf } from '../links/links'
import { PartnerDashboard, PartnerLogin, PartnerMessage, type PartnerView } from './page'
import { partnerForKey } from './partners'
import { receivePartnerPost } from '../posts'
import { csrfMatches } from '../../auth/cookie-sessions'
import { closePartnerSession, openPartnerSession, partnerSessionOf } from './sessions'

type PageEnv = AppEnv & FormEnv

/** The partner page's forms and the labels their fields have on the page. */
const LinkForm = v.object({ target: Line(200) })
const PostForm = v.object({ url: HttpUrl, target: Line(200) })
const LABELS = {
  url: { field: 'url', label: 'Post URL' },
  target: { field: 'post_target', label: 'About' },
}

const NO_STORE = { 'Cache-Control': 'no-store' }

async function siteOf(c: Context<PageEnv>) {
  const site = await findSiteBySlug(getDb(c.env.DB), pathParam(c.req.param('site')))
  if (!site) throw new AppError('not_found', 'Site not found')
  return site
}

const pathOf = (slug: string) => `/partners/${encodeURIComponent(slug)}`

async function dashboard(c: Context<PageEnv>, notice?: PartnerView['notice'], status: ContentfulStatusCode = 200) {
  const db = getDb(c.env.DB)
  const site = await siteOf(c)
  const session = await partnerSessionOf(c, db, site.id, c.var.now())
  if (!session) return c.html(<PartnerLogin siteName={site.name} path={pathOf(site.slug)} />, 200, NO_STORE)
  const [links, targets, ledger] = await Promise.all([
    linksOf(db, session.partner),
    listTargets(db, site.id, null, 200, false),
    entriesOfPartner(db, session.partner.id, null, 200),
  ])
  const values = status === 200 ? undefined : c.get('form').text
  const view: PartnerView = {
    siteName: site.name,
    path: pathOf(site.slug),
    hubOrigin: new URL(c.req.url).origin,
    csrf: session.csrf,
    partner: session.partner,
    links,
    targets,
    ledger,
    notice,
    values,
  }
  return c.html(<PartnerDashboard v={view} />, status, NO_STORE)
}

const readForm = readForms<PageEnv>((c, failure) =>
  c.html(<PartnerMessage text={formReadMessage(failure.reason, 'en')} />, failure.status, NO_STORE),
)

/** A field of the form this request carried, trimmed ('' when absent). */
const field = (c: Context<PageEnv>, name: string) => formField(c, name)?.trim() ?? ''

/** A signed-in form post: the session of this site's partner, with its CSRF token. */
async function formSession(c: Context<PageEnv>) {
  const db = getDb(c.env.DB)
  const site = await siteOf(c)
  const session = await partnerSessionOf(c, db, site.id, c.var.now())
  if (!session) throw new AppError('unauthorized', 'Your session has ended: sign in again.')
  if (!(await csrfMatches(session.csrf, field(c, '_csrf'))))
    throw new AppError('forbidden', 'The form is stale or did not come from this page; reload it and try again.')
  return { db, site, session }
}

/** A refused form or action, shown on the dashboard above the forms (what was typed is kept). */
function refused(c: Context<PageEnv>, err: unknown) {
  if (err instanceof InvalidForm)
    return dashboard(c, { kind: 'error', text: 'Please check the form:', errors: err.fields }, 400)
  if (err instanceof AppError) return dashboard(c, { kind: 'error', text: err.message }, statusOf(err.code))
  throw err
}

/** Errors no form can show (a stale form, an unknown site) as a page, not JSON. */
function errorPage(err: Error, c: Context<PageEnv>) {
  const failure = expectedFailure(err)
  if (!failure) throw err
  const text =
    failure.message ??
    (failure.code === 'payload_too_large'
      ? 'The form is too large (at most 16 KB).'
      : 'The form did not come from this page; reload it and try again.')
  return c.html(<PartnerMessage text={text} />, failure.status, NO_STORE)
}

export const partnerPageRoutes = new Hono<PageEnv>()
  .use('/:site', bodyLimit({ maxSize: 16 * 1024 }))
  .use('/:site/*', bodyLimit({ maxSize: 16 * 1024 }), csrf(), readForm)
  .get('/:site', (c) => dashboard(c))
  .post('/:site/login', async (c) => {
    const site = await siteOf(c)
    const key = field(c, 'key').slice(0, 200)
    const partner = await partnerForKey(getDb(c.env.DB), site.slug, key)
    if (!partner) return c.html(<PartnerLogin siteName={site.name} path={pathOf(site.slug)} error />, 401, NO_STORE)
    await openPartnerSession(c, getDb(c.env.DB), partner.id, c.var.now())
    return c.redirect(pathOf(site.slug), 303)
  })
  .post('/:site/logout', async (c) => {
    const { db, site, session } = await formSession(c)
    await closePartnerSession(c, db, session.id)
    return c.redirect(pathOf(site.slug), 303)
  })
  .post('/:site/links', async (c) => {
    const { db, session } = await formSession(c)
    try {
      const input = checkForm(LinkForm, { target: field(c, 'target') }, 'en', {
        target: { field: 'target', label: 'Product' },
      })
      await createLink(db, session.partner, input.target, c.var.now())
    } catch (err) {
      return refused(c, err)
    }
    return dashboard(c, { kind: 'ok', text: 'Link made.' })
  })
  .post('/:site/posts', async (c) => {
    const { site, session } = await formSession(c)
    try {
      const input = checkForm(PostForm, { url: field(c, 'url'), target: field(c, 'target') }, 'en', LABELS)
      await receivePartnerPost(
        intakeDeps(c.env, c.req.url, c.var.now),
        session.partner,
        site.slug,
        input.url,
        input.target,
        clientIpOf(c.req),
        c.var.now(),
      )
    } catch (err) {
      return refused(c, err)
    }
    return dashboard(c, { kind: 'ok', text: 'Thank you: the post is published once the shop’s hub finds its link.' })
  })
  .onError(errorPage)
