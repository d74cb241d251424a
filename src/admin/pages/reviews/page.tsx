/**
 * A site's reviews: when buyers are invited and for how long, the thank-you coupon and its pool,
 * the shop's own words on the review form. The list of invitations and where each stands is
 * ./invitations-page.tsx; buyers' erasure requests with their record, ./erasure-page.tsx.
 */
import type { FC } from 'hono/jsx'

import { REVIEW_WORDS } from '../../../reviews/form/words'
import type { SiteSettings } from '../../../sites/settings'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { InputField, LanguageField, SelectField, TextField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

export type CouponStock = { available: number; at_least?: boolean; issued: number; issued_at_least?: boolean }

export const siteBase = (site: SiteRow) => `/admin/sites/${encodeURIComponent(site.slug)}`

/** A count read up to a bound: "10,000+" when there may be more. */
const counted = (ctx: Ctx, n: number, atLeast: boolean | undefined) =>
  `${n.toLocaleString(ctx.lang)}${atLeast ? '+' : ''}`

/** The reviews' settings (invitations, coupon, the form's words), the pool's stock and its upload form. */
export const ReviewsPage: FC<{
  ctx: Ctx
  site: SiteRow
  settings: SiteSettings
  stock: CouponStock
  notice: Notice | null
  values?: FormValues
}> = ({ ctx, site, settings, stock, notice, values }) => {
  const t = ctx.t
  const base = `${siteBase(site)}/reviews`
  // What was typed comes back only into the form it was typed in.
  const typed = values?.has('delay_days') ? values : undefined
  const value = (name: string, stored: string) => typed?.get(name) ?? stored
  const mode = value('coupon_mode', settings.coupons.mode)
  const reviewLang = value('review_lang', settings.review_lang)
  const text = (lang: 'en' | 'ja', part: 'intro' | 'thanks') =>
    value(`${part}_${lang}`, settings.review_texts[lang]?.[part] ?? '')
  const textArea = (lang: 'en' | 'ja', part: 'intro' | 'thanks', label: string) => (
    <TextField
      name={`${part}_${lang}`}
      label={label}
      lang={lang}
      maxlength={1000}
      placeholder={REVIEW_WORDS[lang][part]}
      value={text(lang, part)}
    />
  )
  return (
    <Layout ctx={ctx} title={`${t.reviews}${ctx.t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.reviews} />
      <p class="meta">{t.reviewsHelp}</p>
      <nav aria-label={t.reviews}>
        <a href={`${siteBase(site)}/invitations`}>{t.seeInvitations}</a> ·{' '}
        <a href={`${siteBase(site)}/erasure`}>{t.erasure}</a>
      </nav>
      <NoticeLine ctx={ctx} notice={notice} />
      <form method="post" action={base}>
        <Csrf ctx={ctx} />
        <fieldset>
          <legend>{t.invitationSettings}</legend>
          <InputField
            name="delay_days"
            label={t.delayDays}
            numeric
            value={value('delay_days', String(settings.review_invitation_delay_days))}
          />
          <InputField
            name="valid_days"
            label={t.validDays}
            numeric
            value={value('valid_days', String(settings.review_invitation_valid_days))}
          />
          <InputField
            name="edit_days"
            label={t.editDays}
            numeric
            value={value('edit_days', String(settings.review_edit_days))}
          />
          <LanguageField name="review_lang" label={t.reviewLang} value={reviewLang} words={t} />
        </fieldset>
        <fieldset>
          <legend>{t.coupon}</legend>
          <p class="meta">{t.couponHelp}</p>
          <SelectField
            name="coupon_mode"
            label={t.couponMode}
            value={mode}
            options={(['off', 'pool', 'generated'] as const).map((m) => ({ value: m, label: ctx.w.couponMode[m] }))}
          />
          <InputField
            name="coupon_prefix"
            label={t.couponPrefix}
            help={t.couponPrefixHelp}
            maxlength={16}
            value={value('coupon_prefix', settings.coupons.prefix ?? '')}
          />
          <InputField
            name="coupon_offer"
            label={t.couponOffer}
            help={t.couponOfferHelp}
            maxlength={200}
            value={value('coupon_offer', settings.coupons.offer ?? '')}
          />
        </fieldset>
        <fieldset>
          <legend>{t.formTexts}</legend>
          <p class="meta">{t.formTextsHelp}</p>
          {textArea('en', 'intro', t.introEn)}
          {textArea('en', 'thanks', t.thanksEn)}
          {textArea('ja', 'intro', t.introJa)}
          {textArea('ja', 'thanks', t.thanksJa)}
        </fieldset>
        <button type="submit">{t.save}</button>
      </form>

      <form method="post" action={`${base}/codes`}>
        <Csrf ctx={ctx} />
        <fieldset>
          <legend>{t.addCodes}</legend>
          <p role="status">
            {phrase(ctx.lang, t.couponStock, {
              available: counted(ctx, stock.available, stock.at_least),
              issued: counted(ctx, stock.issued, stock.issued_at_least),
            })}
          </p>
          {settings.coupons.mode === 'pool' && stock.available === 0 && <p class="error">{t.poolEmpty}</p>}
          <TextField name="codes" label={t.codes} help={t.codesHelp} required value={values?.get('codes') ?? ''} />
          <button type="submit">{t.addCodes}</button>
        </fieldset>
      </form>
    </Layout>
  )
}
