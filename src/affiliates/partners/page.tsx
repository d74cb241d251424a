/** The partner page (hono/jsx: every value escaped): sign-in, numbers per link, new links, posts, the ledger. */
import type { Child, FC } from 'hono/jsx'

import { type FieldError, FormErrors } from '../../common/form-errors'
import { PageShell } from '../../common/page-shell'
import type { TargetRow } from '../../targets/store'
import type { ConversionRow } from '../commissions/conversions'
import { linkJson } from '../links/links'
import type { LinkRow, PartnerRow } from '../store'

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222}main{max-width:56rem;margin:1rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;font-size:.9em}
.error{background:#fdecea;padding:.5rem;border-radius:4px}.ok{background:#e8f5e9;padding:.5rem;border-radius:4px}
fieldset{border:1px solid #ddd;border-radius:6px;margin:1rem 0}label{display:block;margin:.4rem 0 .1rem}input[type=url],input[type=password]{width:100%}`

const Page: FC<{ title: string; children?: Child }> = ({ title, children }) => (
  <PageShell lang="en" title={title} style={STYLE} noindex>
    <main>{children}</main>
  </PageShell>
)

/** A page with one message: an error no form can show. */
export const PartnerMessage: FC<{ text: string }> = ({ text }) => (
  <Page title="Partner page">
    <p class="error" role="alert">
      {text}
    </p>
  </Page>
)

export const PartnerLogin: FC<{ siteName: string; path: string; error?: boolean }> = ({ siteName, path, error }) => (
  <Page title={`Partner sign-in — ${siteName}`}>
    <h1>{siteName}: partner sign-in</h1>
    {error && <p class="error">That partner key is not valid for this shop (or the partnership is not active).</p>}
    <form method="post" action={`${path}/login`}>
      <label for="key">Partner key (gh_pk_…)</label>
      <input type="password" id="key" name="key" required autocomplete="off" />
      <button type="submit">Sign in</button>
    </form>
  </Page>
)

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
