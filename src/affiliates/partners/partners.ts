/**
 * The affiliate programme's partners: a blogger applies; the site's staff approve (the
 * partner gets a key, shown once and stored hashed), reject or suspend. A partner's key works
 * only on its own site's partner routes, never on the operator API.
 */
import { actorName, type Principal } from '../../common/principal'
import { generatePartnerKey, hashKey, looksLikePartnerKey } from '../../auth/keys'
import type { Db } from '../../db/client'
import { NO_OUTBOUND, type Outbound } from '../../outbox/outbox'
import type { PartnerState } from '../../db/schema'
import { newId } from '../../common/crypto'
import { pageOf, type Position } from '../../common/cursor'
import { AppError } from '../../common/errors'
import { loadSite } from '../../sites/service'
import { findSiteBySlug } from '../../sites/store'
import { entriesOfPartner } from '../commissions/ledger'
import { forgetLink } from '../links/redirect'
import {
  findPartner,
  insertPartner,
  partnerIsStored,
  linksOfPartner,
  newestSignInMail,
  partnerByKeyHash,
  type PartnerRow,
  partnersOfSite,
  updatePartner,
} from '../store'
import type { Out } from '../../common/outputs'
import type { PartnerOut } from '../outputs'

export type Application = { name: string; email: string; blog_url: string; lang?: 'en' | 'ja' | undefined }

export async function applyAsPartner(
  db: Db,
  slug: string,
  a: Application,
  now: number,
  tell: (partner: PartnerRow) => Promise<Outbound> = () => Promise.resolve(NO_OUTBOUND),
): Promise<PartnerRow> {
  const site = await findSiteBySlug(db, slug)
  if (!site) throw new AppError('not_found', 'Site not found', 'サイトが見つかりません')
  const row: PartnerRow = {
    id: newId('pt'),
    siteId: site.id,
    name: a.name,
    email: a.email.trim().toLowerCase(),
    blogUrl: a.blog_url,
    lang: a.lang ?? 'en',
    state: 'applied',
    keyHash: null,
    keyPrefix: null,
    appliedAt: now,
    decidedAt: null,
    decidedBy: null,
    note: null,
    clicks: 0,
    uniqueClicks: 0,
    conversions: 0,
    revenue: 0,
    commissionPending: 0,
    commissionApproved: 0,
    commissionPaid: 0,
  }
  // What the application tells (its webhook event) is written with it, only if it is stored.
  const told = await tell(row)
  const [inserted] = await db.batch([insertPartner(db, row), ...told.statements(partnerIsStored(row.id))])
  if (inserted.meta.changes !== 1)
    throw new AppError(
      'conflict',
      'This e-mail address has already applied to this programme',
      'このメールアドレスはすでに申し込み済みです',
    )
  await told.send()
  return row
}

/** A page of the site's partners, newest application first; `next` continues it. */
export const partnersOf = async (
  db: Db,
  p: Principal,
  slug: string,
  state: PartnerState | undefined,
  before: Position | null,
  limit: number,
) => {
  const site = await loadSite(db, p, slug)
  return pageOf(await partnersOfSite(db, site.id, state, before, limit + 1), limit, (p) => ({
    time: p.appliedAt,
    id: p.id,
  }))
}

export type Decision = 'approve' | 'reject' | 'suspend'

const NEXT: Record<Decision, { to: PartnerState; from: readonly PartnerState[] }> = {
  approve: { to: 'approved', from: ['applied', 'rejected', 'suspended'] },
  reject: { to: 'rejected', from: ['applied'] },
  suspend: { to: 'suspended', from: ['approved'] },
}

/**
 * The staff's decision on a partner. Approving through the API issues a new partner key (the
 * answer is the only time it is shown); the console passes `issueKey: false` and sends the
 * partner a sign-in link instead (./sign-in-links.ts).
 */
