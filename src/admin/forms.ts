/**
 * The console's forms as the API's inputs: what each form's fields become (the same schemas then
 * check them, so the console and the API share one set of rules), and the labels a refused field
 * is named by on its page.
 */
import type { Context } from 'hono'

import type { FormLabels } from '../common/form-errors'
import { type AdminEnv, field } from './context'
import type { PageContext } from './pages/layout'

/**
 * The programme form as the API's site patch. Per-product rates are typed one per line as
 * "target = percent"; a line that is not is passed on as typed, for the schema to refuse in words.
 */
export function programmeFormInput(c: Context<AdminEnv>) {
  const rates: Record<string, unknown> = {}
  for (const line of linesOf(field(c, 'commission_by_target'))) {
    const at = line.lastIndexOf('=')
    const target = at === -1 ? line : line.slice(0, at).trim()
    rates[target] = at === -1 ? line : numberOf(line.slice(at + 1).replace('%', ''))
  }
  return {
    settings: {
      affiliate_commission_percent: numberOf(field(c, 'commission_percent')?.replace('%', '')),
      affiliate_commission_by_target: rates,
      affiliate_window_days: numberOf(field(c, 'window_days')),
      currency: field(c, 'currency')?.trim().toUpperCase() ?? '',
      affiliate_click_param: field(c, 'click_param')?.trim() ?? '',
    },
  }
}

export const programmeLabels = (t: PageContext['t']): FormLabels => ({
  'settings.affiliate_commission_percent': { field: 'commission_percent', label: t.commissionPercent },
  'settings.affiliate_commission_by_target': { field: 'commission_by_target', label: t.commissionByTarget },
  'settings.affiliate_window_days': { field: 'window_days', label: t.windowDays },
  'settings.currency': { field: 'currency', label: t.currency },
  'settings.affiliate_click_param': { field: 'click_param', label: t.clickParam },
})

/** The review settings form as the API's site patch (an empty box: the hub's default). */
export function reviewSettingsInput(c: Context<AdminEnv>) {
  const given = (name: string) => filledIn(c, name)
  const texts = (lang: 'en' | 'ja') => ({ intro: given(`intro_${lang}`), thanks: given(`thanks_${lang}`) })
  return {
    settings: {
      review_invitation_delay_days: numberOf(field(c, 'delay_days')),
      review_invitation_valid_days: numberOf(field(c, 'valid_days')),
      review_edit_days: numberOf(field(c, 'edit_days')),
      review_lang: field(c, 'review_lang') ?? '',
      coupons: { mode: field(c, 'coupon_mode') ?? '', prefix: given('coupon_prefix'), offer: given('coupon_offer') },
      review_texts: { en: texts('en'), ja: texts('ja') },
    },
  }
}

export const reviewLabels = (t: PageContext['t']): FormLabels => {
  const label = (name: string, text: string) => ({ field: name, label: text })
  return {
    'settings.review_invitation_delay_days': label('delay_days', t.delayDays),
    'settings.review_invitation_valid_days': label('valid_days', t.validDays),
    'settings.review_edit_days': label('edit_days', t.editDays),
    'settings.review_lang': label('review_lang', t.reviewLang),
    'settings.coupons.mode': label('coupon_mode', t.couponMode),
    'settings.coupons.prefix': label('coupon_prefix', t.couponPrefix),
    'settings.coupons': label('coupon_prefix', t.couponPrefix),
    'settings.coupons.offer': label('coupon_offer', t.couponOffer),
    'settings.review_texts.en.intro': label('intro_en', t.introEn),
    'settings.review_texts.en.thanks': label('thanks_en', t.thanksEn),
    'settings.review_texts.ja.intro': label('intro_ja', t.introJa),
    'settings.review_texts.ja.thanks': label('thanks_ja', t.thanksJa),
  }
}

/** A field's text, trimmed; undefined when it was left empty (an optional setting then keeps its default). */
export function filledIn(c: Context<AdminEnv>, name: string) {
  const text = field(c, name)?.trim() ?? ''
  return text === '' ? undefined : text
}

/** Two counts a form's redirect carries to the page that shows them ("3.1"); null for anything else. */
export function countsOf(query: string | undefined): [string, string] | null {
  const m = /^(\d{1,7})\.(\d{1,7})$/.exec(query ?? '')
  return m?.[1] !== undefined && m[2] !== undefined ? [m[1], m[2]] : null
}

/** A textarea's lines, trimmed, the empty ones left out. */
export const linesOf = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')

/** A number typed into a form; anything else is left as typed, for the schema to refuse in words. */
export const numberOf = (text: string | undefined) => {
  // NFKC: a Japanese input method may type full-width digits (１２).
  const typed = (text ?? '').normalize('NFKC').trim()
  return /^-?\d+(\.\d+)?$/.test(typed) ? Number(typed) : typed
}

/** The settings form as the API's site patch (an unticked box is false; no embed origins means the storefront's). */
export function siteFormInput(c: Context<AdminEnv>) {
  const origins = linesOf(field(c, 'origins'))
  const embed = linesOf(field(c, 'embed_origins'))
  return {
    name: field(c, 'name') ?? '',
    origins,
    embed_origins: embed.length > 0 ? embed : origins,
    settings: {
      response_target_hours: numberOf(field(c, 'response_target_hours')),
      time_zone: field(c, 'time_zone')?.trim() ?? '',
      cache_seconds: numberOf(field(c, 'cache_seconds')),
      lang: field(c, 'lang') ?? '',
      // Left empty: no digest by e-mail (null clears an address saved before).
      digest_email: filledIn(c, 'digest_email') ?? null,
      verify_links: field(c, 'verify_links') === 'on',
      auto_targets: field(c, 'auto_targets') === 'on',
    },
  }
}

/** The settings form's labels, so a refused field is named as the page names it. */
export function siteLabels(t: PageContext['t']): FormLabels {
  const label = (name: string, text: string) => ({ field: name, label: text })
  return {
    name: label('name', t.siteName),
    origins: label('origins', t.origins),
    embed_origins: label('embed_origins', t.embedOrigins),
    'settings.response_target_hours': label('response_target_hours', t.responseTarget),
    'settings.time_zone': label('time_zone', t.timeZone),
    'settings.cache_seconds': label('cache_seconds', t.cacheSeconds),
    'settings.lang': label('lang', t.shopLang),
    'settings.digest_email': label('digest_email', t.digestEmail),
    'settings.verify_links': label('verify_links', t.verifyLinks),
    'settings.auto_targets': label('auto_targets', t.autoTargets),
  }
}

/** The response form's fields by their labels on the page. */
export const responseLabels = (t: PageContext['t']): FormLabels => ({
  mention_ids: { field: 'answer-many', label: t.selectedVoices },
  stage: { field: 'stage', label: t.stage },
  body: { field: 'body', label: t.body },
  'author.name': { field: 'author_name', label: t.authorName },
  'author.role': { field: 'author_role', label: t.authorRole },
})

/** A response form's fields (stage, body, author_name, author_role), and the ticked voices when `ids` is given. */
export function responseFormInput(c: Context<AdminEnv>, ids?: string[]) {
  const role = field(c, 'author_role')?.trim()
  return {
    ...(ids ? { mention_ids: ids } : {}),
    stage: field(c, 'stage'),
    body: field(c, 'body'),
    author: { name: field(c, 'author_name'), ...(role ? { role } : {}) },
  }
}
