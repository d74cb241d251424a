import { getDb } from '../db/client'
import { newRouter } from '../env'
import { apiDoc } from '../common/api-docs'
import { pickLang } from '../common/lang'
import { wantsHtml } from '../common/media-type'
import { pathParam } from '../common/validation'
import { LinkbackStatusOut } from './outputs'
import { linkbackStatus } from './status'
import { StatusPage } from './status-page'

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const docs = {
  status: apiDoc({
    tag: 'Linkbacks',
    summary: 'Where a received linkback stands',
    description:
      "Webmention's status URL (also given for TrackBack, Pingback, blog reviews and partners' posts): queued, verified, rejected (with the reason, in English and Japanese), deleted or accepted. A browser asking for text/html gets a page (?lang=en|ja).",
    params: { id: "The voice's id (m_…)." },
    errors: ['not_found'],
    responses: { 200: { description: 'The status.', schema: LinkbackStatusOut } },
  }),
}

/** GET /status/:site/:id — where a received linkback stands (Webmention's status URL, REC §3.2). */
export const statusRoutes = newRouter().get('/:site/:id', docs.status, async (c) => {
  const found = await linkbackStatus(getDb(c.env.DB), pathParam(c.req.param('site')), pathParam(c.req.param('id')))
  c.header('Cache-Control', 'no-store')
  c.header('Vary', 'Accept')
  c.header('Access-Control-Allow-Origin', '*')
  if (wantsHtml(c.req.header('Accept'))) {
    const lang = pickLang(c.req.query('lang'), undefined, c.req.header('Accept-Language'))
    return c.html(
      <StatusPage status={found.json} siteName={found.siteName} lang={lang} path={new URL(c.req.url).pathname} />,
    )
  }
  return c.json(found.json)
})
