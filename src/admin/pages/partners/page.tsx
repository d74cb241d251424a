/**
 * The affiliate programme's partners: applications to decide, active and past partners with
 * their numbers; one partner's page with its tracking links and commission ledger. Approval
 * sends the partner a one-time sign-in link (shown here only when the hub cannot send e-mail).
 */
import type { FC } from 'hono/jsx'

import type { ConversionRow } from '../../../affiliates/commissions/conversions'
import type { LinkRow, PartnerRow } from '../../../affiliates/store'
import { formatMoney } from '../../../common/lang'
import { safeHref } from '../../../common/safe-href'
import type { SiteSettings } from '../../../sites/settings'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../shared/context'
import { formatDateTime } from '../../shared/dates'
import { ShownOnceLine, type ShownOnce } from '../../shared/flash'
import { InputField, LinesField } from '../../shared/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../shared/layout'
import { phrase } from '../../shared/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

const partnersPath = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.slug)}/partners`

/** Which page a partner's buttons are on: the answer shows that page again. */
export type PartnersView = 'list' | 'partner'

/** The fields that say which choice a form makes, and which page answers it. */
const Choice: FC<{ ctx: Ctx; name: string; value: string; on: PartnersView }> = (p) => (
  <>
    <Csrf ctx={p.ctx} />
    <input type="hidden" name="on" value={p.on} />
    <input type="hidden" name={p.name} value={p.value} />
  </>
)

/** A button that posts one hidden choice to `action`, named with the partner it is about. */
const Button: FC<{
  ctx: Ctx
  action: string
  name: string
  value: string
  label: string
  who: string
  on: PartnersView
}> = (p) => (
  <form method="post" action={p.action} style="display:inline">
    <Choice ctx={p.ctx} name={p.name} value={p.value} on={p.on} />
    <button type="submit" aria-label={`${p.label}: ${p.who}`}>
      {p.label}
    </button>{' '}
  </form>
)

/** Suspending asks first: the button opens the question, and only its answer suspends. */
const Suspend: FC<{ ctx: Ctx; action: string; partner: PartnerRow; on: PartnersView }> = ({
  ctx,
  action,
  partner,
  on,
}) => (
  <details class="confirm">
    <summary aria-label={`${ctx.t.suspend}: ${partner.name}`}>{ctx.t.suspend}</summary>
    <form method="post" action={action}>
      <Choice ctx={ctx} name="decision" value="suspend" on={on} />
      <p>{phrase(ctx.lang, ctx.t.suspendConfirm, { name: partner.name })}</p>
      <button type="submit">{phrase(ctx.lang, ctx.t.suspendYes, { name: partner.name })}</button>
    </form>
  </details>
)

/** The decisions a partner's state allows, and the ledger's steps when there is something to step. */
const Actions: FC<{ ctx: Ctx; site: SiteRow; partner: PartnerRow; on: PartnersView }> = ({
  ctx,
  site,
  partner: p,
  on,
}) => {
  const base = `${partnersPath(site)}/${encodeURIComponent(p.id)}`
  const button = (action: string, name: string, value: string, label: string) => (
    <Button ctx={ctx} action={action} name={name} value={value} label={label} who={p.name} on={on} />
  )
  return (
    <div class="actions">
      {p.state === 'applied' && [
        button(base, 'decision', 'approve', ctx.t.approve),
        button(base, 'decision', 'reject', ctx.t.reject),
      ]}
      {p.state === 'approved' && [
        <Suspend ctx={ctx} action={base} partner={p} on={on} />,
        button(`${base}/sign-in-link`, 'send', '1', ctx.t.newSignInLink),
      ]}
      {(p.state === 'rejected' || p.state === 'suspended') && button(base, 'decision', 'approve', ctx.t.approve)}
      {p.commissionPending !== 0 && button(`${base}/commissions`, 'step', 'approve', ctx.t.approveCommissions)}
      {p.commissionApproved !== 0 && button(`${base}/commissions`, 'step', 'pay', ctx.t.payCommissions)}
    </div>
  )
}

/** A partner's totals, labelled, with money in the site's currency. */
const Numbers: FC<{ ctx: Ctx; partner: PartnerRow; currency: string }> = ({ ctx, partner: p, currency }) => {
  const money = (minor: number) => formatMoney(minor, currency, ctx.lang)
  return (
    <dl class="numbers">
      <dt>{ctx.t.clicks}</dt>
      <dd>
        {p.clicks.toLocaleString(ctx.lang)} ({ctx.t.uniqueClicks} {p.uniqueClicks.toLocaleString(ctx.lang)})
      </dd>
      <dt>{ctx.t.conversions}</dt>
      <dd>{p.conversions.toLocaleString(ctx.lang)}</dd>
      <dt>{ctx.t.revenue}</dt>
      <dd>{money(p.revenue)}</dd>
      <dt>{ctx.t.commissionPending}</dt>
      <dd>{money(p.commissionPending)}</dd>
      <dt>{ctx.t.commissionApproved}</dt>
      <dd>{money(p.commissionApproved)}</dd>
      <dt>{ctx.t.commissionPaid}</dt>
      <dd>{money(p.commissionPaid)}</dd>
    </dl>
  )
}

const Blog: FC<{ partner: PartnerRow }> = ({ partner }) => {
  const blog = safeHref(partner.blogUrl)
  return blog ? (
    <a href={blog} rel="nofollow noopener noreferrer" target="_blank">
      {partner.blogUrl}
    </a>
  ) : (
    <>{partner.blogUrl}</>
  )
}

/** The programme's terms: commission, per-product rates, the window, the currency and the click parameter. */
const ProgrammeForm: FC<{ ctx: Ctx; site: SiteRow; settings: SiteSettings; values?: FormValues }> = ({
  ctx,
  site,
  settings,
  values,
}) => {
  const t = ctx.t
  // What was typed comes back only into this form.
  const typed = values?.has('commission_percent') ? values : undefined
  const value = (name: string, stored: string) => typed?.get(name) ?? stored
  const rates = Object.entries(settings.affiliate_commission_by_target)
    .map(([target, percent]) => `${target} = ${percent}`)
    .join('\n')
  return (
    <form method="post" action={`/admin/sites/${encodeURIComponent(site.slug)}/programme`}>
      <Csrf ctx={ctx} />
      <fieldset>
        <legend>{t.programme}</legend>
        <InputField
          name="commission_percent"
          label={t.commissionPercent}
          numeric
          value={value('commission_percent', String(settings.affiliate_commission_percent))}
        />
        <LinesField
          name="commission_by_target"
          label={t.commissionByTarget}
          help={t.commissionByTargetHelp}
          value={value('commission_by_target', rates)}
        />
        <InputField
          name="window_days"
          label={t.windowDays}
          numeric
          value={value('window_days', String(settings.affiliate_window_days))}
        />
        <InputField
          name="currency"
          label={t.currency}
          help={t.currencyHelp}
          maxlength={3}
          value={value('currency', settings.currency)}
        />
        <InputField
          name="click_param"
          label={t.clickParam}
          help={t.clickParamHelp}
          maxlength={32}
          value={value('click_param', settings.affiliate_click_param)}
        />
        <button type="submit">{t.save}</button>
      </fieldset>
    </form>
  )
}

export const PartnersPage: FC<{
  ctx: Ctx
  site: SiteRow
  partners: PartnerRow[]
  notice: Notice | null
  once: ShownOnce | null
  settings: SiteSettings
  applyUrl: string
  values?: FormValues
}> = ({ ctx, site, partners, notice, once, settings, applyUrl, values }) => (
  <Layout ctx={ctx} title={`${ctx.t.partners}: ${site.name}`}>
    <SiteHeading ctx={ctx} site={site} title={ctx.t.partners} />
    <p class="meta">
      {ctx.t.applyAt} <a href={applyUrl}>{applyUrl}</a>
    </p>
    <NoticeLine ctx={ctx} notice={notice} />
    <ShownOnceLine ctx={ctx} once={once} />
    <ul>
      {partners.map((p) => (
        <li class="voice">
          <strong>{p.name}</strong> · {p.email} · <Blog partner={p} /> ·{' '}
          <span class="meta">{ctx.w.partner[p.state]}</span>
          <Actions ctx={ctx} site={site} partner={p} on="list" />
          <Numbers ctx={ctx} partner={p} currency={settings.currency} />
          <a href={`${partnersPath(site)}/${encodeURIComponent(p.id)}`}>
            {ctx.t.partnerDetail}
            <span class="visually-hidden">: {p.name}</span>
          </a>
        </li>
      ))}
    </ul>
    <ProgrammeForm ctx={ctx} site={site} settings={settings} values={values} />
  </Layout>
)

/** One partner: who they are, the decisions and steps, their links with their numbers, and the ledger's newest entries. */
export const PartnerPage: FC<{
  ctx: Ctx
  site: SiteRow
  partner: PartnerRow
  links: LinkRow[]
  titles: ReadonlyMap<string, string>
  ledger: ConversionRow[]
  notice: Notice | null
  once: ShownOnce | null
  currency: string
  hubOrigin: string
}> = ({ ctx, site, partner: p, links, titles, ledger, notice, once, currency, hubOrigin }) => {
  const t = ctx.t
  const money = (minor: number, cur = currency) => formatMoney(minor, cur, ctx.lang)
  const when = (ms: number) => formatDateTime(ms, ctx.lang, ctx.timeZone)
  return (
    <Layout ctx={ctx} title={`${p.name}: ${t.partners}`}>
      <p>
        <a href={partnersPath(site)}>← {t.partners}</a>
      </p>
      <h1>
        {p.name} · {ctx.w.partner[p.state]}
      </h1>
      <NoticeLine ctx={ctx} notice={notice} />
      <ShownOnceLine ctx={ctx} once={once} />
      <dl class="numbers">
        <dt>{t.partnerEmail}</dt>
        <dd>{p.email}</dd>
        <dt>{t.partnerBlog}</dt>
        <dd>
          <Blog partner={p} />
        </dd>
        <dt>{t.appliedAt}</dt>
        <dd>{when(p.appliedAt)}</dd>
        {p.decidedAt !== null && (
          <>
            <dt>{t.decidedAt}</dt>
            <dd>{when(p.decidedAt)}</dd>
          </>
        )}
      </dl>
      <Actions ctx={ctx} site={site} partner={p} on="partner" />
      <Numbers ctx={ctx} partner={p} currency={currency} />

      <h2>{t.trackingLinks}</h2>
      {links.length === 0 && <p>{t.noLinks}</p>}
      <ul>
        {links.map((l) => (
          <li class="voice">
            <strong>{titles.get(l.targetId) ?? l.targetId}</strong>
            {l.disabledAt !== null && <span class="meta"> · {t.linkStopped}</span>}
            <br />
            <code>{`${hubOrigin}/r/${l.code}`}</code>
            <dl class="numbers">
              <dt>{t.clicks}</dt>
              <dd>
                {l.clicks.toLocaleString(ctx.lang)} ({t.uniqueClicks} {l.uniqueClicks.toLocaleString(ctx.lang)})
              </dd>
              <dt>{t.conversions}</dt>
              <dd>{l.conversions.toLocaleString(ctx.lang)}</dd>
              <dt>{t.revenue}</dt>
              <dd>{money(l.revenue)}</dd>
              <dt>{t.commission}</dt>
              <dd>{money(l.commission)}</dd>
            </dl>
          </li>
        ))}
      </ul>

      <h2>{t.ledger}</h2>
      {ledger.length === 0 && <p>{t.noLedger}</p>}
      <ul>
        {ledger.map((e) => (
          <li class="voice">
            {when(e.occurredAt)} · {ctx.w.conversion[e.event]} · {t.order} {e.orderId}
            <dl class="numbers">
              <dt>{t.amount}</dt>
              <dd>{money(e.amount, e.currency)}</dd>
              <dt>{t.commission}</dt>
              <dd>{money(e.commission, e.currency)}</dd>
              <dt>{t.status}</dt>
              <dd>{ctx.w.commission[e.state]}</dd>
            </dl>
          </li>
        ))}
      </ul>
    </Layout>
  )
}
