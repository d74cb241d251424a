/** The words of a site’s shop platform page (connecting Shopify or WooCommerce, its deliveries), in English and Japanese. */
import { defineWords } from '../../kit/words'

export const WORDS = defineWords(
  {
    platformHelp:
      'Connect the shop’s Shopify or WooCommerce store: its orders start review invitations and count partners’ sales, and its products become targets.',
    connectLegend: 'Connect your shop',
    changeLegend: 'Change the address or the secret',
    platformField: 'Platform',
    shopAddress: 'The shop’s address on the platform',
    shopAddressHelp:
      'Shopify: name.myshopify.com. WooCommerce: the site’s https:// address, e.g. https://shop.example.',
    secret: 'The platform’s signing secret',
    secretHelp:
      'Shopify shows it below the list of webhooks (“Your webhooks will be signed with …”); in WooCommerce it is the webhook’s Secret field. It is stored sealed and never shown again.',
    secretChangeHelp: 'A new secret pasted here replaces it; the previous one still verifies for a day.',
    connect: 'Connect',
    connected: 'Saved. The secret is stored sealed and is never shown again.',
    previousStill: 'The previous secret still verifies until {until}, while you switch the platform’s side.',
    notConnected: 'Not connected: nothing comes in from a platform yet.',
    connectedTo: 'Connected to {platform}',
    hookUrl: 'Address to paste into the platform',
    setUp: 'Set up the webhooks on {platform}',
    whereShopify:
      'In Shopify’s admin, open Settings → Notifications → Webhooks and create a webhook for each topic below: format JSON, the address above.',
    whereWooCommerce:
      'In WordPress, open WooCommerce → Settings → Advanced → Webhooks and add a webhook for each topic below: status Active, the address above as its delivery URL, the secret you pasted here, API version v3.',
    topics: 'Topics',
    testShopify:
      'To try it: Shopify’s “Send test notification” button next to a webhook sends one; it appears in the list below.',
    testWooCommerce: 'To try it: WooCommerce sends a test when a webhook is saved; it appears in the list below.',
    productTargets: '{n} {n:product of the shop is a target|products of the shop are targets}.',
    mapping: 'What orders and products do',
    inviteOn: 'Start review invitations',
    inviteOnDelivered: 'When the order is delivered',
    inviteOnPaid: 'When the order is paid',
    inviteOnHelp:
      'Delivered: fulfilled in Shopify, completed in WooCommerce. Paid: paid in Shopify, processing in WooCommerce.',
    delayLine: 'Invitations are sent {n} {n:day|days} after that.',
    toReviews: 'Change it on the reviews page',
    targetTag: 'Only products with this tag become targets',
    targetTagHelp:
      'Shopify: a tag or the product type; WooCommerce: a tag or a category, by name or slug. Left empty: every product.',
    currencyLine: 'Partners’ sales are counted in {currency}: orders in another currency are not counted for partners.',
    toPartners: 'Change it on the partners page',
    deliveries: 'Deliveries received',
    latestDeliveries: 'Newest first (the latest {n} at most).',
    noDeliveries: 'Nothing received yet. Send a test from the platform and it appears here.',
    subject: 'Order or product',
    disconnect: 'Disconnect',
    disconnectConfirm:
      'Disconnect {platform}? Its webhooks are refused from now on; the targets, invitations and sales it made stay.',
    disconnectYes: 'Yes, disconnect {platform}',
    disconnected: 'Disconnected: the platform’s webhooks are no longer taken.',
  },
  {
    platformHelp:
      'ShopifyまたはWooCommerceのストアを接続すると、注文からレビュー依頼を始め、パートナーの売上を記録し、商品を対象ページにします。',
    connectLegend: 'ショップを接続',
    changeLegend: 'アドレスやシークレットを変更',
    platformField: 'プラットフォーム',
    shopAddress: 'プラットフォーム上のショップのアドレス',
    shopAddressHelp:
      'Shopify：name.myshopify.com。WooCommerce：サイトの https:// アドレス（例：https://shop.example）。',
    secret: 'プラットフォームの署名シークレット',
    secretHelp:
      'ShopifyではWebhook一覧の下（「Your webhooks will be signed with …」）に、WooCommerceではWebhookの「Secret」欄にあります。暗号化して保存し、二度と表示しません。',
    secretChangeHelp: '新しいシークレットを貼り付けると置き換わります。以前のシークレットも1日は使えます。',
    connect: '接続する',
    connected: '保存しました。シークレットは暗号化して保存し、二度と表示しません。',
    previousStill: 'プラットフォーム側を切り替えるあいだ、以前のシークレットも{until}まで使えます。',
    notConnected: 'まだ接続していません。プラットフォームからは何も届きません。',
    connectedTo: '{platform}に接続中',
    hookUrl: 'プラットフォームに貼り付けるアドレス',
    setUp: '{platform}でWebhookを設定',
    whereShopify:
      'Shopifyの管理画面で「設定」→「通知」→「Webhook」（Settings → Notifications → Webhooks）を開き、下のトピックごとにWebhookを作成します（フォーマットはJSON、URLは上のアドレス）。',
    whereWooCommerce:
      'WordPressで「WooCommerce」→「設定」→「高度な設定」→「Webhook」（WooCommerce → Settings → Advanced → Webhooks）を開き、下のトピックごとにWebhookを追加します（ステータスは有効、配信URLは上のアドレス、シークレットはここに貼り付けたもの、APIバージョンはv3）。',
    topics: 'トピック',
    testShopify:
      '試すには：Webhookの横の「テスト通知を送信」（Send test notification）を押すと1件届き、下の一覧に表示されます。',
    testWooCommerce: '試すには：WooCommerceはWebhookを保存したときにテストを送ります。下の一覧に表示されます。',
    productTargets: 'ショップの商品のうち{n}件が対象ページです。',
    mapping: '注文と商品の扱い',
    inviteOn: 'レビュー依頼を始める時点',
    inviteOnDelivered: '注文が配達されたとき',
    inviteOnPaid: '注文の支払いが済んだとき',
    inviteOnHelp:
      '配達：Shopifyでは発送済み、WooCommerceでは完了。支払い：Shopifyでは支払い済み、WooCommerceでは処理中。',
    delayLine: 'レビュー依頼はその{n}日後に送ります。',
    toReviews: 'レビューの画面で変更',
    targetTag: 'このタグの商品だけを対象ページにする',
    targetTagHelp:
      'Shopify：タグまたは商品タイプ。WooCommerce：タグまたはカテゴリー（名前かスラッグ）。空欄のときはすべての商品。',
    currencyLine: 'パートナーの売上は{currency}で計上します。ほかの通貨の注文はパートナーの売上にしません。',
    toPartners: 'パートナーの画面で変更',
    deliveries: '受信履歴',
    latestDeliveries: '新しい順（最新{n}件まで）。',
    noDeliveries: 'まだ何も受け取っていません。プラットフォームからテストを送ると、ここに表示されます。',
    subject: '注文・商品',
    disconnect: '接続を解除',
    disconnectConfirm:
      '{platform}との接続を解除しますか？今後そのWebhookは受け付けません。作成済みの対象ページ、レビュー依頼、売上は残ります。',
    disconnectYes: '{platform}との接続を解除する',
    disconnected: '接続を解除しました。プラットフォームからのWebhookは受け付けません。',
  },
)

export type Words = (typeof WORDS)['en']
