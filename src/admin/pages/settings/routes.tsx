/**
 * A site's settings page: the settings saved through the API's rules, the site's API keys (the
 * operator's to make and revoke) and a new signing secret for the storefront's events. Each form
 * done answers with a redirect to the page (a key or secret made travels in the flash, shown once);
 * a refused one shows the page again with what was typed.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { checkForm } from '../../../common/form-errors'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { rotateInboundSecret } from '../../../inbound/service'
import { latestExport } from '../../../exports/exports'
import { KeyCreate, SitePatch } from '../../../sites/inputs'
import { createSiteKey, revokeSiteKey, siteKeys } from '../../../sites/keys'
import { changeSite, loadSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { redirectWith, type ShownOnce, takeFlash } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { siteFormInput, siteLabels } from './form'
import { type KeyLine, SitePage } from './page'
import { WORDS, type Words } from './words'

/** A site's page: settings, keys (the operator's only: null for a site key) and the signing secret. */
async function renderSite(
  c: Context<AdminEnv>,
  notice: Notice | null,
  once: ShownOnce | null = null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  const db = getDb(c.env.DB)
  const principal = c.get('principal')
  const site = await loadSite(db, principal, pathParam(c.req.param('site')))
  const settings = readSettings(site.settings)
  const keys: KeyLine[] | null = principal.kind === 'operator' ? await siteKeys(db, principal, site.slug) : null
  const latest = await latestExport({ db, secretsKey: c.env.WEBHOOK_SECRETS_KEY }, principal, site, c.var.now())
  return c.html(
    <SitePage
      ctx={{ ...pageContext(c, WORDS, settings.time_zone), path: settingsPath(site.slug) }}
      site={site}
      settings={settings}
      keys={keys}
      latest={latest}
      notice={notice}
      once={once}
      values={values}
    />,
    status,
  )
}

const settingsPath = (slug: string) => `/admin/sites/${encodeURIComponent(slug)}/settings`

export const settingsRoutes = consoleRouter()
  .get('/sites/:site/settings', async (c) => {
    const { notice, once } = await takeFlash(c, WORDS)
    return renderSite(c, notice, once)
  })
  .post('/sites/:site/settings', (c) =>
    onForm(
      c,
      (notice, status) => renderSite(c, notice, null, status, c.get('form').text),
      async () => {
        const slug = pathParam(c.req.param('site'))
        const ctx = pageContext(c, WORDS)
        const patch = checkForm(SitePatch, siteFormInput(c), ctx.lang, siteLabels(c, ctx.t))
        await changeSite(getDb(c.env.DB), c.get('principal'), slug, patch, c.var.now())
        return redirectWith<Words>(c, settingsPath(slug), { say: 'saved' })
      },
    ),
  )
  .post('/sites/:site/keys', (c) =>
    onForm(
      c,
      (notice, status) => renderSite(c, notice, null, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const slug = pathParam(c.req.param('site'))
        const { label } = checkForm(KeyCreate, { label: field(c, 'label') ?? '' }, ctx.lang, {
          label: { field: 'label', label: ctx.t.keyLabel },
        })
        const made = await createSiteKey(getDb(c.env.DB), c.get('principal'), slug, label ?? '', c.var.now())
        return redirectWith<Words>(c, settingsPath(slug), { once: { kind: 'key', value: made.key } })
      },
    ),
  )
  .post('/sites/:site/keys/:id/revoke', async (c) => {
    const slug = pathParam(c.req.param('site'))
    await revokeSiteKey(getDb(c.env.DB), c.get('principal'), slug, pathParam(c.req.param('id')), c.var.now())
    return redirectWith<Words>(c, settingsPath(slug), { say: 'keyRevoked' })
  })
  .post('/sites/:site/inbound-secret', async (c) => {
    const slug = pathParam(c.req.param('site'))
    const db = getDb(c.env.DB)
    const out = await rotateInboundSecret(db, c.get('principal'), slug, c.env.WEBHOOK_SECRETS_KEY, c.var.now())
    const until = out.previous_valid_until === null ? null : Date.parse(out.previous_valid_until)
    return redirectWith<Words>(c, settingsPath(slug), { once: { kind: 'inbound-secret', value: out.secret, until } })
  })
