/**
 * Where the Webmention that tells a blog about the shop's answer stands, in words: the state
 * and the reason code stored on the response, explained in English and Japanese for the
 * operator's pages and the API.
 */
import type { AnnounceReason, FetchRefusal, ResponseWebmentionState, responses } from '../db/schema'
import type { PageLang } from '../common/lang'
import { refusalSentence } from './check'

export type AnnouncementRecord = {
  state: ResponseWebmentionState | null
  reason: AnnounceReason | null
  refusal: FetchRefusal | null
  status: number | null
  attempts: number
}

/** The announcement record of a stored response. */
export const announcementOf = (r: typeof responses.$inferSelect): AnnouncementRecord => ({
  state: r.webmentionState,
  reason: r.webmentionReason,
  refusal: r.webmentionRefusal,
  status: r.webmentionHttpStatus,
  attempts: r.webmentionAttempts,
})

type StateWords = {
  post: string
  endpoint: string
  retry: string
  queued: string
  notDue: string
  sent: string
  failed: string
  skipped: string
}

const WORDS: Record<
  PageLang,
  Record<Exclude<AnnounceReason, 'post_refused' | 'endpoint_refused'>, (status: number | null) => string> & StateWords
> = {
  en: {
    accepted: (s) => `The blog’s Webmention endpoint accepted it${s ? ` (${s})` : ''}.`,
    no_endpoint: () => 'The post does not advertise a Webmention endpoint, so the blog cannot be told.',
    voice_not_public: () => 'Not sent: the voice is no longer public.',
    queue_unavailable: () => 'Not sent: the hub could not queue it at the time.',
    post_error: (s) => `The post answered with an error (${s ?? 'an error status'}).`,
    post_timeout: () => 'The post did not answer within 5 seconds.',
    post_unreachable: () => 'The hub could not connect to the blog.',
    endpoint_error: (s) => `The blog’s Webmention endpoint answered with an error (${s ?? 'an error status'}).`,
    endpoint_timeout: () => 'The blog’s Webmention endpoint did not answer within 5 seconds.',
    endpoint_unreachable: () => 'The hub could not connect to the blog’s Webmention endpoint.',
    post: 'The post',
    endpoint: 'The blog’s Webmention endpoint',
    retry: 'The hub will try again.',
    queued: 'Waiting to be sent.',
    notDue: 'Not sent: the voice did not come by Webmention or Pingback.',
    sent: 'Sent to the blog.',
    failed: 'Not sent: the last attempt failed.',
    skipped: 'Not sent.',
  },
  ja: {
    accepted: (s) => `ブログのWebmention受信先が受け付けました${s ? `（${s}）` : ''}。`,
    no_endpoint: () => '記事にWebmentionの受信先がないため、ブログには通知できません。',
    voice_not_public: () => '未送信：声が公開されていません。',
    queue_unavailable: () => '未送信：送信の予約ができませんでした。',
    post_error: (s) => `記事がエラーを返しました（${s ?? 'エラー'}）。`,
    post_timeout: () => '記事から5秒以内に応答がありませんでした。',
    post_unreachable: () => 'ブログに接続できませんでした。',
    endpoint_error: (s) => `ブログのWebmention受信先がエラーを返しました（${s ?? 'エラー'}）。`,
    endpoint_timeout: () => 'ブログのWebmention受信先から5秒以内に応答がありませんでした。',
    endpoint_unreachable: () => 'ブログのWebmention受信先に接続できませんでした。',
    post: '記事のアドレス',
    endpoint: 'ブログのWebmention受信先',
    retry: '時間をおいて再送します。',
    queued: '送信待ちです。',
    notDue: '送信対象外：この声はWebmentionやPingbackで届いたものではありません。',
    sent: 'ブログに送信しました。',
    failed: '未送信：最後の送信に失敗しました。',
    skipped: '未送信です。',
  },
}

/**
 * The announcement of one response, in a person's words; `progress` (./outbox.ts, when its outbox
 * message is known) says when it waits since, when it is tried again, or how many tries it took.
 */
export function explainAnnouncement(a: AnnouncementRecord, lang: PageLang, progress?: string): string {
  const w = WORDS[lang]
  if (a.state === null) return w.notDue
  const byState = {
    queued: w.queued,
    sent: w.sent,
    failed: w.failed,
    no_endpoint: w.no_endpoint(null),
    skipped: w.skipped,
  }[a.state]
  const what =
    a.reason === null
      ? undefined
      : a.reason === 'post_refused' || a.reason === 'endpoint_refused'
        ? refusalSentence(a.refusal ?? 'invalid_url', a.reason === 'post_refused' ? w.post : w.endpoint, lang)
        : (w[a.reason] as ((status: number | null) => string) | undefined)?.(a.status)
  const space = lang === 'ja' ? '' : ' '
  if (progress !== undefined) return what === undefined ? progress : `${what}${space}${progress}`
  // No reason yet, or a code this version does not know: the state says it.
  if (what === undefined) return byState
  return a.state === 'queued' ? `${what}${space}${w.retry}` : what
}
