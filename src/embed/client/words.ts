/** Every word the widget shows, in English and Japanese: chrome, kinds in shoppers' words, stages, labels. */
export type Lang = 'en' | 'ja'

export const WORDS = {
  en: {
    heading: 'What customers say',
    loading: 'Loading what customers say…',
    failed: 'Could not load what customers say. Please try again later.',
    missing: 'This shop or product is not on the hub.',
    empty: 'Nothing here yet.',
    filters: 'Show',
    all: 'All',
    critical: 'Critical',
    reviews: 'Reviews',
    more: 'More',
    loaded: (n: number) => `${n} more loaded.`,
    shown: (n: number) => `${n} shown.`,
    rating: (avg: string, n: number) => `${avg} out of 5 from ${n} review${n === 1 ? '' : 's'}`,
    answered: (pct: number) => `${pct}% answered by the shop`,
    typically: (h: string) => `usually within ${h}`,
    withRole: (name: string, role: string) => `${name} (${role})`,
    hours: (n: number) =>
      n < 1
        ? 'an hour'
        : n < 48
          ? `${Math.round(n)} hour${Math.round(n) === 1 ? '' : 's'}`
          : `${Math.round(n / 24)} days`,
    stars: (n: number) => `${n} out of 5 stars`,
    sentiment: { positive: 'Positive', neutral: 'Neutral', negative: 'Critical' },
    kind: { review: 'Review', affiliate: 'Blog post', discovered: 'Found on the web', post: 'Blog post' },
    pr: 'PR / Advertising',
    incentivized: 'Coupon given for any review',
    verified: 'Verified purchase',
    stage: { reply: 'Reply from the shop', apology: 'Apology from the shop', resolution: 'What the shop fixed' },
    verdictYes: 'The reviewer says this resolved it.',
    verdictNo: 'The reviewer says this did not resolve it.',
    readMore: 'Read the post',
    answers: 'The shop’s answers',
    edited: (date: string) => `edited ${date}`,
    withdrawn: (date: string) => `The shop withdrew this answer on ${date}:`,
  },
  ja: {
    heading: 'お客様の声',
    loading: 'お客様の声を読み込んでいます…',
    failed: 'お客様の声を読み込めませんでした。時間をおいてお試しください。',
    missing: 'このショップまたは商品はハブに登録されていません。',
    empty: 'まだ声はありません。',
    filters: '表示',
    all: 'すべて',
    critical: '批判的な声',
    reviews: 'レビュー',
    more: 'もっと見る',
    loaded: (n: number) => `${n}件を追加で表示しました。`,
    shown: (n: number) => `${n}件を表示しています。`,
    rating: (avg: string, n: number) => `5点中${avg}点（レビュー${n}件）`,
    answered: (pct: number) => `ショップの回答率 ${pct}%`,
    typically: (h: string) => `通常${h}以内に回答`,
    withRole: (name: string, role: string) => `${name}（${role}）`,
    hours: (n: number) => (n < 1 ? '1時間' : n < 48 ? `${Math.round(n)}時間` : `${Math.round(n / 24)}日`),
    stars: (n: number) => `5つ星中${n}`,
    sentiment: { positive: '好意的', neutral: '中立', negative: '批判的' },
    kind: { review: 'レビュー', affiliate: 'ブログ記事', discovered: 'ウェブ上の声', post: 'ブログ記事' },
    pr: 'PR・広告',
    incentivized: '評価にかかわらずクーポン進呈',
    verified: '購入確認済み',
    stage: { reply: 'ショップからのお返事', apology: 'ショップからのお詫び', resolution: 'ショップの改善のご報告' },
    verdictYes: '投稿者：この回答で解決しました。',
    verdictNo: '投稿者：この回答では解決していません。',
    readMore: '記事を読む',
    answers: 'ショップの回答',
    edited: (date: string) => `${date}に編集`,
    withdrawn: (date: string) => `ショップは${date}にこの回答を取り下げました。理由：`,
  },
} as const

export type Words = (typeof WORDS)[Lang]

/** The language of the widget: its `lang` attribute, else the nearest one on the page. */
export function langOf(el: Element): Lang {
  const tag = (el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang).toLowerCase()
  return tag.startsWith('ja') ? 'ja' : 'en'
}
