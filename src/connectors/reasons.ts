/**
 * What happened to a platform's delivery, in words: each code stored on a delivery (one or
 * more, space-separated) explained in English and Japanese for the connection's page and the API.
 */
import type { PageLang } from '../common/lang'

export const DELIVERY_REASONS = [
  // Not taken.
  'unsigned',
  'bad_signature',
  'other_shop',
  'no_topic',
  'not_utf8',
  'malformed',
  'stale',
  'duplicate',
  // Taken, and what its work did or did not do.
  'topic_unused',
  'ping',
  'invited',
  'already_invited',
  'not_yet',
  'no_email',
  'too_old',
  'no_products',
  'invitation_cancelled',
  'sale',
  'refund',
  'nothing_to_reverse',
  'other_currency',
  'product_saved',
  'product_untagged',
  'product_off_site',
  'product_not_live',
  'product_deleted',
  'product_unknown',
  'product_stale',
  'order_stale',
  'erased',
  'gave_up',
] as const
export type DeliveryReason = (typeof DELIVERY_REASONS)[number]

const WORDS: Record<PageLang, Record<DeliveryReason, string>> = {
  en: {
    unsigned: 'No signature header: the request did not come from the platform',
    bad_signature: 'The signature does not match the secret saved here: paste the secret the platform shows again',
    other_shop: 'Sent by another shop than the one connected',
    no_topic: 'No topic header: the platform says what a webhook is about in it',
    not_utf8: 'The body is not UTF-8',
    malformed: 'The body is not what this topic carries',
    stale: 'Sent more than a week ago: an old delivery replayed',
    duplicate: 'Already received: a retry of a delivery that was taken (nothing done twice)',
    topic_unused: 'A topic the hub does not use (nothing to do)',
    ping: 'WooCommerce’s test when the webhook was saved',
    invited: 'Review invitation scheduled',
    already_invited: 'The order already has its review invitation',
    not_yet: 'No invitation yet: the order is not at the stage that starts invitations',
    no_email: 'No invitation: the order has no e-mail address',
    too_old: 'No invitation: the order reached that stage too long ago (its invitation would have expired)',
    no_products:
      'No invitation: none of its products is a target yet (a product becomes one when the platform sends it)',
    invitation_cancelled: 'Cancelled: its review invitation will not be sent',
    sale: 'Sale recorded for the affiliate programme',
    refund: 'Refund recorded: the partner’s commission is reduced',
    nothing_to_reverse: 'No partner’s sale to take back',
    other_currency: 'Not recorded for partners: the order is in another currency than the programme’s',
    product_saved: 'Product kept as a target',
    product_untagged: 'Not a target: the product lacks the tag or category the settings name',
    product_off_site: 'Not a target: its page is not on the storefront’s addresses',
    product_not_live: 'Not a target: the product is a draft, archived or private',
    product_deleted: 'Product deleted on the platform: its target and voices stay',
    product_unknown: 'A product the hub never received',
    product_stale: 'An older version of the product than the one already applied: nothing changed',
    order_stale: 'An older version of the order than the one already worked (it came late): nothing changed',
    erased: 'The buyer’s personal data erased',
    gave_up: 'The work failed after several tries',
  },
  ja: {
    unsigned: '署名ヘッダーがありません。プラットフォームからのリクエストではありません',
    bad_signature:
      '署名がここに保存したシークレットと一致しません。プラットフォームに表示されたシークレットを貼り付け直してください',
    other_shop: '接続したショップ以外から送られました',
    no_topic: 'トピックのヘッダーがありません',
    not_utf8: '本文がUTF-8ではありません',
    malformed: '本文がこのトピックの内容ではありません',
    stale: '1週間以上前に送られたものです（古い配信の再送）',
    duplicate: '受け取り済みの配信の再送です（二重には処理しません）',
    topic_unused: 'ハブが使わないトピックです（処理なし）',
    ping: 'Webhook保存時のWooCommerceからのテスト',
    invited: 'レビュー依頼を予約しました',
    already_invited: 'この注文のレビュー依頼はすでにあります',
    not_yet: 'まだ依頼しません。レビュー依頼を始める段階になっていません',
    no_email: '依頼なし：注文にメールアドレスがありません',
    too_old: '依頼なし：その段階になったのが前すぎます（依頼の有効期限が過ぎています）',
    no_products:
      '依頼なし：注文の商品がまだ対象ページになっていません（プラットフォームから商品が届くと対象ページになります）',
    invitation_cancelled: 'キャンセル：レビュー依頼は送りません',
    sale: 'アフィリエイトの売上として記録しました',
    refund: '返金を記録しました。パートナーの報酬を減らします',
    nothing_to_reverse: '取り消すパートナーの売上がありません',
    other_currency: 'パートナーの売上にしません：プログラムと違う通貨の注文です',
    product_saved: '商品を対象ページにしました',
    product_untagged: '対象ページにしません：設定のタグ・カテゴリーがありません',
    product_off_site: '対象ページにしません：商品ページがストアのアドレスにありません',
    product_not_live: '対象ページにしません：下書き・アーカイブ・非公開の商品です',
    product_deleted: 'プラットフォームで削除された商品です。対象ページと声は残ります',
    product_unknown: 'ハブが受け取っていない商品です',
    product_stale: '反映済みの内容より古い商品の内容です（何も変えません）',
    order_stale: '処理済みの内容より古い注文の内容です（遅れて届きました。何も変えません）',
    erased: '購入者の個人情報を消去しました',
    gave_up: '何度か試しましたが処理できませんでした',
  },
}

const isReason = (code: string): code is DeliveryReason => (DELIVERY_REASONS as readonly string[]).includes(code)

/** The codes stored on a delivery. */
export const reasonsOf = (stored: string | null): DeliveryReason[] =>
  (stored ?? '').split(' ').filter((c): c is DeliveryReason => isReason(c))

/** The stored codes in words, one sentence each. */
export const reasonText = (stored: string | null, lang: PageLang): string =>
  reasonsOf(stored)
    .map((c) => WORDS[lang][c])
    .join(lang === 'ja' ? '。' : '. ')