export async function decideOnPartner(
  db: Db,
  p: Principal,
  slug: string,
  id: string,
  decision: Decision,
  note: string | null,
  now: number,
  { issueKey = true }: { issueKey?: boolean } = {},
) {
  const { site, partner } = await partnerOfSite(db, p, slug, id)
  const rule = NEXT[decision]
  if (!rule.from.includes(partner.state))
    throw new AppError(
      'conflict',
      `A partner who is ${partner.state} cannot be ${rule.to}`,
      'パートナーの今の状態では、その操作はできません（ほかの人が先に変更した可能性があります）',
    )
  const key = decision === 'approve' && issueKey ? await generatePartnerKey() : null
  const updated = await updatePartner(db, id, {
    state: rule.to,
    decidedAt: now,
    decidedBy: actorName(p),
    note,
    // Approving without a key (the console) drops any earlier key: a re-approved partner makes a new one.
    ...(decision === 'approve' ? { keyHash: key?.hash ?? null, keyPrefix: key?.prefix ?? null } : {}),
  })
  // A suspended partner's links stop at once in this isolate (others forget within a minute).
  if (rule.to !== 'approved') for (const link of await linksOfPartner(db, id, 1000)) forgetLink(link.code)
  return { site, partner: updated ?? partner, key: key?.key ?? null }
}

/** One partner of the site, with its links (500 newest), its ledger's newest entries and its newest sign-in link's e-mail. */
export async function partnerDetail(db: Db, p: Principal, slug: string, id: string, entries: number) {
  const { site, partner } = await partnerOfSite(db, p, slug, id)
  const [links, ledger, signInMail] = await Promise.all([
    linksOfPartner(db, id, 500),
    entriesOfPartner(db, id, null, entries),
    newestSignInMail(db, id),
  ])
  return { site, partner, links, ledger, signInMail: signInMail ?? null }
}

/** The partner of this site (another site's id is not found), with the site. */
export async function partnerOfSite(db: Db, p: Principal, slug: string, id: string) {
  const site = await loadSite(db, p, slug)
  const partner = await findPartner(db, id)
  if (!partner || partner.siteId !== site.id)
    throw new AppError('not_found', 'Partner not found', 'パートナーが見つかりません')
  return { site, partner }
}

/** A new partner key for the partner API, replacing the old one (shown once: only its hash is kept). */
export async function newPartnerKey(db: Db, partner: PartnerRow): Promise<string> {
  const key = await generatePartnerKey()
  await updatePartner(db, partner.id, { keyHash: key.hash, keyPrefix: key.prefix })
  return key.key
}

/** The approved partner a key belongs to, on this site; null for anything else (a wrong, revoked or other site's key). */
export async function partnerForKey(db: Db, slug: string, token: string): Promise<PartnerRow | null> {
  if (!looksLikePartnerKey(token)) return null
  const [partner, site] = await Promise.all([partnerByKeyHash(db, await hashKey(token)), findSiteBySlug(db, slug)])
  return partner && site && partner.siteId === site.id && partner.state === 'approved' ? partner : null
}

export const partnerJson = (p: PartnerRow): Out<typeof PartnerOut> => ({
  id: p.id,
  name: p.name,
  email: p.email,
  blog_url: p.blogUrl,
  lang: p.lang,
  state: p.state,
  key_prefix: p.keyPrefix,
  applied_at: new Date(p.appliedAt).toISOString(),
  decided_at: p.decidedAt === null ? null : new Date(p.decidedAt).toISOString(),
  note: p.note,
  /** Totals in minor units of the site's currency (kept on write). */
  totals: {
    clicks: p.clicks,
    unique_clicks: p.uniqueClicks,
    conversions: p.conversions,
    /** Sales per unique click (null before any click). */
    conversion_rate: p.uniqueClicks === 0 ? null : Math.round((p.conversions / p.uniqueClicks) * 1000) / 1000,
    revenue: p.revenue,
    commission: { pending: p.commissionPending, approved: p.commissionApproved, paid: p.commissionPaid },
  },
})
