/**
 * Sessions of the partner page: signing in with a partner key opens a session in a `__Host-`
 * cookie (Secure, HttpOnly, SameSite=Strict); D1 keeps only its SHA-256. A session lasts while
 * its partner stays approved, at most 12 hours. Separate from staff sessions, so a partner's
 * session can never be taken for a staff one.
 */
import { and, eq, gt } from 'drizzle-orm'

import type { Db } from '../db/client'
import { partnerSessions } from '../db/schema'
import { randomToken, sha256Hex } from '../shared/crypto'
import { findPartner, type PartnerRow } from './store'

export const PARTNER_COOKIE = '__Host-glasshouse_partner'
const HOURS = 12
export const PARTNER_SESSION_SECONDS = HOURS * 3600

export type PartnerSession = { id: string; partner: PartnerRow; csrf: string }

export async function openPartnerSession(db: Db, partnerId: string, now: number) {
  const cookieValue = randomToken(32)
  await db.insert(partnerSessions).values({ id: await sha256Hex(cookieValue), partnerId, csrf: randomToken(32), createdAt: now, expiresAt: now + HOURS * 3600 * 1000 })
  return cookieValue
}

/** The live session of an approved partner of the site `siteId`, or null. */
export async function partnerSessionOf(db: Db, cookieValue: string | undefined, siteId: number, now: number): Promise<PartnerSession | null> {
  if (!cookieValue || cookieValue.length > 128) return null
  const id = await sha256Hex(cookieValue)
  const row = await db.select().from(partnerSessions).where(and(eq(partnerSessions.id, id), gt(partnerSessions.expiresAt, now))).get()
  const partner = row ? await findPartner(db, row.partnerId) : undefined
  if (!row || !partner || partner.siteId !== siteId || partner.state !== 'approved') return null
  return { id, partner, csrf: row.csrf }
}

export const closePartnerSession = (db: Db, id: string) => db.delete(partnerSessions).where(eq(partnerSessions.id, id))
