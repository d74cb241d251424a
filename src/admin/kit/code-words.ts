/**
 * The stored codes of the console's pages (kinds, states, sentiments, stages, moderation actions
 * and categories) in words, in English and Japanese: a page never shows `resolution` or
 * `negative` as such.
 */
import type {
  CommissionState,
  ConversionEvent,
  ModerationAction,
  ModerationCategory,
  PartnerState,
  ResponseStage,
  Sentiment,
  ShopDeliveryOutcome,
  TargetKind,
  VoiceKind,
  VoiceStatus,
  WebhookEvent,
  WebhookMode,
} from '../../db/schema'
import type { InvitationStage } from '../../reviews/store'
import type { CouponSettings } from '../../sites/settings'
import type { Lang } from './words'

export type CodeWords = {
  kind: Record<VoiceKind, string>
  status: Record<VoiceStatus, string>
  sentiment: Record<Sentiment | 'unclassified', string>
  stage: Record<ResponseStage, string>
  action: Record<ModerationAction, string>
  category: Record<ModerationCategory, string>
  partner: Record<PartnerState, string>
  targetKind: Record<TargetKind, string>
  event: Record<WebhookEvent, string>
  delivery: Record<'pending' | 'delivered' | 'failed', string>
  mode: Record<WebhookMode, string>
  invitation: Record<InvitationStage, string>
  couponMode: Record<CouponSettings['mode'], string>
  commission: Record<CommissionState, string>
  conversion: Record<ConversionEvent, string>
  /** What happened to a delivery from the shop's platform (Shopify, WooCommerce). */
  shopOutcome: Record<ShopDeliveryOutcome, string>
  /** A found voice's states: it waits for staff's decision, not for a check; one set aside was not refused by a check. */
  found: Record<'pending' | 'rejected', string>
}

const en: CodeWords = {
  kind: {
    trackback: 'TrackBack',
    pingback: 'Pingback',
    webmention: 'Webmention',
    review: 'Review',
    affiliate: 'Partner post',
    discovered: 'Found on the web',
    comment: 'Comment (old blog)',
  },
  status: {
    pending: 'Waiting for its check',
    published: 'Published',
    spam: 'Spam',
    removed: 'Removed',
    gone: 'Gone from the web',
    rejected: 'Not accepted',
  },
  sentiment: { positive: 'Positive', neutral: 'Neutral', negative: 'Negative', unclassified: 'Not classified' },
  stage: { reply: 'Reply', apology: 'Apology', resolution: 'Resolution report' },
  action: {
    remove: 'Removed',
    spam: 'Marked as spam',
    restore: 'Restored',
    withdraw_answer: 'Answer withdrawn',
    trust_import: 'Imported history published unchecked',
  },
  category: {
    spam: 'Spam',
    illegal: 'Illegal content',
    personal_data: 'Personal data',
    author_request: "At the author's request",
    duplicate: 'Duplicate',
    off_topic: 'Off topic',
    restore: 'Restoration',
    answer: 'Official answer',
    import: 'Imported history',
  },
  partner: { applied: 'Applied', approved: 'Approved', rejected: 'Rejected', suspended: 'Suspended' },
  invitation: {
    scheduled: 'Waiting for its day',
    due: 'Due: sent at the next run',
    sent: 'Sent',
    opened: 'Opened',
    used: 'Reviewed',
    expired: 'Expired',
  },
  couponMode: { off: 'None', pool: 'Codes from the pool I upload', generated: 'Codes the hub makes' },
  commission: { pending: 'Waiting for approval', approved: 'Approved', paid: 'Paid', unattributed: 'No partner' },
  conversion: { sale: 'Sale', refund: 'Refund' },
  shopOutcome: {
    queued: 'Taken, waiting its turn',
    done: 'Done',
    duplicate: 'Already received',
    ignored: 'Nothing to do',
    refused: 'Refused',
    failed: 'Failed',
  },
  found: { pending: 'Waiting for your decision', rejected: 'Set aside' },
  targetKind: { product: 'Product', post: 'Post', page: 'Page' },
  event: {
    'mention.received': 'A voice arrived',
    'mention.published': 'A voice was published',
    'mention.removed': 'A voice was removed',
    'response.published': 'An answer was published',
    'response.updated': 'An answer was edited',
    'response.withdrawn': 'An answer was withdrawn',
    'review.invitation.due': 'A review invitation is due',
    'review.coupon.issued': 'A thank-you coupon was issued',
    'affiliate.partner.applied': 'A blogger applied as a partner',
    'affiliate.conversion': 'A sale or refund was attributed',
    'affiliate.click': 'Clicks on tracking links',
    'digest.weekly': 'The weekly digest',
  },
  delivery: { pending: 'Waiting', delivered: 'Delivered', failed: 'Failed' },
  mode: { standard: 'Standard Webhooks (signed JSON)', slack: 'Slack incoming webhook' },
}

