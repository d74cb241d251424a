/**
 * `GET /r/{code}` — the hot path. A link is remembered by the isolate for a minute, so a
 * click usually costs no D1 read before its 302 (and a forgotten one, one query); the click itself is written after the answer
 * (./clicks.ts). The destination is the link's target URL with the click id added — built from
 * stored values only; no part of the request can change it.
 */
import type { Db } from '../../db/client'
import { RecentCache } from '../../common/recent-cache'
import { readSettings } from '../../sites/settings'
import { linkWithTarget } from '../store'

/** 8 characters from a 32-letter alphabet: 40 bits, far more codes than links. */
export const LINK_CODE = /^[a-z2-9]{8}$/

export type LiveLink = { code: string; siteId: number; partnerId: string; targetUrl: string; clickParam: string }

/** null: no such link, or one that does not redirect (disabled, partner not approved, target gone, shop deleted). */
const links = new RecentCache<string, LiveLink | null>(60 * 1000, 10_000)

export async function liveLink(db: Db, code: string): Promise<LiveLink | null> {
  if (!LINK_CODE.test(code)) return null
  const known = links.get(code)
  if (known !== undefined) return known
  const found = await linkWithTarget(db, code)
  let live: LiveLink | null = null
  if (
    found &&
    found.link.disabledAt === null &&
    found.partnerState === 'approved' &&
    found.targetUrl &&
    found.siteSettings &&
    found.siteDeletedAt === null
  ) {
    live = {
      code,
      siteId: found.link.siteId,
      partnerId: found.link.partnerId,
      targetUrl: found.targetUrl,
      clickParam: readSettings(found.siteSettings).affiliate_click_param,
    }
  }
  links.set(code, live)
  return live
}

/** Forgets a link this isolate remembers (after it was disabled or its partner suspended). */
export const forgetLink = (code: string) => {
  links.delete(code)
}

/** Where the link sends a visitor: its target, with the click id for the storefront to report conversions. */
export function destinationOf(link: LiveLink, clickId: string): string {
  const url = new URL(link.targetUrl)
  url.searchParams.set(link.clickParam, clickId)
  return url.toString()
}
