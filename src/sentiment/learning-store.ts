/**
 * The shop's sentiment examples and what they taught (./learning.ts), in D1: an example is
 * written in the batch of the correction it records (only if that correction takes effect), and
 * the shop's phrases are made again from its examples after it.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { insertWhere } from '../db/insert-where'
import { sentimentExamples, sentimentLearning, type Sentiment } from '../db/schema'
import { type LearnedGroups, learnedGroups, NOTHING_LEARNED } from './learned'
import { learnFrom } from './learning'

/** A site keeps its newest examples, this many. */
export const EXAMPLES_KEPT = 200
/** An example keeps this much of a voice's words. */
const WORDS_KEPT = 1000

/**
 * The statements that record staff's sentiment for a voice as the site's example (or drop its
 * example when staff cleared the sentiment), each guarded by `when`, and keep the newest
 * `EXAMPLES_KEPT`.
 */
export function exampleStatements(
  db: Db,
  e: { siteId: number; mentionId: string; sentiment: Sentiment | null; words: string; at: number },
  when: SQL,
) {
  const drop = db
    .delete(sentimentExamples)
    .where(and(eq(sentimentExamples.siteId, e.siteId), eq(sentimentExamples.mentionId, e.mentionId), when))
  const trim = db.delete(sentimentExamples).where(
    and(
      eq(sentimentExamples.siteId, e.siteId),
      when,
      sql`${sentimentExamples.at} < (SELECT ${sentimentExamples.at} FROM ${sentimentExamples} WHERE ${sentimentExamples.siteId} = ${e.siteId}
          ORDER BY ${sentimentExamples.at} DESC LIMIT 1 OFFSET ${EXAMPLES_KEPT - 1})`,
    ),
  )
  if (e.sentiment === null || e.words.trim() === '') return [drop]
  const example = { sentiment: e.sentiment, words: e.words.slice(0, WORDS_KEPT), at: e.at }
  const keep = insertWhere(
    db,
    sentimentExamples,
    { siteId: e.siteId, mentionId: e.mentionId, ...example },
    when,
  ).onConflictDoUpdate({
    target: [sentimentExamples.siteId, sentimentExamples.mentionId],
    set: example,
  })
  return [keep, trim]
}

/** Makes the site's phrases again from its examples. */
export async function relearn(db: Db, siteId: number, now: number) {
  const examples = await db
    .select({ words: sentimentExamples.words, sentiment: sentimentExamples.sentiment })
    .from(sentimentExamples)
    .where(eq(sentimentExamples.siteId, siteId))
    .orderBy(desc(sentimentExamples.at))
    .limit(EXAMPLES_KEPT)
  const phrases = learnFrom(examples)
  await db
    .insert(sentimentLearning)
    .values({ siteId, phrases, examples: examples.length, updatedAt: now })
    .onConflictDoUpdate({
      target: sentimentLearning.siteId,
      set: { phrases, examples: examples.length, updatedAt: now },
    })
}

/** Compiled phrase lists by site, as last read (an isolate reads a site's row; compiles it once per change). */
const compiled = new Map<number, { updatedAt: number; groups: LearnedGroups }>()
const COMPILED_KEPT = 200

/** What the site's staff taught, ready to read voices with (one small read). */
export async function learnedFor(db: Db, siteId: number): Promise<LearnedGroups> {
  const row = await db
    .select({ phrases: sentimentLearning.phrases, updatedAt: sentimentLearning.updatedAt })
    .from(sentimentLearning)
    .where(eq(sentimentLearning.siteId, siteId))
    .get()
  if (!row) return NOTHING_LEARNED
  const cached = compiled.get(siteId)
  if (cached?.updatedAt === row.updatedAt) return cached.groups
  const groups = learnedGroups(row.phrases)
  const oldest = compiled.keys().next()
  if (compiled.size >= COMPILED_KEPT && !oldest.done) compiled.delete(oldest.value)
  compiled.set(siteId, { updatedAt: row.updatedAt, groups })
  return groups
}

/** What the site learned, for the console: its phrases and how many examples taught them. */
export const learningOf = (db: Db, siteId: number) =>
  db.select().from(sentimentLearning).where(eq(sentimentLearning.siteId, siteId)).get()
