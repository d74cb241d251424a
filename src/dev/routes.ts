/**
 * Development-only routes (`ENVIRONMENT=development`, set in .dev.vars): seeding the
 * demo for `npm run dev`, and the seed and floor routes of `npm run bench`. In
 * production they do not exist (404).
 */
import { sql } from 'drizzle-orm'

import { getDb } from '../db/client'
import { mentions } from '../db/schema'
import { seedDemo } from '../demo/seed'
import { isDevelopment, newRouter } from '../env'
import { problem } from '../shared/errors'
import { seedBench } from './bench-seed'

export const devRoutes = newRouter()
  .use(async (c, next) => (isDevelopment(c.env) ? next() : problem(c, 'not_found', 'No such route')))
  .post('/seed', async (c) => c.json(await seedDemo(getDb(c.env.DB), Date.now())))
  .post('/bench/seed', async (c) => {
    const total = Number(c.req.query('mentions') ?? '1000')
    return c.json(await seedBench(c.env.DB, Number.isFinite(total) ? total : 1000))
  })
  // The bench's floor: one indexed query of a page of 20, the least any feed request must do.
  .get('/bench/floor', async (c) => {
    const rows = await getDb(c.env.DB)
      .select()
      .from(mentions)
      .where(sql`${mentions.siteId} = (SELECT id FROM sites WHERE slug = 'bench') AND ${mentions.status} = 'published'`)
      .orderBy(sql`${mentions.publishedAt} DESC, ${mentions.id} DESC`)
      .limit(20)
      .all()
    return c.json({ items: rows.length })
  })
