/**
 * Sessions of the partner page (src/auth/cookie-sessions.ts), opened with a partner key or a
 * one-time link. A session lasts while its partner stays approved and no new decision is made on
 * them, at most 12 hours.
 */
import type { Context } from 'hono'

import { cookieSessions } from '../../auth/cookie-sessions'
import type { Db } from '../../db/client'
import { partnerSessions } from '../../db/schema'
import { findPartner, type PartnerRow } from '../store'

const partners = cookieSessions({ table: partnerSessions, cookie: '__Host-glasshouse_partner', hours: 12 })

export type PartnerSession = { id: string; partner: PartnerRow; csrf: string }

export const openPartnerSession = (c: Context, db: Db, partnerId: string, now: number) =>
  partners.open(c, db, { partnerId }, now)

/** The live session of an approved partner of the site `siteId`, or null. */
export async function partnerSessionOf(
  c: Context,
  db: Db,
  siteId: number,
  now: number,
): Promise<PartnerSession | null> {
  const row = await partners.current(c, db, now)
  const partner = row ? await findPartner(db, row.partnerId) : undefined
  // A decision since the session began (a suspension, even one undone since) ends it.
  const decidedSince = (partner?.decidedAt ?? 0) > (row?.createdAt ?? 0)
  if (!row || !partner || partner.siteId !== siteId || partner.state !== 'approved' || decidedSince) return null
  return { id: row.id, partner, csrf: row.csrf }
}

export const closePartnerSession = (c: Context, db: Db, id: string) => partners.close(c, db, id)
