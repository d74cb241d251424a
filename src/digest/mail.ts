/**
 * The weekly digest as a plain-text e-mail to the shop, in its language (en or ja). The week and
 * the dates of voices are the shop's, in its time zone. With the hub's public origin known, each listed voice links to its console page.
 */
import type { DigestBody, DigestResponse } from '../db/schema'
import { formatDate, type PageLang } from '../common/lang'
import type { Mail } from '../common/mail'
import { percentOf, weekWords } from './figures'

export type DigestMailFacts = {
  shop: string
  slug: string
  lang: PageLang
  timeZone: string
  /** The hub's public origin (HUB_ORIGIN); null: the e-mail carries no links. */
  hubOrigin: string | null
  digest: DigestBody
}

const WORDS = {
  en: {
    sep: ': ',
    subject: (shop: string, from: string, to: string) => `${shop}: last week's voices (${from} – ${to})`,
    heading: (shop: string) => `Last week's digest for ${shop}`,
    week: (from: string, to: string, zone: string) => `${from} to ${to} (Monday to Sunday, ${zone})`,
    newVoices: (n: number) => `New voices: ${n}`,
    bySentiment: (d: DigestBody['new_voices']) =>
      `positive ${d.positive}, neutral ${d.neutral}, negative ${d.negative}, unclassified ${d.unclassified}`,
    unanswered: (n: number) => `Negative voices still unanswered: ${n}`,
    awaiting: (n: number) => `Apologies still waiting for a resolution report: ${n}`,
    untitled: '(no title)',
    waited: (days: number, date: string) => `waiting ${days} day${days === 1 ? '' : 's'} (since ${date})`,
    more: (n: number) => `… and ${n} more`,
    answers: 'Answers to the voices published that week:',
    thisWeek: 'That week',
    weekBefore: 'The week before',
    answered: (r: DigestResponse) =>
      r.published === 0
        ? 'no voices published'
        : `${r.answered} of ${r.published} answered (${percentOf(r.rate)})` +
          (r.median_hours === null ? '' : `, median ${r.median_hours} hours to a first answer`),
    overview: 'The overview in the console:',
  },
  ja: {
    sep: '：',
    subject: (shop: string, from: string, to: string) => `${shop}：先週のまとめ（${from}〜${to}）`,
    heading: (shop: string) => `${shop} 先週のまとめ`,
    week: (from: string, to: string, zone: string) => `${from}〜${to}（月曜〜日曜、${zone}）`,
    newVoices: (n: number) => `新しい声：${n}件`,
    bySentiment: (d: DigestBody['new_voices']) =>
      `肯定的 ${d.positive}件、中立 ${d.neutral}件、否定的 ${d.negative}件、未分類 ${d.unclassified}件`,
    unanswered: (n: number) => `まだ回答していない否定的な声：${n}件`,
    awaiting: (n: number) => `お詫びのあと改善のご報告を待っている声：${n}件`,
    untitled: '（タイトルなし）',
    waited: (days: number, date: string) => `${days}日経過（${date}から）`,
    more: (n: number) => `ほか${n}件`,
    answers: 'その週に公開された声への回答：',
    thisWeek: '先週',
    weekBefore: '先々週',
    answered: (r: DigestResponse) =>
      r.published === 0
        ? '公開された声なし'
        : `${r.published}件中${r.answered}件に回答（${percentOf(r.rate)}）` +
          (r.median_hours === null ? '' : `、最初の回答までの中央値 ${r.median_hours}時間`),
    overview: '管理画面の概要：',
  },
} as const

/** Text from elsewhere on one line, not too long (a subject, a voice's title). */
const oneLine = (text: string, max = 200) => text.replace(/\s+/g, ' ').trim().slice(0, max)

export function digestMail(f: DigestMailFacts): Mail {
  const w = WORDS[f.lang]
  const d = f.digest
  const localDate = (iso: string) => formatDate(Date.parse(iso), f.lang, { timeZone: f.timeZone })
  const { from, to, zone } = weekWords(d, f.lang)
  const site = encodeURIComponent(f.slug)
  const voiceLine = (v: { id: string; title: string | null; url: string | null; age_days: number }, since: string) => [
    `- ${oneLine(v.title ?? v.url ?? w.untitled)}${w.sep}${w.waited(v.age_days, localDate(since))}`,
    ...(f.hubOrigin ? [`  ${f.hubOrigin}/admin/mentions/${encodeURIComponent(v.id)}`] : []),
  ]
  const more = (count: number, listed: number) => (count > listed ? [w.more(count - listed)] : [])
  const lines = [
    w.heading(oneLine(f.shop)),
    w.week(from, to, zone),
    '',
    w.newVoices(d.new_voices.total),
    ...(d.new_voices.total > 0 ? [w.bySentiment(d.new_voices)] : []),
    '',
    w.unanswered(d.unanswered_negative.count),
    ...d.unanswered_negative.oldest.flatMap((v) => voiceLine(v, v.published_at)),
    ...more(d.unanswered_negative.count, d.unanswered_negative.oldest.length),
    '',
    w.awaiting(d.awaiting_resolution.count),
    ...d.awaiting_resolution.oldest.flatMap((v) => voiceLine(v, v.apologized_at)),
    ...more(d.awaiting_resolution.count, d.awaiting_resolution.oldest.length),
    '',
    w.answers,
    `${w.thisWeek}${w.sep}${w.answered(d.response.this_week)}`,
    `${w.weekBefore}${w.sep}${w.answered(d.response.week_before)}`,
    ...(f.hubOrigin ? ['', w.overview, `${f.hubOrigin}/admin/sites/${site}/overview`] : []),
  ]
  return { subject: oneLine(w.subject(f.shop, from, to), 250), text: lines.join('\n') }
}
