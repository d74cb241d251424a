/**
 * `/partners/{site}` — the partner page, signed in with the partner key. The same rules as the
 * partner API; forms carry the session's CSRF token and must come from this origin.
 */
import type { Context } from 'hono'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { csrf } from 'hono/csrf'

import { getDb } from '../db/client'
import { intakeDeps } from '../linkbacks/intake'
import { clientIpOf } from '../shared/client-ip'
import { SESSION_COOKIE_OPTIONS } from '../shared/cookies'
import { AppError, handleError } from '../shared/errors'
import { secretsEqual } from '../shared/crypto'
import { pathParam } from '../shared/validation'
import { findSiteBySlug } from '../sites/store'
import { listTargets } from '../targets/store'
import { entriesOfPartner } from './ledger'
import { createLink, linksOf } from './links'
import { PartnerDashboard, PartnerLogin, type PartnerView } from './page'
import { partnerForKey } from './partners'
import { receivePartnerPost } from './posts'
import { closePartnerSession, openPartnerSession, PARTNER_COOKIE, PARTNER_SESSION_SECONDS, partnerSessionOf } from './sessions'

type PageEnv = { Bindings: Env }

const NO_STORE = { 'Cache-Control': 'no-store' }

async function siteOf(c: Context<PageEnv>) {
  const site = await findSiteBySlug(getDb(c.env.DB), pathParam(c.req.param('site')))
  if (!site) throw new AppError('not_found', 'Site not found')
  return site
}

const pathOf = (slug: string) => `/partners/${encodeURIComponent(slug)}`

async function dashboard(c: Context<PageEnv>, notice?: PartnerView['notice'], status: 200 | 400 | 409 = 200) {
  const db = getDb(c.env.DB)
  const site = await siteOf(c)
  const session = await partnerSessionOf(db, getCookie(c, PARTNER_COOKIE), site.id, Date.now())
  if (!session) return c.html(<PartnerLogin siteName={site.name} path={pathOf(site.slug)} />, 200, NO_STORE)
  const [links, targets, ledger] = await Promise.all([linksOf(db, session.partner), listTargets(db, site.id, null, 200), entriesOfPartner(db, session.partner.id, 200)])
  const view: PartnerView = { siteName: site.name, path: pathOf(site.slug), hubOrigin: new URL(c.req.url).origin, csrf: session.csrf, partner: session.partner, links, targets, ledger, notice }
  return c.html(<PartnerDashboard v={view} />, status, NO_STORE)
}

/** A signed-in form post: the session of this site's partner, with its CSRF token. */
async function formSession(c: Context<PageEnv>) {
  const db = getDb(c.env.DB)
  const site = await siteOf(c)
  const session = await partnerSessionOf(db, getCookie(c, PARTNER_COOKIE), site.id, Date.now())
  const form = (await c.req.parseBody()) as Record<string, string | File>
  if (!session) throw new AppError('unauthorized', 'Sign in again')
  const sent = typeof form._csrf === 'string' ? form._csrf : ''
  if (!sent || !(await secretsEqual(sent, session.csrf))) throw new AppError('forbidden', 'The form is stale or did not come from this page; reload it and try again')
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '')
  return { db, site, session, field }
}

export const partnerPageRoutes = new Hono<PageEnv>()
  .use('/:site', bodyLimit({ maxSize: 16 * 1024 }))
  .use('/:site/*', bodyLimit({ maxSize: 16 * 1024 }), csrf())
  .get('/:site', (c) => dashboard(c))
  .post('/:site/login', async (c) => {
    const site = await siteOf(c)
    const form = (await c.req.parseBody()) as Record<string, string | File>
    const key = typeof form.key === 'string' ? form.key.trim().slice(0, 200) : ''
    const partner = await partnerForKey(getDb(c.env.DB), site.slug, key)
    if (!partner) return c.html(<PartnerLogin siteName={site.name} path={pathOf(site.slug)} error />, 401, NO_STORE)
    setCookie(c, PARTNER_COOKIE, await openPartnerSession(getDb(c.env.DB), partner.id, Date.now()), { ...SESSION_COOKIE_OPTIONS, maxAge: PARTNER_SESSION_SECONDS })
    return c.redirect(pathOf(site.slug), 303)
  })
  .post('/:site/logout', async (c) => {
    const { db, site, session } = await formSession(c)
    await closePartnerSession(db, session.id)
    deleteCookie(c, PARTNER_COOKIE, SESSION_COOKIE_OPTIONS)
    return c.redirect(pathOf(site.slug), 303)
  })
  .post('/:site/links', async (c) => {
    const { db, session, field } = await formSession(c)
    try {
      await createLink(db, session.partner, field('target'), Date.now())
    } catch (err) {
      if (err instanceof AppError) return dashboard(c, { kind: 'error', text: err.message }, 400)
      throw err
    }
    return dashboard(c, { kind: 'ok', text: 'Link made.' })
  })
  .post('/:site/posts', async (c) => {
    const { site, session, field } = await formSession(c)
    try {
      await receivePartnerPost(intakeDeps(c.env), session.partner, site.slug, field('url'), field('target'), clientIpOf(c.req), Date.now())
    } catch (err) {
      if (err instanceof AppError) return dashboard(c, { kind: 'error', text: err.message }, err.code === 'conflict' ? 409 : 400)
      throw err
    }
    return dashboard(c, { kind: 'ok', text: 'Thank you: the post is published once the shop’s hub finds its link.' })
  })
  .onError(handleError)
