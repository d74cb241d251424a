/**
 * A response's announcement to the voice's blog as an outbox message (src/outbox/): recorded in
 * the batch that publishes the response, sent by src/responses/follow-ups.ts, consumed by
 * src/responses/announce.ts. Its ref is the response's id: one announcement per response.
 */
import { eq, sql } from 'drizzle-orm'

import type { Db } from '../db/client'
import { responses } from '../db/schema'
import { responsePageUrl } from '../common/hub-urls'
import { type OutboxMessage, recordMessages } from '../outbox/outbox'
import type { VoiceRow } from './store'

/** A response is announced to the voice's blog when that blog speaks Webmention (it sent one, or a Pingback) and the voice is public. */
export const announcementDue = (m: Pick<VoiceRow, 'kind' | 'status' | 'sourceUrl'>) =>
  (m.kind === 'webmention' || m.kind === 'pingback') && m.status === 'published' && m.sourceUrl !== null

export const announcementOf = (siteId: number, responseId: string, hubOrigin: string): OutboxMessage => ({
  kind: 'announce',
  ref: responseId,
  siteId,
  // The Webmention's source is the response's public page.
  body: { responseId, page: responsePageUrl(hubOrigin, responseId) },
})

/** The announcement's row, written only if the response was (its insert is guarded by the voice's revision). */
export const recordAnnouncementMessage = (db: Db, siteId: number, responseId: string, hubOrigin: string, now: number) =>
  recordMessages(
    db,
    [announcementOf(siteId, responseId, hubOrigin)],
    now,
    sql`EXISTS (SELECT 1 FROM ${responses} WHERE ${eq(responses.id, responseId)})`,
  )
