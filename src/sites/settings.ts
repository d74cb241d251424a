import * as v from 'valibot'

import { Email, say } from '../common/validation'

/** A whole number of `unit` from min to max, said in both languages (the settings form shows these). */
const whole = (min: number, max: number, unit: { en: string; ja: string }) =>
  v.pipe(
    v.number(say('must be a number', '数字で入力してください')),
    v.integer(say(`must be whole ${unit.en}`, `${unit.ja}単位の整数で入力してください`)),
    v.minValue(min, say(`must be at least ${min}`, `${min}以上にしてください`)),
    v.maxValue(max, say(`must be at most ${max}`, `${max}以下にしてください`)),
  )
const days = (min: number, max: number) => whole(min, max, { en: 'days', ja: '日' })
const yesNo = v.boolean(say('must be true or false', 'はい・いいえで選んでください'))
const Percent = v.pipe(
  v.number(say('must be a number', '数字で入力してください')),
  v.minValue(0, say('must be at least 0', '0以上にしてください')),
  v.maxValue(100, say('must be at most 100', '100以下にしてください')),
)
const language = v.picklist(['en', 'ja'], say('must be en or ja', '英語か日本語を選んでください'))

/**
 * The thank-you coupon for reviews. Every review submitted through an invitation gets one,
 * whatever its rating (src/reviews/form/coupon.ts): `pool` hands out uploaded codes, `generated`
 * makes codes from `prefix`. `offer` says what it is, in the invitation and on the thank-you page.
 */
const CouponSettings = v.strictObject({
  mode: v.picklist(['off', 'pool', 'generated'], say('must be off, pool or generated', '選択肢から選んでください')),
  prefix: v.optional(
    v.pipe(
      v.string(say('must be a string', '文字で入力してください')),
      v.regex(
        /^[A-Z0-9-]{1,16}$/,
        say(
          'must be 1–16 capital letters, digits or dashes',
          '1〜16文字の大文字英字・数字・ハイフンで入力してください',
        ),
      ),
    ),
  ),
  offer: v.optional(
    v.pipe(
      v.string(say('must be a string', '文字で入力してください')),
      v.trim(),
      v.maxLength(200, say('must be at most 200 characters', '200文字以内にしてください')),
    ),
  ),
})
export type CouponSettings = v.InferOutput<typeof CouponSettings>

/** A shop's own words on the review form, in one language: plain text, shown with its line breaks. */
const ShopText = v.optional(
  v.pipe(
    v.string(say('must be a string', '文字で入力してください')),
    v.trim(),
    v.maxLength(1000, say('must be at most 1000 characters', '1000文字以内にしてください')),
  ),
)
const ReviewTexts = v.strictObject({ intro: ShopText, thanks: ShopText })
export type ReviewTexts = v.InferOutput<typeof ReviewTexts>

