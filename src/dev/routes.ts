/**
 * Development-only routes (`ENVIRONMENT=development`, set in .dev.vars): seeding the
 * demo for `npm run dev`, and the seed and floor routes of `npm run bench`. In
 * production they do not exist (404).
 */
import { sql } from 'drizzle-orm'

import { getDb } from '../db/client'
import { voices } from '../db/schema'
import { seedDemo } from '../demo/seed'
import { isDevelopment, newRouter } from '../env'
import { problem } from '../common/errors'
import { BENCH_LINK, seedBench } from './bench-seed'
import { benchListen, benchListenFloor, benchWatchesDue, seedListening } from './bench-listening'
import { WATCHES_PER_RUN } from '../listening/run'
import { newVoiceRow } from '../voices/ingest'
import { newId } from '../common/crypto'
import { findSiteBySlug } from '../sites/store'
import { benchExportStart, benchExportStep } from './bench-export'
import { benchFeedIdle, benchImportStart, benchImportStep } from './bench-import'
import { benchShopCounts } from './bench-shopify'
import { type BenchVoice, benchRead, benchTime } from './bench-sentiment'

/** The bench site's id, looked up once so the ingest floor stays one insert. */
let benchSiteId: number | null = null

export const devRoutes = newRouter()
  .use(async (c, next) => (isDevelopment(c.env) ? next() : problem(c, 'not_found', 'No such route')))
  .post('/seed', async (c) =>
    c.json(await seedDemo(getDb(c.env.DB), c.var.now(), c.env.WEBHOOK_SECRETS_KEY, new URL(c.req.url).origin)),
  )
  // The export bench (./bench-export.ts): start an export of the bench site, then take it a step at a time.
  .post('/bench/export/start', async (c) =>
    c.json(await benchExportStart(c.env, new URL(c.req.url).origin, c.var.now())),
  )
  .post('/bench/export/step', async (c) => c.json(await benchExportStep(c.env, c.req.query('id') ?? '', c.var.now())))
  // The import bench (./bench-import.ts): upload a WordPress export into the bench site, then take it a step at a time.
  .post('/bench/import/start', async (c) => {
    const declared = c.req.header('Content-Length')
    const length = declared !== undefined && /^\d{1,12}$/.test(declared) ? Number(declared) : null
    return c.json(await benchImportStart(c.env, { stream: c.req.raw.body, length }, c.var.now()))
  })
  .post('/bench/import/step', async (c) => c.json(await benchImportStep(c.env, c.req.query('id') ?? '', c.var.now())))
  .post('/bench/import/feed', async (c) => c.json(await benchFeedIdle(c.env, Number(c.req.query('n') ?? 50))))
  // The sentiment bench (./bench-sentiment.ts): voices read inside the Worker, and 2 KB voices timed there.
  .post('/bench/sentiment/read', async (c) => c.json(benchRead(await c.req.json<BenchVoice[]>())))
  .post('/bench/sentiment/time', async (c) =>
    c.json(benchTime(await c.req.json<string[]>(), Math.min(Number(c.req.query('repeat')) || 1, 200))),
  )
  .post('/bench/seed', async (c) => {
    const total = Number(c.req.query('mentions') ?? '1000')
    return c.json(await seedBench(c.env.DB, Number.isFinite(total) ? total : 1000))
  })
  // The bench's floor: one indexed query of a page of 20, the least any feed request must do.
  .get('/bench/floor', async (c) => {
    const rows = await getDb(c.env.DB)
      .select()
      .from(voices)
      .where(sql`${voices.siteId} = (SELECT id FROM sites WHERE slug = 'bench') AND ${voices.status} = 'published'`)
      .orderBy(sql`${voices.publishedAt} DESC, ${voices.id} DESC`)
      .limit(20)
      .all()
    return c.json({ items: rows.length })
  })
  // The listening bench (src/dev/bench-listening.ts): watches of feeds the bench serves, one run, its floor.
  .post('/bench/listen/seed', async (c) => {
    const count = Math.min(Math.max(Number(c.req.query('watches')) || 100, 1), 1000)
    return c.json(await seedListening(c.env.DB, c.req.query('feeds') ?? '', count, Number(c.req.query('now'))))
  })
  .post('/bench/listen/run', async (c) => c.json(await benchListen(c.env, Number(c.req.query('now')))))
  .post('/bench/listen/floor', async (c) =>
    c.json(await benchListenFloor(c.env, Number(c.req.query('now')), WATCHES_PER_RUN)),
  )
  .post('/bench/listen/due', async (c) => {
    await benchWatchesDue(c.env, Number(c.req.query('now')))
    return c.json({ ok: true })
  })
  // The warm feed's floor: a JSON document of the same size that touches no D1 (?bytes=, at most 256 KB).
  .get('/bench/no-db', (c) => {
    const bytes = Math.min(Math.max(Number(c.req.query('bytes')) || 0, 0), 256 * 1024)
    return c.json({ padding: 'x'.repeat(bytes) })
  })
  // The redirect's floor: a bare 302, the least any click can cost.
  .get(
    '/bench/redirect-floor',
    () =>
      new Response(null, {
        status: 302,
        headers: { Location: 'https://bench.example/products/p0001?gh_click=c_floor', 'Cache-Control': 'no-store' },
      }),
  )
  // How many clicks the queue consumer wrote for the bench link (the redirect bench's check).
  .get('/bench/clicks', async (c) => {
    const row = await c.env.DB.prepare('SELECT clicks FROM affiliate_links WHERE code = ?')
      .bind(BENCH_LINK)
      .first<{ clicks: number }>()
    return c.json({ clicks: row?.clicks ?? 0 })
  })
  // What the Shopify burst's deliveries came to (the Shopify bench's check: ./bench-shopify.ts).
  .get('/bench/shop', async (c) => {
    const counts = await benchShopCounts(c.env.DB, c.req.query('orders') ?? '')
    return counts ? c.json(counts) : problem(c, 'not_found', 'Seed the bench site first')
  })
  // The ingest floor: one D1 insert of a voice, the least any linkback request must do.
  .post('/bench/ingest-floor', async (c) => {
    benchSiteId ??= (await findSiteBySlug(getDb(c.env.DB), 'bench'))?.id ?? null
    if (benchSiteId === null) return problem(c, 'not_found', 'Seed the bench site first')
    const row = newVoiceRow(
      {
        siteId: benchSiteId,
        targetId: 'floor',
        kind: 'webmention',
        status: 'pending',
        sourceUrl: `https://floor.example/${newId('p')}`,
      },
      c.var.now(),
    )
    await getDb(c.env.DB).insert(voices).values(row)
    return c.json({ id: row.id }, 201)
  })
