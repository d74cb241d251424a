/**
 * What the partners list and one partner's page share: the decisions and ledger steps a partner's
 * state allows (each button named with its partner; suspending asks first), the partner's numbers
 * and their blog.
 */
import type { FC } from 'hono/jsx'

import type { PartnerRow } from '../../../affiliates/store'
import { formatMoney } from '../../../common/lang'
import { safeHref } from '../../../common/safe-href'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { Csrf } from '../../kit/layout'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

export const partnersPath = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.slug)}/partners`

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
export const Actions: FC<{ ctx: Ctx; site: SiteRow; partner: PartnerRow; on: PartnersView }> = ({
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
export const Numbers: FC<{ ctx: Ctx; partner: PartnerRow; currency: string }> = ({ ctx, partner: p, currency }) => {
  const money = (minor: number) => formatMoney(minor, currency, ctx.lang)
  return (
    <dl class="numbers">
      <dt>{ctx.t.clicks}</dt>
      <dd>
        {p.clicks.toLocaleString(ctx.lang)}
        {ctx.t.open}
        {ctx.t.uniqueClicks} {p.uniqueClicks.toLocaleString(ctx.lang)}
        {ctx.t.close}
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

export const Blog: FC<{ partner: PartnerRow }> = ({ partner }) => {
  const blog = safeHref(partner.blogUrl)
  return blog ? (
    <a href={blog} rel="nofollow noopener noreferrer" target="_blank">
      {partner.blogUrl}
    </a>
  ) : (
    <>{partner.blogUrl}</>
  )
}
