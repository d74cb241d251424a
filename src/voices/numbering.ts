/**
 * Publication numbers (`mentions.pub_seq`): each site numbers its voices 1, 2, 3… in the order
 * they are first published, and numbered jf2 pages are windows of these numbers
 * (src/feeds/jf2-store.ts), so a page deep in a site of a million voices is read like the first.
 *
 * A voice gets its number in the statement that publishes it: the store's writes of a voice
 * (`insertVoiceIfNew`, `insertVoiceIfNewWhere`, `updateVoiceIfRev` in ./store.ts) add it
 * whenever the voice they write is published and has none. D1 runs one statement at a time, so
 * two publications never read the same highest number. A number is never changed nor given
 * again: a voice taken down and restored keeps its own and comes back in its place, like its
 * publication time.
 */
import { and, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { voices } from '../db/schema'
import { bumpDataVersion } from '../sites/store'

/**
 * The highest (or lowest) publication number the site gave, or NULL before its first: the higher
 * (lower) of the ends of feed_pub_seq (published voices) and mentions_pub_seq_hidden (voices taken
 * down since), one index entry each. `siteId` may be a subquery, or the written row's `site_id`.
 */
export const edgePubSeq = (siteId: number | SQL, end: 'highest' | 'lowest'): SQL => {
  const order = sql.raw(end === 'highest' ? 'DESC' : 'ASC')
  return sql`(SELECT ${sql.raw(end === 'highest' ? 'max' : 'min')}(n) FROM (
    SELECT * FROM (SELECT shown.pub_seq AS n FROM mentions AS shown WHERE shown.site_id = ${siteId}
      AND shown.status = 'published' AND shown.pub_seq IS NOT NULL ORDER BY shown.pub_seq ${order} LIMIT 1)
    UNION ALL
    SELECT * FROM (SELECT hidden.pub_seq AS n FROM mentions AS hidden WHERE hidden.site_id = ${siteId}
      AND hidden.pub_seq IS NOT NULL AND hidden.status <> 'published' ORDER BY hidden.pub_seq ${order} LIMIT 1)))`
}

/** The site's next publication number: one more than the highest it gave, published or since taken down. */
export const nextPubSeq = (siteId: number | SQL): SQL => sql`(coalesce(${edgePubSeq(siteId, 'highest')}, 0) + 1)`

/** A new voice's row as inserted: numbered when it is published. */
export const numberedRow = <R extends { siteId: number; status: string }>(row: R): R | (R & { pubSeq: SQL }) =>
  row.status === 'published' ? { ...row, pubSeq: nextPubSeq(row.siteId) } : row

/** A change of a voice as written: one that publishes it numbers it, unless it has its number already. */
export const numberedChanges = <C extends { status?: string | undefined }>(changes: C): C | (C & { pubSeq: SQL }) =>
  changes.status === 'published'
    ? { ...changes, pubSeq: sql`coalesce(${voices.pubSeq}, ${nextPubSeq(sql`${voices.siteId}`)})` }
    : changes

/** How many unnumbered voices one scheduled run numbers. */
const LATE_PER_RUN = 100

/**
 * Numbers voices published without a number, oldest first: by the release before numbers
 * existed, while the migrations were applied and before the new Worker took over, or after a
 * rollback to it (the index mentions_unnumbered holds only those, so a run with none reads
 * nothing). Each is numbered as if published now — it joins the top of the numbered pages — and
 * its site's data version moves so cached pages show it. Returns how many it numbered.
 */
export async function numberLatePublications(db: Db): Promise<number> {
  const late = await db
    .select({ id: voices.id, siteId: voices.siteId })
    .from(voices)
    .where(and(isNull(voices.pubSeq), isNotNull(voices.publishedAt)))
    .orderBy(voices.publishedAt, voices.id)
    .limit(LATE_PER_RUN)
    .all()
  const [first, ...rest] = late.map((v) =>
    db
      .update(voices)
      .set({ pubSeq: nextPubSeq(v.siteId) })
      .where(and(eq(voices.id, v.id), isNull(voices.pubSeq))),
  )
  if (!first) return 0
  const sites = [...new Set(late.map((v) => v.siteId))]
  await db.batch([first, ...rest, ...sites.map((siteId) => bumpDataVersion(db, siteId))])
  return late.length
}
