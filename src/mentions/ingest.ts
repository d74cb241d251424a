/**
 * Storing a new voice, whatever channel brought it. One batch: insert unless the
 * (target, source) pair or the id exists, refresh the text of the existing voice
 * otherwise, move the counters only if the insert happened, bump the site's version.
 * Concurrent deliveries of the same voice therefore make one row and count once.
 */
import type { Db } from '../db/client'
import { newId, randomToken } from '../shared/crypto'
import { hostOf } from '../shared/url'
import { bumpDataVersion } from '../sites/store'
import { deltaBetween } from '../stats/counters'
import { mentionHasRev, statsUpdate } from '../stats/store'
import { findMention, findMentionBySource, insertMentionIfNew, type MentionRow, refreshDuplicate } from './store'

export type NewVoice = Pick<MentionRow, 'siteId' | 'targetId' | 'kind' | 'status'> &
  Partial<Omit<MentionRow, 'siteId' | 'targetId' | 'kind' | 'status'>>

/**
 * A complete row for a new voice: what the channel knows, nulls for the rest. A voice
 * created published gets its publication time (the feed's order key) now.
 */
export function newVoiceRow(voice: NewVoice, now: number): MentionRow {
  const sourceUrl = voice.sourceUrl ?? null
  return {
    id: newId('m'),
    sourceUrl,
    sourceHost: sourceUrl ? hostOf(sourceUrl) : null,
    title: null,
    excerpt: null,
    authorName: null,
    authorUrl: null,
    authorPhoto: null,
    blogName: null,
    rating: null,
    sentiment: null,
    disclosure: null,
    verifiedPurchase: false,
    receivedAt: now,
    verifiedAt: null,
    updatedAt: now,
    publishedAt: voice.status === 'published' ? now : null,
    firstResponseAt: null,
    responsesJson: '[]',
    rev: randomToken(16),
    ...voice,
  }
}

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
