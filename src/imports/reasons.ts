/**
 * Why an import skipped or refused a line of its file, or stopped: codes kept in the report,
 * explained in the reader's language.
 */
import type { PageLang } from '../common/lang'

const REASONS = {
  already_here: [
    'already on the hub: this line was imported before, or the voice came in by itself',
    'すでにハブにあります（以前に取り込んだか、直接届いた声です）',
  ],
  bad_source_url: [
    'the linking page’s address is not an http(s) URL',
    'リンク元の URL が http(s) の URL ではありません',
  ],
  hub_source: ['the linking page is on this hub itself', 'リンク元がこのハブ自身です'],
  private_address: [
    'the address is private or local: the hub never fetches such pages',
    'プライベート／ローカルのアドレスです（ハブは取得しません）',
  ],
  internal_host: [
    'the address is a name that only resolves inside a network',
    'ネットワーク内でしか使えない名前のアドレスです',
  ],
  forbidden_port: ['the address uses a port the hub does not fetch', 'ハブが取得しないポートのアドレスです'],
  unsupported_scheme: ['the address is not http(s)', 'http(s) のアドレスではありません'],
  credentials_in_url: [
    'the address carries a user name or password',
    'アドレスにユーザー名やパスワードが含まれています',
  ],
  invalid_url: ['the address cannot be read', 'アドレスを読み取れません'],
  hub_itself: ['the address is this hub itself', 'このハブ自身のアドレスです'],
  other_shop: [
    'it is about another shop’s storefront, not this shop’s',
    '別のショップのストアフロントについてのもので、このショップのものではありません',
  ],
  not_mapped: [
    'no target for the post it was on: map the post’s address to a target, or let the import make targets',
    '掲載先の記事に対応するターゲットがありません（記事の URL をターゲットに対応づけるか、ターゲットの自動作成を選んでください）',
  ],
  mapped_target_missing: [
    'the target the map names does not exist in this shop',
    '対応づけたターゲットがこのショップにありません',
  ],
  no_address: ['the line names no page it is about', '対象のページが書かれていません'],
  malformed_item: [
    'this item of the file is not well-formed XML, or declares entities',
    'ファイルのこの項目は正しい XML ではないか、エンティティを宣言しています',
  ],
  malformed_entry: ['this entry of the file cannot be read', 'ファイルのこのエントリーを読み取れません'],
  entry_too_large: ['this entry is larger than 1 MB', 'このエントリーは 1 MB を超えています'],
  undecodable: [
    'this part of the file is not in the file’s character encoding',
    'ファイルのこの部分がファイルの文字コードになっていません',
  ],
  comment_not_asked: [
    'an ordinary comment: imported only when the import asks for comments',
    '通常のコメントです（コメントの取り込みを選んだときだけ取り込みます）',
  ],
  other_comment_type: ['a kind of comment this import does not read', 'この取り込みでは読まない種類のコメントです'],
  not_approved: ['it was never approved on the old blog', '旧ブログで承認されていませんでした'],
  spam_on_old_blog: ['the old blog marked it as spam', '旧ブログでスパムとされていました'],
  trashed_on_old_blog: ['it was in the old blog’s trash', '旧ブログのゴミ箱にありました'],
  private: [
    'its author sent it privately to the site (webmention.io marks it private): never published',
    '投稿者がサイトにだけ非公開で送ったものです（webmention.io で非公開）。公開しません',
  ],
  unverified: ['webmention.io never verified it', 'webmention.io が確認していないものです'],
  not_an_entry: ['this is not a mention entry', 'メンションの項目ではありません'],
  no_source_or_target: ['it has no source or no target', 'リンク元かリンク先がありません'],
  unknown_property: ['its wm-property is not one this hub reads', 'このハブが読まない wm-property です'],
  no_product: ['the row names no product', '商品が書かれていません'],
  rating_not_1_to_5: ['the rating is not a whole number of stars from 1 to 5', '評価が 1〜5 の整数ではありません'],
  no_body: ['the review has no text', 'レビューの本文がありません'],
  product_not_found: [
    'no target for its product: name the product page’s URL or a target id, or map its handle, id or SKU to a target',
    '商品に対応するターゲットがありません（商品ページの URL かターゲット ID を書くか、ハンドル・ID・SKU をターゲットに対応づけてください）',
  ],
  not_published: [
    'it was not public on the other service (hidden, pending or removed there)',
    '元のサービスで公開されていませんでした（非表示・保留中・削除済みなど）',
  ],
  date_unreadable: [
    'added, but its date could not be read: it is dated when it was imported',
    '追加しましたが、日付を読み取れなかったため取り込んだ日時にしました',
  ],
  photo_refused: [
    'added without a photo whose address the hub never fetches (private, local, or not http(s))',
    '追加しましたが、ハブが取得しないアドレス（プライベート・ローカル・http(s) 以外）の写真は除きました',
  ],
  photo_not_fetched: [
    'added without a photo that could not be fetched',
    '追加しましたが、取得できなかった写真は除きました',
  ],
  photo_not_image: [
    'added without a photo that is not a JPEG, PNG or WebP image of at most 5 MB',
    '追加しましたが、5 MB 以下の JPEG・PNG・WebP 画像ではない写真は除きました',
  ],
  too_many_photos: ['added with its first 3 photos only', '追加しましたが、写真は最初の 3 枚だけにしました'],
  no_order_id: ['the row has no order number', '行に注文番号がありません'],
  no_date: ['the order has no date', '注文に日付がありません'],
  bad_date: [
    'the order’s date cannot be read (write it as 2024-03-01 10:15 or 2024/03/01 10:15:00)',
    '注文の日付を読み取れません（2024-03-01 10:15 や 2024/03/01 10:15:00 の形にしてください）',
  ],
  no_email: ['the order has no e-mail address', '注文にメールアドレスがありません'],
  bad_email: ['the order’s e-mail address is not one', '注文のメールアドレスが正しくありません'],
  no_item: ['the order names no product', '注文に商品がありません'],
  bad_order_id: ['the order number is longer than 100 characters', '注文番号が 100 文字を超えています'],
  outside_range: [
    'the order was placed outside the dates the import chose (from, to)',
    '取り込みで選んだ期間（from〜to）の外の注文です',
  ],
  too_old: [
    'the order is too old: its invitation would have expired already (the invitation delay and validity settings)',
    '注文が古すぎます。招待の期限がすでに切れています（レビュー招待までの日数と有効日数の設定）',
  ],
  future_order: ['the order’s date is in the future', '注文の日付が未来です'],
  no_known_product: [
    'none of the order’s products is a target of this shop: map its product codes to targets, or list storefront URLs',
    '注文の商品がどれもこのショップのターゲットではありません（商品コードをターゲットに対応づけるか、ストアフロントの URL を書いてください）',
  ],
  already_invited: [
    'this order already has a review invitation (an order is invited once)',
    'この注文にはすでにレビュー招待があります（招待は注文ごとに一度だけです）',
  ],
} as const satisfies Record<string, readonly [string, string]>

