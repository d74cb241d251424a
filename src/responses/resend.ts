/**
 * Staff sending an answer's announcement again by hand: after it failed, found no endpoint (the
 * blog may have added one since), or waits for a retry they do not want to wait for. It starts a
 * new round — the response's record and its outbox message back to waiting, with no tries yet —
 * and is sent at once; the outbox's sweep covers this send like any other. One the blog already
 * accepted is never sent a second time.
 */
import { sql } from 'drizzle-orm'

import { batchAll, type Db } from '../db/client'
import { responses } from '../db/schema'
import { AppError } from '../common/errors'
import { assertSiteAccess, type Principal } from '../common/principal'
import { messagesOf, reopenRecorded, sendRecorded } from '../outbox/outbox'
import { announcementDue, announcementOf } from '../voices/announcement'
import { readSettings } from '../sites/settings'
import { findResponseWithVoice, recordAnnouncement } from './store'

export async function resendAnnouncement(
  db: Db,
  queue: Queue,
  p: Principal,
  responseId: string,
  hubOrigin: string,
  now: number,
  ofVoice?: string,
) {
  const found = await findResponseWithVoice(db, responseId)
  if (!found || (ofVoice !== undefined && found.voice.id !== ofVoice))
    throw new AppError('not_found', 'Response not found', '回答が見つかりません')
  const { response, voice } = found
  assertSiteAccess(p, response.siteId, 'Response')
  if (!announcementDue(voice))
    throw new AppError(
      'conflict',
      'There is no blog to tell: the voice is not public, or did not come by Webmention or Pingback',
      'ブログに通知できません：声が公開されていないか、WebmentionやPingbackで届いた声ではありません',
    )
  const accepted = new AppError(
    'conflict',
    'The blog already accepted this announcement; it is not sent twice',
    'この回答はすでにブログに送信済みです。二度は送信しません',
  )
  if (response.webmentionState === 'sent') throw accepted
  const message = announcementOf(response.siteId, response.id, hubOrigin)
  // Both only while the blog has not accepted it: an attempt that succeeds meanwhile wins.
  const notSent = sql`${responses.webmentionState} IS NOT 'sent'`
  const [reset] = await batchAll(db, [
    recordAnnouncement(
      db,
      response.id,
      {
        webmentionState: 'queued',
        webmentionReason: null,
        webmentionRefusal: null,
        webmentionHttpStatus: null,
        webmentionAttempts: 0,
        webmentionAt: null,
      },
      notSent,
    ),
    ...reopenRecorded(
      db,
      [message],
      now,
      sql`EXISTS (SELECT 1 FROM ${responses} WHERE ${responses.id} = ${response.id} AND ${notSent})`,
    ),
  ])
  if (reset.meta.changes === 0) throw accepted
  await sendRecorded(db, queue, [message], now)
  const [progress] = await messagesOf(db, 'announce', [response.id])
  return {
    ...response,
    webmentionState: 'queued' as const,
    webmentionReason: null,
    webmentionRefusal: null,
    webmentionHttpStatus: null,
    webmentionAttempts: 0,
    webmentionAt: null,
    progress: progress ?? null,
    timeZone: readSettings(found.site.settings).time_zone,
  }
}
