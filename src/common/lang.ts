/** The two languages every page of the hub speaks, and how a page picks one. */
export const LANGS = ['en', 'ja'] as const
export type PageLang = (typeof LANGS)[number]

export const isLang = (value: unknown): value is PageLang => value === 'en' || value === 'ja'

const JAPANESE_LETTERS = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/g
const LATIN_LETTERS = /[A-Za-z]/g

/**
 * The language a text is written in, of the two the hub speaks: Japanese when kana and kanji
 * carry it, English when Latin letters do; null when it has neither (figures, emoji). A Japanese
 * letter counts as much as about three Latin ones, so "Tシャツ" in an English sentence or
 * "OK" in a Japanese one does not tip it.
 */
export function textLang(text: string): PageLang | null {
  const ja = text.match(JAPANESE_LETTERS)?.length ?? 0
  const latin = text.match(LATIN_LETTERS)?.length ?? 0
  if (ja === 0 && latin === 0) return null
  return ja * 3 >= latin ? 'ja' : 'en'
}

/** The language to show: an explicit choice, the remembered one, the browser's first preference, else `fallback`. */
export function pickLang(
  query: string | undefined,
  cookie: string | undefined,
  acceptLanguage: string | undefined,
  fallback: PageLang = 'en',
): PageLang {
  for (const choice of [query, cookie]) if (isLang(choice)) return choice
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? ''
    if (tag.startsWith('ja')) return 'ja'
    if (tag.startsWith('en')) return 'en'
  }
  return fallback
}

/** A date (and, with `time`, the time) in the page's language, in `timeZone` (UTC unless given). */
export const formatDate = (
  ms: number,
  lang: PageLang,
  { timeZone = 'UTC', time = false }: { timeZone?: string; time?: boolean } = {},
) =>
  new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: time ? 'medium' : 'long',
    ...(time ? { timeStyle: 'short' } : {}),
    timeZone,
  }).format(new Date(ms))

/** A time zone as people name it ("Japan Standard Time", "日本標準時", "UTC"); the IANA name when Intl has none. */
export function zoneName(timeZone: string, lang: PageLang): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC'
  const parts = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone,
    timeZoneName: 'longGeneric',
  }).formatToParts(new Date(0))
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone
}

/** An amount kept in minor units (yen, cents) in `currency`, as a person reads it. */
export function formatMoney(minor: number, currency: string, lang: PageLang) {
  const format = new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { style: 'currency', currency })
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 0))
}
