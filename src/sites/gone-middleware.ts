/**
 * Refuses every request to a deleted shop's ingest roads with 410 Gone (./deleted.ts), before
 * the protocol reads its body: mounted by the app on the paths that name a site (`:site`). One
 * indexed read of the site row; the road's own lookup still answers an unknown slug as before.
 */
import type { Context, MiddlewareHandler } from 'hono'

import { problem } from '../common/errors'
import { getDb } from '../db/client'
import type { AppEnv } from '../env'
import { isDeleted, siteGone } from './deleted'
import { findSiteBySlug } from './store'

/** How a road says "gone" in its own format (TrackBack's XML, an XML-RPC fault); JSON otherwise. */
export type GoneAnswer = (c: Context<AppEnv>, message: string) => Response

const asJson: GoneAnswer = (c, message) => problem(c, 'gone', message)

export const refuseDeletedSite = (answer: GoneAnswer = asJson): MiddlewareHandler<AppEnv> =>
  async function refuseDeletedSite(c, next) {
    const slug = c.req.param('site')
    if (slug) {
      const site = await findSiteBySlug(getDb(c.env.DB), slug)
      if (site && isDeleted(site)) return answer(c, siteGone(site.slug).message)
    }
    await next()
  }
