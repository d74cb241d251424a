/**
 * `npm run bench`'s listening part: sites with watched feeds served by the bench script itself
 * (on loopback, which the bench's hub allows), and one scheduled run's work — the run's own
 * code, `listen()`, against the local D1 — or its floor: the same feeds only fetched.
 */
import { eq, inArray } from 'drizzle-orm'

import { policyOf } from '../common/address-policy'
import { fetchSource } from '../common/fetch-source'
import { getDb } from '../db/client'
import { sites, watches } from '../db/schema'
import { FEED_LIMITS, listen } from '../listening/run'
import { dueWatches, insertWatch } from '../listening/store'
import { MAX_WATCHES, newWatchRow } from '../listening/watches'
import { insertSite } from '../sites/store'

const slugOf = (i: number) => `bench-listen-${i}`

/** `count` watches (20 a site) of `${feedBase}/feed/{n}.xml`, all due now, on fresh sites. */
export async function seedListening(d1: D1Database, feedBase: string, count: number, now: number) {
  const db = getDb(d1)
  const siteCount = Math.ceil(count / MAX_WATCHES)
  for (let i = 0; i < siteCount; i++) {
    await insertSite(db, {
      slug: slugOf(i),
      name: `Listening bench ${i}`,
      origins: [`https://${slugOf(i)}.example`],
      embedOrigins: [],
      settings: {},
      createdAt: now,
    })
  }
  const rows = await db
    .select({ id: sites.id, slug: sites.slug })
    .from(sites)
    .where(
      inArray(
        sites.slug,
        Array.from({ length: siteCount }, (_, i) => slugOf(i)),
      ),
    )
    .all()
  const ids = new Map(rows.map((r) => [r.slug, r.id]))
  for (let n = 0; n < count; n++) {
    const siteId = ids.get(slugOf(Math.floor(n / MAX_WATCHES)))
    if (siteId === undefined) throw new Error('bench site missing')
    await insertWatch(
      db,
      newWatchRow(
        {
          id: `wt_bench${String(n).padStart(4, '0')}`,
          siteId,
          feedUrl: `${feedBase}/feed/${n}.xml`,
          keywords: ['Glasshouse Goods', 'グラスハウス'],
        },
        now,
      ),
    )
  }
  return { sites: siteCount, watches: count }
}

/** One scheduled run's listening at `now`, as the cron does it. */
export const benchListen = (env: Env, now: number) => listen({ db: getDb(env.DB), policy: policyOf(env) }, now)

/** The floor of a run at `now`: the feeds it would read, fetched five at a time and thrown away (no parsing, no writes). */
export async function benchListenFloor(env: Env, now: number, limit: number) {
  const due = await dueWatches(getDb(env.DB), now, limit)
  const policy = policyOf(env)
  for (let i = 0; i < due.length; i += 5)
    await Promise.all(due.slice(i, i + 5).map((w) => fetchSource(w.feedUrl, policy, FEED_LIMITS, { read: ['xml'] })))
  return { feeds: due.length }
}

/** Makes every bench watch due again (as after an hour) without touching its validators. */
export const benchWatchesDue = (env: Env, now: number) =>
  getDb(env.DB).update(watches).set({ nextFetchAt: now }).where(eq(watches.failures, 0)).run()
