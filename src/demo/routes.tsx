import { getDb } from '../db/client'
import { newRouter } from '../env'
import { buildFeed } from '../feeds/service'
import { findSiteBySlug } from '../sites/store'
import { DemoPage, NoDemoPage } from './page'
import { DEMO_SITE, DEMO_TARGET } from './seed'

/** GET / — the demo storefront page for the demo target. */
export const demoRoutes = newRouter().get('/', async (c) => {
  const db = getDb(c.env.DB)
  const site = await findSiteBySlug(db, DEMO_SITE)
  if (!site) return c.html(<NoDemoPage />)
  const feedUrl = new URL(`/feeds/${DEMO_SITE}.json?target=${DEMO_TARGET}`, c.req.url)
  const feed = await buildFeed(db, site, { target: DEMO_TARGET, limit: 50, cursor: null }, feedUrl)
  return c.html(<DemoPage feed={feed} feedUrl={feedUrl.toString()} />)
})
