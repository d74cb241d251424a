/** /api/sites/{site}/watches — the feeds a site listens to (site key or operator). */
import type { Context } from 'hono'

import { hubHostOf, policyOf } from '../common/address-policy'
import { apiDocsFor } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { jsonBody, pathParam } from '../common/validation'
import { getDb } from '../db/client'
import { type AppEnv, newRouter } from '../env'
import { tellsOf } from '../responses/follow-ups'
import { VoiceOut } from '../voices/outputs'
import { voiceJson } from '../voices/present'
import { dismissDiscovered, PublishInput, publishDiscovered } from './discovered'
import { WatchCreate, WatchPatch } from './inputs'
import { WatchList, WatchOut } from './outputs'
import { changeWatch, createWatch, removeWatch, runJson, type WatchDeps, watchesOf, watchJson } from './watches'

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Listening' })
const WATCH_ID = { id: "The watch's id (wt_…)." }

const docs = {
  list: doc({
    summary: "List a site's watched feeds",
    errors: ['not_found'],
    responses: {
      200: {
        description:
          "Each feed with its keywords, when it is read next and its last error; the site's newest scheduled runs (feeds read, unchanged, failed, voices added, errors).",
        schema: WatchList,
      },
    },
  }),
  create: doc({
    summary: 'Watch a feed',
    description:
      'An RSS 2.0, RSS 1.0 or Atom feed (a blog search, a review site, a partner’s blog) and the keywords — the shop’s name and products — that make an entry about the shop. At most 20 per site.',
    errors: ['not_found', 'conflict'],
    responses: { 201: { description: 'The watch.', schema: WatchOut } },
  }),
  change: doc({
    summary: 'Change a watched feed',
    description: 'Its keywords, or its address (a new address is read afresh at the next run).',
    params: WATCH_ID,
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The watch as changed.', schema: WatchOut } },
  }),
  remove: doc({
    summary: 'Stop watching a feed',
    params: WATCH_ID,
    errors: ['not_found'],
    responses: { 204: { description: 'Deleted.', media: null } },
  }),
  publish: doc({
    summary: 'Publish a voice found in a watched feed',
    description:
      'A discovered voice waits until staff publish it: on the page it is about (made a target if nobody registered it) or on the registered `target` given. One set aside may be published later.',
    params: { id: "The voice's id." },
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The voice, published.', schema: VoiceOut } },
  }),
  dismiss: doc({
    summary: 'Set aside a voice found in a watched feed',
    description:
      'It is never shown. This is not a removal (the voice was never published), so the public ledger does not count it.',
    params: { id: "The voice's id." },
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The voice, set aside (status `rejected`).', schema: VoiceOut } },
  }),
}

/** Feeds are fetched under the outbound address policy, never from the hub itself. */
const deps = (c: Context<AppEnv>): WatchDeps => ({
  db: getDb(c.env.DB),
  policy: policyOf(c.env, [hubHostOf(c.req.url)]),
})

export const siteWatchRoutes = newRouter()
  .get('/:site/watches', docs.list, async (c) => {
    const { watches, runs } = await watchesOf(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.json({ items: watches.map(watchJson), runs: runs.map(runJson) } satisfies Out<typeof WatchList>)
  })
  .post('/:site/watches', docs.create, jsonBody(WatchCreate), async (c) => {
    const slug = pathParam(c.req.param('site'))
    const watch = await createWatch(deps(c), c.var.principal, slug, c.req.valid('json'), c.var.now())
    return c.json(watchJson(watch), 201)
  })
  .patch('/:site/watches/:id', docs.change, jsonBody(WatchPatch), async (c) => {
    const slug = pathParam(c.req.param('site'))
    const id = pathParam(c.req.param('id'))
    return c.json(watchJson(await changeWatch(deps(c), c.var.principal, slug, id, c.req.valid('json'), c.var.now())))
  })
  .delete('/:site/watches/:id', docs.remove, async (c) => {
    await removeWatch(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), pathParam(c.req.param('id')))
    return c.body(null, 204)
  })

/** /api/mentions/{id}/publish and /dismiss — the decision on a voice found in a watched feed. */
export const foundVoiceRoutes = newRouter()
  .post('/:id/publish', docs.publish, jsonBody(PublishInput), async (c) => {
    const voice = await publishDiscovered(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('id')),
      c.req.valid('json'),
      c.var.now(),
      tellsOf(c.env, new URL(c.req.url).origin, c.var.now).published,
    )
    return c.json(voiceJson(voice))
  })
  .post('/:id/dismiss', docs.dismiss, async (c) => {
    const voice = await dismissDiscovered(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('id')), c.var.now())
    return c.json(voiceJson(voice))
  })
