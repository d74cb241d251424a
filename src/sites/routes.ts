import * as v from 'valibot'

import { createSiteKey, revokeSiteKey, siteKeys } from './keys'
import { getDb } from '../db/client'
import { newRouter } from '../env'
import { HttpUrl, jsonBody, LimitParam, Line, pathParam, queryOf, Slug } from '../shared/validation'
import { idCursor, numberIdParam } from '../shared/cursor'
import { rebuildSiteStats } from '../mentions/rebuild-stats'
import { changeSite, createSite, loadSite, siteJson, sitesVisibleTo } from './service'
import { SiteSettingsInput } from './settings'

const Origins = v.pipe(v.array(HttpUrl, 'must be an array of URLs'), v.maxLength(20, 'at most 20 origins'))
const EmbedOrigins = v.pipe(
  v.array(v.union([v.literal('*'), HttpUrl], 'must be a URL or "*"'), 'must be an array of URLs'),
  v.maxLength(50, 'at most 50 origins'),
)

const SiteCreate = v.strictObject({
  slug: Slug,
  name: Line(200),
  origins: v.pipe(Origins, v.minLength(1, 'at least one storefront origin')),
  embed_origins: v.optional(EmbedOrigins),
  settings: v.optional(SiteSettingsInput),
})

const SitePatch = v.strictObject({
  name: v.optional(Line(200)),
  origins: v.optional(v.pipe(Origins, v.minLength(1, 'at least one storefront origin'))),
  embed_origins: v.optional(EmbedOrigins),
  settings: v.optional(SiteSettingsInput),
})

const KeyCreate = v.strictObject({ label: v.optional(Line(100)) })

const SitesQuery = v.object({
  limit: v.optional(LimitParam(100)),
  cursor: v.optional(v.string()),
})

/** /api/sites — sites and their keys. Auth is applied by the API router. */
export const siteRoutes = newRouter()
  .get('/', queryOf(SitesQuery), async (c) => {
    const q = c.req.valid('query')
    const page = await sitesVisibleTo(getDb(c.env.DB), c.var.principal, numberIdParam(q.cursor) ?? 0, q.limit ?? 100)
    return c.json({ items: page.items.map(siteJson), next_cursor: page.next === null ? null : idCursor(page.next) })
  })
  .post('/', jsonBody(SiteCreate), async (c) => {
    const site = await createSite(getDb(c.env.DB), c.var.principal, c.req.valid('json'), Date.now())
    return c.json(siteJson(site), 201, { Location: `/api/sites/${site.slug}` })
  })
  .get('/:site', async (c) => {
    const site = await loadSite(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.json(siteJson(site))
  })
  .patch('/:site', jsonBody(SitePatch), async (c) => {
    const site = await changeSite(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), c.req.valid('json'))
    return c.json(siteJson(site))
  })
  .post('/:site/keys', jsonBody(KeyCreate), async (c) => {
    const { label } = c.req.valid('json')
    const key = await createSiteKey(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      label ?? 'API key',
      Date.now(),
    )
    return c.json(key, 201)
  })
  .get('/:site/keys', async (c) => {
    const items = await siteKeys(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.json({ items })
  })
  // Recomputes the site's counters from its voices: the repair when counters have drifted.
  .post('/:site/stats/rebuild', async (c) => {
    const result = await rebuildSiteStats(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.json(result)
  })
  .delete('/:site/keys/:key', async (c) => {
    await revokeSiteKey(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('key')),
      Date.now(),
    )
    return c.body(null, 204)
  })
