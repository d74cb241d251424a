/**
 * Sessions of the web UI. Signing in with a site key or the operator token opens a session
 * whose random value goes into a `__Host-` cookie (Secure, HttpOnly, SameSite=Strict, Path=/);
 * D1 keeps only its SHA-256, the principal, a CSRF token for the forms and an expiry. A
 * session opened with a site key ends as soon as the key is revoked.
 */
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm'

import type { Principal } from '../shared/principal'
import type { Db } from '../db/client'
import { adminSessions, apiKeys } from '../db/schema'
import { randomToken, secretsEqual, sha256Hex } from '../shared/crypto'

export const SESSION_COOKIE = '__Host-glasshouse_session'
export const SESSION_HOURS = 12

export type Session = { id: string; principal: Principal; csrf: string }

export async function openSession(db: Db, principal: Principal, now: number): Promise<{ cookieValue: string; csrf: string }> {
  const cookieValue = randomToken(32)
  const csrf = randomToken(32)
  await db.insert(adminSessions).values({
    id: await sha256Hex(cookieValue),
    keyId: principal.kind === 'site' ? principal.keyId : null,
    siteId: principal.kind === 'site' ? principal.siteId : null,
    csrf,
    createdAt: now,
    expiresAt: now + SESSION_HOURS * 3600 * 1000,
  })
  return { cookieValue, csrf }
}

/** The live session a cookie value names: not expired, and its site key (if any) not revoked. */
export async function sessionOf(db: Db, cookieValue: string | undefined, now: number): Promise<Session | null> {
  if (!cookieValue || cookieValue.length > 128) return null
  const id = await sha256Hex(cookieValue)
  const row = await db
    .select({ keyId: adminSessions.keyId, siteId: adminSessions.siteId, csrf: adminSessions.csrf })
    .from(adminSessions)
    .where(
      and(
        eq(adminSessions.id, id),
        gt(adminSessions.expiresAt, now),
        or(
          isNull(adminSessions.keyId),
          sql`EXISTS (SELECT 1 FROM ${apiKeys} WHERE ${apiKeys.id} = ${adminSessions.keyId} AND ${apiKeys.revokedAt} IS NULL)`
        )
      )
    )
    .get()
  if (!row) return null
  const principal: Principal =
    row.keyId === null || row.siteId === null ? { kind: 'operator' } : { kind: 'site', siteId: row.siteId, keyId: row.keyId }
  return { id, principal, csrf: row.csrf }
}

export const closeSession = (db: Db, session: Session) => db.delete(adminSessions).where(eq(adminSessions.id, session.id))

/** True when a form carried the session's CSRF token back (compared in constant time). */
export async function csrfMatches(session: Session, sent: unknown): Promise<boolean> {
  return typeof sent === 'string' && sent.length > 0 && (await secretsEqual(sent, session.csrf))
}