const ja: CodeWords = {
  kind: {
    trackback: 'トラックバック',
    pingback: 'ピンバック',
    webmention: 'Webmention',
    review: 'レビュー',
    affiliate: 'パートナーの記事',
    discovered: 'ウェブで見つかった声',
    comment: 'コメント（旧ブログ）',
  },
  status: {
    pending: '確認待ち',
    published: '公開中',
    spam: 'スパム',
    removed: '削除済み',
    gone: 'ウェブから削除',
    rejected: '受け付けず',
  },
  sentiment: { positive: '肯定的', neutral: '中立', negative: '否定的', unclassified: '未分類' },
  stage: { reply: 'お返事', apology: 'お詫び', resolution: '改善のご報告' },
  action: {
    remove: '削除',
    spam: 'スパムに分類',
    restore: '復元',
    withdraw_answer: '回答の取り下げ',
    trust_import: '取り込んだ履歴を確認なしで公開',
  },
  category: {
    spam: 'スパム',
    illegal: '違法な内容',
    personal_data: '個人情報',
    author_request: '投稿者の依頼',
    duplicate: '重複',
    off_topic: '無関係',
    restore: '復元',
    answer: '公式回答',
    import: '履歴の取り込み',
  },
  partner: { applied: '申請中', approved: '承認済み', rejected: '不承認', suspended: '停止中' },
  invitation: {
    scheduled: '依頼日待ち',
    due: '送信待ち（次回の実行で送信）',
    sent: '送信済み',
    opened: '開封済み',
    used: 'レビュー済み',
    expired: '期限切れ',
  },
  couponMode: { off: 'なし', pool: 'アップロードしたコードから', generated: 'ハブが生成するコード' },
  commission: { pending: '承認待ち', approved: '承認済み', paid: '支払済み', unattributed: 'パートナーなし' },
  conversion: { sale: '売上', refund: '返金' },
  shopOutcome: {
    queued: '受け付け済み（処理待ち）',
    done: '処理済み',
    duplicate: '受け取り済み（重複）',
    ignored: '処理なし',
    refused: '受け付けず',
    failed: '失敗',
  },
  found: { pending: '判断待ち', rejected: '見送り済み' },
  targetKind: { product: '商品', post: '記事', page: 'ページ' },
  event: {
    'mention.received': '声が届いた',
    'mention.published': '声が公開された',
    'mention.removed': '声が削除された',
    'response.published': '回答が公開された',
    'response.updated': '回答が編集された',
    'response.withdrawn': '回答が取り下げられた',
    'review.invitation.due': 'レビュー依頼の送信時期',
    'review.coupon.issued': 'お礼のクーポンを発行',
    'affiliate.partner.applied': 'パートナーの申請',
    'affiliate.conversion': '成果・返品の計上',
    'affiliate.click': 'トラッキングリンクのクリック',
    'digest.weekly': '週ごとのまとめ',
  },
  delivery: { pending: '送信待ち', delivered: '送信済み', failed: '失敗' },
  mode: { standard: 'Standard Webhooks（署名付きJSON）', slack: 'Slack Incoming Webhook' },
}

export const CODE_WORDS: Record<Lang, CodeWords> = { en, ja }

/** A voice's state in words: a found voice's own words for waiting and set aside. */
export const statusWordsOf = (words: CodeWords, kind: string | undefined, status: string): string =>
  kind === 'discovered' && (status === 'pending' || status === 'rejected')
    ? words.found[status]
    : wordFor(words, 'status', status)

/** A code in words; a code this version does not know (written by another) is shown as it is. */
export const wordFor = (words: CodeWords, group: keyof CodeWords, code: string | null): string =>
  code === null ? '' : ((words[group] as Record<string, string>)[code] ?? code)
