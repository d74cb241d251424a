/**
 * Re-scoring: the sentiment suggestion made again for a site's voices whose sentiment is still a
 * suggestion (or none), with today's reader and what the site's staff taught — so shops that were
 * gathering voices before a better reader shipped benefit from it. Staff's choices and reviews'
 * stars are never touched. Bounded: one run reads at most `RESCORE_PAGE` voices (newest received
 * first) and hands back where to go on; each changed voice is written with the counters it moves,
 * guarded by its rev, in one batch per run.
 */
import { and, desc, eq, lt, or } from 'drizzle-orm'

import { cursorParam, positionCursor } from '../common/cursor'
import type { Principal } from '../common/principal'
import { batchAll, type Db } from '../db/client'
import { voices } from '../db/schema'
import { wordsOf } from '../sentiment/fields'
import { suggest, UNSURE } from '../sentiment/suggest'
import { learnedFor } from '../sentiment/learning-store'
import { loadSite } from '../sites/service'
import { bumpDataVersion } from '../sites/store'
import { planWrite } from './write'

export const RESCORE_PAGE = 100

export type Rescored = { read: number; changed: number; next_cursor: string | null }

export async function rescoreSite(
  db: Db,
  p: Principal,
  slug: string,
  cursor: string | undefined,
  now: number,
): Promise<Rescored> {
  const after = cursorParam(cursor)
  const site = await loadSite(db, p, slug)
  const rows = await db
    .select()
    .from(voices)
    .where(
      and(
        eq(voices.siteId, site.id),
        after === null
          ? undefined
          : or(lt(voices.receivedAt, after.time), and(eq(voices.receivedAt, after.time), lt(voices.id, after.id))),
      ),
    )
    .orderBy(desc(voices.receivedAt), desc(voices.id))
    .limit(RESCORE_PAGE)
  const learned = await learnedFor(db, site.id)
  const plans = rows.flatMap((v) => {
    // Staff's choice and a review's stars stand; only suggestions (or none) are made again.
    if (v.rating !== null || (v.sentimentBy !== null && v.sentimentBy !== 'suggested')) return []
    const { sentiment, confidence } = suggest(wordsOf(v.title, v.excerpt), learned)
    if (sentiment === null || sentiment === v.sentiment) return []
    // Where the local reader is unsure, a model service may have answered (src/sentiment/suggester.ts): keep it.
    if (v.sentiment !== null && confidence < UNSURE) return []
    return [planWrite(db, v, { changes: { sentiment, sentimentBy: 'suggested', updatedAt: now } })]
  })
  let changed = 0
  if (plans.length > 0) {
    const results = await batchAll(db, [
      ...plans.flatMap((plan) => [plan.update, ...plan.items]),
      // Feeds count voices by sentiment: their caches go stale with any change shown.
      ...(plans.some((plan) => plan.shown)
        ? [bumpDataVersion(db, site.id, or(...plans.filter((plan) => plan.shown).map((plan) => plan.written)))]
        : []),
    ])
    let at = 0
    for (const plan of plans) {
      // A voice written meanwhile (by staff, by its check) kept what that write gave it.
      if ((results[at] as D1Result).meta.changes === 1) changed++
      at += 1 + plan.items.length
    }
  }
  const last = rows.length === RESCORE_PAGE ? rows.at(-1) : undefined
  return {
    read: rows.length,
    changed,
    next_cursor: last ? positionCursor({ time: last.receivedAt, id: last.id }) : null,
  }
}
