/**
 * The console's words in English and Japanese: those every page shares (the layout, the menu of a
 * site's pages, forms and their refusals, a response's fields) here; each page keeps its own beside
 * it (`pages/<page>/words.ts`). A page's context carries both, so a page reads `ctx.t.saved` and
 * `ctx.t.mergeInto` alike. The language comes from `?lang=`, then the `glasshouse_lang` cookie, then
 * `Accept-Language`.
 */
import type { PageLang } from '../../common/lang'

export { pickLang } from '../../common/lang'
export type Lang = PageLang
export const LANG_COOKIE = 'glasshouse_lang'

/** A page's words: the same keys in both languages (a key missing from one is a type error). */
export function defineWords<const E extends Record<string, string>>(
  en: E,
  ja: { [K in keyof E]: string },
): Record<Lang, { [K in keyof E]: string }> {
  return { en, ja }
}

const PLURAL_RULES: Record<Lang, Intl.PluralRules> = { en: new Intl.PluralRules('en'), ja: new Intl.PluralRules('ja') }

/**
 * A sentence of the console's words with its blanks filled: `{name}` by the value (a number written
 * the language's way) and `{name:one|other}` by the form the count `name` takes in the language
 * (Intl.PluralRules: "1 voice", "0 voices", "2 voices"). Japanese needs no forms: it counts with
 * a counter, 「{n}件」「{n}回」. The one place a console sentence gets its numbers.
 */
export function phrase(lang: Lang, text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)(?::([^|{}]*)\|([^|{}]*))?\}/g, (blank, name: string, one?: string, other?: string) => {
    const value = values[name]
    if (value === undefined) return blank
    if (one !== undefined && other !== undefined)
      return typeof value === 'number' && PLURAL_RULES[lang].select(value) === 'one' ? one : other
    return typeof value === 'number' ? value.toLocaleString(lang) : value
  })
}

export const SHARED_WORDS = defineWords(
  {
    title: 'Glasshouse inbox',
    partners: 'Affiliate partners',
    signOut: 'Sign out',
    olderOnes: 'Older →',
    filters: 'Filters',
    any: 'any',
    sentiment: 'Sentiment',
    status: 'Status',
    suggested: 'suggested',
    stage: 'Stage',
    stageReply: 'Reply / thanks',
    stageApology: 'Apology',
    stageResolution: 'Resolution report (what we fixed)',
    body: 'Text',
    authorName: 'Your name',
    authorRole: 'Role (e.g. 店長, 作り手)',
    publish: 'Publish',
    save: 'Save',
    back: 'Back to the inbox',
    saved: 'Saved.',
    /** Punctuation between a label and its value, and around an aside: Japanese uses full-width marks. */
    colon: ': ',
    comma: ', ',
    open: ' (',
    close: ')',
    language: '日本語',
    checkForm: 'Please check the form:',
    selectedVoices: 'Voices to answer',
    staleForm: 'The form is stale or did not come from this page; reload it and try again.',
    tooLarge: 'The form is too large (at most 64 KB).',
    settings: 'Settings',
    embedLink: 'Embed',
    deleteLink: 'Delete the shop',
    webhooks: 'Webhooks',
    platform: 'Shopify / WooCommerce',
    overview: 'Overview',
    english: 'English',
    japanese: '日本語',
    targets: 'Targets',
    voicesCount: 'Voices',
    reviews: 'Reviews',
    watches: 'Watched feeds',
    imports: 'Bring history in',
    error: 'Something went wrong',
    keyOnce: 'The new key, shown this once — copy it now:',
    secretOnce: 'The new secret, shown this once — put it in the storefront now:',
    previousUntil: 'The previous secret works until',
    endpointSecretOnce: 'The endpoint’s signing secret, shown this once — put it in the receiver now:',
    signInLinkOnce:
      'This hub does not send e-mail (no send_email binding): send this one-time sign-in link to the partner yourself. It works once, until {until}:',
  },
  {
    title: 'Glasshouse 受信箱',
    partners: 'アフィリエイトパートナー',
    signOut: 'ログアウト',
    olderOnes: 'さらに古いもの →',
    filters: '絞り込み',
    any: 'すべて',
    sentiment: '評価',
    status: '状態',
    suggested: '自動推定',
    stage: '段階',
    stageReply: 'お返事・お礼',
    stageApology: 'お詫び',
    stageResolution: '改善のご報告（改善した点）',
    body: '本文',
    authorName: 'お名前',
    authorRole: '役割（例：店長、作り手）',
    publish: '公開する',
    save: '保存',
    back: '受信箱に戻る',
    saved: '保存しました。',
    colon: '：',
    comma: '、',
    open: '（',
    close: '）',
    language: 'English',
    checkForm: '入力内容を確認してください：',
    selectedVoices: '回答する声',
    staleForm:
      'フォームの有効期限が切れたか、このページから送信されていません。再読み込みしてからもう一度お試しください。',
    tooLarge: 'フォームが大きすぎます（64KBまで）。',
    settings: '設定',
    embedLink: '埋め込み',
    deleteLink: 'ショップを削除',
    webhooks: 'Webhook',
    platform: 'Shopify・WooCommerce連携',
    overview: '概要',
    english: 'English',
    japanese: '日本語',
    targets: '対象ページ',
    voicesCount: '声',
    reviews: 'レビュー',
    watches: '監視するフィード',
    imports: '過去の声の取り込み',
    error: 'エラーが発生しました',
    keyOnce: '新しいキーです。表示はこの一度だけなので、今コピーしてください：',
    secretOnce: '新しいシークレットです。表示はこの一度だけなので、今ストアに設定してください：',
    previousUntil: '以前のシークレットの有効期限',
    endpointSecretOnce: 'このアドレスの署名シークレットです。表示はこの一度だけなので、今受信側に設定してください：',
    signInLinkOnce:
      'このハブはメールを送信できません（send_email 未設定）。この1回限りのログインリンクをパートナーに送ってください。{until} まで、1回だけ使えます：',
  },
)

export type SharedWords = (typeof SHARED_WORDS)['en']
