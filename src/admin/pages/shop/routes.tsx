/**
 * A new shop (the operator's: the same schema and rules as POST /api/sites, refusals at their
 * fields) and a shop's embed page, where a new shop lands with its first site key shown once.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { checkForm, InvalidForm } from '../../../common/form-errors'
import { publicHubOrigin } from '../../../common/hub-urls'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { SiteCreate } from '../../../sites/inputs'
import { createSiteKey } from '../../../sites/keys'
import { createSite, loadSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { assertOperator } from '../../../common/principal'
import { registeredTargets } from '../../../targets/service'
import { type AdminEnv, consoleRouter, pageContext } from '../../kit/context'
import { redirectWith, takeFlash } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { CreatePage } from './create-page'
import { EmbedPage } from './embed-page'
import { newShopInput, newShopLabels } from './form'
import { WORDS, type Words } from './words'

function renderCreate(c: Context<AdminEnv>, notice: Notice | null, status: ContentfulStatusCode = 200) {
  assertOperator(c.get('principal'))
  const values = status === 200 ? undefined : c.get('form').text
  return c.html(<CreatePage ctx={pageContext(c, WORDS)} notice={notice} values={values} />, status)
}

export const shopRoutes = consoleRouter()
  .get('/sites/new', (c) => renderCreate(c, null))
  .post('/sites/new', (c) =>
    onForm(
      c,
      async (notice, status) => renderCreate(c, notice, status),
      async () => {
        const principal = c.get('principal')
        assertOperator(principal)
        const ctx = pageContext(c, WORDS)
        const input = checkForm(SiteCreate, newShopInput(c), ctx.lang, newShopLabels(c, ctx.t))
        // A Japanese shop's zone follows from its language; any other shop's is the operator's to choose.
        if (input.settings?.time_zone === undefined && input.settings?.lang !== 'ja')
          throw new InvalidForm([{ field: 'time_zone', label: ctx.t.timeZone, message: ctx.t.needsZone }])
        const db = getDb(c.env.DB)
        const site = await createSite(db, principal, input, c.var.now())
        const key = await createSiteKey(db, principal, site.slug, 'First key', c.var.now())
        return redirectWith<Words>(c, `/admin/sites/${encodeURIComponent(site.slug)}/embed`, {
          say: 'created',
          once: { kind: 'key', value: key.key },
        })
      },
    ),
  )
  .get('/sites/:site/embed', async (c) => {
    const { notice, once } = await takeFlash(c, WORDS)
    const db = getDb(c.env.DB)
    const site = await loadSite(db, c.get('principal'), pathParam(c.req.param('site')))
    const targets = await registeredTargets(db, site.id)
    const asked = c.req.query('target')
    const target = targets.find((x) => x.id === asked)?.id ?? targets[0]?.id ?? null
    const ctx = pageContext(c, WORDS, readSettings(site.settings).time_zone)
    return c.html(
      <EmbedPage
        ctx={ctx}
        site={site}
        hub={publicHubOrigin(c.env, c.req.url)}
        targets={targets}
        target={target}
        notice={notice}
        once={once}
      />,
    )
  })
