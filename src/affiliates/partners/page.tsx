/** The partner page (hono/jsx: every value escaped): sign-in, numbers per link, new links, posts, the ledger. */
import type { Child, FC } from 'hono/jsx'

import { type FieldError, FormErrors } from '../../common/form-errors'
import type { PageLang } from '../../common/lang'
import { PageShell } from '../../common/page-shell'
import type { TargetRow } from '../../targets/store'
import type { ConversionRow } from '../commissions/conversions'
import { linkJson } from '../links/links'
import type { LinkRow, PartnerRow } from '../store'
import { PARTNER_WORDS } from './words'

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222}main{max-width:56rem;margin:1rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;font-size:.9em}
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

export const PartnerDashboard: FC<{ v: PartnerView }> = ({ v }) => {
  const title = (id: string) => v.targets.find((t) => t.id === id)?.title ?? id
  const p = v.partner
  return (
    <Page title={`Partner page — ${v.siteName}`}>
      <h1>
        {v.siteName}: {p.name}
      </h1>
      <form method="post" action={`${v.path}/logout`}>
        <input type="hidden" name="_csrf" value={v.csrf} />
        <button type="submit">Sign out</button>
      </form>
      {v.notice &&
        (v.notice.errors ? (
          <FormErrors lang="en" errors={v.notice.errors} text={v.notice.text} />
        ) : (
          <p class={v.notice.kind} role={v.notice.kind === 'error' ? 'alert' : 'status'}>
            {v.notice.text}
          </p>
        ))}
      <p>
        Clicks {p.clicks} (unique {p.uniqueClicks}) · conversions {p.conversions} · revenue {p.revenue} · commission
        pending {p.commissionPending}, approved {p.commissionApproved}, paid {p.commissionPaid} (minor units)
      </p>
      {v.newKey && (
        <p class="ok" role="status">
          Your new partner key, shown this once — keep it somewhere safe: <code>{v.newKey}</code>
        </p>
      )}
      <h2>Your links</h2>
      <table>
        <thead>
          <tr>
            <th>Product</th>
            <th>Link</th>
            <th>Clicks</th>
            <th>Unique</th>
            <th>Conversions</th>
            <th>Rate</th>
            <th>Revenue</th>
            <th>Commission</th>
          </tr>
        </thead>
        <tbody>
          {v.links.map((l) => {
            const j = linkJson(v.hubOrigin, l)
            return (
              <tr>
                <td>{title(l.targetId)}</td>
                <td>
                  <code>{j.url}</code>
                </td>
                <td>{j.clicks}</td>
                <td>{j.unique_clicks}</td>
                <td>{j.conversions}</td>
                <td>{j.conversion_rate === null ? '—' : `${Math.round(j.conversion_rate * 1000) / 10}%`}</td>
                <td>{j.revenue}</td>
                <td>{j.commission}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <fieldset>
        <legend>New link</legend>
        <form method="post" action={`${v.path}/links`}>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <label for="target">Product</label>
          <select id="target" name="target">
            {v.targets.map((t) => (
              <option value={t.id}>{t.title}</option>
            ))}
          </select>{' '}
          <button type="submit">Make a link</button>
        </form>
      </fieldset>
      <fieldset>
        <legend>Tell the shop about a post</legend>
        <p>It is shown with your name as advertising (PR), whatever it says — praise or criticism earn the same.</p>
        <form method="post" action={`${v.path}/posts`}>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <label for="url">Post URL</label>
          <input type="url" id="url" name="url" required value={v.values?.get('url') ?? ''} />
          <label for="post_target">About</label>
          <select id="post_target" name="target">
            {v.targets.map((t) => (
              <option value={t.id} selected={v.values?.get('target') === t.id}>
                {t.title}
              </option>
            ))}
          </select>{' '}
          <button type="submit">Send</button>
        </form>
      </fieldset>
      <fieldset>
        <legend>Partner API key</legend>
        <p>
          For scripts that make links or read your numbers ({`${v.hubOrigin}${v.path}/api/…`}).{' '}
          {p.keyPrefix ? `Your key starts ${p.keyPrefix}; a new one replaces it.` : 'You have none yet.'}
        </p>
        <form method="post" action={`${v.path}/key`}>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <button type="submit">Make a new key</button>
        </form>
      </fieldset>
      <h2>Commissions</h2>
      <table>
        <thead>
          <tr>
            <th>Date</th>
            <th>Order</th>
            <th>Event</th>
            <th>Amount</th>
            <th>Commission</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {v.ledger.map((e) => (
            <tr>
              <td>{new Date(e.occurredAt).toISOString().slice(0, 10)}</td>
              <td>{e.orderId}</td>
              <td>{e.event}</td>
              <td>
                {e.amount} {e.currency}
              </td>
              <td>{e.commission}</td>
              <td>{e.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  )
}
