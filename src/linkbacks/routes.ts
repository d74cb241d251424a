import { getDb } from '../db/client'
import { newRouter } from '../env'
import { pathParam } from '../shared/validation'
import { linkbackStatus } from './status'

/** GET /status/:site/:id — where a received linkback stands (Webmention's status URL, REC §3.2). */
export const statusRoutes = newRouter().get('/:site/:id', async (c) => {
  const status = await linkbackStatus(getDb(c.env.DB), pathParam(c.req.param('site')), pathParam(c.req.param('id')))
  c.header('Cache-Control', 'no-store')
  c.header('Access-Control-Allow-Origin', '*')
  return c.json(status)
})
