import { and, asc, count, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { chunked, VALUES_PER_LIST } from '../db/chunks'
import { insertWhere } from '../db/insert-where'
import { voices, moderationEvents, responses, reviewRevisions } from '../db/schema'
import { voiceHasRev } from '../stats/store'
import { numberedChanges, numberedRow } from './numbering'

export type VoiceRow = typeof voices.$inferSelect
export type ResponseRow = typeof responses.$inferSelect

export const findVoice = (db: Db, id: string) => db.select().from(voices).where(eq(voices.id, id)).get()

/** The voice a source page made about a target, unexecuted (for batches); `findVoiceBySource` runs it. */
export const voiceBySource = (db: Db, siteId: number, targetId: string, sourceUrl: string) =>
  db
    .select()
    .from(voices)
    .where(and(eq(voices.siteId, siteId), eq(voices.targetId, targetId), eq(voices.sourceUrl, sourceUrl)))
    .limit(1)

export const findVoices = (db: Db, ids: string[]) => db.select().from(voices).where(inArray(voices.id, ids)).all()

export const findVoiceBySource = (db: Db, siteId: number, targetId: string, sourceUrl: string) =>
  voiceBySource(db, siteId, targetId, sourceUrl).get()

/** Inserts a voice unless one with the same (site, target, source URL) exists; a published one is numbered (./numbering.ts). */
export const insertVoiceIfNew = (db: Db, row: VoiceRow) =>
  db.insert(voices).values(numberedRow(row)).onConflictDoNothing()

/** As `insertVoiceIfNew`, and only if `condition` holds when the batch runs. */
export const insertVoiceIfNewWhere = (db: Db, row: VoiceRow, condition: SQL) =>
  insertWhere(db, voices, numberedRow(row), condition).onConflictDoNothing()

type DuplicateKey = { siteId: number; targetId: string; sourceUrl: string; insertedId: string }

/** The existing voice with this (target, source) — not the one this batch just inserted. */
const duplicateOf = (key: DuplicateKey) =>
  and(
    eq(voices.siteId, key.siteId),
    eq(voices.targetId, key.targetId),
    eq(voices.sourceUrl, key.sourceUrl),
    sql`${voices.id} <> ${key.insertedId}`,
  )

/** True while the voice with this (target, source) — new or not — is published. */
export const voiceIsPublished = (key: Omit<DuplicateKey, 'insertedId'>): SQL =>
  sql`EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${key.siteId} AND ${voices.targetId} = ${key.targetId}
    AND ${voices.sourceUrl} = ${key.sourceUrl} AND ${voices.status} = 'published')`

/** True while no voice of the site has this (target, source page): guards moving a voice to another target. */
export const noVoiceAt = (siteId: number, targetId: string, sourceUrl: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${siteId} AND ${voices.targetId} = ${targetId} AND ${voices.sourceUrl} = ${sourceUrl})`

/** No voice of the site, whatever its target or kind, has this source page (a watched feed's entry is added once). */
export const noVoiceOfSiteAt = (siteId: number, sourceUrl: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${siteId} AND ${voices.sourceUrl} = ${sourceUrl})`

/** Which of these source pages are already voices of the site (one query per 90 pages). */
export async function sourcesOfSite(db: Db, siteId: number, urls: readonly string[]): Promise<Set<string | null>> {
  const found = await Promise.all(
    chunked(urls, VALUES_PER_LIST).map((chunk) =>
      db
        .selectDistinct({ url: voices.sourceUrl })
        .from(voices)
        .where(and(eq(voices.siteId, siteId), inArray(voices.sourceUrl, chunk)))
        .all(),
    ),
  )
  return new Set(found.flat().map((r) => r.url))
}

/** Refreshes an existing voice from a repeated delivery. */
export const refreshDuplicate = (db: Db, key: DuplicateKey, fields: Partial<VoiceRow>) =>
  db.update(voices).set(fields).where(duplicateOf(key))

/** Queues a new check of an existing voice's source unless one is already waiting (changes = 1 when queued). */
export const queueCheckOfDuplicate = (db: Db, key: DuplicateKey) =>
  db
    .update(voices)
    .set({ verifyState: 'queued', verifyAttempts: 0 })
    .where(and(duplicateOf(key), sql`${voices.verifyState} IS NOT 'queued'`))

/** What a write may change of a voice: anything but its publication number, which is the database's to give. */
export type VoiceChanges = Partial<Omit<VoiceRow, 'pubSeq'>>

/**
 * Applies `changes` only if nobody wrote the voice since it was read (rev unchanged) and `guard`
 * holds; a change that publishes the voice numbers it (./numbering.ts).
 */
export const updateVoiceIfRev = (db: Db, id: string, rev: string, changes: VoiceChanges, guard?: SQL) =>
  db
    .update(voices)
    .set(numberedChanges(changes))
    .where(and(eq(voices.id, id), eq(voices.rev, rev), guard))

/** Inserts a response only inside the batch whose voice write took effect. */
export const insertResponseIfRev = (db: Db, row: ResponseRow, rev: string) =>
  insertWhere(db, responses, row, voiceHasRev(row.voiceId, rev))

export type ModerationRow = Omit<typeof moderationEvents.$inferInsert, 'id'>

/** Rebuilds the voice's copy of its responses from the responses table (see ./responses-json.ts). */
export const refreshResponsesJson = (db: Db, voiceId: string, rev: string) =>
  db
    .update(voices)
    .set({
      // A withdrawn answer is a tombstone: when and why, never its words.
      responsesJson: sql`(SELECT coalesce(json_group_array(json_object('id', r.id, 'stage', r.stage,
        'body', CASE WHEN r.withdrawn_at IS NULL THEN r.body ELSE '' END,
        'author_name', r.author_name, 'author_role', r.author_role, 'created_at', r.created_at,
        'version', r.version, 'edited_at', r.edited_at, 'withdrawn_at', r.withdrawn_at,
        'withdrawn_reason', r.withdrawn_reason)), '[]')
        FROM (SELECT * FROM ${responses} WHERE ${responses.voiceId} = ${voiceId} ORDER BY ${responses.createdAt}, ${responses.id}) AS r)`,
    })
    .where(and(eq(voices.id, voiceId), eq(voices.rev, rev)))

export const insertModerationIfRev = (db: Db, row: ModerationRow & { voiceId: string }, rev: string) =>
  insertWhere(db, moderationEvents, row, voiceHasRev(row.voiceId, rev))

/** The voice's responses as recorded (with where each one's announcement to the blog stands), oldest first. */
export const responsesOf = (db: Db, voiceId: string) =>
  db.select().from(responses).where(eq(responses.voiceId, voiceId)).orderBy(responses.createdAt, responses.id).all()

/** A review's earlier versions, oldest first: what each edit by its author replaced. */
export const revisionsOf = (db: Db, voiceId: string) =>
  db.select().from(reviewRevisions).where(eq(reviewRevisions.voiceId, voiceId)).orderBy(asc(reviewRevisions.id)).all()

export const moderationOf = (db: Db, voiceId: string) =>
  db.select().from(moderationEvents).where(eq(moderationEvents.voiceId, voiceId)).orderBy(moderationEvents.id).all()

/**
 * How many voices (at most `max`) one blog (src/common/blog.ts) brought after `since`: an
 * indexed read of at most `max` rows, however many voices the blog ever sent.
 */
const arrivalsUpTo = (siteId: number, blog: string, since: number, max: number): SQL =>
  sql`(SELECT count(*) FROM (SELECT 1 FROM ${voices} WHERE ${voices.siteId} = ${siteId}
    AND ${voices.sourceBlog} = ${blog} AND ${voices.receivedAt} > ${since} LIMIT CAST(${max} AS INTEGER)))`

/** True while fewer than `max` voices from one blog arrived after `since` (part of a new voice's guard). */
export const fewerArrivalsThan = (siteId: number, blog: string, since: number, max: number): SQL =>
  sql`${arrivalsUpTo(siteId, blog, since, max)} < ${max}`

/** The same count as a query, for saying which of a blog's limits refused a voice. */
export const arrivalsOf = (db: Db, siteId: number, blog: string, since: number, max: number) =>
  db.select({ n: count() }).from(
    db
      .select({ one: sql`1` })
      .from(voices)
      .where(and(eq(voices.siteId, siteId), eq(voices.sourceBlog, blog), gt(voices.receivedAt, since)))
      .limit(max)
      .as('recent'),
  )

/** True while the voice's source waits for a check (its check's message is not done yet). */
export const checkWaits = (voiceId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.id} = ${voiceId} AND ${voices.verifyState} = 'queued')`

/** True while the voice exists and no check of its source waits (a new one may be asked for). */
export const checkIdle = (voiceId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ${voices} WHERE ${voices.id} = ${voiceId} AND ${voices.verifyState} IS NOT 'queued')`

/** Published linked voices last checked before `before`, least recently first (the partial index mentions_recheck). */
export const rechecksDue = (db: Db, before: number, limit: number) =>
  db
    .select({ id: voices.id, siteId: voices.siteId })
    .from(voices)
    .where(and(sql`status = 'published' AND verify_state = 'verified'`, lt(voices.verifyRequestedAt, before)))
    .orderBy(voices.verifyRequestedAt, voices.id)
    .limit(limit)
    .all()

/**
 * Queues a new check of these published voices (those still published and checked), giving them
 * the rev `rev` (a statement for a batch; it returns the ids queued). The rev moves, so a write
 * planned on the voice as it was is planned again.
 */
export const queueRechecks = (db: Db, ids: string[], now: number, rev: string) =>
  db
    .update(voices)
    .set({ verifyState: 'queued', verifyAttempts: 0, verifyRequestedAt: now, rev })
    .where(and(inArray(voices.id, ids), sql`status = 'published' AND verify_state = 'verified'`))
    .returning({ id: voices.id })
