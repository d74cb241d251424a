/** The two languages every page of the hub speaks, and how a page picks one. */
export const LANGS = ['en', 'ja'] as const
export type PageLang = (typeof LANGS)[number]

export const isLang = (value: unknown): value is PageLang => value === 'en' || value === 'ja'

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

/** An amount kept in minor units (yen, cents) in `currency`, as a person reads it. */
export function formatMoney(minor: number, currency: string, lang: PageLang) {
  const format = new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { style: 'currency', currency })
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 0))
}
