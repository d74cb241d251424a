/** The words of a site’s settings page (settings, API keys, the inbound signing secret), in English and Japanese. */
import { defineWords } from '../../kit/words'

export const WORDS = defineWords(
  {
    digestEmail: 'E-mail the weekly digest to',
    digestEmailHelp:
      'Every Monday the hub sums up the week before: new voices, what still waits, how fast you answered. Left empty (or when the hub cannot send e-mail), the digest is only on the overview and in the digest.weekly webhook.',
    siteName: 'Shop name',
    origins: 'Storefront origins',
    originsHelp: 'One per line, e.g. https://shop.example. Voices must be about pages under these.',
    embedOrigins: 'Where the widget may be embedded',
    embedOriginsHelp:
      'One per line; * allows any site. Left empty, the storefront origins are copied here when you save.',
    responseTarget: 'Response target (hours)',
    responseTargetHelp: 'Voices waiting longer are marked overdue in the inbox.',
    timeZone: 'Time zone',
    timeZoneHelp: 'An IANA name such as Asia/Tokyo; dates in this console use it.',
    cacheSeconds: 'Edge cache (seconds)',
    cacheSecondsHelp: 'How long the public feed may be served from a copy; 0 to 300.',
    verifyLinks: 'Publish a TrackBack only after its page is found to link here',
    autoTargets: 'Accept voices about pages nobody registered (a target is made for them)',
    shopLang: 'Language of public pages and invitations',
    apiKeys: 'API keys',
    apiKeysHelp: 'A site key signs in here and calls the API for this shop only. Only its hash is stored.',
    keysOperatorOnly: 'Keys are managed with the operator token: sign in with it to create or revoke them.',
    keyLabel: 'Label (what the key is for)',
    createKey: 'Create a key',
    keyPrefix: 'Key',
    createdAt: 'Created',
    revoke: 'Revoke',
    revokedAt: 'revoked',
    noKeys: 'No keys yet.',
    keyRevoked: 'The key was revoked: it no longer signs in or calls the API.',
    inboundSecret: 'Signing secret for order and conversion events',
    inboundSecretHelp:
      'The storefront signs the events it sends to the hub with this secret. A new one replaces it; the old one keeps working for 24 hours.',
    rotateSecret: 'Issue a new secret',
  },
  {
    digestEmail: '週ごとのまとめを送るメールアドレス',
    digestEmailHelp:
      '毎週月曜日に、前の週の新しい声、対応を待っている声、回答の速さをまとめます。空欄のとき（またはハブがメールを送れないとき）は、概要とWebhook（digest.weekly）でだけお知らせします。',
    siteName: 'ショップ名',
    origins: 'ストアのオリジン',
    originsHelp: '1行に1つ（例：https://shop.example）。声はこの下のページについてのものだけ受け付けます。',
    embedOrigins: 'ウィジェットを埋め込めるサイト',
    embedOriginsHelp: '1行に1つ。* はどのサイトでも可。空欄で保存すると、ストアのオリジンがここに写されます。',
    responseTarget: '回答の目標時間（時間）',
    responseTargetHelp: 'これより長く待っている声は、受信箱で期限超過と表示されます。',
    timeZone: 'タイムゾーン',
    timeZoneHelp: 'Asia/Tokyo のようなIANA名。この画面の日時はこのタイムゾーンで表示します。',
    cacheSeconds: 'エッジキャッシュ（秒）',
    cacheSecondsHelp: '公開フィードをコピーから返してよい時間。0〜300。',
    verifyLinks: 'TrackBackは、送信元ページにリンクがあると確認できてから公開する',
    autoTargets: '登録されていないページについての声も受け付ける（そのページの対象を作ります）',
    shopLang: '公開ページとレビュー依頼の言語',
    apiKeys: 'APIキー',
    apiKeysHelp:
      'サイトキーでこの画面にログインし、このショップのAPIだけを呼び出せます。保存するのはハッシュだけです。',
    keysOperatorOnly:
      'キーの作成と無効化はオペレータートークンで行います。オペレータートークンでログインしてください。',
    keyLabel: 'ラベル（キーの用途）',
    createKey: 'キーを作成',
    keyPrefix: 'キー',
    createdAt: '作成日時',
    revoke: '無効にする',
    revokedAt: '無効化',
    noKeys: 'キーはまだありません。',
    keyRevoked: 'キーを無効にしました。このキーではログインもAPIの呼び出しもできません。',
    inboundSecret: '注文・成果イベントの署名シークレット',
    inboundSecretHelp:
      'ストアがハブに送るイベントは、このシークレットで署名します。新しいシークレットを発行しても、古いものは24時間使えます。',
    rotateSecret: '新しいシークレットを発行',
  },
)

export type Words = (typeof WORDS)['en']