/** Why a whole file is refused. */
const FILE_REASONS = {
  doctype: [
    'The file declares a DOCTYPE: XML with entity declarations is refused',
    'ファイルが DOCTYPE を宣言しています。エンティティ宣言のある XML は受け付けません',
  ],
  malformed: ['The file is not well-formed', 'ファイルの形式が正しくありません'],
  not_wxr: [
    'The file is not a WordPress export (WXR): no wp:wxr_version',
    'WordPress のエクスポートファイル（WXR）ではありません（wp:wxr_version がありません）',
  ],
  prologue_too_large: [
    'The file’s header (before its first item) is larger than 4 MB',
    'ファイルの先頭部分（最初の項目の前）が 4 MB を超えています',
  ],
  unsupported_encoding: [
    'The file’s character encoding is not UTF-8, Shift_JIS or EUC-JP',
    'ファイルの文字コードが UTF-8、Shift_JIS、EUC-JP のいずれでもありません',
  ],
  item_too_large: ['An item of the file is larger than 8 MB', 'ファイルの項目に 8 MB を超えるものがあります'],
  not_json: ['The file is not JSON', 'ファイルが JSON ではありません'],
  not_jf2: [
    'The file is not webmention.io’s export (a jf2 feed with children)',
    'webmention.io のエクスポート（children を持つ jf2 フィード）ではありません',
  ],
  file_missing: ['The import’s file is gone', '取り込むファイルがありません'],
  undecodable: [
    'The file is not in a character encoding this hub reads',
    'このハブが読める文字コードのファイルではありません',
  ],
  fetch_failed: ['The file could not be fetched from its URL', 'URL からファイルを取得できませんでした'],
  too_large: ['The file is larger than this format allows', 'ファイルがこの形式の上限を超えています'],
  no_order_columns: [
    'The file’s header lacks a column orders need: the order number, its date, the e-mail address and the product (order_id, ordered_at, email, item, or a cart’s 受注番号, 注文日時, メールアドレス, 商品コード)',
    'ファイルの見出し行に注文に必要な列がありません。注文番号、注文日時、メールアドレス、商品の列が必要です（order_id, ordered_at, email, item、またはカートの 受注番号, 注文日時, メールアドレス, 商品コード）',
  ],
  no_hub_origin: [
    'The hub does not know its own address for the review links: set HUB_ORIGIN',
    'レビューのリンクに使うハブのアドレスがわかりません。HUB_ORIGIN を設定してください',
  ],
  shop_deleted: ['The shop was deleted while the import ran', '取り込みの途中でショップが削除されました'],
  step_failed: ['A step failed on every retry', '処理が再試行のたびに失敗しました'],
  missing_columns: [
    'The file’s header lacks columns this format needs',
    'ファイルの見出し行に、この形式に必要な列がありません',
  ],
  no_bucket: [
    'The hub has no R2 bucket (the PHOTOS binding) to keep imported files in',
    'ハブに取り込みファイルを置く R2 バケット（PHOTOS）がありません',
  ],
} as const satisfies Record<string, readonly [string, string]>

export type LineReason = keyof typeof REASONS
export type FileReason = keyof typeof FILE_REASONS
/** Why a file was refused, as kept on the import: a reason, or `missing_columns:` and the fields its header lacks. */
export type FileFailure = FileReason | `missing_columns:${string}`

/** A line's reason in `lang`; an unknown code is shown as itself. */
export const reasonText = (code: string | null, lang: PageLang): string | null => {
  if (code === null) return null
  const words = (REASONS as Record<string, readonly [string, string]>)[code]
  return words ? words[lang === 'ja' ? 1 : 0] : code
}

/** Why the whole file was refused, in `lang` (with what follows the code's colon, e.g. the missing columns). */
export const fileReasonText = (code: string | null, lang: PageLang): string | null => {
  if (code === null) return null
  const colon = code.indexOf(':')
  const base = colon === -1 ? code : code.slice(0, colon)
  const detail =
    colon === -1
      ? ''
      : code
          .slice(colon + 1)
          .split(',')
          .join(', ')
  const words = (FILE_REASONS as Record<string, readonly [string, string]>)[base]
  if (!words) return code
  return detail
    ? `${words[lang === 'ja' ? 1 : 0]}${lang === 'ja' ? '：' : ': '}${detail}`
    : words[lang === 'ja' ? 1 : 0]
}
