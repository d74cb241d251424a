/** The operator's reads of voices: one voice (access checked), a site's list, a voice with its history. */

import { assertSiteAccess, type Principal } from '../shared/principal'
import type { Db } from '../db/client'
import { AppError } from '../shared/errors'
import { loadSite } from '../sites/service'
import type { Position } from '../shared/cursor'
import {
  findMention,
  listMentions,
  type MentionFilter,
  type MentionRow,
  moderationOf,
  revisionsOf,
  responsesOf,
} from './store'

export async function loadMention(db: Db, p: Principal, id: string): Promise<MentionRow> {
  const m = await findMention(db, id)
  if (!m) throw new AppError('not_found', 'Mention not found')
  assertSiteAccess(p, m.siteId, 'Mention')
  return m
}

export type ListQuery = MentionFilter & { cursor: Position | null; limit: number }

export async function mentionsOfSite(db: Db, p: Principal, slug: string, q: ListQuery) {
  const site = await loadSite(db, p, slug)
  return listMentions(db, site.id, q, q.cursor, q.limit)
}

export async function mentionDetail(db: Db, p: Principal, id: string) {
  const mention = await loadMention(db, p, id)
  const [moderation, revisions, answers] = await Promise.all([
    moderationOf(db, id),
    mention.kind === 'review' ? revisionsOf(db, id) : [],
    responsesOf(db, id),
  ])
  return { mention, moderation, revisions, answers }
}
