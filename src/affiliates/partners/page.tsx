/** The partner page (hono/jsx: every value escaped): sign-in, numbers per link, new links, posts, the ledger. */
import type { Child, FC } from 'hono/jsx'

import { type FieldError, FormErrors } from '../../common/form-errors'
import { formatDate, formatMoney, type PageLang } from '../../common/lang'
import { PageShell } from '../../common/page-shell'
import type { TargetRow } from '../../targets/store'
import type { ConversionRow } from '../commissions/conversions'
import { linkJson } from '../links/links'
import type { LinkRow, PartnerRow } from '../store'
import { PARTNER_WORDS } from './words'

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222}main{max-width:56rem;margin:1rem auto;padding:0 1rem}
.cards{padding:0}.cards li{list-style:none;border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;margin:.5rem 0}
.numbers{display:grid;grid-template-columns:fit-content(60%) 1fr;gap:.1rem 1rem;margin:.4rem 0}.numbers dd{margin:0}
main{overflow-wrap:anywhere}
.error{background:#fdecea;padding:.5rem;border-radius:4px}.ok{background:#e8f5e9;padding:.5rem;border-radius:4px}
fieldset{border:1px solid #ddd;border-radius:6px;margin:1rem 0}label{display:block;margin:.4rem 0 .1rem}input[type=url],input[type=password]{width:100%}`

const Page: FC<{ title: string; lang?: PageLang; children?: Child }> = ({ title, lang, children }) => (
  <PageShell lang={lang ?? 'en'} title={title} style={STYLE} noindex>
    <main>{children}</main>
  </PageShell>
)

/** A page with one message: an error no form can show. */
export const PartnerMessage: FC<{ text: string; lang?: PageLang }> = ({ text, lang }) => (
  <Page title="Partner page" lang={lang}>
    <p class="error" role="alert">
      {text}
    </p>
  </Page>
)

/** What the sign-in page says above its forms. */
export type SignInNotice = 'bad_key' | 'link_not_valid' | 'link_sent'

/**
 * Signing in: by e-mailing oneself a one-time link (when the hub can send e-mail), or with a
 * partner key (`gh_pk_…`, from the API's approval).
 */
export const PartnerLogin: FC<{
  siteName: string
  path: string
  lang: PageLang
  canMail: boolean
  notice?: SignInNotice | undefined
}> = ({ siteName, path, lang, canMail, notice }) => {
  const w = PARTNER_WORDS[lang]
  const message = { bad_key: w.badKey, link_not_valid: w.linkNotValid, link_sent: w.linkSent }
  return (
    <Page title={w.signInTitle(siteName)} lang={lang}>
      <p>
        <a href={`${path}?lang=${lang === 'ja' ? 'en' : 'ja'}`} lang={lang === 'ja' ? 'en' : 'ja'}>
          {w.language}
        </a>
      </p>
      <h1>{w.signInTitle(siteName)}</h1>
      {notice && (
        <p class={notice === 'link_sent' ? 'ok' : 'error'} role={notice === 'link_sent' ? 'status' : 'alert'}>
          {message[notice]}
        </p>
      )}
      {canMail ? (
        <form method="post" action={`${path}/sign-in?lang=${lang}`}>
          <fieldset>
            <legend>{w.askForLink}</legend>
            <label for="email">{w.email}</label>
            <input type="email" id="email" name="email" required maxlength={254} autocomplete="email" />
            <p id="email_help">{w.askForLinkHelp}</p>
            <button type="submit">{w.askForLink}</button>
          </fieldset>
        </form>
      ) : (
        <p>{w.noMail}</p>
      )}
      <form method="post" action={`${path}/login?lang=${lang}`}>
        <fieldset>
          <legend>{w.keySignIn}</legend>
          <label for="key">{w.keyLabel}</label>
          <input type="password" id="key" name="key" required autocomplete="off" />
          <button type="submit">{w.signInButton}</button>
        </fieldset>
      </form>
    </Page>
  )
}

/** A one-time link opened: one button uses it (a mail scanner following the link does not). */
export const SignInWithLink: FC<{ siteName: string; action: string; lang: PageLang }> = ({
  siteName,
  action,
  lang,
}) => {
  const w = PARTNER_WORDS[lang]
  return (
    <Page title={w.signInTitle(siteName)} lang={lang}>
      <h1>{w.signInTitle(siteName)}</h1>
      <p>{w.signInHere}</p>
      <form method="post" action={action}>
        <button type="submit">{w.signInButton}</button>
      </form>
    </Page>
  )
}

export type PartnerView = {
  siteName: string
  path: string
  hubOrigin: string
  csrf: string
  lang: PageLang
  currency: string
  partner: PartnerRow
  links: LinkRow[]
  targets: TargetRow[]
  ledger: ConversionRow[]
  notice?: { kind: 'ok' | 'error'; text: string; errors?: FieldError[] } | undefined
  /** A partner key made just now, shown this once. */
  newKey?: string | undefined
  /** What was typed into a refused form. */
  values?: ReadonlyMap<string, string> | undefined
}

/** The signed-in partner's page, in their language: numbers labelled, money in the shop's currency. */
export const PartnerDashboard: FC<{ v: PartnerView }> = ({ v }) => {
  const w = PARTNER_WORDS[v.lang]
  const title = (id: string) => v.targets.find((t) => t.id === id)?.title ?? id
  const money = (minor: number, currency = v.currency) => formatMoney(minor, currency, v.lang)
  const count = (n: number) => n.toLocaleString(v.lang)
  const p = v.partner
  const other = v.lang === 'ja' ? 'en' : 'ja'
  return (
    <Page title={w.dashboardTitle(v.siteName)} lang={v.lang}>
      <p>
        <a href={`${v.path}?lang=${other}`} lang={other}>
          {w.language}
        </a>
      </p>
      <h1>
        {v.siteName}: {p.name}
      </h1>
      <form method="post" action={`${v.path}/logout?lang=${v.lang}`}>
        <input type="hidden" name="_csrf" value={v.csrf} />
        <button type="submit">{w.signOut}</button>
      </form>
      {v.notice &&
        (v.notice.errors ? (
          <FormErrors lang={v.lang} errors={v.notice.errors} text={v.notice.text} />
        ) : (
          <p class={v.notice.kind} role={v.notice.kind === 'error' ? 'alert' : 'status'}>
            {v.notice.text}
          </p>
        ))}
      {v.newKey && (
        <p class="ok" role="status">
          {w.keyOnce} <code>{v.newKey}</code>
        </p>
      )}
      <h2>{w.yourNumbers}</h2>
      <dl class="numbers">
        <dt>{w.clicks}</dt>
        <dd>
          {count(p.clicks)} ({w.unique} {count(p.uniqueClicks)})
        </dd>
        <dt>{w.sales}</dt>
        <dd>{count(p.conversions)}</dd>
        <dt>{w.revenue}</dt>
        <dd>{money(p.revenue)}</dd>
        <dt>{w.commissionPending}</dt>
        <dd>{money(p.commissionPending)}</dd>
        <dt>{w.commissionApproved}</dt>
        <dd>{money(p.commissionApproved)}</dd>
        <dt>{w.commissionPaid}</dt>
        <dd>{money(p.commissionPaid)}</dd>
      </dl>
      <h2>{w.yourLinks}</h2>
      {v.links.length === 0 && <p>{w.noLinks}</p>}
      <ul class="cards">
        {v.links.map((l) => {
          const j = linkJson(v.hubOrigin, l)
          return (
            <li>
              <strong>{title(l.targetId)}</strong>
              {j.disabled && ` · ${w.stopped}`}
              <br />
              <code>{j.url}</code>
              <dl class="numbers">
                <dt>{w.clicks}</dt>
                <dd>
                  {count(j.clicks)} ({w.unique} {count(j.unique_clicks)})
                </dd>
                <dt>{w.sales}</dt>
                <dd>{count(j.conversions)}</dd>
                <dt>{w.rate}</dt>
                <dd>{j.conversion_rate === null ? '—' : `${Math.round(j.conversion_rate * 1000) / 10}%`}</dd>
                <dt>{w.revenue}</dt>
                <dd>{money(j.revenue)}</dd>
                <dt>{w.commission}</dt>
                <dd>{money(j.commission)}</dd>
              </dl>
            </li>
          )
        })}
      </ul>
      <fieldset>
        <legend>{w.newLink}</legend>
        <form method="post" action={`${v.path}/links?lang=${v.lang}`}>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <label for="target">{w.product}</label>
          <select id="target" name="target">
            {v.targets.map((t) => (
              <option value={t.id}>{t.title}</option>
            ))}
          </select>{' '}
          <button type="submit">{w.makeLink}</button>
        </form>
      </fieldset>
      <fieldset>
        <legend>{w.tellPost}</legend>
        <p>{w.tellPostHelp}</p>
        <form method="post" action={`${v.path}/posts?lang=${v.lang}`}>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <label for="url">{w.postUrl}</label>
          <input type="url" id="url" name="url" required value={v.values?.get('url') ?? ''} />
          <label for="post_target">{w.about}</label>
          <select id="post_target" name="target">
            {v.targets.map((t) => (
              <option value={t.id} selected={v.values?.get('target') === t.id}>
                {t.title}
              </option>
            ))}
          </select>{' '}
          <button type="submit">{w.sendPost}</button>
        </form>
      </fieldset>
      <fieldset>
        <legend>{w.apiKey}</legend>
        <p>
          {w.apiKeyHelp(`${v.hubOrigin}${v.path}`)} {p.keyPrefix ? w.keyStarts(p.keyPrefix) : w.noKey}
        </p>
        <form method="post" action={`${v.path}/key?lang=${v.lang}`}>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <button type="submit">{w.makeKey}</button>
        </form>
      </fieldset>
      <h2>{w.ledger}</h2>
      {v.ledger.length === 0 && <p>{w.noLedger}</p>}
      <ul class="cards">
        {v.ledger.map((e) => (
          <li>
            {formatDate(e.occurredAt, v.lang)} · {w.events[e.event]} · {w.order} {e.orderId}
            <dl class="numbers">
              <dt>{w.amount}</dt>
              <dd>{money(e.amount, e.currency)}</dd>
              <dt>{w.commission}</dt>
              <dd>{money(e.commission, e.currency)}</dd>
              <dt>{w.state}</dt>
              <dd>{w.states[e.state]}</dd>
            </dl>
          </li>
        ))}
      </ul>
    </Page>
  )
}
