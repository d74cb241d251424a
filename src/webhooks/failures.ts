/**
 * Why a webhook delivery's attempt failed: a code stored in its attempt log (and as the delivery's
 * last error), put in words in English and Japanese where it is shown. The runtime's own text
 * ("connect_error: internal error; reference = …") is never stored or shown: deliver() logs it.
 */
import type { FetchedSource } from '../common/fetch-source'
import type { PageLang } from '../common/page-shell'
import { FETCH_REFUSALS, type FetchRefusal, refusalSentence } from '../reasons/check'

export type DeliveryFailure =
  /** The hub would not send to the address (a private address, the hub itself …). */
  | FetchRefusal
  /** No connection to the address's server (refused, reset, unreachable). */
  | 'connect_failed'
  /** The address's host name was not found. */
  | 'dns'
  /** The secure connection (TLS) could not be made: a certificate or handshake problem. */
  | 'tls'
  /** No complete answer within the delivery's time limit. */
  | 'timeout'
  /** The receiver answered with this HTTP status (not 2xx; a redirect is not followed). */
  | `http_${number}`
  /** Not sent: sending to this address is stopped. */
  | 'disabled'

/** What an attempt's answer was, as a code: null when it was delivered (a 2xx). */
export function failureOf(res: FetchedSource): DeliveryFailure | null {
  if (res.kind === 'refused') return res.reason
  if (res.kind === 'unreachable') return res.reason === 'timeout' ? 'timeout' : connectionFailure(res.detail)
  return res.status >= 200 && res.status < 300 ? null : `http_${res.status}`
}

/** What kind of connection failure the runtime's text describes (it names DNS or TLS when it knows). */
function connectionFailure(detail: string): DeliveryFailure {
  if (/\bdns\b|name not resolved|name or service not known|enotfound|getaddrinfo/i.test(detail)) return 'dns'
  if (/\btls\b|\bssl\b|certificate|handshake/i.test(detail)) return 'tls'
  return 'connect_failed'
}

const WORDS: Record<PageLang, Record<'connect_failed' | 'dns' | 'tls' | 'timeout' | 'disabled' | 'failed', string>> = {
  en: {
    connect_failed: 'could not connect to the address',
    dns: 'the address’s host name was not found',
    tls: 'a secure (TLS) connection to the address failed',
    timeout: 'timed out after {s} s',
    disabled: 'not sent: sending to this address is stopped',
    failed: 'could not be delivered',
  },
  ja: {
    connect_failed: 'アドレスに接続できませんでした',
    dns: 'アドレスのホスト名が見つかりませんでした',
    tls: 'アドレスとの安全な接続（TLS）に失敗しました',
    timeout: '{s}秒でタイムアウトしました',
    disabled: '送信を停止しているため送っていません',
    failed: '届けられませんでした',
  },
}

const STATUS_WORDS = {
  en: (status: number) =>
    status >= 300 && status < 400
      ? `answered ${status}, a redirect (the hub does not follow redirects)`
      : status === 410
        ? 'answered 410 Gone: the hub stopped sending to this address'
        : `answered ${status}`,
  ja: (status: number) =>
    status >= 300 && status < 400
      ? `${status}（リダイレクト）を返しました（ハブはリダイレクトをたどりません）`
      : status === 410
        ? '410 Gone を返したため、このアドレスへの送信を停止しました'
        : `${status}を返しました`,
}

const isRefusal = (code: string): code is FetchRefusal => (FETCH_REFUSALS as readonly string[]).includes(code)
const isStatus = (code: string): code is `http_${number}` => /^http_\d{3}$/.test(code)

/** Not a code this version knows (nor an old text it can read): the attempt failed, no more is known. */
export const UNKNOWN_FAILURE = 'failed'

/**
 * A stored failure as the code the hub shows (the API's `last_error` and `attempt_log[].error`, the
 * console's words): logs written before failures were codes ("answered 503", "refused: private_address",
 * "connect_error: internal error; reference = …") are read as codes, and anything else this version
 * does not know is `failed`, so no runtime text ever leaves the hub. Null (delivered) stays null.
 */
export function failureCode(stored: string): DeliveryFailure | typeof UNKNOWN_FAILURE
export function failureCode(stored: string | null): DeliveryFailure | typeof UNKNOWN_FAILURE | null
export function failureCode(stored: string | null): DeliveryFailure | typeof UNKNOWN_FAILURE | null {
  if (stored === null) return null
  const code = fromOldText(stored)
  if (isRefusal(code)) return code
  if (isStatus(code)) return code
  if (code === 'connect_failed' || code === 'dns' || code === 'tls' || code === 'timeout' || code === 'disabled')
    return code
  return UNKNOWN_FAILURE
}

function fromOldText(text: string): string {
  const answered = /^answered (\d{3})$/.exec(text)?.[1]
  if (answered !== undefined) return `http_${answered}`
  if (text.startsWith('refused: ')) return text.slice('refused: '.length)
  if (text.startsWith('timeout')) return 'timeout'
  if (text.startsWith('connect_error')) return connectionFailure(text.slice('connect_error'.length))
  if (text === 'the endpoint is disabled') return 'disabled'
  return text
}

/**
 * A stored failure in words, in the page's language (`timeoutSeconds`: the delivery's time limit).
 * A code this version does not know is said as a failure, never shown as it is.
 */
export function deliveryFailureWords(stored: string, lang: PageLang, timeoutSeconds: number): string {
  const code = failureCode(stored)
  if (isRefusal(code)) return refusalSentence(code, lang === 'ja' ? 'このアドレス' : 'The address', lang)
  if (isStatus(code)) return STATUS_WORDS[lang](Number(code.slice('http_'.length)))
  const words = WORDS[lang]
  return code === 'timeout' ? words.timeout.replace('{s}', String(timeoutSeconds)) : words[code]
}
