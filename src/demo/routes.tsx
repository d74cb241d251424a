import { getDb } from '../db/client'
import { newRouter } from '../env'
import { readFeed } from '../feeds/service'
import { AppError } from '../shared/errors'
import { DemoPage, NoDemoPage } from './page'
import { DEMO_SITE, DEMO_TARGET } from './seed'

/** GET / — the demo storefront page for the demo target. */
export const demoRoutes = newRouter().get('/', async (c) => {
  const feedUrl = new URL(`/feeds/${DEMO_SITE}.json?target=${DEMO_TARGET}`, c.req.url)
  try {
    const { doc } = await readFeed(getDb(c.env.DB), DEMO_SITE, { target: DEMO_TARGET, limit: 50, cursor: null }, feedUrl, [])
    return c.html(<DemoPage feed={doc!} feedUrl={feedUrl.toString()} />)
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') return c.html(<NoDemoPage />)
    throw err
  }
})
