/** The operator's reads of voices: one voice (access checked), a site's list, a voice with its history. */

import { assertSiteAccess, type Principal } from '../common/principal'
import type { Db } from '../db/client'
import { AppError } from '../common/errors'
import { loadSite } from '../sites/service'
import { readSettings } from '../sites/settings'
import { findSiteById } from '../sites/store'
import { messagesOf } from '../outbox/outbox'
import type { Position } from '../common/cursor'
import { listVoices, type VoiceFilter } from './lists'
import { findVoice, type VoiceRow, moderationOf, revisionsOf, responsesOf } from './store'

export async function loadVoice(db: Db, p: Principal, id: string): Promise<VoiceRow> {
  const m = await findVoice(db, id)
  if (!m) throw new AppError('not_found', 'Mention not found', '声が見つかりません')
  assertSiteAccess(p, m.siteId, 'Mention')
  return m
}

export type ListQuery = VoiceFilter & { cursor: Position | null; limit: number }

export async function voicesOfSite(db: Db, p: Principal, slug: string, q: ListQuery) {
  const site = await loadSite(db, p, slug)
  return listVoices(db, site.id, q, q.cursor, q.limit)
}

/**
 * A voice with its moderation log, a review's earlier versions, and its responses — each with
 * its announcement's outbox message, if it has one (`progress`) — and the site's time zone.
 */
export async function voiceDetail(db: Db, p: Principal, id: string) {
  const voice = await loadVoice(db, p, id)
  const [moderation, revisions, responses, site] = await Promise.all([
    moderationOf(db, id),
    voice.kind === 'review' ? revisionsOf(db, id) : [],
    responsesOf(db, id),
    findSiteById(db, voice.siteId),
  ])
  if (!site) throw new AppError('not_found', 'Mention not found', '声が見つかりません')
  const announced = responses.filter((r) => r.webmentionState !== null).map((r) => r.id)
  const messages = new Map((await messagesOf(db, 'announce', announced)).map((m) => [m.ref, m]))
  const answers = responses.map((r) => ({ ...r, progress: messages.get(r.id) ?? null }))
  const timeZone = readSettings(site.settings).time_zone
  return { voice, moderation, revisions, answers, site, timeZone }
}
