/** The affiliate programme's partners. */
import type { FC } from 'hono/jsx'

import { safeHref } from '../../common/safe-href'
import type { PartnerRow } from '../../affiliates/store'
import type { SiteRow } from '../../sites/store'
import { formatMoney } from '../i18n'
import { Layout, type Notice, NoticeLine, type PageContext } from './layout'

/** The affiliate programme's partners: applications to decide, active and past partners; a new key is shown once. */
export const PartnersPage: FC<{
  ctx: PageContext
  site: SiteRow
  partners: PartnerRow[]
  notice: Notice | null
  newKey: string | null
  currency: string
}> = ({ ctx, site, partners, notice, newKey, currency }) => {
  const base = `/admin/sites/${encodeURIComponent(site.slug)}/partners`
  const money = (minor: number) => formatMoney(minor, currency, ctx.lang)
  /** A step of a partner's commission ledger: approve what waits, or mark what is approved paid. */
  const step = (p: PartnerRow, which: 'approve' | 'pay', label: string) => (
    <form method="post" action={`${base}/${encodeURIComponent(p.id)}/commissions`} style="display:inline">
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <input type="hidden" name="step" value={which} />
      <button type="submit">{label}</button>{' '}
    </form>
  )
  const action = (p: PartnerRow, decision: 'approve' | 'reject' | 'suspend', label: string) => (
    <form method="post" action={`${base}/${encodeURIComponent(p.id)}`} style="display:inline">
      <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
      <input type="hidden" name="decision" value={decision} />
      <button type="submit">{label}</button>
    </form>
  )
  return (
    <Layout ctx={ctx} title={`${ctx.t.partners}: ${site.name}`}>
      <p>
        <a href={`/admin/sites/${encodeURIComponent(site.slug)}`}>← {ctx.t.back}</a>
      </p>
      <h1>
        {ctx.t.partners}: {site.name}
      </h1>
      <NoticeLine ctx={ctx} notice={notice} />
      {newKey && (
        <p class="ok">
          {ctx.t.partnerKeyOnce} <code>{newKey}</code>
        </p>
      )}
      <ul>
        {partners.map((p) => {
          const blog = safeHref(p.blogUrl)
          return (
            <li class="voice">
              <strong>{p.name}</strong> · {p.email} ·{' '}
              {blog ? (
                <a href={blog} rel="nofollow noopener noreferrer" target="_blank">
                  {p.blogUrl}
                </a>
              ) : (
                p.blogUrl
              )}{' '}
              · <span class="meta">{ctx.w.partner[p.state]}</span>
              <br />
              {p.state === 'applied' && [action(p, 'approve', ctx.t.approve), ' ', action(p, 'reject', ctx.t.reject)]}
              {p.state === 'approved' && action(p, 'suspend', ctx.t.suspend)}
              {(p.state === 'rejected' || p.state === 'suspended') && action(p, 'approve', ctx.t.approve)}
              <dl class="numbers">
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
              {p.commissionPending !== 0 && step(p, 'approve', ctx.t.approveCommissions)}
              {p.commissionApproved !== 0 && step(p, 'pay', ctx.t.payCommissions)}
            </li>
          )
        })}
      </ul>
    </Layout>
  )
}
