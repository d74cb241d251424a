/**
 * Why reading a watched feed failed: a code stored on the watch and in the run's log, put in
 * words in English and Japanese where it is shown (the console, the API's `last_error_message`).
 */
import { DAY, HOUR } from '../common/clock'
import type { PageLang } from '../common/page-shell'
import { FETCH_REFUSALS, type FetchRefusal, refusalSentence } from '../reasons/check'
import { failureWaits } from './schedule'

export type FeedError =
  | FetchRefusal
  | 'timeout'
  | 'unreachable'
  /** The feed answered with this HTTP status (404, 500 …). */
  | `http_${number}`
  | 'unsupported_content'
  | 'too_large'
  | 'doctype'
  | 'malformed'
  | 'not_a_feed'
  | 'unsupported_encoding'
  | 'not_decodable'
  /** Something in the hub itself went wrong; the run's log has the details. */
  | 'internal'

/** A wait in days when it is whole days, else in hours. */
const waitWords = (ms: number, lang: PageLang) => {
  const days = ms / DAY
  if (Number.isInteger(days)) return lang === 'ja' ? `${days}日` : `${days} ${days === 1 ? 'day' : 'days'}`
  const hours = Math.round((ms / HOUR) * 10) / 10
  return lang === 'ja' ? `${hours}時間` : `${hours} h`
}

/**
 * When a failing feed is read again, from the waits after each failure in a row (the last one
 * also after every further failure): "2 h after the first failure, then 4 h, 8 h and 16 h after
 * the next ones, then once a day".
 */
export function retryWords(waits: readonly number[], lang: PageLang): string {
  const words = waits.map((ms) => waitWords(ms, lang))
  const steady = words.at(-1) ?? ''
  const every = lang === 'ja' ? `${steady}ごとに` : steady === '1 day' ? 'once a day' : `every ${steady}`
  if (words.length < 2) return lang === 'ja' ? `${every}読み直します` : every
  const [first, ...next] = words.slice(0, -1)
  if (lang === 'ja') {
    const then = next.length === 0 ? '' : `続く失敗のあとは${next.map((w) => `${w}後`).join('、')}、`
    return `1回目の失敗の${first ?? ''}後、${then}その後は${every}読み直します`
  }
  const listed = next.length < 2 ? next.join('') : `${next.slice(0, -1).join(', ')} and ${next.at(-1) ?? ''}`
  const then = next.length === 0 ? '' : `, then ${listed} after the next ones`
  return `${first ?? ''} after the first failure${then}, then ${every}`
}

const WORDS: Record<PageLang, Partial<Record<string, string>>> = {
  en: {
    timeout: 'The feed did not answer completely within 10 seconds.',
    unreachable: 'The hub could not connect to the feed’s server.',
    unsupported_content: 'The address does not serve a feed (RSS or Atom XML).',
    too_large: 'The feed is larger than 2 MB; the hub reads no further.',
    doctype: 'The feed declares a DOCTYPE, which the hub does not read.',
    malformed: 'The feed is not well-formed XML.',
    not_a_feed: 'The document is XML but not an RSS 2.0, RSS 1.0 or Atom feed.',
    unsupported_encoding: 'The feed is in a character encoding the hub does not read.',
    not_decodable: 'The feed’s bytes do not match the character encoding it declares.',
    internal: `The hub could not finish reading the feed (a fault on the hub’s side, not the feed’s). Like any failing feed, it is read again ${retryWords(failureWaits(), 'en')}.`,
  },
  ja: {
    timeout: 'フィードが10秒以内に応答を終えませんでした。',
    unreachable: 'フィードのサーバーに接続できませんでした。',
    unsupported_content: 'このアドレスはフィード（RSS や Atom の XML）を返していません。',
    too_large: 'フィードが2 MBを超えています（ハブはそれ以上読みません）。',
    doctype: 'フィードに DOCTYPE 宣言があります（ハブは読みません）。',
    malformed: 'フィードが XML として正しくありません。',
    not_a_feed: 'XML ですが、RSS 2.0・RSS 1.0・Atom のフィードではありません。',
    unsupported_encoding: 'ハブが読めない文字コードのフィードです。',
    not_decodable: 'フィードの中身が宣言された文字コードと合いません。',
    internal: `ハブの側で読み込みを終えられませんでした（フィードの問題ではありません）。失敗が続くほかのフィードと同じく、${retryWords(failureWaits(), 'ja')}。`,
  },
}

const isRefusal = (code: string): code is FetchRefusal => (FETCH_REFUSALS as readonly string[]).includes(code)

/** A stored code in words; a code this version does not know is shown as it is. */
export function feedErrorWords(code: string, lang: PageLang): string {
  if (isRefusal(code)) return refusalSentence(code, lang === 'ja' ? 'フィードのアドレス' : 'The feed’s address', lang)
  const status = /^http_(\d{3})$/.exec(code)?.[1]
  if (status !== undefined)
    return lang === 'ja' ? `フィードがエラー（HTTP ${status}）を返しました。` : `The feed answered HTTP ${status}.`
  return WORDS[lang][code] ?? code
}
