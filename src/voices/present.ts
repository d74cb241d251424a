/** Voices and responses as the operator API shows them (./outputs.ts; the public feed has its own shape). */
import { isoTime as iso, type Out } from '../common/outputs'
import { announcementOf, explainAnnouncement } from '../reasons/announcement'
import { explanations } from '../reasons/check'
import { explainProgress } from '../reasons/outbox'
import type { PageLang } from '../common/lang'
import type { MessageProgress } from '../outbox/outbox'
import type { AnnouncementOut, ResponseOut, VoiceDetailOut, VoiceOut } from './outputs'
import type { voiceDetail } from './reads'
import { parseResponses, type StoredResponse } from './responses-json'
import type { VoiceRow, ResponseRow } from './store'

export const responseJson = (r: StoredResponse): Out<typeof ResponseOut> => ({
  id: r.id,
  stage: r.stage,
  body: r.body,
  author: { name: r.author_name, role: r.author_role },
  created_at: iso(r.created_at),
  version: r.version,
  edited_at: iso(r.edited_at),
  withdrawn: r.withdrawn_at === null ? null : { at: iso(r.withdrawn_at), reason: r.withdrawn_reason ?? '' },
})

export const voiceJson = (m: VoiceRow): Out<typeof VoiceOut> => ({
  id: m.id,
  kind: m.kind,
  status: m.status,
  /** The target's id — or, while `target_pending`, the URL of the page nobody registered yet (a target comes when the voice is published). */
  target: m.targetId,
  target_pending: m.targetPending,
  source_url: m.sourceUrl,
  title: m.title,
  excerpt: m.excerpt,
  author: { name: m.authorName, url: m.authorUrl, photo: m.authorPhoto },
  blog_name: m.blogName,
  rating: m.rating,
  sentiment: m.sentiment,
  /** `operator`, or `suggested` from the words until an operator sets it. */
  sentiment_by: m.sentimentBy,
  disclosure: m.disclosure,
  verified_purchase: m.verifiedPurchase,
  /** A review's own facts: its invitation, the reviewer's word on the answer, edits, photos. */
  review:
    m.kind === 'review'
      ? {
          invitation: m.invitationId,
          author_verdict: m.authorVerdict,
          author_verdict_at: iso(m.authorVerdictAt),
          edited_at: iso(m.editedAt),
          photos: m.photos.length,
        }
      : null,
  received_at: iso(m.receivedAt),
  verified_at: iso(m.verifiedAt),
  published_at: iso(m.publishedAt),
  updated_at: iso(m.updatedAt),
  first_response_at: iso(m.firstResponseAt),
  answered: m.firstResponseAt !== null,
  type: m.voiceType,
  source_published: m.sourcePublished,
  imported_by: m.importId,
  /** The check of the source page (null: not a linked voice, or published without a check). */
  verification:
    m.verifyState === null
      ? null
      : {
          state: m.verifyState,
          /** A code from a fixed list; `explanation` says it in English and Japanese. */
          reason: m.verifyReason,
          http_status: m.verifyHttpStatus,
          explanation:
            m.verifyReason === null
              ? null
              : explanations({
                  state: m.verifyState,
                  reason: m.verifyReason,
                  status: m.verifyHttpStatus,
                  attempts: m.verifyAttempts,
                }),
          attempts: m.verifyAttempts,
          requested_at: iso(m.verifyRequestedAt),
        },
  responses: parseResponses(m.responsesJson).map(responseJson),
})

/** A response with its announcement's outbox message (null: none, or one from before the outbox). */
export type AnsweredResponse = ResponseRow & { progress: MessageProgress | null }

/** An announcement's state in words, with its times in the shop's `timeZone` when its outbox message is known. */
export function announcementWords(r: AnsweredResponse, lang: PageLang, timeZone: string, now: number) {
  const progress = r.progress ? explainProgress(r.progress, lang, timeZone, now) : undefined
  return explainAnnouncement(announcementOf(r), lang, progress)
}

/** Where the Webmention that tells the voice's blog about a response stands (null state: none is due). */
export const announcementJson = (r: AnsweredResponse, timeZone: string, now: number): Out<typeof AnnouncementOut> => {
  const waiting = r.progress?.state === 'waiting' ? r.progress : null
  return {
    state: r.webmentionState,
    reason: r.webmentionReason,
    refusal: r.webmentionRefusal,
    http_status: r.webmentionHttpStatus,
    attempts: r.webmentionAttempts,
    at: iso(r.webmentionAt),
    waiting_since: waiting && iso(waiting.waitingSince),
    next_attempt_at: waiting && iso(waiting.dueAt),
    explanation: {
      en: announcementWords(r, 'en', timeZone, now),
      ja: announcementWords(r, 'ja', timeZone, now),
    },
  }
}

/** One voice as GET /api/mentions/{id} shows it: with its responses' Webmentions, moderation log and earlier versions. */
export function voiceDetailJson(
  { voice, moderation, revisions, answers, timeZone }: Awaited<ReturnType<typeof voiceDetail>>,
  now: number,
): Out<typeof VoiceDetailOut> {
  const announced = new Map(answers.map((r) => [r.id, announcementJson(r, timeZone, now)]))
  const json = voiceJson(voice)
  return {
    ...json,
    responses: json.responses.map((r) => ({ ...r, webmention: announced.get(r.id) ?? null })),
    moderation: moderation.map((e) => ({
      action: e.action,
      category: e.category,
      reason: e.reason,
      actor: e.actor,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      created_at: iso(e.createdAt),
    })),
    revisions: revisions.map((r) => ({
      rating: r.rating,
      title: r.title,
      body: r.body,
      written_at: iso(r.writtenAt),
      replaced_at: iso(r.replacedAt),
    })),
  }
}
