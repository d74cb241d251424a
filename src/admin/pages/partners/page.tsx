/**
 * The affiliate programme's partners: applications to decide, active and past partners with
 * their numbers, and the programme's terms. Approval sends the partner a one-time sign-in link
 * (shown here once only when the hub cannot send e-mail). One partner's page: ./partner-page.tsx.
 */
import type { FC } from 'hono/jsx'

import type { PartnerRow } from '../../../affiliates/store'
import type { SiteSettings } from '../../../sites/settings'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { InputField, TextField } from '../../kit/fields'
import { ShownOnceLine, type ShownOnce } from '../../kit/flash'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import type { Words } from './words'

type Ctx = PageContext<Words>

import { Actions, Blog, Numbers, partnersPath } from './parts'

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
        <TextField
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
  <Layout ctx={ctx} title={`${ctx.t.partners}${ctx.t.colon}${site.name}`}>
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
