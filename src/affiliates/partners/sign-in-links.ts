/**
 * One-time sign-in links for partners. Approval sends one by e-mail, so the shop never handles
 * a secret of the partner's; a partner can ask for a new one with their address. A link works
 * once, for 7 days; only its SHA-256 is stored. Opening it shows a button — the link is used
 * only when that is pressed, so a mail scanner that follows links does not use it up. Its e-mail
 * is recorded, sealed, in the outbox with the link's row and sent by the mail queue (src/mail/):
 * its outbox row (`sign-in:{the link's hash}`) says whether it went out.
 */
import type { Mail } from '../../common/mail'
import { randomToken, sha256Hex } from '../../common/crypto'
import type { PageLang } from '../../common/lang'
import { batchAll, type Db } from '../../db/client'
import { letter, type Post, postLetters } from '../../mail/letters'
import { recordMessages } from '../../outbox/outbox'
import { findSiteBySlug, type SiteRow } from '../../sites/store'
import {
  deleteExpiredSignInLinks,
  findPartner,
  insertSignInLink,
  partnerByEmail,
  type PartnerRow,
  redeemSignInLinkRow,
  SIGN_IN_MAIL,
  signInLinkSince,
} from '../store'

const VALID_MS = 7 * 24 * 60 * 60 * 1000

/** A partner who asks again within this time is not sent another link (a flood of mail to them). */
const REQUEST_PAUSE_MS = 5 * 60 * 1000

export type SignInDeps = {
  db: Db
  /** The hub's post for e-mail; null when it cannot send e-mail. */
  mail: Post | null
  hubOrigin: string
}

/** The partner page's address on this hub. */
export const partnerPagePath = (slug: string) => `/partners/${encodeURIComponent(slug)}`

/** The outbox's name for the e-mail of the sign-in link whose hash is `tokenHash`. */
export const signInMailRef = (tokenHash: string) => `${SIGN_IN_MAIL}${tokenHash}`

/**
 * Sends an approved partner a new sign-in link (earlier unused ones keep working until their
 * time). With a post, the link's e-mail is recorded with its row and queued, and the link is not
 * returned at all; without one the link is returned for the shop to pass on (it works once, for 7 days).
 */
export async function sendSignInLink(
  deps: SignInDeps,
  site: Pick<SiteRow, 'id' | 'slug' | 'name'>,
  partner: PartnerRow,
  now: number,
): Promise<{ emailed: true } | { emailed: false; link: string; expiresAt: number }> {
  const token = randomToken(40)
  const tokenHash = await sha256Hex(token)
  const url = `${deps.hubOrigin}${partnerPagePath(site.slug)}/sign-in/${token}`
  const expiresAt = now + VALID_MS
  const letters = deps.mail
    ? [
        await letter(deps.mail, {
          ref: signInMailRef(tokenHash),
          siteId: site.id,
          to: partner.email,
          mail: signInMail(partner.lang, { shop: site.name, name: partner.name, link: url }),
        }),
      ]
    : []
  await batchAll(deps.db, [
    insertSignInLink(deps.db, { tokenHash, partnerId: partner.id, createdAt: now, expiresAt, usedAt: null }),
    ...recordMessages(deps.db, letters, now),
  ])
  if (!deps.mail) return { emailed: false, link: url, expiresAt }
  await postLetters(deps.db, deps.mail, letters, now)
  return { emailed: true }
}

/**
 * A partner asks for a link with their address: sent only to an approved partner of this site,
 * and the answer is the same whoever asks (it never says whether an address is a partner's).
 */
export async function requestSignInLink(deps: SignInDeps, slug: string, email: string, now: number): Promise<void> {
  if (!deps.mail) return
  const site = await findSiteBySlug(deps.db, slug)
  const partner = site ? await partnerByEmail(deps.db, site.id, email.trim().toLowerCase()) : undefined
  if (!site || partner?.state !== 'approved') return
  if (await signInLinkSince(deps.db, partner.id, now - REQUEST_PAUSE_MS)) return
  await sendSignInLink(deps, site, partner, now)
}

/** Redeems a link: its approved partner of this site, or null (unknown, used, expired, another site's, voided). */
export async function redeemSignInLink(db: Db, siteId: number, token: string, now: number): Promise<PartnerRow | null> {
  if (!/^[a-z0-9]{40}$/.test(token)) return null
  const redeemed = await redeemSignInLinkRow(db, siteId, await sha256Hex(token), now)
  return (redeemed && (await findPartner(db, redeemed.partnerId))) ?? null
}

/** The cron's sweep: links a day past their time are deleted. */
export const forgetExpiredSignInLinks = (db: Db, now: number) =>
  deleteExpiredSignInLinks(db, now - 24 * 60 * 60 * 1000, 1000)

/** The sign-in e-mail, in the partner's language. */
export function signInMail(lang: PageLang, f: { shop: string; name: string; link: string }): Mail {
  if (lang === 'ja') {
    return {
      subject: `${f.shop}：パートナーページへのログインリンク`,
      text: [
        `${f.name} 様`,
        '',
        `${f.shop}のアフィリエイトパートナーページへのログインリンクです。`,
        '',
        f.link,
        '',
        'このリンクは7日間、1回だけ使えます。期限が切れたら、パートナーページからメールアドレスを入力して新しいリンクを受け取れます。',
        'リンクを使った記事には、広告であることを必ず明記してください（例：「PR」「広告」）。',
        'このメールに心当たりがない場合は、破棄してください。',
      ].join('\n'),
    }
  }
  return {
    subject: `${f.shop}: your sign-in link to the partner page`,
    text: [
      `Hello ${f.name},`,
      '',
      `Here is your link to sign in to ${f.shop}'s affiliate partner page:`,
      '',
      f.link,
      '',
      'It works once, for 7 days. When it has expired, enter your address on the partner page to get a new one.',
      'Posts with your links must say clearly that they are advertising (for example "Ad" or "#ad").',
      'If you did not expect this e-mail, you can ignore it.',
    ].join('\n'),
  }
}
