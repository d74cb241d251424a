/** The review settings form as the API's site patch, and the labels a refused field is named by. */
import type { Context } from 'hono'

import type { FormLabels } from '../../../common/form-errors'
import { type AdminEnv, field, type PageContext } from '../../kit/context'
import { filledIn, numberOf } from '../../kit/forms'
import type { Words } from './words'

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

export const reviewLabels = (t: PageContext<Words>['t']): FormLabels => {
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
