/**
 * The status URL of a received linkback: what a sender (and anyone holding the link) may
 * learn about it — queued, verified, rejected or deleted, why (a reason code, explained in
 * English and Japanese), how many attempts. Every protocol's answer names it: Webmention's
 * 201 Location, Pingback's success string, the operator API. A browser gets the same as a
 * page in its language.
 */
import type { Db } from '../db/client'
import { findVoice, type VoiceRow } from '../voices/store'
import { AppError } from '../common/errors'
import type { PageLang } from '../common/page-shell'
import { findSiteBySlug } from '../sites/store'
import { findTarget } from '../targets/store'
import { type CheckRecord, explainCheck } from '../reasons/check'
import { isoTime as iso, type Out } from '../common/outputs'
import type { LinkbackState, LinkbackStatusOut } from './outputs'

export type { LinkbackState }

/** What each state means, when no reason says more. */
export const STATE_WORDS: Record<PageLang, Record<LinkbackState, string>> = {
  en: {
    queued: 'Waiting for the hub to fetch the source and find the link to the target.',
    verified: 'The source links to the target: the voice is published.',
    rejected: 'The hub did not accept this linkback.',
    deleted: 'The source no longer links to the target; the voice left the feed.',
    accepted: 'Published without a link check (this site does not verify TrackBack pings).',
  },
  ja: {
    queued: 'ハブがソースを取得し、対象ページへのリンクを確認するのを待っています。',
    verified: 'ソースに対象ページへのリンクがあり、声は公開されています。',
    rejected: 'このリンクバックは受け付けられませんでした。',
    deleted: 'ソースに対象ページへのリンクがなくなったため、声は公開を終了しました。',
    accepted: 'リンクの確認なしで公開されました（このサイトはトラックバックを確認しません）。',
  },
}

export const checkOf = (m: VoiceRow): CheckRecord => ({
  state: m.verifyState,
  reason: m.verifyReason,
  status: m.verifyHttpStatus,
  attempts: m.verifyAttempts,
})

export function statusJson(m: VoiceRow, targetUrl: string): Out<typeof LinkbackStatusOut> {
  const status: LinkbackState = m.verifyState ?? 'accepted'
  const check = checkOf(m)
  return {
    status,
    reason: m.verifyReason,
    http_status: m.verifyHttpStatus,
    summary: explainCheck(check, 'en') ?? STATE_WORDS.en[status],
    explanation: {
      en: explainCheck(check, 'en') ?? STATE_WORDS.en[status],
      ja: explainCheck(check, 'ja') ?? STATE_WORDS.ja[status],
    },
    source: m.sourceUrl,
    target: targetUrl,
    protocol: m.kind,
    attempts: m.verifyAttempts,
    received_at: iso(m.receivedAt),
    verified_at: iso(m.verifiedAt),
    voice: { id: m.id, status: m.status, type: m.voiceType },
  }
}

/** A linkback's status, looked up within its site only: another site's id answers like a missing one. */
export async function linkbackStatus(db: Db, siteSlug: string, id: string) {
  const [site, voice] = await Promise.all([findSiteBySlug(db, siteSlug), findVoice(db, id)])
  if (!site || !voice || voice.siteId !== site.id || voice.sourceUrl === null) {
    throw new AppError('not_found', 'No such linkback')
  }
  // A voice about a page nobody registered names it by URL until it is published.
  const targetUrl = voice.targetPending ? voice.targetId : ((await findTarget(db, site.id, voice.targetId))?.url ?? '')
  return { json: statusJson(voice, targetUrl), voice, siteName: site.name }
}
