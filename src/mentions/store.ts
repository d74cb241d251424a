import { and, count, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { insertWhere } from '../db/insert-where'
import {
  type MentionKind,
  type MentionStatus,
  mentions,
  moderationEvents,
  responses,
  type Sentiment,
} from '../db/schema'
import { mentionHasRev } from '../stats/store'

export type MentionRow = typeof mentions.$inferSelect
export type ResponseRow = typeof responses.$inferSelect

export const findMention = (db: Db, id: string) =>
  db.select().from(mentions).where(eq(mentions.id, id)).get()

/** The voice a source page made about a target, unexecuted (for batches); `findMentionBySource` runs it. */
export const mentionBySource = (db: Db, siteId: number, targetId: string, sourceUrl: string) =>
  db
    .select()
    .from(mentions)
    .where(and(eq(mentions.siteId, siteId), eq(mentions.targetId, targetId), eq(mentions.sourceUrl, sourceUrl)))
    .limit(1)

export const findMentions = (db: Db, ids: string[]) => db.select().from(mentions).where(inArray(mentions.id, ids)).all()

export const findMentionBySource = (db: Db, siteId: number, targetId: string, sourceUrl: string) =>
  mentionBySource(db, siteId, targetId, sourceUrl).get()

/** Inserts a voice unless one with the same (site, target, source URL) exists. */
export const insertMentionIfNew = (db: Db, row: MentionRow) =>
  db.insert(mentions).values(row).onConflictDoNothing()

/** As `insertMentionIfNew`, and only if `condition` holds when the batch runs. */
export const insertMentionIfNewWhere = (db: Db, row: MentionRow, condition: SQL) =>
  insertWhere(db, mentions, row, condition).onConflictDoNothing()

type DuplicateKey = { siteId: number; targetId: string; sourceUrl: string; insertedId: string }

/** The existing voice with this (target, source) — not the one this batch just inserted. */
const duplicateOf = (key: DuplicateKey) =>
  and(
    eq(mentions.siteId, key.siteId),
    eq(mentions.targetId, key.targetId),
    eq(mentions.sourceUrl, key.sourceUrl),
    sql`${mentions.id} <> ${key.insertedId}`
  )

/** True while the voice with this (target, source) — new or not — is published. */
export const voiceIsPublished = (key: Omit<DuplicateKey, 'insertedId'>): SQL =>
  sql`EXISTS (SELECT 1 FROM ${mentions} WHERE ${mentions.siteId} = ${key.siteId} AND ${mentions.targetId} = ${key.targetId}
    AND ${mentions.sourceUrl} = ${key.sourceUrl} AND ${mentions.status} = 'published')`

/** True while no voice of the site has this (target, source page): guards moving a voice to another target. */
export const noVoiceAt = (siteId: number, targetId: string, sourceUrl: string): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM ${mentions} WHERE ${mentions.siteId} = ${siteId} AND ${mentions.targetId} = ${targetId} AND ${mentions.sourceUrl} = ${sourceUrl})`

/** Refreshes an existing voice from a repeated delivery. */
export const refreshDuplicate = (db: Db, key: DuplicateKey, fields: Partial<MentionRow>) =>
  db.update(mentions).set(fields).where(duplicateOf(key))

/** Queues a new check of an existing voice's source unless one is already waiting (changes = 1 when queued). */
export const queueCheckOfDuplicate = (db: Db, key: DuplicateKey) =>
  db
    .update(mentions)
    .set({ verifyState: 'queued', verifyAttempts: 0 })
    .where(and(duplicateOf(key), sql`${mentions.verifyState} IS NOT 'queued'`))

/** Applies `changes` only if nobody wrote the voice since it was read (rev unchanged) and `guard` holds. */
export const updateMentionIfRev = (db: Db, id: string, rev: string, changes: Partial<MentionRow>, guard?: SQL) =>
  db
    .update(mentions)
    .set(changes)
    .where(and(eq(mentions.id, id), eq(mentions.rev, rev), guard))

/** Inserts a response only inside the batch whose mention write took effect. */
export const insertResponseIfRev = (db: Db, row: ResponseRow, rev: string) =>
  insertWhere(db, responses, row, mentionHasRev(row.mentionId, rev))

export type ModerationRow = Omit<typeof moderationEvents.$inferInsert, 'id'>

/** Rebuilds the voice's copy of its responses from the responses table (see ./responses-json.ts). */
export const refreshResponsesJson = (db: Db, mentionId: string, rev: string) =>
  db
    .update(mentions)
    .set({
      responsesJson: sql`(SELECT coalesce(json_group_array(json_object('id', r.id, 'stage', r.stage, 'body', r.body,
        'author_name', r.author_name, 'author_role', r.author_role, 'created_at', r.created_at)), '[]')
        FROM (SELECT * FROM ${responses} WHERE ${responses.mentionId} = ${mentionId} ORDER BY ${responses.createdAt}, ${responses.id}) AS r)`,
    })
    .where(and(eq(mentions.id, mentionId), eq(mentions.rev, rev)))

export const insertModerationIfRev = (db: Db, row: ModerationRow, rev: string) =>
  insertWhere(db, moderationEvents, row, mentionHasRev(row.mentionId, rev))

/** The voice's responses as recorded (with where each one's announcement to the blog stands), oldest first. */
export const responsesOf = (db: Db, mentionId: string) =>
  db.select().from(responses).where(eq(responses.mentionId, mentionId)).orderBy(responses.createdAt, responses.id).all()

export const moderationOf = (db: Db, mentionId: string) =>
  db.select().from(moderationEvents).where(eq(moderationEvents.mentionId, mentionId)).orderBy(moderationEvents.id).all()

/**
 * How many voices (at most `max`) one blog (src/shared/blog.ts) brought after `since`: an
 * indexed read of at most `max` rows, however many voices the blog ever sent.
 */
const arrivalsUpTo = (siteId: number, blog: string, since: number, max: number): SQL =>
  sql`(SELECT count(*) FROM (SELECT 1 FROM ${mentions} WHERE ${mentions.siteId} = ${siteId}
    AND ${mentions.sourceBlog} = ${blog} AND ${mentions.receivedAt} > ${since} LIMIT CAST(${max} AS INTEGER)))`

/** True while fewer than `max` voices from one blog arrived after `since` (part of a new voice's guard). */
export const fewerArrivalsThan = (siteId: number, blog: string, since: number, max: number): SQL =>
  sql`${arrivalsUpTo(siteId, blog, since, max)} < ${max}`

/** The same count as a query, for saying which of a blog's limits refused a voice. */
export const arrivalsOf = (db: Db, siteId: number, blog: string, since: number, max: number) =>
  db
    .select({ n: count() })
    .from(
      db
        .select({ one: sql`1` })
        .from(mentions)
        .where(and(eq(mentions.siteId, siteId), eq(mentions.sourceBlog, blog), gt(mentions.receivedAt, since)))
        .limit(max)
        .as('recent')
    )

/** Voices whose check has waited since before `before` (the partial index mentions_check_queued). */
export const staleChecks = (db: Db, before: number, limit: number) =>
  db
    .select({ id: mentions.id })
    .from(mentions)
    .where(and(sql`verify_state = 'queued'`, lt(mentions.verifyRequestedAt, before)))
    .orderBy(mentions.verifyRequestedAt)
    .limit(limit)
    .all()

/** Marks checks as asked for again now, so the next sweep leaves them alone. */
export const touchChecks = (db: Db, ids: string[], now: number) =>
  db.update(mentions).set({ verifyRequestedAt: now }).where(and(inArray(mentions.id, ids), sql`verify_state = 'queued'`))

export type MentionFilter = {
  status?: MentionStatus | undefined
  kind?: MentionKind | undefined
  sentiment?: Sentiment | 'unclassified' | undefined
  targetId?: string | undefined
  unanswered?: boolean | undefined
}

function filterConditions(siteId: number, f: MentionFilter): (SQL | undefined)[] {
  const where: (SQL | undefined)[] = [eq(mentions.siteId, siteId)]
  if (f.status) where.push(eq(mentions.status, f.status))
  if (f.kind) where.push(eq(mentions.kind, f.kind))
  if (f.sentiment) {
    where.push(f.sentiment === 'unclassified' ? isNull(mentions.sentiment) : eq(mentions.sentiment, f.sentiment))
  }
  if (f.targetId) where.push(eq(mentions.targetId, f.targetId))
  if (f.unanswered) where.push(isNull(mentions.firstResponseAt))
  return where
}

/**
 * The operator's inbox in one batch, each group oldest first (they have waited longest):
 * unanswered negative voices, other unanswered voices, and apologies still waiting for a
 * resolution report. The literal predicates match the partial indexes inbox_unanswered and
 * inbox_unresolved; `f` narrows every group (its status is ignored: the inbox is published voices).
 */
export function inboxQueries(db: Db, siteId: number, f: Omit<MentionFilter, 'status' | 'unanswered'>, limit: number) {
  const base = filterConditions(siteId, f)
  const unanswered = sql`${mentions.status} = 'published' AND ${mentions.firstResponseAt} IS NULL`
  return db.batch([
    db
      .select()
      .from(mentions)
      .where(and(...base, unanswered, sql`${mentions.sentiment} = 'negative'`))
      .orderBy(mentions.publishedAt, mentions.id)
      .limit(limit),
    db
      .select()
      .from(mentions)
      .where(and(...base, unanswered, sql`${mentions.sentiment} IS NOT 'negative'`))
      .orderBy(mentions.publishedAt, mentions.id)
      .limit(limit),
    db
      .select()
      .from(mentions)
      .where(
        and(...base, sql`${mentions.status} = 'published' AND ${mentions.apologizedAt} IS NOT NULL AND ${mentions.resolvedAt} IS NULL`)
      )
      .orderBy(mentions.apologizedAt, mentions.id)
      .limit(limit),
  ])
}

/** Operator list: newest received first, keyset-paginated on (received_at, id). */
export function listMentions(
  db: Db,
  siteId: number,
  f: MentionFilter,
  after: { receivedAt: number; id: string } | null,
  limit: number
) {
  const where = filterConditions(siteId, f)
  if (after) {
    where.push(
      or(
        lt(mentions.receivedAt, after.receivedAt),
        and(eq(mentions.receivedAt, after.receivedAt), lt(mentions.id, after.id))
      )
    )
  }
  return db
    .select()
    .from(mentions)
    .where(and(...where))
    .orderBy(desc(mentions.receivedAt), desc(mentions.id))
    .limit(limit)
    .all()
}
