/** The shop's official responses on voices: one voice, or one response on several at once. */

import { type Principal } from '../common/principal'
import type { Db } from '../db/client'
import type { VoiceStatus, ResponseStage } from '../db/schema'
import { newId } from '../common/crypto'
import { AppError } from '../common/errors'
import { loadSite } from '../sites/service'
import type { Outbound } from '../outbox/outbox'
import { findVoices, insertResponseIfRev, type ResponseRow, refreshResponsesJson, type VoiceRow } from './store'
import { changeVoice } from './write'
import { loadVoice } from './reads'
import { announcementDue, announcementOf, recordAnnouncementMessage } from './announcement'

export type ResponseInput = {
  stage: ResponseStage
  body: string
  author: { name: string; role?: string | undefined }
}

const RESPONDABLE: readonly VoiceStatus[] = ['published', 'pending']

/** What a published response tells the outside world (its webhook event), prepared for the response's batch. */
export type TellResponse = (
  voice: VoiceRow,
  response: Pick<ResponseRow, 'id' | 'stage' | 'body' | 'authorName'>,
) => Promise<Outbound>

/**
 * Publishes a response on a voice. When the voice's blog is due an announcement and the hub's
 * public origin is known (`hubOrigin`: null for the demo's made-up blogs), its outbox message is
 * recorded in the same batch; the caller sends it (src/responses/follow-ups.ts). What `tell`
 * prepares (the webhook event) is recorded in that batch too, and sent once it has run.
 */
export async function addResponse(
  db: Db,
  p: Principal,
  id: string,
  input: ResponseInput,
  now: number,
  hubOrigin: string | null,
  tell?: TellResponse,
) {
  const response = {
    id: newId('r'),
    stage: input.stage,
    body: input.body,
    author_name: input.author.name,
    author_role: input.author.role ?? null,
    created_at: now,
    version: 1,
    edited_at: null,
    withdrawn_at: null,
    withdrawn_reason: null,
  }
  // Set inside the change below: typed wide so TypeScript does not assume it stays false.
  let announce = false as boolean
  const voice = await changeVoice(
    db,
    () => loadVoice(db, p, id),
    (m) => {
      if (!RESPONDABLE.includes(m.status)) {
        throw new AppError(
          'conflict',
          `A ${m.status} voice cannot be answered; restore it first`,
          'この声は公開されていないため回答できません。先に復元してください',
        )
      }
      announce = hubOrigin !== null && announcementDue(m)
      return {
        changes: {
          firstResponseAt: m.firstResponseAt ?? now,
          apologizedAt: input.stage === 'apology' ? (m.apologizedAt ?? now) : m.apologizedAt,
          resolvedAt: input.stage === 'resolution' ? (m.resolvedAt ?? now) : m.resolvedAt,
          updatedAt: now,
        },
        extra: (rev) => [
          insertResponseIfRev(
            db,
            {
              id: response.id,
              siteId: m.siteId,
              voiceId: m.id,
              stage: response.stage,
              body: response.body,
              authorName: response.author_name,
              authorRole: response.author_role,
              createdAt: now,
              webmentionState: announce ? 'queued' : null,
              webmentionReason: null,
              webmentionRefusal: null,
              webmentionHttpStatus: null,
              webmentionAttempts: 0,
              webmentionAt: null,
              version: 1,
              editedAt: null,
              withdrawnAt: null,
              withdrawnReason: null,
              stageAt: null,
            },
            rev,
          ),
          refreshResponsesJson(db, m.id, rev),
          ...(announce && hubOrigin !== null
            ? recordAnnouncementMessage(db, m.siteId, response.id, hubOrigin, now)
            : []),
        ],
      }
    },
    tell &&
      ((after) =>
        tell(after, { id: response.id, stage: response.stage, body: response.body, authorName: response.author_name })),
  )
  return {
    voice,
    response: { ...response, webmention_state: announce ? ('queued' as const) : null },
    announcement: announce && hubOrigin !== null ? announcementOf(voice.siteId, response.id, hubOrigin) : null,
  }
}

/** The most voices one response may answer at once. */
export const MAX_VOICES_PER_RESPONSE = 50

export type ManyAnswered =
  ({ id: string; ok: true } & Awaited<ReturnType<typeof addResponse>>) | { id: string; ok: false; refusal: AppError }

/**
 * One response — typically a resolution report, "we changed the stitching" — published on
 * several voices of a site at once. Every voice is checked first (this site's, answerable), so
 * a bad id refuses the whole request before anything is written; each voice is then written
 * in its own batch, and one that changed in the meantime is reported, not hidden.
 */
export async function respondToMany(
  db: Db,
  p: Principal,
  slug: string,
  ids: readonly string[],
  input: ResponseInput,
  now: number,
  hubOrigin: string | null,
  tell?: TellResponse,
) {
  const site = await loadSite(db, p, slug)
  const unique = [...new Set(ids)]
  if (unique.length === 0 || unique.length > MAX_VOICES_PER_RESPONSE) {
    throw new AppError(
      'invalid_input',
      `mention_ids: between 1 and ${MAX_VOICES_PER_RESPONSE} voices`,
      `回答する声を1〜${MAX_VOICES_PER_RESPONSE}件選んでください`,
    )
  }
  const found = await findVoices(db, unique)
  const missing = unique.filter((id) => !found.some((m) => m.id === id && m.siteId === site.id))
  if (missing.length > 0)
    throw new AppError(
      'not_found',
      `Mentions not found on this site: ${missing.join(', ')}`,
      `このサイトにない声です：${missing.join(', ')}`,
    )
  const closed = found.filter((m) => !RESPONDABLE.includes(m.status))
  if (closed.length > 0)
    throw new AppError(
      'conflict',
      `These voices cannot be answered: ${closed.map((m) => `${m.id} (${m.status})`).join(', ')}`,
      `公開されていないため回答できない声があります：${closed.map((m) => m.id).join(', ')}`,
    )

  const results: ManyAnswered[] = []
  for (const id of unique) {
    try {
      const { voice, response, announcement } = await addResponse(db, p, id, input, now, hubOrigin, tell)
      results.push({ id, ok: true, voice, response, announcement })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      results.push({ id, ok: false, refusal: err })
    }
  }
  return results
}
