/**
 * Why a check of a source page ended as it did: a fixed vocabulary of codes, stored as codes
 * (never as sentences to be parsed back), each explained in English and Japanese for the
 * blogger's status page, the operator's pages and the API. An HTTP status, when one matters,
 * is stored beside the code; runtime error texts are never stored or shown.
 */
import { FETCH_REFUSALS, type FetchRefusal, type VerifyReason } from '../db/schema'
import type { PageLang } from '../common/page-shell'

export { FETCH_REFUSALS, type FetchRefusal, VERIFY_REASONS, type VerifyReason } from '../db/schema'

/** What the refused URL was, in a sentence's words: "The source", "The blog's Webmention endpoint"… */
const REFUSALS: Record<PageLang, Record<FetchRefusal, string>> = {
  en: {
    hub_itself: 'is on this hub itself, and the hub never fetches its own pages',
    unsupported_scheme: 'is not an http or https address',
    credentials_in_url: 'has a user name or password in it, which the hub does not send',
    forbidden_port: 'uses a port other than 80, 443 or 8080',
    private_address: 'points to a private, loopback or reserved address',
    internal_host: 'names a host that only exists inside a private network (such as localhost or .local)',
    invalid_url: 'is not a valid address',
    too_many_redirects: 'redirects more than 10 times',
    bad_redirect: 'redirects without saying where to',
  },
  ja: {
    hub_itself: 'がこのハブ自身のアドレスです（ハブは自分自身を取得しません）',
    unsupported_scheme: 'が http または https のアドレスではありません',
    credentials_in_url: 'にユーザー名またはパスワードが含まれています（ハブはこれを送信しません）',
    forbidden_port: 'が80・443・8080以外のポートを使っています',
    private_address: 'がプライベート・ループバック・予約済みのアドレスを指しています',
    internal_host: 'が社内ネットワークの中にしかないホスト名です（localhost や .local など）',
    invalid_url: 'が正しいアドレスではありません',
    too_many_redirects: 'のリダイレクトが10回を超えています',
    bad_redirect: 'がリダイレクト先を示さずにリダイレクトしています',
  },
}

/** A refusal as a sentence about `subject` ("The source" / 「ソース」). */
export function refusalSentence(refusal: FetchRefusal, subject: string, lang: PageLang): string {
  return lang === 'ja' ? `${subject}${REFUSALS.ja[refusal]}。` : `${subject} ${REFUSALS.en[refusal]}.`
}

const isRefusal = (reason: VerifyReason): reason is FetchRefusal =>
  (FETCH_REFUSALS as readonly string[]).includes(reason)

// Partial: a row may carry a code this version does not know (written by another one).
const WORDS: Record<PageLang, Partial<Record<string, (status: number | null) => string>>> = {
  en: {
    no_link: () => 'The source page does not link to the target page.',
    no_link_in_first_mb: () =>
      'The first 1 MB of the source page does not link to the target page (the hub reads no further).',
    source_gone: () => 'The source page is gone (it answers 410 Gone, or says so).',
    source_not_found: () => 'The source page was not found (404): it may not be published yet.',
    source_forbidden: (s) => `The source page refused the hub (${s ?? 403}): it may be private or behind a login.`,
    source_error: (s) => `The source’s server answered with an error (${s ?? 'an error status'}).`,
    source_timeout: () => 'The source did not answer completely within 5 seconds.',
    source_unreachable: () => 'The hub could not connect to the source’s server.',
    unsupported_content: () => 'The source is not an HTML page, JSON or plain text.',
    unregistered_target: () =>
      'The target is not a page this shop lists, and the shop does not add pages automatically.',
    duplicate: () => 'The same post was already received for this page.',
  },
  ja: {
    no_link: () => 'ソースのページに、対象ページへのリンクがありません。',
    no_link_in_first_mb: () =>
      'ソースのページの最初の1MBに、対象ページへのリンクがありません（ハブはそれ以降を読みません）。',
    source_gone: () => 'ソースのページは削除されています（410 Gone）。',
    source_not_found: () => 'ソースのページが見つかりません（404）。まだ公開されていない可能性があります。',
    source_forbidden: (s) =>
      `ソースのページがハブからのアクセスを拒否しました（${s ?? 403}）。非公開か、ログインが必要な可能性があります。`,
    source_error: (s) => `ソースのサーバーがエラーを返しました（${s ?? 'エラー'}）。`,
    source_timeout: () => 'ソースから5秒以内に応答がありませんでした。',
    source_unreachable: () => 'ソースのサーバーに接続できませんでした。',
    unsupported_content: () => 'ソースがHTML・JSON・テキストのいずれでもありません。',
    unregistered_target: () => '対象ページはこのショップの登録ページではなく、ショップは自動登録をしていません。',
    duplicate: () => '同じ記事がこのページについてすでに届いています。',
  },
}

const SUBJECT = { en: 'The source', ja: 'ソース' } as const

/** Reasons worth another try: the check retries them, and gives up only after several attempts. */
const TRANSIENT: readonly VerifyReason[] = [
  'source_not_found',
  'source_forbidden',
  'source_error',
  'source_timeout',
  'source_unreachable',
]

export type CheckRecord = {
  state: 'queued' | 'verified' | 'rejected' | 'deleted' | null
  reason: VerifyReason | null
  status: number | null
  attempts: number
}

/** The reason of a check in a person's words: what happened, and what it means for the voice. */
export function explainCheck(c: CheckRecord, lang: PageLang): string | null {
  if (c.reason === null) return null
  const words = isRefusal(c.reason) ? refusalSentence(c.reason, SUBJECT[lang], lang) : WORDS[lang][c.reason]?.(c.status)
  // A code this version does not know (a row written by another one) is left to the state's words.
  if (words === undefined) return null
  const what = words
  const ja = lang === 'ja'
  // Japanese sentences follow each other without a space.
  const then = (next: string) => `${what}${ja ? '' : ' '}${next}`
  if (c.state === 'queued') return then(ja ? '時間をおいて再確認します。' : 'The hub will try again.')
  if (c.state === 'rejected' && TRANSIENT.includes(c.reason) && c.attempts >= 1) {
    return then(
      ja
        ? `${c.attempts}回試みたため、確認を終了しました。`
        : `The hub gave up after ${c.attempts} attempt${c.attempts === 1 ? '' : 's'}.`,
    )
  }
  if (c.state === 'verified')
    return then(ja ? '声は前回確認した内容のまま公開されています。' : 'The voice stays as it was last verified.')
  return what
}

/** The explanation in both languages, for JSON answers. */
export const explanations = (c: CheckRecord) => ({ en: explainCheck(c, 'en'), ja: explainCheck(c, 'ja') })
