import * as v from 'valibot'

import { getDb } from '../db/client'
import { newRouter } from '../env'
import { apiDocsFor } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { jsonBody, LimitParam, pathParam, queryOf } from '../common/validation'
import { idCursor, textIdParam } from '../common/cursor'
import { TargetCreate, TargetMerge, TargetPatch } from './inputs'
import { TargetMerged, TargetOut, TargetPage } from './outputs'
import { changeTarget, createTarget, loadTarget, mergeTarget, pageOfTargets, removeTarget, targetJson } from './service'

const TargetList = v.object({
  limit: v.optional(LimitParam(100)),
  cursor: v.optional(v.string()),
  automatic: v.optional(v.picklist(['true', 'false'], 'must be true or false')),
})

const hubOrigin = (url: string) => new URL(url).origin

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Targets' })

const docs = {
  create: doc({
    summary: 'Register a target',
    description: "A page of the storefront that voices are about; its URL must be under one of the site's origins.",
    errors: ['not_found', 'conflict'],
    responses: {
      201: { description: 'The target, with its TrackBack, Webmention and Pingback addresses.', schema: TargetOut },
    },
  }),
  list: doc({
    summary: "List a site's targets",
    description: 'A page at a time; automatic=true lists the targets made for pages nobody registered.',
    errors: ['not_found'],
    responses: { 200: { description: 'A page of targets.', schema: TargetPage } },
  }),
  read: doc({
    summary: 'Read a target',
    errors: ['not_found'],
    responses: { 200: { description: 'The target.', schema: TargetOut } },
  }),
  change: doc({
    summary: 'Change a target',
    description:
      "Rename it, change its kind, move it to another URL of the storefront (another target's URL: 409), or register an automatic one.",
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The target as changed.', schema: TargetOut } },
  }),
  remove: doc({
    summary: 'Delete a target',
    description:
      'Only one nothing refers to: a voice of any status, a tracking link or a review invitation makes it 409.',
    errors: ['not_found', 'conflict'],
    responses: { 204: { description: 'Deleted.', media: null } },
  }),
  merge: doc({
    summary: 'Merge an automatic target into a registered one',
    description: 'Moves its voices, links and counters.',
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The target merged into, and what moved.', schema: TargetMerged } },
  }),
}

/** /api/sites/:site/targets */
export const targetRoutes = newRouter()
  .post('/:site/targets', docs.create, jsonBody(TargetCreate), async (c) => {
    const { site, target } = await createTarget(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      c.req.valid('json'),
      c.var.now(),
    )
    return c.json(targetJson(hubOrigin(c.req.url), site, target), 201)
  })
  .get('/:site/targets', docs.list, queryOf(TargetList), async (c) => {
    const { limit = 50, cursor, automatic } = c.req.valid('query')
    const only = automatic === undefined ? undefined : automatic === 'true'
    const page = await pageOfTargets(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      textIdParam(cursor),
      limit,
      only,
    )
    const origin = hubOrigin(c.req.url)
    return c.json({
      items: page.items.map((t) => targetJson(origin, page.site, t)),
      next_cursor: page.next === null ? null : idCursor(page.next),
    } satisfies Out<typeof TargetPage>)
  })
  .get('/:site/targets/:target', docs.read, async (c) => {
    const { site, target } = await loadTarget(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('target')),
    )
    return c.json(targetJson(hubOrigin(c.req.url), site, target))
  })
  .patch('/:site/targets/:target', docs.change, jsonBody(TargetPatch), async (c) => {
    const { site, target } = await changeTarget(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('target')),
      c.req.valid('json'),
      c.var.now(),
    )
    return c.json(targetJson(hubOrigin(c.req.url), site, target))
  })
  .delete('/:site/targets/:target', docs.remove, async (c) => {
    await removeTarget(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('target')),
    )
    return c.body(null, 204)
  })
  // Moves an automatic target's voices, links and counters into a registered one.
  .post('/:site/targets/:target/merge', docs.merge, jsonBody(TargetMerge), async (c) => {
    const out = await mergeTarget(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('target')),
      c.req.valid('json').into,
      c.var.now(),
    )
    return c.json({
      into: targetJson(hubOrigin(c.req.url), out.site, out.into),
      moved: out.moved,
      left: out.left,
      deleted: out.deleted,
    } satisfies Out<typeof TargetMerged>)
  })
