/**
 * Storing a new voice, whatever channel brought it. One batch: insert unless the
 * (target, source) pair or the id exists, refresh the text of the existing voice
 * otherwise, move the counters only if the insert happened, bump the site's version
 * only if a published voice was written.
 * Concurrent deliveries of the same voice therefore make one row and count once.
 */
import type { SQL } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'

import type { Db } from '../db/client'
import { newId, randomToken } from '../common/crypto'
import { blogOf } from '../common/blog'
import { hostOf } from '../common/url'
import { bumpDataVersion } from '../sites/store'
import { deltaBetween } from '../stats/counters'
import { voiceHasRev, statsUpdate } from '../stats/store'
import {
  findVoice,
  findVoiceBySource,
  insertVoiceIfNew,
  insertVoiceIfNewWhere,
  type VoiceRow,
  queueCheckOfDuplicate,
  refreshDuplicate,
  voiceIsPublished,
} from './store'

export type NewVoice = Pick<VoiceRow, 'siteId' | 'targetId' | 'kind' | 'status'> &
  Partial<Omit<VoiceRow, 'siteId' | 'targetId' | 'kind' | 'status'>>

/**
 * A complete row for a new voice: what the channel knows, nulls for the rest. A voice
 * created published gets its publication time (the feed's order key) now, and its publication
 * number when it is stored (./numbering.ts).
 */
export function newVoiceRow(voice: NewVoice, now: number): VoiceRow {
  const sourceUrl = voice.sourceUrl ?? null
  return {
    id: newId('m'),
    targetPending: false,
    sourceUrl,
    sourceUrlSent: null,
    sourceHost: sourceUrl ? hostOf(sourceUrl) : null,
    sourceBlog: sourceUrl ? blogOf(sourceUrl) : null,
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
    pubSeq: null,
    firstResponseAt: null,
    apologizedAt: null,
    resolvedAt: null,
    responsesJson: '[]',
    rev: randomToken(16),
    verifyState: null,
    verifyReason: null,
    verifyHttpStatus: null,
    verifyRequestedAt: null,
    verifyAttempts: 0,
    voiceType: null,
    sourcePublished: null,
    invitationId: null,
    authorVerdict: null,
    authorVerdictAt: null,
    editedAt: null,
    partnerId: null,
    photos: [],
    importId: null,
    importKey: null,
    importAbout: null,
    // A sentiment given with a new voice is someone's choice (the demo seed's, a review's rating), not a guess.
    sentimentBy: voice.sentiment ? 'operator' : null,
    ...voice,
  }
}

export type RecordedVoice = {
  voiceId: string
  created: boolean
  /** A check of the source was queued by this delivery (a new voice, or a repeat that asked for one). */
  checkQueued: boolean
}

/** What a repeated delivery of an existing voice (same target and source page) does to it. */
export type Repeat = {
  /** Fields the repeat refreshes, e.g. a TrackBack ping's new title and excerpt. */
  refresh: Partial<Pick<VoiceRow, 'title' | 'excerpt' | 'blogName' | 'sourceUrlSent'>>
  /**
   * Ask for a new check of the source page. A check already waiting absorbs the request
   * (quick re-sends coalesce); the voice's rev moves, so a check that is running right now
   * notices that its copy of the page may be stale and fetches again.
   */
  recheck: boolean
  /**
   * Statements for the same batch, run after the new voice's insert and before the existing
   * one's check is queued, each guarded by itself (e.g. the outbox message of the check asked
   * for, recorded only if the voice had none waiting).
   */
  also?: BatchItem<'sqlite'>[]
}

export async function recordVoice(db: Db, row: VoiceRow, repeat: Repeat): Promise<RecordedVoice> {
  const counters = statsUpdate(db, row.siteId, row.targetId, deltaBetween(null, row), voiceHasRev(row.id, row.rev))
  const key =
    row.sourceUrl === null
      ? null
      : { siteId: row.siteId, targetId: row.targetId, sourceUrl: row.sourceUrl, insertedId: row.id }
  const recheck = repeat.recheck ? { verifyRequestedAt: row.receivedAt, rev: randomToken(16) } : {}
  const queueCheck = key && repeat.recheck ? queueCheckOfDuplicate(db, key) : null
  // Feeds show published voices and the counters: only a published voice (new, or refreshed) moves their caches.
  const shown = key ? voiceIsPublished(key) : row.status === 'published' ? voiceHasRev(row.id, row.rev) : null
  const also = repeat.also ?? []
  const [inserted, ...rest] = await db.batch([
    insertVoiceIfNew(db, row),
    ...also,
    // Right after those, so its result is rest[also.length] when present.
    ...(queueCheck ? [queueCheck] : []),
    ...(key ? [refreshDuplicate(db, key, { ...repeat.refresh, ...recheck, updatedAt: row.updatedAt })] : []),
    ...(counters ? [counters] : []),
    ...(shown ? [bumpDataVersion(db, row.siteId, shown)] : []),
  ])
  if (inserted.meta.changes === 1) return { voiceId: row.id, created: true, checkQueued: row.verifyState === 'queued' }
  const existing =
    row.sourceUrl === null
      ? await findVoice(db, row.id)
      : await findVoiceBySource(db, row.siteId, row.targetId, row.sourceUrl)
  return {
    voiceId: existing?.id ?? row.id,
    created: false,
    checkQueued: queueCheck !== null && (rest[also.length] as D1Result).meta.changes === 1,
  }
}

/**
 * Stores a new voice only if `condition` holds and its (target, source) has no voice yet —
 * the intake's one-statement path (a pending voice moves no counter and no feed). True when
 * it was stored; anything else (a repeat, a refused condition) is for the caller to sort out.
 * `also`: statements for the same batch, each guarded by the voice's insert (e.g. its check's
 * outbox message).
 */
export async function insertVoiceIf(
  db: Db,
  row: VoiceRow,
  condition: SQL,
  also: readonly BatchItem<'sqlite'>[] = [],
): Promise<boolean> {
  const written = voiceHasRev(row.id, row.rev)
  const counters = statsUpdate(db, row.siteId, row.targetId, deltaBetween(null, row), written)
  const [inserted] = await db.batch([
    insertVoiceIfNewWhere(db, row, condition),
    ...also,
    ...(counters ? [counters] : []),
    ...(row.status === 'published' ? [bumpDataVersion(db, row.siteId, written)] : []),
  ])
  return inserted.meta.changes === 1
}
