/**
 * A site's shop platform page: connecting Shopify or WooCommerce (the same schema and rules as
 * PUT /api/sites/{site}/shop, refusals at their fields), the settings orders and products follow
 * (through the site's settings, as PATCH /api/sites/{site}), and disconnecting. Each form done
 * answers with a redirect to the page; a refused one shows the page again with what was typed
 * (never the secret).
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { checkForm } from '../../../common/form-errors'
import { publicHubOrigin } from '../../../common/hub-urls'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { connectionJson, connectShop, disconnectShop, SHOWN_DELIVERIES, shopOf } from '../../../connectors/connection'
import { ShopConnect } from '../../../connectors/inputs'
import { SitePatch } from '../../../sites/inputs'
import { changeSite } from '../../../sites/service'
import { readSettings } from '../../../sites/settings'
import { type AdminEnv, consoleRouter, pageContext } from '../../kit/context'
import { redirectWith, takeFlash } from '../../kit/flash'
import { onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { connectInput, connectLabels, mappingInput, mappingLabels } from './form'
import { PlatformPage, platformPath } from './page'
import { WORDS, type Words } from './words'

/** The page: the connection (if any) with its address to paste, the settings, the latest deliveries. */
async function renderPlatform(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  const { site, connection, deliveries, products } = await shopOf(
    getDb(c.env.DB),
    c.get('principal'),
    pathParam(c.req.param('site')),
  )
  const settings = readSettings(site.settings)
  const origin = publicHubOrigin(c.env, c.req.url)
  return c.html(
    <PlatformPage
      ctx={{ ...pageContext(c, WORDS, settings.time_zone), path: platformPath(site.slug) }}
      site={site}
      settings={settings}
      connection={connection && connectionJson(origin, site, connection, products, c.var.now())}
      deliveries={deliveries}
      shown={SHOWN_DELIVERIES}
      notice={notice}
      values={values}
    />,
    status,
  )
}

const slugOf = (c: Context<AdminEnv>) => pathParam(c.req.param('site'))

export const platformRoutes = consoleRouter()
  .get('/sites/:site/platform', async (c) => renderPlatform(c, (await takeFlash(c, WORDS)).notice))
  .post('/sites/:site/platform', (c) =>
    onForm(
      c,
      (notice, status) => renderPlatform(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const input = checkForm(ShopConnect, connectInput(c), ctx.lang, connectLabels(ctx.t))
        const db = getDb(c.env.DB)
        await connectShop(db, c.get('principal'), slugOf(c), input, c.env.WEBHOOK_SECRETS_KEY, c.var.now())
        return redirectWith<Words>(c, platformPath(slugOf(c)), { say: 'connected' })
      },
    ),
  )
  .post('/sites/:site/platform/settings', (c) =>
    onForm(
      c,
      (notice, status) => renderPlatform(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const patch = checkForm(SitePatch, mappingInput(c), ctx.lang, mappingLabels(ctx.t))
        await changeSite(getDb(c.env.DB), c.get('principal'), slugOf(c), patch, c.var.now())
        return redirectWith<Words>(c, platformPath(slugOf(c)), { say: 'saved' })
      },
    ),
  )
  .post('/sites/:site/platform/disconnect', async (c) => {
    await disconnectShop(getDb(c.env.DB), c.get('principal'), slugOf(c))
    return redirectWith<Words>(c, platformPath(slugOf(c)), { say: 'disconnected' })
  })
