/** The words of the partners' public pages (the application, signing in), in English and Japanese. */
import type { PageLang } from '../../common/lang'

const en = {
  language: '日本語',
  applyTitle: (shop: string) => `Become a partner of ${shop}`,
  applyIntro:
    'Write about our products on your blog or site, with links the shop gives you, and earn a commission on the sales they bring.',
  terms: (percent: string, days: number) =>
    `Commission: ${percent} of each sale made within ${days} days of a click on your link (some products may differ).`,
  disclosureRule:
    'Every post with your links must say clearly, at its start, that it is advertising — for example “Ad” or “#ad”. The shop shows your posts as advertising, whatever they say: praise and criticism earn the same.',
  name: 'Your name (shown with your posts)',
  email: 'E-mail address (for the shop only: your sign-in link and payments)',
  blogUrl: 'Your blog or site (https://…)',
  agree: 'I will mark every post with these links as advertising',
  agreeNeeded: 'tick the box to agree',
  send: 'Apply',
  checkForm: 'Please check the form:',
  thanksTitle: 'Thank you for applying',
  thanks: (email: string) =>
    `The shop will review your application. If it is approved, a one-time sign-in link to your partner page will be sent to ${email}.`,
  alreadyApplied: 'This e-mail address has already applied to this shop’s programme.',
  tooMany: 'Too many applications from your network; please try again in a minute.',
  turnstile: 'Please complete the check that you are a person, then send the form again.',
  signInTitle: (shop: string) => `${shop}: partner sign-in`,
  signInButton: 'Sign in',
  signInHere: 'Sign in to your partner page with this one-time link.',
  linkNotValid:
    'This sign-in link is not valid: it was used already, it is more than 7 days old, or the partnership is not active. Ask for a new one below.',
  askForLink: 'E-mail me a sign-in link',
  askForLinkHelp: 'Enter the address you applied with; if it belongs to an active partner, a link is sent to it.',
  linkSent:
    'If that address belongs to an active partner of this shop, a sign-in link is on its way. It works once, for 7 days.',
  noMail: 'The shop sends sign-in links itself: ask it for a new one.',
  keySignIn: 'Or sign in with a partner key (gh_pk_…)',
  keyLabel: 'Partner key',
  badKey: 'That partner key is not valid for this shop (or the partnership is not active).',
}

const ja: typeof en = {
  language: 'English',
  applyTitle: (shop: string) => `${shop}のパートナーに申し込む`,
  applyIntro:
    'ブログやサイトでショップの商品を紹介し、ショップが発行するリンクから生まれた売上に応じて報酬を受け取れます。',
  terms: (percent: string, days: number) =>
    `報酬：リンクのクリックから${days}日以内の売上の${percent}（一部の商品は異なる場合があります）。`,
  disclosureRule:
    'リンクを載せた記事には、冒頭などわかりやすい位置に広告であることを必ず明記してください（例：「PR」「広告」）。ショップは内容にかかわらず記事を広告として表示します。好意的な記事も批判的な記事も報酬は同じです。',
  name: 'お名前（記事とともに表示されます）',
  email: 'メールアドレス（ショップのみが使います：ログインリンクと支払いの連絡）',
  blogUrl: 'ブログやサイトのURL（https://…）',
  agree: 'リンクを載せた記事には、広告であることを明記します',
  agreeNeeded: '同意のチェックを入れてください',
  send: '申し込む',
  checkForm: '入力内容を確認してください：',
  thanksTitle: 'お申し込みありがとうございます',
  thanks: (email: string) =>
    `ショップが内容を確認します。承認されると、パートナーページへの1回限りのログインリンクを ${email} にお送りします。`,
  alreadyApplied: 'このメールアドレスは、このショップのプログラムに申し込み済みです。',
  tooMany: 'お使いのネットワークからの申し込みが多すぎます。1分ほどおいてからもう一度お試しください。',
  turnstile: 'ロボットでないことの確認を完了してから、もう一度送信してください。',
  signInTitle: (shop: string) => `${shop}：パートナーのログイン`,
  signInButton: 'ログイン',
  signInHere: 'この1回限りのリンクでパートナーページにログインします。',
  linkNotValid:
    'このログインリンクは使えません（使用済み、発行から7日以上経過、またはパートナーが有効でない）。下のフォームから新しいリンクを受け取ってください。',
  askForLink: 'ログインリンクをメールで受け取る',
  askForLinkHelp:
    '申し込みに使ったメールアドレスを入力してください。有効なパートナーのアドレスであれば、リンクをお送りします。',
  linkSent:
    'このショップの有効なパートナーのアドレスであれば、ログインリンクを送信しました。リンクは7日間、1回だけ使えます。',
  noMail: 'ログインリンクはショップから送られます。新しいリンクはショップにお問い合わせください。',
  keySignIn: 'パートナーキー（gh_pk_…）でログインする',
  keyLabel: 'パートナーキー',
  badKey: 'このパートナーキーは、このショップでは使えません（またはパートナーが有効でない）。',
}

export const PARTNER_WORDS: Record<PageLang, typeof en> = { en, ja }
export type PartnerWords = typeof en
