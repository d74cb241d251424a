/**
 * A site's own page: its settings, its API keys (the operator's to manage) and the secret the
 * storefront signs its events with. A key or secret just made is shown once, on the page the form
 * lands on.
 */
import type { FC } from 'hono/jsx'

import type { SiteSettings } from '../../../sites/settings'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { ShownOnceLine, type ShownOnce } from '../../kit/flash'
import { Checkbox, InputField, LanguageField, TextField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import type { Words } from './words'
import { ExportOffer } from '../../kit/export-offer'
import type { Out } from '../../../common/outputs'
import type { ExportOut } from '../../../exports/outputs'

/** A key as the list shows it (never the key itself). */
export type KeyLine = { id: string; prefix: string; label: string; created_at: string; revoked_at: string | null }

export const SitePage: FC<{
  ctx: PageContext<Words>
  site: SiteRow
  settings: SiteSettings
  keys: KeyLine[] | null
  latest: Out<typeof ExportOut> | null
  notice: Notice | null
  once: ShownOnce | null
  values?: FormValues
}> = ({ ctx, site, settings, keys, latest, notice, once, values }) => {
  const base = `/admin/sites/${encodeURIComponent(site.slug)}`
  const t = ctx.t
  // What was typed comes back only into the form it was typed in (a refused key keeps the settings as stored).
  const typed = values?.has('name') ? values : undefined
  const value = (name: string, stored: string) => typed?.get(name) ?? stored
  const checked = (name: string, stored: boolean) => (typed ? typed.get(name) === 'on' : stored)
  const lang = value('lang', settings.lang)
  return (
    <Layout ctx={ctx} title={`${t.settings}${ctx.t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.settings} />
      <NoticeLine ctx={ctx} notice={notice} />
      <ShownOnceLine ctx={ctx} once={once} />

      <form method="post" action={`${base}/settings`}>
        <Csrf ctx={ctx} />
        <fieldset>
          <legend>{t.settings}</legend>
          <InputField name="name" label={t.siteName} required maxlength={200} value={value('name', site.name)} />
          <TextField
            name="origins"
            label={t.origins}
            help={t.originsHelp}
            required
            value={value('origins', site.origins.join('\n'))}
          />
          <TextField
            name="embed_origins"
            label={t.embedOrigins}
            help={t.embedOriginsHelp}
            value={value('embed_origins', site.embedOrigins.join('\n'))}
          />
          <InputField
            name="response_target_hours"
            label={t.responseTarget}
            help={t.responseTargetHelp}
            numeric
            value={value('response_target_hours', String(settings.response_target_hours))}
          />
          <InputField
            name="time_zone"
            label={t.timeZone}
            help={t.timeZoneHelp}
            value={value('time_zone', settings.time_zone)}
          />
          <InputField
            name="cache_seconds"
            label={t.cacheSeconds}
            help={t.cacheSecondsHelp}
            numeric
            value={value('cache_seconds', String(settings.cache_seconds))}
          />
          <LanguageField name="lang" label={t.shopLang} value={lang} words={t} />
          <InputField
            name="digest_email"
            label={t.digestEmail}
            help={t.digestEmailHelp}
            type="email"
            maxlength={254}
            autocomplete="email"
            value={value('digest_email', settings.digest_email ?? '')}
          />
          <Checkbox
            name="verify_links"
            label={t.verifyLinks}
            checked={checked('verify_links', settings.verify_links)}
          />
          <Checkbox
            name="auto_targets"
            label={t.autoTargets}
            checked={checked('auto_targets', settings.auto_targets)}
          />
          <p>
            <button type="submit">{t.save}</button>
          </p>
        </fieldset>
      </form>

      <section aria-labelledby="keys_heading">
        <h2 id="keys_heading">{t.apiKeys}</h2>
        <p class="meta">{t.apiKeysHelp}</p>
        {keys === null ? (
          <p>{t.keysOperatorOnly}</p>
        ) : (
          <>
            {keys.length === 0 ? (
              <p>{t.noKeys}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>{t.keyPrefix}</th>
                    <th>{t.keyLabel}</th>
                    <th>{t.createdAt}</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {keys.map((k) => (
                    <tr>
                      <td>
                        <code>{k.prefix}…</code>
                      </td>
                      <td>{k.label}</td>
                      <td>{formatDateTime(Date.parse(k.created_at), ctx.lang, ctx.timeZone)}</td>
                      <td>
                        {k.revoked_at ? (
                          <span class="meta">
                            {t.revokedAt} {formatDateTime(Date.parse(k.revoked_at), ctx.lang, ctx.timeZone)}
                          </span>
                        ) : (
                          <form method="post" action={`${base}/keys/${encodeURIComponent(k.id)}/revoke`}>
                            <Csrf ctx={ctx} />
                            <button type="submit" aria-label={`${t.revoke}: ${k.prefix}… ${k.label}`}>
                              {t.revoke}
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <form method="post" action={`${base}/keys`}>
              <Csrf ctx={ctx} />
              <InputField name="label" label={t.keyLabel} required maxlength={100} value={values?.get('label') ?? ''} />
              <button type="submit">{t.createKey}</button>
            </form>
          </>
        )}
      </section>

      <section aria-labelledby="secret_heading">
        <h2 id="secret_heading">{t.inboundSecret}</h2>
        <p class="meta">{t.inboundSecretHelp}</p>
        <form method="post" action={`${base}/inbound-secret`}>
          <Csrf ctx={ctx} />
          <button type="submit">{t.rotateSecret}</button>
        </form>
      </section>

      <ExportOffer ctx={ctx} slug={site.slug} back="settings" latest={latest} />
    </Layout>
  )
}
