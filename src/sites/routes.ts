import * as v from 'valibot'

import { createSiteKey, revokeSiteKey, siteKeys } from './keys'
import { getDb } from '../db/client'
import { newRouter } from '../env'
import { jsonBody, LimitParam, pathParam, queryOf } from '../common/validation'
import { idCursor, numberIdParam } from '../common/cursor'
import { rebuildSiteStats } from '../voices/rebuild-stats'
import { changeSite, createSite, loadSiteInAnyState, siteJson, sitesVisibleTo } from './service'
import { deleteSite, restoreSite } from './lifecycle'
import { KeyCreate, SiteCreate, SitePatch } from './inputs'
import { apiDocsFor } from '../common/api-docs'
import type { Out } from '../common/outputs'
import { SentimentRescored, SiteKeyCreated, SiteKeyList, SiteOut, SitePage, StatsRebuilt } from './outputs'
import { rescoreSite } from '../voices/rescore'

const SitesQuery = v.object({
  limit: v.optional(LimitParam(100)),
  cursor: v.optional(v.string()),
})

const RescoreQuery = v.object({ cursor: v.optional(v.string()) })

/** What each route below says about itself in the API description (GET /openapi.json; src/common/api-docs.ts). */
const doc = apiDocsFor({ tag: 'Sites' })

const docs = {
  list: doc({
    summary: 'List sites',
    description: 'By id, a page at a time (next_cursor continues until it is null). A site key sees its own site only.',
    responses: { 200: { description: 'A page of sites.', schema: SitePage } },
  }),
  create: doc({
    summary: 'Create a site',
    description:
      'A new site needs its shop’s language and time zone: `settings.lang` and `settings.time_zone`. A Japanese shop may give either (`ja` brings `Asia/Tokyo`, and `Asia/Tokyo` brings `ja`); a site given neither is refused with 400.',
    operatorOnly: true,
    errors: ['conflict'],
    responses: { 201: { description: 'The site (Location: its URL).', schema: SiteOut } },
  }),
  read: doc({
    summary: 'Read a site',
    description:
      'Also a deleted shop: `deletion` says whether it can still be restored (until `purge_after`) or how far its purge has gone.',
    errors: ['not_found'],
    responses: { 200: { description: 'The site.', schema: SiteOut } },
  }),
  change: doc({
    summary: 'Change a site',
    description: 'Name, storefront and embed origins, settings; what is left out stays.',
    errors: ['not_found'],
    responses: { 200: { description: 'The site as changed.', schema: SiteOut } },
  }),
  remove: doc({
    summary: 'Delete a site',
    description:
      'At once every public document and every road in answers 410 Gone, the site’s keys stop working and its slug stays reserved. For 30 days `POST /api/sites/{site}/restore` brings it back as it was; then the cron deletes its rows in bounded batches (`deletion` in the answer says how far it has gone).',
    operatorOnly: true,
    errors: ['not_found', 'gone'],
    responses: { 200: { description: 'The site as deleted (see `deletion`).', schema: SiteOut } },
  }),
  restore: doc({
    summary: 'Restore a deleted site',
    description: 'Within the 30 days after its deletion, before the purge begins; refused with 409 after.',
    operatorOnly: true,
    errors: ['not_found', 'conflict'],
    responses: { 200: { description: 'The site, live again.', schema: SiteOut } },
  }),
  createKey: doc({
    summary: 'Issue a site key',
    description: 'The key (gh_sk_…) is in this answer once; only its SHA-256 is stored.',
    operatorOnly: true,
    errors: ['not_found'],
    responses: { 201: { description: 'The new key.', schema: SiteKeyCreated } },
  }),
  keys: doc({
    summary: "List a site's keys",
    description: 'Their ids, labels and prefixes, never the keys.',
    operatorOnly: true,
    errors: ['not_found'],
    responses: { 200: { description: 'The keys, newest first.', schema: SiteKeyList } },
  }),
  rebuildStats: doc({
    summary: "Recompute a site's counters",
    description: 'The repair when counters have drifted: scans the site’s voices and moderation log.',
    operatorOnly: true,
    errors: ['not_found'],
    responses: {
      200: { description: 'What was recounted: counter rows written, voices read.', schema: StatsRebuilt },
    },
  }),
  rescore: doc({
    summary: 'Suggest sentiment again',
    description:
      'Makes the sentiment suggestion again, with today’s reader and what the site’s staff taught, for the site’s voices whose sentiment is still a suggestion (or none). Staff’s choices and reviews’ stars are never touched. Reads at most 100 voices, newest received first; call again with next_cursor until it is null.',
    errors: ['not_found', 'invalid_input'],
    responses: { 200: { description: 'Voices read and suggestions changed in this run.', schema: SentimentRescored } },
  }),
  revokeKey: doc({
    summary: 'Revoke a site key',
    params: { key: "The key's id." },
    operatorOnly: true,
    errors: ['not_found'],
    responses: { 204: { description: 'Revoked.', media: null } },
  }),
}

