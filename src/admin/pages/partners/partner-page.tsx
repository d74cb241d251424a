/** One partner's page: who they are, the decisions and steps, their tracking links and the ledger's newest entries. */
import type { FC } from 'hono/jsx'

import type { ConversionRow } from '../../../affiliates/commissions/conversions'
import type { LinkRow, PartnerRow, SignInMail } from '../../../affiliates/store'
import { formatMoney } from '../../../common/lang'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { ShownOnceLine, type ShownOnce } from '../../kit/flash'
import { Layout, type Notice, NoticeLine } from '../../kit/layout'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

import { Actions, Blog, Numbers, partnersPath } from './parts'

/** Where the newest sign-in link's e-mail stands: passed on by hand, going out, e-mailed, or given up (and why). */
const SignInMailState: FC<{ ctx: Ctx; mail: SignInMail }> = ({ ctx, mail }) => {
  const t = ctx.t
  if (mail.state === null) return <>{t.signInMailNone}</>
  if (mail.state === 'sent') return <>{t.signInMailSent}</>
  const why =
    mail.lastFailure === 'no_mailer'
      ? t.mailNoMailer
      : mail.lastFailure === 'mail_unreadable'
        ? t.mailUnreadable
        : t.mailRefused
  if (mail.state === 'gave_up') return <strong>{phrase(ctx.lang, t.signInMailGaveUp, { why })}</strong>
  return <>{mail.lastFailure === null ? t.signInMailWaiting : phrase(ctx.lang, t.signInMailRetrying, { why })}</>
}

/** One partner: who they are, the decisions and steps, their links with their numbers, and the ledger's newest entries. */
export const PartnerPage: FC<{
  ctx: Ctx
  site: SiteRow
  partner: PartnerRow
  links: LinkRow[]
  signInMail: SignInMail | null
  titles: ReadonlyMap<string, string>
  ledger: ConversionRow[]
  notice: Notice | null
  once: ShownOnce | null
  currency: string
  hubOrigin: string
}> = ({ ctx, site, partner: p, links, signInMail, titles, ledger, notice, once, currency, hubOrigin }) => {
  const t = ctx.t
  const money = (minor: number, cur = currency) => formatMoney(minor, cur, ctx.lang)
  const when = (ms: number) => formatDateTime(ms, ctx.lang, ctx.timeZone)
  return (
    <Layout ctx={ctx} title={`${p.name}${ctx.t.colon}${t.partners}`}>
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
        {signInMail && (
          <>
            <dt>{t.signInLinkSent}</dt>
            <dd>
              {when(signInMail.createdAt)} · <SignInMailState ctx={ctx} mail={signInMail} />
            </dd>
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
                {l.clicks.toLocaleString(ctx.lang)}
                {t.open}
                {t.uniqueClicks} {l.uniqueClicks.toLocaleString(ctx.lang)}
                {t.close}
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
