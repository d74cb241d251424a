import { getDb } from '../db/client'
import { isDevelopment, newRouter } from '../env'
import { findSiteBySlug } from '../sites/store'
import { findTarget } from '../targets/store'
import { DemoPage, HubHomePage, NoDemoPage } from './page'
import { DEMO_SITE, DEMO_TARGET } from './seed'

/**
 * GET / — in development, the demo storefront page of the demo target, with the widget; on a
 * deployed hub, a short page saying what the hub is (a shop's site named "demo" is not a demo).
 */
export const demoRoutes = newRouter().get('/', async (c) => {
  if (!isDevelopment(c.env)) return c.html(<HubHomePage />, 200, { 'Cache-Control': 'public, max-age=300' })
  const db = getDb(c.env.DB)
  const site = await findSiteBySlug(db, DEMO_SITE)
  const target = site ? await findTarget(db, site.id, DEMO_TARGET) : undefined
  if (!site || !target) return c.html(<NoDemoPage />)
  const feedUrl = new URL(`/feeds/${DEMO_SITE}.json?target=${DEMO_TARGET}`, c.req.url).toString()
  return c.html(
    <DemoPage site={site.slug} siteName={site.name} target={target.id} title={target.title} feedUrl={feedUrl} />,
  )
})