/** Per-site settings, stored as JSON on the site; unknown keys are refused. */
export const SiteSettingsInput = v.strictObject({
  /** Accept linked voices only after the hub found a link back (used from the Webmention issue on). */
  verify_links: v.optional(yesNo),
  /**
   * Create a target when a voice about a page nobody registered is published (its title is its
   * URL until an operator names it). Off: voices about unregistered pages are refused.
   */
  auto_targets: v.optional(yesNo),
  /**
   * How many seconds a data centre may keep answering the public feed, trust figures and JSON-LD
   * from its copy without asking D1 (0: always ask). A change shows within this time.
   */
  cache_seconds: v.optional(whole(0, 300, { en: 'seconds', ja: '秒' })),
  /** The response target shown against each voice's waiting time, in hours. */
  response_target_hours: v.optional(whole(1, 720, { en: 'hours', ja: '時間' })),
  /** IANA time zone for dates shown to staff. */
  time_zone: v.optional(
    v.pipe(
      v.string(say('must be a string', '文字で入力してください')),
      v.check(
        (tz) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: tz })
            return true
          } catch {
            return false
          }
        },
        say('must be an IANA time zone such as Asia/Tokyo', 'Asia/Tokyo のようなIANAタイムゾーン名を入力してください'),
      ),
    ),
  ),
  /** Days after delivery when every buyer is invited to review (the same for all: no gating). */
  review_invitation_delay_days: v.optional(days(0, 60)),
  /** Days an unused invitation stays valid after it is due. */
  review_invitation_valid_days: v.optional(days(1, 365)),
  /** Days a reviewer may edit their review after submitting it. */
  review_edit_days: v.optional(days(0, 365)),
  /** The shop's language on its public pages (a response's page); review invitations follow it unless review_lang says otherwise. */
  lang: v.optional(language),
  /** Language of invitations whose order names none (default: the shop's language). */
  review_lang: v.optional(language),
  /**
   * The review form's greeting and thank-you words, per language, in place of the hub's. The
   * coupon's disclosure and the form's neutral questions stay the hub's own.
   */
  review_texts: v.optional(v.strictObject({ en: v.optional(ReviewTexts), ja: v.optional(ReviewTexts) })),
  /** The query parameter that carries the click id to the storefront (affiliate links). */
  affiliate_click_param: v.optional(
    v.pipe(
      v.string(say('must be a string', '文字で入力してください')),
      v.regex(
        /^[A-Za-z][A-Za-z0-9_]{0,31}$/,
        say(
          'must be a parameter name: a letter, then letters, digits or _',
          '英字で始まる英数字と「_」（32文字まで）で入力してください',
        ),
      ),
    ),
  ),
  /** Commission on attributed sales, in percent; per-target rates override it. */
  affiliate_commission_percent: v.optional(Percent),
  affiliate_commission_by_target: v.optional(
    v.record(
      v.pipe(v.string(), v.maxLength(200)),
      Percent,
      say('must map target ids to percentages', '対象ページのIDと割合の組で入力してください'),
    ),
  ),
  /** Days after a click within which a sale is attributed to it. */
  affiliate_window_days: v.optional(days(1, 365)),
  /** The programme's currency (ISO 4217): conversions in another are refused. */
  currency: v.optional(
    v.pipe(
      v.string(say('must be a string', '文字で入力してください')),
      v.regex(
        /^[A-Z]{3}$/,
        say('must be an ISO 4217 code such as JPY', 'JPY のようなISO 4217の通貨コードを入力してください'),
      ),
    ),
  ),
  /**
   * When an order from the shop's platform (src/connectors/) starts its review invitation: `delivered`
   * (Shopify: fulfilled; WooCommerce: completed) or `paid` (Shopify: paid; WooCommerce:
   * processing). The invitation is due review_invitation_delay_days after that.
   */
  shop_invite_on: v.optional(
    v.picklist(['delivered', 'paid'], say('must be delivered or paid', '「発送済み」か「支払い済み」を選んでください')),
  ),
  /**
   * Which of the platform's products become targets: all (null), or only those carrying this tag
   * (Shopify: a tag or the product type; WooCommerce: a tag or category, by name or slug).
   */
  shop_target_tag: v.optional(
    v.nullable(
      v.pipe(
        v.string(say('must be a string', '文字で入力してください')),
        v.trim(),
        v.minLength(1, say('must not be empty', '入力してください')),
        v.maxLength(100, say('must be at most 100 characters', '100文字以内にしてください')),
      ),
    ),
  ),
  /** Where the weekly digest is e-mailed (src/digest/), when the hub can send mail; null: nowhere. */
  digest_email: v.optional(v.nullable(Email)),
  coupons: v.optional(
    v.pipe(
      CouponSettings,
      v.check(
        (c) => c.mode !== 'generated' || c.prefix !== undefined,
        say('a generated coupon needs a prefix', 'コードを自動生成するには先頭の文字を入力してください'),
      ),
    ),
  ),
})

/** A site's settings as the hub reads them (./readSettings) and the API shows them: every one, each set or its default. */
export const SiteSettingsOut = v.required(SiteSettingsInput)
export type SiteSettings = v.InferOutput<typeof SiteSettingsOut>

export const DEFAULT_SETTINGS: SiteSettings = {
  verify_links: true,
  auto_targets: true,
  cache_seconds: 10,
  response_target_hours: 24,
  time_zone: 'UTC',
  review_invitation_delay_days: 7,
  review_invitation_valid_days: 30,
  review_edit_days: 30,
  lang: 'en',
  review_lang: 'en',
  coupons: { mode: 'off' },
  review_texts: {},
  affiliate_click_param: 'gh_click',
  affiliate_commission_percent: 10,
  affiliate_commission_by_target: {},
  affiliate_window_days: 30,
  currency: 'JPY',
  digest_email: null,
  shop_invite_on: 'delivered',
  shop_target_tag: null,
}

export function readSettings(stored: Record<string, unknown>): SiteSettings {
  const parsed = v.safeParse(v.partial(SiteSettingsInput), stored)
  const given = parsed.success ? stripUndefined(parsed.output) : {}
  // One language setting is enough for most shops: each of the two follows the other when unset.
  const lang = given.lang ?? given.review_lang ?? DEFAULT_SETTINGS.lang
  return { ...DEFAULT_SETTINGS, ...given, lang, review_lang: given.review_lang ?? lang }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, value]) => value !== undefined)) as Partial<T>
}
