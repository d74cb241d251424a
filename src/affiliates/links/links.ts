/**
 * Tracking links: a partner's link to one of the site's targets, `GET /r/{code}`. The only
 * destination a link has is its target's URL (plus the click id): nothing in a request can
 * change it, so a link can never be an open redirect.
 */
import type { Db } from '../../db/client'
import { randomToken } from '../../common/crypto'
import { AppError } from '../../common/errors'
import { findTarget } from '../../targets/store'
import { forgetLink } from './redirect'
import { findLink, insertLink, type LinkRow, linksOfPartner, type PartnerRow, setLinkDisabled } from '../store'
import type { Out } from '../../common/outputs'
import type { LinkOut } from '../outputs'

export async function createLink(db: Db, partner: PartnerRow, targetId: string, now: number): Promise<LinkRow> {
  const target = await findTarget(db, partner.siteId, targetId)
  // Partners link to the products the shop registered, not to pages the hub noted by itself.
  if (!target || target.automatic)
    throw new AppError('not_found', 'target: no such product on this site', '商品：このショップにない商品です')
  const row: LinkRow = {
    code: randomToken(8),
    siteId: partner.siteId,
    partnerId: partner.id,
    targetId: target.id,
    createdAt: now,
    disabledAt: null,
    clicks: 0,
    uniqueClicks: 0,
    botClicks: 0,
    reportedClicks: 0,
    reportedUniqueClicks: 0,
    conversions: 0,
    revenue: 0,
    commission: 0,
  }
  await insertLink(db, row)
  return row
}

export const linksOf = (db: Db, partner: PartnerRow) => linksOfPartner(db, partner.id, 500)

/** The partner switches one of their links off: it answers the 404 page from then on (its numbers stay). */
export async function disableLink(db: Db, partner: PartnerRow, code: string, now: number): Promise<LinkRow> {
  const link = await findLink(db, code)
  if (!link || link.partnerId !== partner.id) throw new AppError('not_found', 'No such link of yours')
  const updated = link.disabledAt === null ? await setLinkDisabled(db, code, now) : link
  forgetLink(code)
  return updated ?? link
}

export const linkJson = (hubOrigin: string, l: LinkRow): Out<typeof LinkOut> => ({
  code: l.code,
  url: `${hubOrigin}/r/${l.code}`,
  target: l.targetId,
  created_at: new Date(l.createdAt).toISOString(),
  disabled: l.disabledAt !== null,
  clicks: l.clicks,
  unique_clicks: l.uniqueClicks,
  bot_clicks: l.botClicks,
  conversions: l.conversions,
  /** Sales per unique click (null before any click). */
  conversion_rate: l.uniqueClicks === 0 ? null : Math.round((l.conversions / l.uniqueClicks) * 1000) / 1000,
  revenue: l.revenue,
  commission: l.commission,
})

/**
 * For verifying a partner's post: true for a link to one of the partner's tracking links for
 * the target (`…/r/{code}`) on the hub — on `hubOrigin` when HUB_ORIGIN is set; without it the
 * consumer has no request to learn the hub's host from, and the 40-bit code alone must match.
 */
export async function trackingLinkTest(
  db: Db,
  partnerId: string,
  targetId: string,
  hubOrigin: string | null,
): Promise<(link: string) => boolean> {
  const codes = new Set(
    (await linksOfPartner(db, partnerId, 1000)).filter((l) => l.targetId === targetId).map((l) => l.code),
  )
  const hub = hubOrigin && URL.canParse(hubOrigin) ? new URL(hubOrigin).origin : null
  return (link) => {
    if (!URL.canParse(link)) return false
    const url = new URL(link)
    const match = /^\/r\/([a-z2-9]{8})$/.exec(url.pathname)
    const code = match?.[1]
    return code !== undefined && codes.has(code) && (hub === null || url.origin === hub)
  }
}
