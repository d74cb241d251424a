/**
 * The web UI's words in English and Japanese. The language comes from `?lang=`, then the
 * `glasshouse_lang` cookie, then `Accept-Language`; dates are shown in the site's time zone.
 */
export const LANGS = ['en', 'ja'] as const
export type Lang = (typeof LANGS)[number]
export const LANG_COOKIE = 'glasshouse_lang'

const en = {
  title: 'Glasshouse inbox',
  verifiedPurchase: 'verified purchase',
  notVerifiedPurchase: 'purchase not verified',
  incentivized: 'coupon given for any review',
  edited: 'edited by the reviewer',
  verdictResolved: 'the reviewer says the answer resolved it',
  verdictUnresolved: 'the reviewer says the answer did not resolve it',
  signIn: 'Sign in',
  signOut: 'Sign out',
  tokenLabel: 'Site key or operator token',
  signInHelp: 'Paste a site key (gh_…) or the operator token. The session lasts 12 hours.',
  badToken: 'That key or token is not valid (or was revoked).',
  sites: 'Sites',
  inbox: 'Inbox',
  unansweredNegative: 'Unanswered negative voices',
  unansweredOther: 'Other unanswered voices',
  awaitingResolution: 'Apologies waiting for a resolution report',
  nothingHere: 'Nothing here.',
  waited: 'waited',
  target: 'target',
  overdue: 'overdue',
  hours: 'h',
  filters: 'Filters',
  any: 'any',
  kind: 'Kind',
  sentiment: 'Sentiment',
  status: 'Status',
  targetPage: 'Target',
  apply: 'Apply',
  voice: 'Voice',
  source: 'Source',
  author: 'Author',
  received: 'Received',
  responses: 'Responses',
  noResponses: 'No response yet.',
  setSentiment: 'Set sentiment',
  unclassified: 'unclassified',
  suggested: 'suggested',
  publishResponse: 'Publish a response',
  stage: 'Stage',
  stageReply: 'Reply / thanks',
  stageApology: 'Apology',
  stageResolution: 'Resolution report (what we fixed)',
  body: 'Text',
  authorName: 'Your name',
  authorRole: 'Role (e.g. 店長, 作り手)',
  publish: 'Publish',
  moderation: 'Moderation',
  action: 'Action',
  actionSpam: 'Mark as spam',
  actionRemove: 'Remove',
  actionRestore: 'Restore',
  category: 'Category (for removal)',
  reason: 'Public reason (shown in the ledger)',
  save: 'Save',
  back: 'Back to the inbox',
  saved: 'Saved.',
  responsePage: 'public page',
  language: '日本語',
  select: 'Select',
  answerMany: 'Answer the selected voices at once',
  answerManyHelp: 'Tick voices above, then publish one response on each — e.g. a resolution report that closes every complaint about the same fault.',
  answeredMany: 'Published on {n} voices.',
} as const

export type Messages = { [K in keyof typeof en]: string }

const ja: Messages = {
  title: 'Glasshouse 受信箱',
  verifiedPurchase: '購入者',
  notVerifiedPurchase: '購入未確認',
  incentivized: '評価にかかわらずクーポン進呈',
  edited: 'レビュー投稿者が編集',
  verdictResolved: '投稿者：回答で解決した',
  verdictUnresolved: '投稿者：回答で解決していない',
  signIn: 'サインイン',
  signOut: 'サインアウト',
  tokenLabel: 'サイトキーまたはオペレータートークン',
  signInHelp: 'サイトキー（gh_…）またはオペレータートークンを貼り付けてください。セッションは12時間有効です。',
  badToken: 'キーまたはトークンが無効です（失効している可能性があります）。',
  sites: 'サイト',
  inbox: '受信箱',
  unansweredNegative: '未回答のネガティブな声',
  unansweredOther: 'その他の未回答の声',
  awaitingResolution: '改善報告待ちのお詫び',
  nothingHere: '該当なし',
  waited: '経過',
  target: '目標',
  overdue: '期限超過',
  hours: '時間',
  filters: '絞り込み',
  any: 'すべて',
  kind: '種類',
  sentiment: '評価',
  status: '状態',
  targetPage: '対象ページ',
  apply: '適用',
  voice: '声',
  source: '出典',
  author: '投稿者',
  received: '受信日時',
  responses: '公式回答',
  noResponses: 'まだ回答がありません。',
  setSentiment: '評価を設定',
  unclassified: '未分類',
  suggested: '自動推定',
  publishResponse: '回答を公開',
  stage: '段階',
  stageReply: '返信・お礼',
  stageApology: 'お詫び',
  stageResolution: '改善報告',
  body: '本文',
  authorName: 'お名前',
  authorRole: '役割（例：店長、作り手）',
  publish: '公開する',
  moderation: 'モデレーション',
  action: '操作',
  actionSpam: 'スパムにする',
  actionRemove: '削除する',
  actionRestore: '元に戻す',
  category: '分類（削除の場合）',
  reason: '公開される理由（台帳に表示）',
  save: '保存',
  back: '受信箱に戻る',
  saved: '保存しました。',
  responsePage: '公開ページ',
  language: 'English',
  select: '選択',
  answerMany: '選択した声にまとめて回答',
  answerManyHelp: '上の声にチェックを入れ、同じ回答をそれぞれに公開します（例：同じ不具合への苦情すべてに改善報告を）。',
  answeredMany: '{n}件の声に公開しました。',
}

export const MESSAGES: Record<Lang, Messages> = { en, ja }

/** The language to show: an explicit choice, the remembered one, or the browser's first preference. */
export function pickLang(query: string | undefined, cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  for (const choice of [query, cookie]) if (choice === 'en' || choice === 'ja') return choice
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? ''
    if (tag.startsWith('ja')) return 'ja'
    if (tag.startsWith('en')) return 'en'
  }
  return 'en'
}

/** A date and time in the site's time zone, in the UI's language. */
export const formatDate = (ms: number, lang: Lang, timeZone: string) =>
  new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(ms))
