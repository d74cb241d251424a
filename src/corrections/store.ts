/** SQL of corrected answers: a response's new version or withdrawal, and its earlier versions. */
import { and, asc, eq, isNull } from 'drizzle-orm'

import type { Db } from '../db/client'
import { insertWhere } from '../db/insert-where'
import { responseRevisions, responses } from '../db/schema'
import { voiceHasRev } from '../stats/store'
import type { ResponseRow } from '../voices/store'

export type RevisionRow = typeof responseRevisions.$inferSelect

/** One answer as recorded. */
export const findResponse = (db: Db, id: string) => db.select().from(responses).where(eq(responses.id, id)).get()

/** An answer's earlier versions, oldest first. */
export const revisionsOfResponse = (db: Db, id: string) =>
  db
    .select()
    .from(responseRevisions)
    .where(eq(responseRevisions.responseId, id))
    .orderBy(asc(responseRevisions.version))
    .all()

/** Keeps the version an edit replaces, only inside the batch whose voice write took effect. */
export const insertRevisionIfRev = (db: Db, row: Omit<RevisionRow, 'id'>, voiceId: string, rev: string) =>
  insertWhere(db, responseRevisions, row, voiceHasRev(voiceId, rev))

/**
 * Changes an answer that still stands and is still at `version`, only inside the batch whose
 * voice write took effect (every change of an answer moves its voice's rev, so two edits made on
 * the same version cannot both pass).
 */
export const updateStandingResponse = (
  db: Db,
  r: Pick<ResponseRow, 'id' | 'voiceId' | 'version'>,
  fields: Partial<ResponseRow>,
  rev: string,
) =>
  db
    .update(responses)
    .set(fields)
    .where(
      and(
        eq(responses.id, r.id),
        eq(responses.version, r.version),
        isNull(responses.withdrawnAt),
        voiceHasRev(r.voiceId, rev),
      ),
    )
