/**
 * Storing a new voice, whatever channel brought it. One batch: insert unless the
 * (target, source) pair or the id exists, refresh the text of the existing voice
 * otherwise, move the counters only if the insert happened, bump the site's version.
 * Concurrent deliveries of the same voice therefore make one row and count once.
 */
import type { Db } from '../db/client'
import { bumpDataVersion } from '../sites/store'
import { deltaBetween } from '../stats/counters'
import { mentionHasRev, statsUpdate } from '../stats/store'
import { findMention, findMentionBySource, insertMentionIfNew, type MentionRow, refreshDuplicate } from './store'

export type RecordedVoice = { mentionId: string; created: boolean }

export async function recordVoice(db: Db, row: MentionRow): Promise<RecordedVoice> {
  const counters = statsUpdate(db, row.siteId, row.targetId, deltaBetween(null, row), mentionHasRev(row.id, row.rev))
  const refresh =
    row.sourceUrl === null
      ? []
      : [
          refreshDuplicate(
            db,
            { siteId: row.siteId, targetId: row.targetId, sourceUrl: row.sourceUrl, insertedId: row.id },
            { title: row.title, excerpt: row.excerpt, blogName: row.blogName, updatedAt: row.updatedAt }
          ),
        ]
  const [inserted] = await db.batch([
    insertMentionIfNew(db, row),
    ...refresh,
    ...(counters ? [counters] : []),
    bumpDataVersion(db, row.siteId),
  ])
  if (inserted.meta.changes === 1) return { mentionId: row.id, created: true }
  const existing =
    row.sourceUrl === null
      ? await findMention(db, row.id)
      : await findMentionBySource(db, row.siteId, row.targetId, row.sourceUrl)
  return { mentionId: existing?.id ?? row.id, created: false }
}
