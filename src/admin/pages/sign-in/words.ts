/** The words of signing in, in English and Japanese. */
import { defineWords } from '../../kit/words'

export const WORDS = defineWords(
  {
    signIn: 'Sign in',
    tokenLabel: 'Site key or operator token',
    signInHelp: 'Paste a site key (gh_…) or the operator token. The session lasts 12 hours.',
    badToken: 'That key or token is not valid (or was revoked).',
    operatorTokenNotConfigured:
      'The hub’s operator token is not configured (the ADMIN_TOKEN secret is missing or malformed), so only site keys can sign in.',
  },
  {
    signIn: 'ログイン',
    tokenLabel: 'サイトキーまたはオペレータートークン',
    signInHelp: 'サイトキー（gh_…）またはオペレータートークンを貼り付けてください。セッションは12時間有効です。',
    badToken: 'キーまたはトークンが無効です（失効している可能性があります）。',
    operatorTokenNotConfigured:
      'このハブのオペレータートークンが設定されていません（ADMIN_TOKEN シークレットが未設定か不正です）。ログインできるのはサイトキーだけです。',
  },
)

export type Words = (typeof WORDS)['en']
