/**
 * The affiliate programme's partners: the list and one partner's page, decisions (approving sends
 * a one-time sign-in link), a new sign-in link, the commission ledger's steps, the programme's terms.
 * Each form done answers with a redirect to the page it came from (a sign-in link the hub could
 * not e-mail travels in the flash, shown once); a refused one shows the page with its refusal.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { stepCommissions } from '../../../affiliates/commissions/ledger'
import { decideOnPartner, partnerDetail, partnerOfSite, partnersOf } from '../../../affiliates/partners/partners'
import { sendSignInLink } from '../../../affiliates/partners/sign-in-links'
import type { PartnerRow } from '../../../affiliates/store'
import { checkForm } from '../../../common/form-errors'
import { publicHubOrigin } from '../../../common/hub-urls'
import { postOf } from '../../../mail/letters'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { SitePatch } from '../../../sites/inputs'
import { changeSite, loadSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import type { SiteRow } from '../../../sites/store'
import { targetsOf } from '../../../targets/store'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { redirectWith, type ShownOnce, takeFlash } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { programmeFormInput, programmeLabels } from './form'
import { PartnerPage } from './partner-page'
import { PartnersPage } from './page'
import { WORDS, type Words } from './words'

const hubOf = (c: Context<AdminEnv>) => publicHubOrigin(c.env, c.req.url)

const partnersPath = (slug: string) => `/admin/sites/${encodeURIComponent(slug)}/partners`

/** Where a form about one partner lands: that partner's page when it came from there (`on=partner`), else the list. */
const landingOf = (c: Context<AdminEnv>) => {
  const list = partnersPath(pathParam(c.req.param('site')))
  return field(c, 'on') === 'partner' ? `${list}/${encodeURIComponent(pathParam(c.req.param('id')))}` : list
}

/** The partners list, or one partner's page when the form came from it (`on=partner`). */
async function renderPartners(
  c: Context<AdminEnv>,
  notice: Notice | null,
  once: ShownOnce | null = null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  if (c.req.param('id') !== undefined && (c.req.method === 'GET' || field(c, 'on') === 'partner'))
    return renderPartner(c, notice, once, status)
  const db = getDb(c.env.DB)
  const site = await loadSite(db, c.get('principal'), pathParam(c.req.param('site')))
  const { items: partners } = await partnersOf(db, c.get('principal'), site.slug, undefined, null, 200)
  const settings = readSettings(site.settings)
  return c.html(
    <PartnersPage
      ctx={{
        ...pageContext(c, WORDS, settings.time_zone),
        path: partnersPath(site.slug),
      }}
      settings={settings}
      site={site}
      partners={partners}
      notice={notice}
      once={once}
      values={values}
      applyUrl={`${hubOf(c)}/affiliates/${encodeURIComponent(site.slug)}/apply`}
    />,
    status,
  )
}

/** One partner: its links with their numbers and the ledger's newest 100 entries. */
async function renderPartner(
  c: Context<AdminEnv>,
  notice: Notice | null,
  once: ShownOnce | null,
  status: ContentfulStatusCode,
) {
  const db = getDb(c.env.DB)
  const slug = pathParam(c.req.param('site'))
  const id = pathParam(c.req.param('id'))
  const { site, partner, links, ledger, signInMail } = await partnerDetail(db, c.get('principal'), slug, id, 100)
  const targets = await targetsOf(db, site.id, [...new Set(links.map((l) => l.targetId))])
  const settings = readSettings(site.settings)
  return c.html(
    <PartnerPage
      ctx={{
        ...pageContext(c, WORDS, settings.time_zone),
        path: `${partnersPath(site.slug)}/${encodeURIComponent(partner.id)}`,
      }}
      site={site}
      partner={partner}
      links={links}
      signInMail={signInMail}
      titles={new Map(targets.map((t) => [t.id, t.title]))}
      ledger={ledger}
      notice={notice}
      once={once}
      currency={settings.currency}
      hubOrigin={hubOf(c)}
    />,
    status,
  )
}

