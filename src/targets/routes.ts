import * as v from 'valibot'

import { getDb } from '../db/client'
import { TARGET_KINDS } from '../db/schema'
import { newRouter } from '../env'
import { HttpUrl, jsonBody, LimitParam, Line, oneOf, pathParam, queryOf } from '../shared/validation'
import { createTarget, loadTarget, pageOfTargets, targetJson } from './service'

const TargetCreate = v.strictObject({
  id: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be 1–64 letters, digits, "-" or "_"')
    )
  ),
  url: HttpUrl,
  title: Line(300),
  kind: oneOf(TARGET_KINDS),
})

const TargetList = v.object({
  limit: v.optional(LimitParam(100)),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(64))),
})

const hubOrigin = (url: string) => new URL(url).origin

/** /api/sites/:site/targets */
export const targetRoutes = newRouter()
  .post('/:site/targets', jsonBody(TargetCreate), async (c) => {
    const { site, target } = await createTarget(
      getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), c.req.valid('json'), Date.now()
    )
    return c.json(targetJson(hubOrigin(c.req.url), site, target), 201)
  })
  .get('/:site/targets', queryOf(TargetList), async (c) => {
    const { limit = 50, cursor } = c.req.valid('query')
    const page = await pageOfTargets(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), cursor ?? null, limit)
    const origin = hubOrigin(c.req.url)
    return c.json({ items: page.items.map((t) => targetJson(origin, page.site, t)), next_cursor: page.next })
  })
  .get('/:site/targets/:target', async (c) => {
    const { site, target } = await loadTarget(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), pathParam(c.req.param('target')))
    return c.json(targetJson(hubOrigin(c.req.url), site, target))
  })
