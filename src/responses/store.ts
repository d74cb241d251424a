/** Queries of official responses: one with its voice and site (public page, announcement), and the announcement's record. */
import { and, eq, sql, type SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { voices, responses, sites } from '../db/schema'
import type { ResponseRow } from '../voices/store'

/**
 * A response with its voice and site, in one batch of three reads (a join would mix up the
 * tables' same-named columns in D1's row objects).
 */
export async function findResponseWithVoice(db: Db, id: string) {
  const [[response], [voice], [site]] = await db.batch([
    db.select().from(responses).where(eq(responses.id, id)).limit(1),
    db
      .select()
      .from(voices)
      .where(eq(voices.id, sql`(SELECT ${responses.voiceId} FROM ${responses} WHERE ${responses.id} = ${id})`))
      .limit(1),
    db
      .select()
      .from(sites)
      .where(eq(sites.id, sql`(SELECT ${responses.siteId} FROM ${responses} WHERE ${responses.id} = ${id})`))
      .limit(1),
  ])
  return response && voice && site ? { response, voice, site } : undefined
}

export type Announcement = Pick<
  ResponseRow,
  | 'webmentionState'
  | 'webmentionReason'
  | 'webmentionRefusal'
  | 'webmentionHttpStatus'
  | 'webmentionAttempts'
  | 'webmentionAt'
>

/** The announcement's record on the response; with `guard`, only if it holds when the batch runs. */
export const recordAnnouncement = (db: Db, id: string, fields: Partial<Announcement>, guard?: SQL) =>
  db
    .update(responses)
    .set(fields)
    .where(and(eq(responses.id, id), guard))
