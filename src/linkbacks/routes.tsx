import { getDb } from '../db/client'
import { newRouter } from '../env'
import { pickLang } from '../shared/lang'
import { pathParam } from '../shared/validation'
import { linkbackStatus } from './status'
import { StatusPage } from './status-page'

/** True when the client would rather read a page than JSON (a browser opening the link). */
const wantsHtml = (accept: string | undefined) =>
  /text\/html/.test(accept ?? '') && !/application\/json/.test(accept ?? '')

/** GET /status/:site/:id — where a received linkback stands (Webmention's status URL, REC §3.2). */
export const statusRoutes = newRouter().get('/:site/:id', async (c) => {
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
