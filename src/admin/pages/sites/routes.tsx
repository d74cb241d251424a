/** The list of sites; a principal who sees one site only goes straight to its inbox. */
import { numberIdParam } from '../../../common/cursor'
import { getDb } from '../../../db/client'
import { sitesVisibleTo } from '../../../sites/service'
import { consoleRouter, pageContext } from '../../kit/context'
import { SitesPage } from './page'
import { WORDS } from './words'

export const sitesRoutes = consoleRouter().get('/', async (c) => {
  const cursor = c.req.query('cursor')
  const page = await sitesVisibleTo(getDb(c.env.DB), c.get('principal'), numberIdParam(cursor) ?? 0, 100)
  const only = page.items.length === 1 && page.next === null && cursor === undefined ? page.items[0] : undefined
  if (only) return c.redirect(`/admin/sites/${encodeURIComponent(only.slug)}`, 303)
  return c.html(<SitesPage ctx={pageContext(c, WORDS)} sites={page.items} next={page.next} />)
})
