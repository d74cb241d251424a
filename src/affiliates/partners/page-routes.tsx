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
import { findSiteBySlug, type SiteRow } from '../../sites/store'
import { listTargets } from '../../targets/store'
import { entriesOfPartner } from '../commissions/ledger'
import { createLink, linksOf } from '../links/links'
import {
  PartnerDashboard,
  PartnerLogin,
  PartnerMessage,
  type PartnerView,
  type SignInNotice,
  SignInWithLink,
} from './page'
import { partnerPagePath, redeemSignInLink, requestSignInLink, type SignInDeps } from './sign-in-links'
import { publicHubOrigin } from '../../common/hub-urls'
import { PARTNER_WORDS } from './words'
import { postOf } from '../../mail/letters'
import { isLang, type PageLang, pickLang } from '../../common/lang'
import type { PartnerRow } from '../store'
import { readSettings } from '../../sites/settings'
import { newPartnerKey, partnerForKey } from './partners'
import { receivePartnerPost } from '../posts'
import { csrfMatches } from '../../auth/cookie-sessions'
import { closePartnerSession, openPartnerSession, partnerSessionOf } from './sessions'

type PageEnv = AppEnv & FormEnv

/** The partner page's forms and the labels their fields have on the page. */
const LinkForm = v.object({ target: Line(200) })
const PostForm = v.object({ url: HttpUrl, target: Line(200) })

const NO_STORE = { 'Cache-Control': 'no-store' }

async function siteOf(c: Context<PageEnv>) {
  const site = await findSiteBySlug(getDb(c.env.DB), pathParam(c.req.param('site')))
  if (!site) throw new AppError('not_found', 'Site not found')
  return site
}

/** A signed-in partner's language: chosen (?lang=), else the one they applied in. */
const partnerLangOf = (c: Context<PageEnv>, partner: PartnerRow): PageLang => {
  const chosen = c.req.query('lang')
  return isLang(chosen) ? chosen : partner.lang
}

/** The sign-in page's language: chosen (?lang=), the browser's, else the shop's. */
const langOf = (c: Context<PageEnv>, site: SiteRow) =>
  pickLang(c.req.query('lang'), undefined, c.req.header('Accept-Language'), readSettings(site.settings).lang)

/** The sign-in page, with what happened last above its forms. */
const signInPage = (c: Context<PageEnv>, site: SiteRow, notice?: SignInNotice, status: ContentfulStatusCode = 200) =>
  c.html(
    <PartnerLogin
      siteName={site.name}
      path={partnerPagePath(site.slug)}
      lang={langOf(c, site)}
      canMail={postOf(c.env) !== null}
      notice={notice}
    />,
    status,
    NO_STORE,
  )

const signInDeps = (c: Context<PageEnv>): SignInDeps => ({
  db: getDb(c.env.DB),
  mail: postOf(c.env),
  hubOrigin: publicHubOrigin(c.env, c.req.url),
})

async function dashboard(
  c: Context<PageEnv>,
  notice?: PartnerView['notice'],
  status: ContentfulStatusCode = 200,
  newKey?: string,
) {
  const db = getDb(c.env.DB)
  const site = await siteOf(c)
  const session = await partnerSessionOf(c, db, site.id, c.var.now())
  if (!session) return signInPage(c, site)
  const [links, targets, ledger] = await Promise.all([
    linksOf(db, session.partner),
    listTargets(db, site.id, null, 200, false),
    entriesOfPartner(db, session.partner.id, null, 200),
  ])
  const values = status === 200 ? undefined : c.get('form').text
  const view: PartnerView = {
    lang: partnerLangOf(c, session.partner),
    currency: readSettings(site.settings).currency,
    siteName: site.name,
    path: partnerPagePath(site.slug),
    hubOrigin: publicHubOrigin(c.env, c.req.url),
    csrf: session.csrf,
    partner: session.partner,
    links,
    targets,
    ledger,
    notice,
    values,
    newKey,
  }
  return c.html(<PartnerDashboard v={view} />, status, NO_STORE)
}

/** The language of a page shown before the site or partner is known: chosen (?lang=), else English. */
const chosenLang = (c: Context<PageEnv>): PageLang => {
  const chosen = c.req.query('lang')
  return isLang(chosen) ? chosen : 'en'
}

const readForm = readForms<PageEnv>((c, failure) =>
  c.html(
    <PartnerMessage text={formReadMessage(failure.reason, chosenLang(c))} lang={chosenLang(c)} />,
    failure.status,
    NO_STORE,
  ),
)

/** A field of the form this request carried, trimmed ('' when absent). */
const field = (c: Context<PageEnv>, name: string) => formField(c, name)?.trim() ?? ''

/** A signed-in form post: the session of this site's partner, with its CSRF token. */
async function formSession(c: Context<PageEnv>) {
  const db = getDb(c.env.DB)
  const site = await siteOf(c)
  const session = await partnerSessionOf(c, db, site.id, c.var.now())
  const en = PARTNER_WORDS.en
  const ja = PARTNER_WORDS.ja
  if (!session) throw new AppError('unauthorized', en.sessionEnded, ja.sessionEnded)
  if (!(await csrfMatches(session.csrf, field(c, '_csrf')))) throw new AppError('forbidden', en.staleForm, ja.staleForm)
  const lang = partnerLangOf(c, session.partner)
  return { db, site, session, lang, w: PARTNER_WORDS[lang] }
}

