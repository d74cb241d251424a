/**
 * What editing and withdrawing an answer share: the answer is read with its voice (access
 * checked), the change is planned on the voice's answers as they are now, and written through the
 * voice's write engine (src/voices/write.ts) — so the voice's rev guards it, its figures (first
 * answer, apology, resolution) are read again from the answers that stand, its copy of its answers
 * is rebuilt, and the webhook event is recorded in the same batch. When the voice's blog was told
 * of the answer, a new round of its announcement is recorded too (Webmention's update: the blog
 * fetches the answer's page again and sees the change, or its 410).
 */
import type { BatchItem } from 'drizzle-orm/batch'
import type { SQL } from 'drizzle-orm'

import type { Db } from '../db/client'
import { AppError } from '../common/errors'
import { assertSiteAccess, type Principal } from '../common/principal'
import { type OutboxMessage, type Outbound, reopenRecorded } from '../outbox/outbox'
import { voiceHasRev } from '../stats/store'
import type { ResponseFacts } from '../webhooks/events'
import { announcementDue, announcementOf } from '../voices/announcement'
import { loadVoice } from '../voices/reads'
import { refreshResponsesJson, type ResponseRow, responsesOf, type VoiceRow } from '../voices/store'
import { changeVoice, type Change } from '../voices/write'
import { answerTimes } from './rules'
import { findResponse, updateStandingResponse } from './store'

/** What a corrected answer tells the site's webhooks (`response.updated`, `response.withdrawn`), prepared for its batch. */
export type TellAnswer = (voice: VoiceRow, response: ResponseFacts) => Promise<Outbound>

/** The answer was changed since the version the edit was made on: the current one comes with the refusal. */
export class StaleResponse extends AppError {
  constructor(readonly current: ResponseRow) {
    super(
      'conflict',
      `The answer was changed meanwhile: it is now version ${current.version}. Nothing was saved; edit the current version`,
      `この回答はその間に変更されています（現在は第${current.version}版）。保存していません。現在の版を編集してください`,
    )
  }
}

export const withdrawnRefusal = () =>
  new AppError(
    'conflict',
    'This answer was withdrawn; a withdrawn answer cannot be edited or withdrawn again',
    'この回答は取り下げ済みです。取り下げた回答は編集も再度の取り下げもできません',
  )

/** Nothing to write: the edit leaves the answer as it is (`current`). */
class Unchanged extends Error {
  constructor(readonly current: ResponseRow) {
    super('unchanged')
  }
}
export const unchanged = (current: ResponseRow) => new Unchanged(current)

export type Plan = {
  /** The answer's new fields (written only while it stands at the version read). */
  fields: Partial<ResponseRow>
  /** Rows written with it (an earlier version, a ledger entry) and the guard they need. */
  extra?: (rev: string) => BatchItem<'sqlite'>[]
  guard?: SQL
}

const RESPONDABLE = new Set(['published', 'pending'])

/**
 * Reads answer `id` (of voice `ofVoice`, when given) and plans its change with `plan` (which may
 * throw an AppError, or `unchanged(answer)`), then writes it. Returns the answer as it now is, its voice, and the announcement to send (null:
 * none is due), or the answer as it was when the change changes nothing.
 */
export async function correctAnswer(
  db: Db,
  p: Principal,
  id: string,
  now: number,
  hubOrigin: string | null,
  plan: (r: ResponseRow, answers: readonly ResponseRow[], voice: VoiceRow) => Plan | Promise<Plan>,
  facts: (r: ResponseRow) => ResponseFacts,
  tell?: TellAnswer,
  ofVoice?: string,
) {
  const found = await findResponse(db, id)
  // With `ofVoice` (the console's voice page), another voice's answer is not found here either.
  if (!found || (ofVoice !== undefined && found.voiceId !== ofVoice))
    throw new AppError('not_found', 'Response not found', '回答が見つかりません')
  assertSiteAccess(p, found.siteId, 'Response')
  let after: ResponseRow = found
  let announcement: OutboxMessage | null = null
  try {
    const voice = await changeVoice(
      db,
      () => loadVoice(db, p, found.voiceId),
      async (m): Promise<Change> => {
        const answers = await responsesOf(db, m.id)
        const r = answers.find((a) => a.id === id)
        if (!r) throw new AppError('not_found', 'Response not found', '回答が見つかりません')
        if (r.withdrawnAt !== null) throw withdrawnRefusal()
        if (!RESPONDABLE.has(m.status))
          throw new AppError(
            'conflict',
            `The answers of a ${m.status} voice cannot be changed; restore it first`,
            'この声は公開されていないため、回答を変更できません。先に復元してください',
          )
        const planned = await plan(r, answers, m)
        const announce = hubOrigin !== null && r.webmentionState !== null && announcementDue(m)
        const message = announce ? announcementOf(m.siteId, r.id, hubOrigin) : null
        const fields: Partial<ResponseRow> = {
          ...planned.fields,
          ...(message
            ? {
                webmentionState: 'queued',
                webmentionReason: null,
                webmentionRefusal: null,
                webmentionHttpStatus: null,
                webmentionAttempts: 0,
                webmentionAt: null,
              }
            : {}),
        }
        after = { ...r, ...fields }
        announcement = message
        const times = answerTimes(answers.map((a) => (a.id === r.id ? after : a)))
        return {
          // The reviewer's word on the answers ("resolved") was given on words that are no longer
          // there: it is cleared, and the reviewer is asked again about the answers that stand.
          changes: {
            ...times,
            ...(m.authorVerdict !== null ? { authorVerdict: null, authorVerdictAt: null } : {}),
            updatedAt: now,
          },
          guard: planned.guard,
          extra: (rev) => [
            ...(planned.extra?.(rev) ?? []),
            updateStandingResponse(db, r, fields, rev),
            refreshResponsesJson(db, m.id, rev),
            ...(message ? reopenRecorded(db, [message], now, voiceHasRev(m.id, rev)) : []),
          ],
        }
      },
      tell && ((v) => tell(v, facts(after))),
    )
    return { response: after, voice, announcement: announcement as OutboxMessage | null }
  } catch (err) {
    if (err instanceof Unchanged) return { response: err.current, voice: null, announcement: null }
    throw err
  }
}