/** /api/sites — sites and their keys. Auth is applied by the API router. */
export const siteRoutes = newRouter()
  .get('/', docs.list, queryOf(SitesQuery), async (c) => {
    const q = c.req.valid('query')
    const page = await sitesVisibleTo(getDb(c.env.DB), c.var.principal, numberIdParam(q.cursor) ?? 0, q.limit ?? 100)
    return c.json({
      items: page.items.map((site) => siteJson(site, c.var.now())),
      next_cursor: page.next === null ? null : idCursor(page.next),
    } satisfies Out<typeof SitePage>)
  })
  .post('/', docs.create, jsonBody(SiteCreate), async (c) => {
    const site = await createSite(getDb(c.env.DB), c.var.principal, c.req.valid('json'), c.var.now())
    return c.json(siteJson(site, c.var.now()), 201, { Location: `/api/sites/${site.slug}` })
  })
  .get('/:site', docs.read, async (c) => {
    const site = await loadSiteInAnyState(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.json(siteJson(site, c.var.now()))
  })
  .patch('/:site', docs.change, jsonBody(SitePatch), async (c) => {
    const slug = pathParam(c.req.param('site'))
    const site = await changeSite(getDb(c.env.DB), c.var.principal, slug, c.req.valid('json'), c.var.now())
    return c.json(siteJson(site, c.var.now()))
  })
  .delete('/:site', docs.remove, async (c) => {
    const site = await deleteSite(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), c.var.now())
    return c.json(siteJson(site, c.var.now()))
  })
  .post('/:site/restore', docs.restore, async (c) => {
    const site = await restoreSite(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')), c.var.now())
    return c.json(siteJson(site, c.var.now()))
  })
  .post('/:site/keys', docs.createKey, jsonBody(KeyCreate), async (c) => {
    const { label } = c.req.valid('json')
    const key = await createSiteKey(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      label ?? 'API key',
      c.var.now(),
    )
    return c.json(key, 201)
  })
  .get('/:site/keys', docs.keys, async (c) => {
    const items = await siteKeys(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.json({ items } satisfies Out<typeof SiteKeyList>)
  })
  // Recomputes the site's counters from its voices: the repair when counters have drifted.
  .post('/:site/stats/rebuild', docs.rebuildStats, async (c) => {
    const result = await rebuildSiteStats(getDb(c.env.DB), c.var.principal, pathParam(c.req.param('site')))
    return c.json(result satisfies Out<typeof StatsRebuilt>)
  })
  // Re-scoring: the suggestions made again, a bounded run at a time.
  .post('/:site/sentiment/rescore', docs.rescore, queryOf(RescoreQuery), async (c) => {
    const { cursor } = c.req.valid('query')
    const result = await rescoreSite(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      cursor,
      c.var.now(),
    )
    return c.json(result satisfies Out<typeof SentimentRescored>)
  })
  .delete('/:site/keys/:key', docs.revokeKey, async (c) => {
    await revokeSiteKey(
      getDb(c.env.DB),
      c.var.principal,
      pathParam(c.req.param('site')),
      pathParam(c.req.param('key')),
      c.var.now(),
    )
    return c.body(null, 204)
  })
