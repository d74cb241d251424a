/** A site's overview: its charts and the newest weekly digest. */
import { pathParam } from '../../../common/validation'
import { getDb } from '../../../db/client'
import { consoleRouter, pageContext } from '../../kit/context'
import { overviewOf } from './overview'
import { OverviewPage } from './page'
import { WORDS } from './words'

export const overviewRoutes = consoleRouter().get('/sites/:site/overview', async (c) => {
  const o = await overviewOf(getDb(c.env.DB), c.get('principal'), pathParam(c.req.param('site')), c.var.now())
  return c.html(
    <OverviewPage
      ctx={pageContext(c, WORDS, o.settings.time_zone)}
      site={o.site}
      targetHours={o.settings.response_target_hours}
      sentiment={o.sentiment}
      response={o.response}
      waiting={o.waiting}
      resolution={o.resolution}
      digest={o.digest}
    />,
  )
})
