/**
 * /admin — the operator's web UI. Thin: each route reads a form or a query, calls the same
 * domain functions as the JSON API (so the same rules and the same site checks apply), and
 * renders a page. Sign-in opens a session (./sessions.ts); every other page needs one, and
 * every form that changes something must carry the session's CSRF token and come from this
 * origin.
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { csrf } from 'hono/csrf'
import { createMiddleware } from 'hono/factory'
import * as v from 'valibot'

import { decideOnPartner, partnerDetail, partnerOfSite, partnersOf } from '../affiliates/partners/partners'
import { sendSignInLink } from '../affiliates/partners/sign-in-links'
import type { PartnerRow } from '../affiliates/store'
import { mailerOf } from '../common/mail'
import { publicHubOrigin } from '../common/hub-urls'
import { stepCommissions } from '../affiliates/commissions/ledger'
import { principalForToken } from '../auth/middleware'
import { getDb } from '../db/client'
import { VOICE_KINDS, VOICE_STATUSES, SENTIMENTS } from '../db/schema'
import { ManyResponseCreate, VoicePatch, ModerationCreate, ResponseCreate } from '../voices/inputs'
import { addResponse, respondToMany } from '../voices/answers'
import { moderate, setSentiment } from '../voices/moderate'
import { voiceDetail, voicesOfSite } from '../voices/reads'
import { responsePublished, voiceModerated, voicePublished } from '../responses/follow-ups'
import { SESSION_COOKIE_OPTIONS } from '../common/cookies'
import { decodeTimeCursor, idCursor, numberIdParam, positionCursor, textIdParam } from '../common/cursor'
import { AppError, expectedFailure, statusOf } from '../common/errors'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { checkForm, fieldErrors, type FormLabels, InvalidForm } from '../common/form-errors'
import { formReadMessage, readForms } from '../common/utf8-form'
import { issuesText, oneOf, pathParam } from '../common/validation'
import { changeSite, loadSite, sitesVisibleTo } from '../sites/service'
import { KeyCreate, SitePatch } from '../sites/inputs'
import { createSiteKey, revokeSiteKey, siteKeys } from '../sites/keys'
import { rotateInboundSecret } from '../inbound/service'
import { EndpointCreate, EndpointPatch } from '../webhooks/inputs'
import {
  changeEndpoint,
  createEndpoint,
  endpointOfSite,
  removeEndpoint,
  resendDelivery,
  resendFailedSince,
  rotateSecret,
  siteEndpointLog,
  siteWithEndpoints,
  webhookDeps,
} from '../webhooks/service'
import { changeTarget, mergeTarget, registeredTargets, removeTarget, targetsWithCounts } from '../targets/service'
import { TargetMerge, TargetPatch } from '../targets/inputs'
import { findSiteById, type SiteRow } from '../sites/store'
import { readSettings } from '../sites/settings'
import { addCouponCodes, Codes, couponStock } from '../reviews/coupons'
import { eraseBuyer, erasureRecordsOf } from '../reviews/erasure'
import { ErasureInput } from '../reviews/inputs'
import { invitationsOf, invitationStage } from '../reviews/invitations/invitations'
import { photoStore } from '../reviews/photos/photos'
import { INVITATION_STAGES } from '../reviews/store'
import { targetsOf } from '../targets/store'
import { hubHostOf, policyOf } from '../common/address-policy'
import { WatchCreate } from '../listening/inputs'
import { createWatch, removeWatch, watchesOf } from '../listening/watches'
import { dismissDiscovered, PublishInput, publishDiscovered } from '../listening/discovered'
import { type AdminEnv, field, pageContext } from './context'
import {
  countsOf,
  filledIn,
  linesOf,
  programmeFormInput,
  programmeLabels,
  responseFormInput,
  responseLabels,
  reviewLabels,
  reviewSettingsInput,
  siteFormInput,
  siteLabels,
} from './forms'
import { parseLocalDateTime } from './i18n'
import { INBOX_GROUPS, inboxOf } from './inbox'
import { overviewOf } from './overview'
import { csrfMatches } from '../auth/cookie-sessions'
import { closeSession, openSession, sessionOf } from './sessions'
import { InboxPage } from './pages/inbox'
import { type Notice, type PageContext } from './pages/layout'
import { LoginPage, MessagePage, signInRefusal } from './pages/login'
import { type LinkToPass, PartnerPage, PartnersPage } from './pages/partners'
import { ErasurePage, InvitationsPage, ReviewsPage } from './pages/reviews'
import { WatchesPage } from './pages/watches'
import { type KeyLine, type ShownOnce, SitePage } from './pages/site'
import { OverviewPage } from './pages/overview'
import { SitesPage } from './pages/sites'
import { DeliveriesPage, WebhooksPage } from './pages/webhooks'
import { TargetsPage } from './pages/targets'
import { VoicePage } from './pages/voice'

const noStore = createMiddleware<AdminEnv>(async (c, next) => {
  await next()
  c.header('Cache-Control', 'no-store')
})

const readForm = readForms<AdminEnv>((c, failure) => {
  const ctx = pageContext(c)
  return c.html(<MessagePage ctx={ctx} text={formReadMessage(failure.reason, ctx.lang)} />, failure.status)
})

const requireSession = createMiddleware<AdminEnv>(async (c, next) => {
  const session = await sessionOf(c, getDb(c.env.DB), c.var.now())
  if (!session) return c.redirect('/admin/login', 303)
  c.set('session', session)
  c.set('principal', session.principal)
  if (c.req.method === 'POST' && !(await csrfMatches(session.csrf, field(c, '_csrf')))) {
    throw new AppError('forbidden', pageContext(c).t.staleForm)
  }
  return next()
})

const InvitationFilter = v.object({
  stage: v.optional(v.union([v.literal(''), oneOf(INVITATION_STAGES)])),
  order: v.optional(v.pipe(v.string(), v.maxLength(100))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
})

const FilterQuery = v.object({
  kind: v.optional(v.union([v.literal(''), oneOf(VOICE_KINDS)])),
  sentiment: v.optional(v.union([v.literal(''), oneOf([...SENTIMENTS, 'unclassified'] as const)])),
  status: v.optional(v.union([v.literal(''), oneOf(VOICE_STATUSES)])),
  target: v.optional(v.pipe(v.string(), v.maxLength(64))),
  lang: v.optional(v.string()),
  saved: v.optional(v.string()),
  // Paging: `cursor` continues the list of one status; `more` ("group.cursor") continues one inbox group.
  cursor: v.optional(v.pipe(v.string(), v.maxLength(200))),
  more: v.optional(v.pipe(v.string(), v.maxLength(300))),
})

/** Empty form values mean "any". */
const orUndefined = <T extends string>(value: T | '' | undefined) =>
  value === '' || value === undefined ? undefined : value

