/**
 * Where an outbound message stands (src/outbox/), in a person's words, with its times in the
 * shop's time zone: "Waiting since 14:02 — 2 tries so far, will retry at 16:02.", "Gave up after
 * 7 tries." Shown beside what the feature says of the last attempt (an announcement's reason, a
 * delivery's failure).
 */
import { formatDate, type PageLang } from '../common/lang'
import type { MessageProgress } from '../outbox/outbox'

type Progress = Pick<MessageProgress, 'state' | 'waitingSince' | 'dueAt' | 'attempts' | 'updatedAt'>

const tries = (n: number) => `${n} ${n === 1 ? 'try' : 'tries'}`

const WORDS = {
  en: {
    waiting: (since: string) => `Waiting to be sent since ${since}.`,
    firstAt: (since: string, due: string) => `Waiting since ${since}; it will be sent at ${due}.`,
    retryAt: (since: string, n: number, due: string) =>
      `Waiting since ${since} — ${tries(n)} so far, will retry at ${due}.`,
    retryNow: (since: string, n: number) => `Waiting since ${since} — ${tries(n)} so far, trying again now.`,
    sent: (at: string, n: number) => (n > 1 ? `Sent at ${at}, after ${tries(n)}.` : `Sent at ${at}.`),
    gaveUp: (at: string, n: number) => (n > 0 ? `Gave up after ${tries(n)} (${at}).` : `Gave up (${at}).`),
  },
  ja: {
    waiting: (since: string) => `${since}から送信待ちです。`,
    firstAt: (since: string, due: string) => `${since}から送信待ちです。${due}に送信します。`,
    retryAt: (since: string, n: number, due: string) => `${since}から送信待ちです（${n}回試行）。${due}に再送します。`,
    retryNow: (since: string, n: number) => `${since}から送信待ちです（${n}回試行）。まもなく再送します。`,
    sent: (at: string, n: number) => (n > 1 ? `${at}に送信しました（${n}回目）。` : `${at}に送信しました。`),
    gaveUp: (at: string, n: number) =>
      n > 0 ? `${n}回試しましたが、送信を中止しました（${at}）。` : `送信を中止しました（${at}）。`,
  },
} as const

/** The message's state and times in words; `now` tells a retry still to come from one due. */
export function explainProgress(p: Progress, lang: PageLang, timeZone: string, now: number): string {
  const w = WORDS[lang]
  const time = (ms: number) => formatDate(ms, lang, { timeZone, time: true })
  if (p.state === 'sent') return w.sent(time(p.updatedAt), p.attempts)
  if (p.state === 'gave_up') return w.gaveUp(time(p.updatedAt), p.attempts)
  const since = time(p.waitingSince)
  if (p.attempts === 0) return p.dueAt > now ? w.firstAt(since, time(p.dueAt)) : w.waiting(since)
  return p.dueAt > now ? w.retryAt(since, p.attempts, time(p.dueAt)) : w.retryNow(since, p.attempts)
}
