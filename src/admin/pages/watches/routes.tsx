/** A site's watched feeds: one added with its keywords, one stopped — each answered with a redirect to the list. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { hubHostOf, policyOf } from '../../../common/address-policy'
import { checkForm } from '../../../common/form-errors'
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { WatchCreate } from '../../../listening/inputs'
import { createWatch, removeWatch, watchesOf } from '../../../listening/watches'
import { readSettings } from '../../../sites/settings'
import { type AdminEnv, consoleRouter, field, pageContext } from '../../kit/context'
import { redirectWith, takeFlash } from '../../kit/flash'
import { lineNumbers, linesOf, onForm } from '../../kit/forms'
import type { Notice } from '../../kit/layout'
import { WatchesPage } from './page'
import { WORDS, type Words } from './words'

/** A site's watched feeds. */
async function renderWatches(
  c: Context<AdminEnv>,
  notice: Notice | null,
  status: ContentfulStatusCode = 200,
  values?: ReadonlyMap<string, string>,
) {
  const { site, watches, runs } = await watchesOf(getDb(c.env.DB), c.get('principal'), pathParam(c.req.param('site')))
  return c.html(
    <WatchesPage
      ctx={{
        ...pageContext(c, WORDS, readSettings(site.settings).time_zone),
        path: watchesPath(site.slug),
      }}
      site={site}
      watches={watches}
      runs={runs}
      notice={notice}
      values={values}
    />,
    status,
  )
}

const watchesPath = (slug: string) => `/admin/sites/${encodeURIComponent(slug)}/watches`

const watchDeps = (c: Context<AdminEnv>) => ({ db: getDb(c.env.DB), policy: policyOf(c.env, [hubHostOf(c.req.url)]) })

export const watchesRoutes = consoleRouter()
  .get('/sites/:site/watches', async (c) => renderWatches(c, (await takeFlash(c, WORDS)).notice))
  .post('/sites/:site/watches', (c) =>
    onForm(
      c,
      (notice, status) => renderWatches(c, notice, status, c.get('form').text),
      async () => {
        const ctx = pageContext(c, WORDS)
        const input = checkForm(
          WatchCreate,
          { feed_url: field(c, 'feed_url')?.trim() ?? '', keywords: linesOf(field(c, 'keywords')) },
          ctx.lang,
          {
            feed_url: { field: 'feed_url', label: ctx.t.feedUrl },
            keywords: { field: 'keywords', label: ctx.t.keywords, lines: lineNumbers(field(c, 'keywords')) },
          },
        )
        const slug = pathParam(c.req.param('site'))
        await createWatch(watchDeps(c), c.get('principal'), slug, input, c.var.now())
        return redirectWith<Words>(c, watchesPath(slug), { say: 'watchAdded' })
      },
    ),
  )
  .post('/sites/:site/watches/:id/delete', async (c) => {
    const slug = pathParam(c.req.param('site'))
    await removeWatch(getDb(c.env.DB), c.get('principal'), slug, pathParam(c.req.param('id')))
    return redirectWith<Words>(c, watchesPath(slug), { say: 'watchDeleted' })
  })