async function renderVoice(
  c: Context<AdminEnv>,
  id: string,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  const db = getDb(c.env.DB)
  const principal = c.get('principal')
  const { voice, moderation, answers } = await voiceDetail(db, principal, id)
  // voiceDetail checked the principal may see this voice, hence its site.
  const site = await findSiteById(db, voice.siteId)
  if (!site) throw new AppError('not_found', 'Mention not found')
  const ctx = pageContext(c, readSettings(site.settings).time_zone)
  // A found voice waiting for staff may be published on another target: offer the registered ones.
  const waiting = voice.kind === 'discovered' && (voice.status === 'pending' || voice.status === 'rejected')
  return c.html(
    <VoicePage
      ctx={ctx}
      site={site}
      voice={voice}
      targets={waiting ? await registeredTargets(db, site.id) : []}
      moderation={moderation}
      answers={answers}
      notice={notice}
      values={values ?? responderOf(c)}
      hubOrigin={new URL(c.req.url).origin}
    />,
    status,
  )
}

/** The partners list, or one partner's page when the form came from it (`on=partner`). */
async function renderPartners(
  c: Context<AdminEnv>,
  notice: Notice | null,
  link: LinkToPass | null = null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  if (c.req.param('id') !== undefined && (c.req.method === 'GET' || field(c, 'on') === 'partner'))
    return renderPartner(c, notice, link, status)
  const db = getDb(c.env.DB)
  const site = await loadSite(db, c.get('principal'), pathParam(c.req.param('site')))
  const { items: partners } = await partnersOf(db, c.get('principal'), site.slug, undefined, null, 200)
  const settings = readSettings(site.settings)
  return c.html(
    <PartnersPage
      ctx={{ ...pageContext(c, settings.time_zone), path: `/admin/sites/${encodeURIComponent(site.slug)}/partners` }}
      settings={settings}
      site={site}
      partners={partners}
      notice={notice}
      link={link}
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
  link: LinkToPass | null,
  status: ContentfulStatusCode,
) {
  const db = getDb(c.env.DB)
  const slug = pathParam(c.req.param('site'))
  const id = pathParam(c.req.param('id'))
  const { site, partner, links, ledger } = await partnerDetail(db, c.get('principal'), slug, id, 100)
  const targets = await targetsOf(db, site.id, [...new Set(links.map((l) => l.targetId))])
  const settings = readSettings(site.settings)
  return c.html(
    <PartnerPage
      ctx={{
        ...pageContext(c, settings.time_zone),
        path: `/admin/sites/${encodeURIComponent(site.slug)}/partners/${encodeURIComponent(partner.id)}`,
      }}
      site={site}
      partner={partner}
      links={links}
      titles={new Map(targets.map((t) => [t.id, t.title]))}
      ledger={ledger}
      notice={notice}
      link={link}
      currency={settings.currency}
      hubOrigin={hubOf(c)}
    />,
    status,
  )
}

const hubOf = (c: Context<AdminEnv>) => publicHubOrigin(c.env, c.req.url)

/** Sends an approved partner a new sign-in link: the notice says where it went, or the link is shown to pass on. */
async function signInLinkFor(c: Context<AdminEnv>, site: SiteRow, partner: PartnerRow, approved: boolean) {
  const deps = { db: getDb(c.env.DB), mail: mailerOf(c.env), hubOrigin: hubOf(c) }
  const sent = await sendSignInLink(deps, site, partner, c.var.now())
  const t = pageContext(c).t
  if (!sent.emailed) {
    const notice: Notice | null = sent.mailFailed
      ? { kind: 'error', text: t.signInMailFailed }
      : approved
        ? { kind: 'ok', text: t.saved }
        : null
    return renderPartners(c, notice, { url: sent.link, expiresAt: sent.expiresAt })
  }
  const text = (approved ? t.partnerApprovedMailed : t.signInLinkMailed).replace('{email}', partner.email)
  return renderPartners(c, { kind: 'ok', text })
}

/** A site's page: settings, keys (the operator's only: null for a site key) and the signing secret. */
async function renderSite(
  c: Context<AdminEnv>,
  notice: Notice | null,
  shown: ShownOnce | null = null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  const db = getDb(c.env.DB)
  const principal = c.get('principal')
  const site = await loadSite(db, principal, pathParam(c.req.param('site')))
  const settings = readSettings(site.settings)
  const keys: KeyLine[] | null = principal.kind === 'operator' ? await siteKeys(db, principal, site.slug) : null
  return c.html(
    <SitePage
      ctx={{ ...pageContext(c, settings.time_zone), path: `/admin/sites/${encodeURIComponent(site.slug)}/settings` }}
      site={site}
      settings={settings}
      keys={keys}
      notice={notice}
      shown={shown}
      values={values}
    />,
    status,
  )
}

/** A site's targets, a page at a time, with their counts and what an automatic one may be merged into. */
async function renderTargets(c: Context<AdminEnv>, notice: Notice | null, status: ContentfulStatusCode = 200) {
  const db = getDb(c.env.DB)
  const slug = pathParam(c.req.param('site'))
  const page = await targetsWithCounts(db, c.get('principal'), slug, textIdParam(c.req.query('cursor')), 50)
  return c.html(
    <TargetsPage
      ctx={{
        ...pageContext(c, readSettings(page.site.settings).time_zone),
        // A page shown after a form answers a POST: its language link goes to the list itself.
        path: `/admin/sites/${encodeURIComponent(page.site.slug)}/targets`,
      }}
      site={page.site}
      lines={page.items}
      registered={page.registered}
      next={page.next === null ? null : idCursor(page.next)}
      notice={notice}
    />,
    status,
  )
}

/** A target form's outcome: a notice on the list (refused fields and conflicts with their status). */
const onTarget = (c: Context<AdminEnv>, change: () => Promise<string>) =>
  onForm(
    c,
    (notice, status) => renderTargets(c, notice, status),
    async () => renderTargets(c, { kind: 'ok', text: await change() }),
  )

/** Who answered last in this browser, so the next response form starts with their name and role. */
const RESPONDER_COOKIE = 'glasshouse_responder'
const Responder = v.object({ name: v.pipe(v.string(), v.maxLength(100)), role: v.pipe(v.string(), v.maxLength(50)) })

function rememberResponder(c: Context<AdminEnv>, author: { name: string; role?: string | undefined }) {
  const value = JSON.stringify({ name: author.name, role: author.role ?? '' })
  setCookie(c, RESPONDER_COOKIE, value, { ...SESSION_COOKIE_OPTIONS, path: '/admin', maxAge: 365 * 86400 })
}

/** The remembered name and role as form values (none when the cookie is missing or not ours). */
function responderOf(c: Context<AdminEnv>): ReadonlyMap<string, string> | undefined {
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

/** A site's webhook addresses; a secret just made is shown once. */
async function renderWebhooks(
  c: Context<AdminEnv>,
  notice: Notice | null,
  secret: string | null = null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
  chosenEvents?: readonly string[],
) {
  const slug = pathParam(c.req.param('site'))
  const { site, endpoints } = await siteWithEndpoints(getDb(c.env.DB), c.get('principal'), slug)
  return c.html(
    <WebhooksPage
      ctx={{
        ...pageContext(c, readSettings(site.settings).time_zone),
        path: `/admin/sites/${encodeURIComponent(site.slug)}/webhooks`,
      }}
      site={site}
      endpoints={endpoints}
      notice={notice}
      secret={secret}
      values={values}
      chosenEvents={chosenEvents}
    />,
    status,
  )
}

/** One address's deliveries, newest first (the 100 newest). */
async function renderDeliveries(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  typed?: { mode: string | undefined; events: readonly string[] },
) {
  const db = getDb(c.env.DB)
  const slug = pathParam(c.req.param('site'))
  const id = pathParam(c.req.param('id'))
  const { site, endpoint, deliveries } = await siteEndpointLog(db, c.get('principal'), slug, id, 100)
  return c.html(
    <DeliveriesPage
      ctx={{
        ...pageContext(c, readSettings(site.settings).time_zone),
        path: `/admin/sites/${encodeURIComponent(site.slug)}/webhooks/${encodeURIComponent(endpoint.id)}`,
      }}
      site={site}
      endpoint={endpoint}
      deliveries={deliveries}
      notice={notice}
      typed={typed}
    />,
    status,
  )
}

/** A form's outcome: what `change` answers, or its refusal and conflicts as a notice on the page `render` draws. */
async function onForm(
  c: Context<AdminEnv>,
  render: (notice: Notice | null, status: ContentfulStatusCode) => Promise<Response>,
  change: () => Promise<Response>,
) {
  try {
    return await change()
  } catch (err) {
    if (err instanceof InvalidForm) return render(formNotice(err, pageContext(c)), 400)
    if (err instanceof AppError && (err.code === 'conflict' || err.code === 'invalid_input'))
      return render({ kind: 'error', text: err.messageIn(pageContext(c).lang) }, statusOf(err.code))
    throw err
  }
}

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
      ctx={{ ...pageContext(c, settings.time_zone), path: `/admin/sites/${encodeURIComponent(site.slug)}/reviews` }}
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
      ctx={pageContext(c, readSettings(page.site.settings).time_zone)}
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
        ...pageContext(c, readSettings(page.site.settings).time_zone),
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

/** A site's watched feeds. */
async function renderWatches(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  const { site, watches, runs } = await watchesOf(getDb(c.env.DB), c.get('principal'), pathParam(c.req.param('site')))
  return c.html(
    <WatchesPage
      ctx={{
        ...pageContext(c, readSettings(site.settings).time_zone),
        path: `/admin/sites/${encodeURIComponent(site.slug)}/watches`,
      }}
      site={site}
      watches={watches}
      runs={runs}
      notice={notice}
      values={values}
    />,
    status,
  )
}

const watchDeps = (c: Context<AdminEnv>) => ({ db: getDb(c.env.DB), policy: policyOf(c.env, [hubHostOf(c.req.url)]) })

/** The endpoint of this page's site, with the site (another site's id is a 404, as everywhere). */
const siteEndpoint = (c: Context<AdminEnv>) =>
  endpointOfSite(getDb(c.env.DB), c.get('principal'), pathParam(c.req.param('site')), pathParam(c.req.param('id')))

async function renderInbox(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  formValues?: ReadonlyMap<string, string>,
) {
  const parsedQuery = v.safeParse(FilterQuery, c.req.query())
  if (!parsedQuery.success) {
    notice ??= { kind: 'error', text: issuesText(parsedQuery.issues) }
    status = 400
  }
  const q = parsedQuery.success ? parsedQuery.output : {}
  const db = getDb(c.env.DB)
  const principal = c.get('principal')
  const slug = pathParam(c.req.param('site'))
  const filter = { kind: orUndefined(q.kind), sentiment: orUndefined(q.sentiment), targetId: orUndefined(q.target) }
  const statusFilter = orUndefined(q.status)
  const values = { kind: filter.kind, sentiment: filter.sentiment, target: filter.targetId, status: statusFilter }
  const staleLink = () => {
    notice ??= { kind: 'error', text: pageContext(c).t.staleLink }
    status = 400
    return null
  }
  if (statusFilter) {
    // A status other than the inbox's: the plain list, newest first, a page at a time.
    const cursor = q.cursor === undefined ? null : (decodeTimeCursor(q.cursor) ?? staleLink())
    const site = await loadSite(db, principal, slug)
    const page = await voicesOfSite(db, principal, slug, { ...filter, status: statusFilter, cursor, limit: 100 })
    const list = {
      entries: page.items.map((voice) => ({
        voice,
        waitedHours: (c.var.now() - voice.receivedAt) / 3_600_000,
        overdue: false,
      })),
      next: page.next,
    }
    const settings = readSettings(site.settings)
    const ctx = pageContext(c, settings.time_zone)
    return c.html(
      <InboxPage
        ctx={ctx}
        site={site}
        targetHours={settings.response_target_hours}
        values={values}
        groups={null}
        found={0}
        list={list}
        notice={notice}
        formValues={formValues ?? responderOf(c)}
      />,
      status,
    )
  }
  const from = q.more === undefined ? null : (inboxContinuation(q.more) ?? staleLink())
  const inbox = await inboxOf(db, principal, slug, filter, c.var.now(), from)
  const ctx = pageContext(c, inbox.settings.time_zone)
  return c.html(
    <InboxPage
      ctx={ctx}
      site={inbox.site}
      targetHours={inbox.settings.response_target_hours}
      values={values}
      groups={inbox.groups}
      found={inbox.found}
      list={null}
      notice={notice}
      formValues={formValues ?? responderOf(c)}
    />,
    status,
  )
}

/** `unansweredOther.<cursor>` → that group, from that voice on; null when it is not a link the page made. */
function inboxContinuation(more: string) {
  const dot = more.indexOf('.')
  const group = INBOX_GROUPS.find((g) => g === more.slice(0, dot))
  const after = decodeTimeCursor(more.slice(dot + 1))
  return dot > 0 && group && after ? { group, after } : null
}

/** A refused form's notice: every field's problem, by its label (the page keeps what was typed). */
const formNotice = (err: InvalidForm, ctx: PageContext): Notice => ({
  kind: 'error',
  text: ctx.t.checkForm,
  errors: err.fields,
})

/** Runs a change of a voice; a refused change (bad input, a conflict) is shown on the voice's page, not as an error page. */
function changeVoice(c: Context<AdminEnv>, change: (id: string) => Promise<unknown>) {
  const id = pathParam(c.req.param('id'))
  return onForm(
    c,
    (notice, status) => renderVoice(c, id, notice, status, c.get('form').text),
    async () => {
      await change(id)
      return c.redirect(`/admin/mentions/${encodeURIComponent(id)}?saved=1`, 303)
    },
  )
}

/** A page for an error no form can show (a stale form, another site's id), in the page's language. */
function errorPage(err: Error, c: Context<AdminEnv>) {
  const ctx = pageContext(c)
  const failure = expectedFailure(err, ctx.lang)
  if (!failure) throw err
  const text = failure.message ?? (failure.code === 'payload_too_large' ? ctx.t.tooLarge : ctx.t.staleForm)
  return c.html(<MessagePage ctx={ctx} text={text} />, failure.status)
}

export const adminRoutes = new Hono<AdminEnv>()
  .use(noStore, bodyLimit({ maxSize: 64 * 1024 }))
  // Forms must come from this origin (Origin header), besides carrying the CSRF token.
  .use(csrf())
  .use(readForm)
  .get('/login', (c) => c.html(<LoginPage ctx={pageContext(c)} />))
  .post('/login', async (c) => {
    const token = field(c, 'token')?.trim() ?? ''
    const principal = token.length > 0 && token.length <= 200 ? await principalForToken(c.env, token) : null
    if (!principal) return c.html(<LoginPage ctx={pageContext(c)} error={signInRefusal(c.env)} />, 401)
    await openSession(c, getDb(c.env.DB), principal, c.var.now())
    return c.redirect('/admin', 303)
  })
  .use(requireSession)
  .post('/logout', async (c) => {
    await closeSession(c, getDb(c.env.DB), c.get('session'))
    deleteCookie(c, RESPONDER_COOKIE, { ...SESSION_COOKIE_OPTIONS, path: '/admin' })
    return c.redirect('/admin/login', 303)
  })
  .get('/', async (c) => {
    const cursor = c.req.query('cursor')
    const page = await sitesVisibleTo(getDb(c.env.DB), c.get('principal'), numberIdParam(cursor) ?? 0, 100)
    const only = page.items.length === 1 && page.next === null && cursor === undefined ? page.items[0] : undefined
    if (only) return c.redirect(`/admin/sites/${encodeURIComponent(only.slug)}`, 303)
    return c.html(<SitesPage ctx={pageContext(c)} sites={page.items} next={page.next} />)
  })
  .get('/sites/:site', (c) => {
    const saved = c.req.query('saved')
    const n = Number(saved)
    return renderInbox(
      c,
      Number.isInteger(n) && n > 0
        ? { kind: 'ok', text: pageContext(c).t.answeredMany.replace('{n}', String(n)) }
        : null,
    )
  })
  // One response on every ticked voice (e.g. a resolution report for one fault's complaints).
  .post('/sites/:site/responses', (c) =>
    onForm(
      c,
      (notice, status) => renderInbox(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c)
        const { mention_ids, ...input } = checkForm(
          ManyResponseCreate,
          responseFormInput(c, c.get('form').all.get('ids') ?? []),
          ctx.lang,
          responseLabels(ctx.t),
        )
        const db = getDb(c.env.DB)
        const slug = pathParam(c.req.param('site'))
        const results = await respondToMany(db, c.get('principal'), slug, mention_ids, input, c.var.now())
        rememberResponder(c, input.author)
        const hub = new URL(c.req.url).origin
        for (const r of results) if (r.ok) await responsePublished(c.env, hub, r.voice, r.response, c.var.now)
        const failed = results.flatMap((r) => (r.ok ? [] : [r]))
        if (failed.length > 0)
          return await renderInbox(
            c,
            {
              kind: 'error',
              text: failed.map((r) => `${r.id}: ${r.refusal.messageIn(pageContext(c).lang)}`).join('; '),
            },
            409,
          )
        return c.redirect(`/admin/sites/${encodeURIComponent(slug)}?saved=${results.length}`, 303)
      },
    ),
  )
  .get('/sites/:site/partners', (c) => renderPartners(c, null, null))
  .get('/sites/:site/partners/:id', (c) => renderPartners(c, null))
  // The programme's terms, saved into the site's settings as the API's PATCH does.
  .post('/sites/:site/programme', (c) =>
    onForm(
      c,
      (notice, status) => renderPartners(c, notice, null, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c)
        const patch = checkForm(SitePatch, programmeFormInput(c), ctx.lang, programmeLabels(ctx.t))
        const slug = pathParam(c.req.param('site'))
        await changeSite(getDb(c.env.DB), c.get('principal'), slug, patch, c.var.now())
        return renderPartners(c, { kind: 'ok', text: ctx.t.saved })
      },
    ),
  )
  // A decision; approving sends the partner a one-time sign-in link (no key for the shop to pass on).
  .post('/sites/:site/partners/:id', async (c) => {
    const decision = field(c, 'decision')
    if (decision !== 'approve' && decision !== 'reject' && decision !== 'suspend') {
      return renderPartners(c, { kind: 'error', text: pageContext(c).t.badDecision }, null, 400)
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
        return renderPartners(c, { kind: 'ok', text: pageContext(c).t.saved })
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
      return renderPartners(c, { kind: 'error', text: pageContext(c).t.notApproved }, null, 409)
    return signInLinkFor(c, site, partner, false)
  })
  .get('/sites/:site/settings', (c) =>
    renderSite(c, c.req.query('saved') === '1' ? { kind: 'ok', text: pageContext(c).t.saved } : null),
  )
  .post('/sites/:site/settings', async (c) => {
    const slug = pathParam(c.req.param('site'))
    const ctx = pageContext(c)
    try {
      const patch = checkForm(SitePatch, siteFormInput(c), ctx.lang, siteLabels(ctx.t))
      await changeSite(getDb(c.env.DB), c.get('principal'), slug, patch, c.var.now())
    } catch (err) {
      if (err instanceof InvalidForm) return renderSite(c, formNotice(err, ctx), null, 400, c.get('form').text)
      throw err
    }
    return c.redirect(`/admin/sites/${encodeURIComponent(slug)}/settings?saved=1`, 303)
  })
  .post('/sites/:site/keys', async (c) => {
    const ctx = pageContext(c)
    try {
      const { label } = checkForm(KeyCreate, { label: field(c, 'label') ?? '' }, ctx.lang, {
        label: { field: 'label', label: ctx.t.keyLabel },
      })
      const slug = pathParam(c.req.param('site'))
      const made = await createSiteKey(getDb(c.env.DB), c.get('principal'), slug, label ?? '', c.var.now())
      return await renderSite(c, null, { kind: 'key', value: made.key })
    } catch (err) {
      if (err instanceof InvalidForm) return renderSite(c, formNotice(err, ctx), null, 400, c.get('form').text)
      throw err
    }
  })
  .post('/sites/:site/keys/:id/revoke', async (c) => {
    const db = getDb(c.env.DB)
    await revokeSiteKey(
      db,
      c.get('principal'),
      pathParam(c.req.param('site')),
      pathParam(c.req.param('id')),
      c.var.now(),
    )
    return renderSite(c, { kind: 'ok', text: pageContext(c).t.keyRevoked })
  })
  .post('/sites/:site/inbound-secret', async (c) => {
    const out = await rotateInboundSecret(
      getDb(c.env.DB),
      c.get('principal'),
      pathParam(c.req.param('site')),
      c.env.WEBHOOK_SECRETS_KEY,
      c.var.now(),
    )
    return renderSite(c, null, { kind: 'secret', value: out.secret, previousUntil: out.previous_valid_until })
  })
  .get('/sites/:site/overview', async (c) => {
    const o = await overviewOf(getDb(c.env.DB), c.get('principal'), pathParam(c.req.param('site')), c.var.now())
    return c.html(
      <OverviewPage
        ctx={pageContext(c, o.settings.time_zone)}
        site={o.site}
        targetHours={o.settings.response_target_hours}
        sentiment={o.sentiment}
        response={o.response}
        waiting={o.waiting}
        resolution={o.resolution}
        digest={o.digest}
      />,
    )
  })
  .get('/sites/:site/webhooks', (c) => renderWebhooks(c, null))
  .post('/sites/:site/webhooks', (c) =>
    onForm(
      c,
      (notice, status) => renderWebhooks(c, notice, null, status, c.get('form').text, c.get('form').all.get('events')),
      async () => {
        const ctx = pageContext(c)
        const events = c.get('form').all.get('events') ?? []
        const input = checkForm(
          EndpointCreate,
          { url: field(c, 'url')?.trim() ?? '', mode: field(c, 'mode') ?? 'standard', events },
          ctx.lang,
          {
            url: { field: 'url', label: ctx.t.endpointUrl },
            mode: { field: 'mode', label: ctx.t.endpointMode },
            events: { field: 'events', label: ctx.t.endpointEvents },
          },
        )
        const slug = pathParam(c.req.param('site'))
        const made = await createEndpoint(webhookDeps(c.env, c.req.url), c.get('principal'), slug, input, c.var.now())
        return renderWebhooks(c, null, made.secret)
      },
    ),
  )
  // The address's format and events (none ticked: every event).
  .post('/sites/:site/webhooks/:id', (c) =>
    onForm(
      c,
      (notice, status) =>
        renderDeliveries(c, notice, status, { mode: field(c, 'mode'), events: c.get('form').all.get('events') ?? [] }),
      async () => {
        const ctx = pageContext(c)
        const { endpoint: e } = await siteEndpoint(c)
        const patch = checkForm(
          EndpointPatch,
          { mode: field(c, 'mode') ?? '', events: c.get('form').all.get('events') ?? [] },
          ctx.lang,
          {
            mode: { field: 'mode', label: ctx.t.endpointMode },
            events: { field: 'events', label: ctx.t.endpointEvents },
          },
        )
        await changeEndpoint(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, patch, c.var.now())
        return renderDeliveries(c, { kind: 'ok', text: ctx.t.saved })
      },
    ),
  )
  .post('/sites/:site/webhooks/:id/rotate', async (c) => {
    const { endpoint: e } = await siteEndpoint(c)
    const out = await rotateSecret(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, c.var.now())
    return renderWebhooks(c, null, out.secret)
  })
  .post('/sites/:site/webhooks/:id/enable', async (c) => {
    const { endpoint: e } = await siteEndpoint(c)
    await changeEndpoint(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, { enabled: true }, c.var.now())
    return renderWebhooks(c, { kind: 'ok', text: pageContext(c).t.endpointEnabled })
  })
  .post('/sites/:site/webhooks/:id/disable', async (c) => {
    const { endpoint: e } = await siteEndpoint(c)
    await changeEndpoint(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, { enabled: false }, c.var.now())
    return renderWebhooks(c, { kind: 'ok', text: pageContext(c).t.endpointStopped })
  })
  .post('/sites/:site/webhooks/:id/delete', async (c) => {
    const { endpoint: e } = await siteEndpoint(c)
    await removeEndpoint(getDb(c.env.DB), c.get('principal'), e.id)
    return renderWebhooks(c, { kind: 'ok', text: pageContext(c).t.endpointDeleted })
  })
  .get('/sites/:site/webhooks/:id', (c) => renderDeliveries(c, null))
  .post('/sites/:site/webhooks/:id/deliveries/:delivery/resend', (c) =>
    onForm(
      c,
      (notice, status) => renderDeliveries(c, notice, status),
      async () => {
        const { endpoint: e } = await siteEndpoint(c)
        const delivery = pathParam(c.req.param('delivery'))
        await resendDelivery(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, delivery)
        return renderDeliveries(c, { kind: 'ok', text: pageContext(c).t.resent })
      },
    ),
  )
  .post('/sites/:site/webhooks/:id/resend-failed', (c) =>
    onForm(
      c,
      (notice, status) => renderDeliveries(c, notice, status),
      async () => {
        const ctx = pageContext(c)
        const { site, endpoint: e } = await siteEndpoint(c)
        const since = parseLocalDateTime(field(c, 'since')?.trim() ?? '', readSettings(site.settings).time_zone)
        if (since === null) {
          const errors = [{ field: 'since', label: ctx.t.resendFailedSince, message: ctx.t.dateNeeded }]
          return renderDeliveries(c, { kind: 'error', text: ctx.t.checkForm, errors }, 400)
        }
        const ids = await resendFailedSince(webhookDeps(c.env, c.req.url), c.get('principal'), e.id, since)
        return renderDeliveries(c, { kind: 'ok', text: ctx.t.resentMany.replace('{n}', String(ids.length)) })
      },
    ),
  )
  .get('/sites/:site/reviews', (c) => {
    const t = pageContext(c).t
    const added = countsOf(c.req.query('added'))
    const notice: Notice | null = added
      ? { kind: 'ok', text: t.codesAdded.replace('{added}', added[0]).replace('{duplicates}', added[1]) }
      : c.req.query('saved') === '1'
        ? { kind: 'ok', text: t.saved }
        : null
    return renderReviews(c, notice)
  })
  .post('/sites/:site/reviews', (c) =>
    onForm(
      c,
      (notice, status) => renderReviews(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c)
        const patch = checkForm(SitePatch, reviewSettingsInput(c), ctx.lang, reviewLabels(ctx.t))
        const slug = pathParam(c.req.param('site'))
        await changeSite(getDb(c.env.DB), c.get('principal'), slug, patch, c.var.now())
        return c.redirect(`/admin/sites/${encodeURIComponent(slug)}/reviews?saved=1`, 303)
      },
    ),
  )
  .post('/sites/:site/reviews/codes', (c) =>
    onForm(
      c,
      (notice, status) => renderReviews(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c)
        const { codes } = checkForm(Codes, { codes: linesOf(field(c, 'codes')) }, ctx.lang, {
          codes: { field: 'codes', label: ctx.t.codes },
        })
        const slug = pathParam(c.req.param('site'))
        const out = await addCouponCodes(getDb(c.env.DB), c.get('principal'), slug, codes, c.var.now())
        // Answered with a redirect, so reloading the page does not send the form again.
        return c.redirect(`/admin/sites/${encodeURIComponent(slug)}/reviews?added=${out.added}.${out.duplicates}`, 303)
      },
    ),
  )
  .get('/sites/:site/invitations', (c) => renderInvitations(c))
  .get('/sites/:site/erasure', (c) => {
    const erased = countsOf(c.req.query('erased'))
    const text = erased
      ? pageContext(c).t.erasedCounts.replace('{invitations}', erased[0]).replace('{reviews}', erased[1])
      : null
    return renderErasure(c, text ? { kind: 'ok', text } : null)
  })
  .post('/sites/:site/erasure', (c) =>
    onForm(
      c,
      (notice, status) => renderErasure(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c)
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
        // Answered with a redirect, so reloading the page does not erase (and record) again.
        return c.redirect(
          `/admin/sites/${encodeURIComponent(slug)}/erasure?erased=${out.invitations}.${out.reviews}`,
          303,
        )
      },
    ),
  )
  .get('/sites/:site/watches', (c) =>
    renderWatches(c, c.req.query('added') === '1' ? { kind: 'ok', text: pageContext(c).t.watchAdded } : null),
  )
  .post('/sites/:site/watches', (c) =>
    onForm(
      c,
      (notice, status) => renderWatches(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c)
        const input = checkForm(
          WatchCreate,
          { feed_url: field(c, 'feed_url')?.trim() ?? '', keywords: linesOf(field(c, 'keywords')) },
          ctx.lang,
          {
            feed_url: { field: 'feed_url', label: ctx.t.feedUrl },
            keywords: { field: 'keywords', label: ctx.t.keywords },
          },
        )
        const slug = pathParam(c.req.param('site'))
        await createWatch(watchDeps(c), c.get('principal'), slug, input, c.var.now())
        return c.redirect(`/admin/sites/${encodeURIComponent(slug)}/watches?added=1`, 303)
      },
    ),
  )
  .post('/sites/:site/watches/:id/delete', async (c) => {
    const slug = pathParam(c.req.param('site'))
    await removeWatch(getDb(c.env.DB), c.get('principal'), slug, pathParam(c.req.param('id')))
    return renderWatches(c, { kind: 'ok', text: pageContext(c).t.watchDeleted })
  })
  .get('/sites/:site/targets', (c) => renderTargets(c, null))
  .post('/sites/:site/targets/:id', (c) =>
    onTarget(c, async () => {
      const ctx = pageContext(c)
      const id = pathParam(c.req.param('id'))
      const patch = checkForm(TargetPatch, { title: field(c, 'title') ?? '', kind: field(c, 'kind') ?? '' }, ctx.lang, {
        title: { field: `title_${id}`, label: ctx.t.targetTitle },
        kind: { field: `kind_${id}`, label: ctx.t.targetKind },
      })
      const slug = pathParam(c.req.param('site'))
      await changeTarget(getDb(c.env.DB), c.get('principal'), slug, id, patch, c.var.now())
      return ctx.t.saved
    }),
  )
  .post('/sites/:site/targets/:id/merge', (c) =>
    onTarget(c, async () => {
      const ctx = pageContext(c)
      const id = pathParam(c.req.param('id'))
      const { into } = checkForm(TargetMerge, { into: field(c, 'into') ?? '' }, ctx.lang, {
        into: { field: `into_${id}`, label: ctx.t.mergeInto },
      })
      const slug = pathParam(c.req.param('site'))
      const db = getDb(c.env.DB)
      const out = await mergeTarget(db, c.get('principal'), slug, id, into, c.var.now())
      return ctx.t.targetMerged.replace('{n}', String(out.moved))
    }),
  )
  .post('/sites/:site/targets/:id/delete', (c) =>
    onTarget(c, async () => {
      const slug = pathParam(c.req.param('site'))
      await removeTarget(getDb(c.env.DB), c.get('principal'), slug, pathParam(c.req.param('id')))
      return pageContext(c).t.targetDeleted
    }),
  )
  // A step of a partner's commission ledger (everything up to now), the same as the API's.
  .post('/sites/:site/partners/:id/commissions', async (c) => {
    const step = field(c, 'step')
    if (step !== 'approve' && step !== 'pay') {
      return renderPartners(c, { kind: 'error', text: pageContext(c).t.badStep }, null, 400)
    }
    const now = c.var.now()
    const slug = pathParam(c.req.param('site'))
    const id = pathParam(c.req.param('id'))
    const out = await stepCommissions(getDb(c.env.DB), c.get('principal'), slug, id, step, now, now)
    return renderPartners(c, { kind: 'ok', text: pageContext(c).t.commissionsMoved.replace('{n}', String(out.moved)) })
  })
  .get('/mentions/:id', (c) =>
    renderVoice(
      c,
      pathParam(c.req.param('id')),
      c.req.query('saved') ? { kind: 'ok', text: pageContext(c).t.saved } : null,
    ),
  )
  .post('/mentions/:id/sentiment', (c) =>
    changeVoice(c, async (id) => {
      const ctx = pageContext(c)
      const input = checkForm(VoicePatch, { sentiment: field(c, 'sentiment') || null }, ctx.lang, {
        sentiment: { field: 'sentiment', label: ctx.t.sentiment },
      })
      await setSentiment(getDb(c.env.DB), c.get('principal'), id, input.sentiment, c.var.now())
    }),
  )
  .post('/mentions/:id/responses', (c) =>
    changeVoice(c, async (id) => {
      const ctx = pageContext(c)
      const input = checkForm(ResponseCreate, responseFormInput(c), ctx.lang, responseLabels(ctx.t))
      const db = getDb(c.env.DB)
      const { voice, response } = await addResponse(db, c.get('principal'), id, input, c.var.now())
      rememberResponder(c, input.author)
      await responsePublished(c.env, new URL(c.req.url).origin, voice, response, c.var.now)
    }),
  )
  .post('/mentions/:id/publish', (c) =>
    changeVoice(c, async (id) => {
      const ctx = pageContext(c)
      const target = field(c, 'target')
      const input = checkForm(PublishInput, target ? { target } : {}, ctx.lang, {
        target: { field: 'target', label: ctx.t.publishOn },
      })
      const voice = await publishDiscovered(getDb(c.env.DB), c.get('principal'), id, input, c.var.now())
      await voicePublished(c.env, new URL(c.req.url).origin, voice, c.var.now)
    }),
  )
  .post('/mentions/:id/dismiss', (c) =>
    changeVoice(c, (id) => dismissDiscovered(getDb(c.env.DB), c.get('principal'), id, c.var.now())),
  )
  .post('/mentions/:id/moderation', (c) =>
    changeVoice(c, async (id) => {
      const ctx = pageContext(c)
      const category = field(c, 'category') || undefined
      const labels: FormLabels = {
        action: { field: 'action', label: ctx.t.action },
        category: { field: 'category', label: ctx.t.category },
        reason: { field: 'reason', label: ctx.t.reason },
      }
      const input = checkForm(
        ModerationCreate,
        { action: field(c, 'action'), reason: field(c, 'reason'), ...(category ? { category } : {}) },
        ctx.lang,
        labels,
      )
      const voice = await moderate(getDb(c.env.DB), c.get('principal'), id, input, c.var.now())
      await voiceModerated(c.env, new URL(c.req.url).origin, voice, c.var.now)
    }),
  )
  .onError(errorPage)