/** A refused form or action, shown on the dashboard above the forms (what was typed is kept). */
function refused(c: Context<PageEnv>, lang: PageLang, err: unknown) {
  const w = PARTNER_WORDS[lang]
  if (err instanceof InvalidForm) return dashboard(c, { kind: 'error', text: w.checkForm, errors: err.fields }, 400)
  if (err instanceof AppError) return dashboard(c, { kind: 'error', text: err.messageIn(lang) }, statusOf(err.code))
  throw err
}

/** Errors no form can show (a stale form, an unknown site) as a page, not JSON. */
function errorPage(err: Error, c: Context<PageEnv>) {
  const lang = chosenLang(c)
  const failure = expectedFailure(err, lang)
  if (!failure) throw err
  const w = PARTNER_WORDS[lang]
  const text = failure.message ?? (failure.code === 'payload_too_large' ? w.tooLarge : w.staleForm)
  return c.html(<PartnerMessage text={text} lang={lang} />, failure.status, NO_STORE)
}

export const partnerPageRoutes = new Hono<PageEnv>()
  .use('/:site', bodyLimit({ maxSize: 16 * 1024 }))
  .use('/:site/*', bodyLimit({ maxSize: 16 * 1024 }), csrf(), readForm)
  .get('/:site', (c) => dashboard(c))
  .post('/:site/login', async (c) => {
    const site = await siteOf(c)
    const key = field(c, 'key').slice(0, 200)
    const partner = await partnerForKey(getDb(c.env.DB), site.slug, key)
    if (!partner) return signInPage(c, site, 'bad_key', 401)
    await openPartnerSession(c, getDb(c.env.DB), partner.id, c.var.now())
    return c.redirect(partnerPagePath(site.slug), 303)
  })
  // A partner asks for a one-time link by address; the answer never says whether it is a partner's.
  .post('/:site/sign-in', async (c) => {
    const site = await siteOf(c)
    const email = field(c, 'email').slice(0, 254)
    const { success } = await c.env.PING_CLIENT_LIMITER.limit({ key: `partner-sign-in:${clientIpOf(c.req)}` })
    if (!success) throw new AppError('rate_limited', PARTNER_WORDS.en.tooManyRequests, PARTNER_WORDS.ja.tooManyRequests)
    // Sent after the answer, so neither its time nor a mail failure tells whether the address is a partner's.
    if (email.includes('@'))
      c.executionCtx.waitUntil(
        requestSignInLink(signInDeps(c), site.slug, email, c.var.now()).catch((err: unknown) => {
          console.error(JSON.stringify({ msg: 'could not send a requested sign-in link', error: String(err) }))
        }),
      )
    return signInPage(c, site, 'link_sent')
  })
  .get('/:site/sign-in/:token', async (c) => {
    const site = await siteOf(c)
    const action = `${partnerPagePath(site.slug)}/sign-in/${encodeURIComponent(pathParam(c.req.param('token')))}`
    return c.html(<SignInWithLink siteName={site.name} action={action} lang={langOf(c, site)} />, 200, {
      ...NO_STORE,
      'Referrer-Policy': 'no-referrer',
    })
  })
  .post('/:site/sign-in/:token', async (c) => {
    const site = await siteOf(c)
    const db = getDb(c.env.DB)
    const partner = await redeemSignInLink(db, site.id, pathParam(c.req.param('token')), c.var.now())
    if (!partner) return signInPage(c, site, 'link_not_valid', 410)
    await openPartnerSession(c, db, partner.id, c.var.now())
    return c.redirect(partnerPagePath(site.slug), 303)
  })
  .post('/:site/key', async (c) => {
    const { db, session } = await formSession(c)
    return dashboard(c, undefined, 200, await newPartnerKey(db, session.partner))
  })
  .post('/:site/logout', async (c) => {
    const { db, site, session } = await formSession(c)
    await closePartnerSession(c, db, session.id)
    return c.redirect(partnerPagePath(site.slug), 303)
  })
  .post('/:site/links', async (c) => {
    const { db, session, lang, w } = await formSession(c)
    try {
      const input = checkForm(LinkForm, { target: field(c, 'target') }, lang, {
        target: { field: 'target', label: w.product },
      })
      await createLink(db, session.partner, input.target, c.var.now())
    } catch (err) {
      return refused(c, lang, err)
    }
    return dashboard(c, { kind: 'ok', text: w.linkMade })
  })
  .post('/:site/posts', async (c) => {
    const { site, session, lang, w } = await formSession(c)
    try {
      const input = checkForm(
        PostForm,
        { url: field(c, 'url'), target: field(c, 'target') },
        partnerLangOf(c, session.partner),
        {
          url: { field: 'url', label: w.postUrl },
          target: { field: 'post_target', label: w.about },
        },
      )
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
      return refused(c, lang, err)
    }
    return dashboard(c, { kind: 'ok', text: w.postThanks })
  })
  .onError(errorPage)
