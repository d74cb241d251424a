import { getDb } from '../db/client'
import { newRouter } from '../env'
import { findSiteBySlug } from '../sites/store'
import { findTarget } from '../targets/store'
import { DemoPage, NoDemoPage } from './page'
import { DEMO_SITE, DEMO_TARGET } from './seed'

/** GET / — the demo storefront page of the demo target, with the widget. */
export const demoRoutes = newRouter().get('/', async (c) => {
  const db = getDb(c.env.DB)
  const site = await findSiteBySlug(db, DEMO_SITE)
  const target = site ? await findTarget(db, site.id, DEMO_TARGET) : undefined
  if (!site || !target) return c.html(<NoDemoPage />)
  const feedUrl = new URL(`/feeds/${DEMO_SITE}.json?target=${DEMO_TARGET}`, c.req.url).toString()
  return c.html(
    <DemoPage site={site.slug} siteName={site.name} target={target.id} title={target.title} feedUrl={feedUrl} />,
  )
})