/**
 * Sends an approved partner a new sign-in link and answers with a redirect: the notice says where
 * it went, or the link is shown once to pass on.
 */
async function signInLinkFor(c: Context<AdminEnv>, site: SiteRow, partner: PartnerRow, approved: boolean) {
  const deps = { db: getDb(c.env.DB), mail: postOf(c.env), hubOrigin: hubOf(c) }
  const sent = await sendSignInLink(deps, site, partner, c.var.now())
  if (sent.emailed) {
    const say = approved ? 'partnerApprovedMailed' : 'signInLinkMailed'
    return redirectWith<Words>(c, landingOf(c), { say, values: { email: partner.email } })
  }
  const once = { kind: 'sign-in-link', value: sent.link, until: sent.expiresAt } as const
  return redirectWith<Words>(c, landingOf(c), approved ? { say: 'saved', once } : { once })
}

/** A partners page as the last form left it: its notice, and a sign-in link shown once. */
async function renderLanding(c: Context<AdminEnv>) {
  const { notice, once } = await takeFlash(c, WORDS)
  return renderPartners(c, notice, once)
}

export const partnersRoutes = consoleRouter()
  .get('/sites/:site/partners', renderLanding)
  .get('/sites/:site/partners/:id', renderLanding)
  // The programme's terms, saved into the site's settings as the API's PATCH does.
  .post('/sites/:site/programme', (c) =>
    onForm(
      c,
      (notice, status) => renderPartners(c, notice, null, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const patch = checkForm(SitePatch, programmeFormInput(c), ctx.lang, programmeLabels(c, ctx.t))
        const slug = pathParam(c.req.param('site'))
        await changeSite(getDb(c.env.DB), c.get('principal'), slug, patch, c.var.now())
        return redirectWith<Words>(c, partnersPath(slug), { say: 'saved' })
      },
    ),
  )
  // A decision; approving sends the partner a one-time sign-in link (no key for the shop to pass on).
  .post('/sites/:site/partners/:id', async (c) => {
    const decision = field(c, 'decision')
    if (decision !== 'approve' && decision !== 'reject' && decision !== 'suspend') {
      return renderPartners(c, { kind: 'error', text: pageContext(c, WORDS).t.badDecision }, null, 400)
    }
    return onForm(
      c,
      (notice, status) => renderPartners(c, notice, null, status),
      async () => {
        const slug = pathParam(c.req.param('site'))
        const id = pathParam(c.req.param('id'))
        const db = getDb(c.env.DB)
        const out = await decideOnPartner(db, c.get('principal'), slug, id, decision, null, c.var.now(), {
          issueKey: false,
        })
        if (decision === 'approve') return signInLinkFor(c, out.site, out.partner, true)
        return redirectWith<Words>(c, landingOf(c), { say: 'saved' })
      },
    )
  })
  .post('/sites/:site/partners/:id/sign-in-link', async (c) => {
    const slug = pathParam(c.req.param('site'))
    const { site, partner } = await partnerOfSite(
      getDb(c.env.DB),
      c.get('principal'),
      slug,
      pathParam(c.req.param('id')),
    )
    if (partner.state !== 'approved')
      return renderPartners(c, { kind: 'error', text: pageContext(c, WORDS).t.notApproved }, null, 409)
    return signInLinkFor(c, site, partner, false)
  })
  // A step of a partner's commission ledger (everything up to now), the same as the API's.
  .post('/sites/:site/partners/:id/commissions', async (c) => {
    const step = field(c, 'step')
    if (step !== 'approve' && step !== 'pay') {
      return renderPartners(c, { kind: 'error', text: pageContext(c, WORDS).t.badStep }, null, 400)
    }
    const now = c.var.now()
    const slug = pathParam(c.req.param('site'))
    const id = pathParam(c.req.param('id'))
    const out = await stepCommissions(getDb(c.env.DB), c.get('principal'), slug, id, step, now, now)
    return redirectWith<Words>(c, landingOf(c), { say: 'commissionsMoved', values: { n: out.moved } })
  })
