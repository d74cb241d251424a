/**
 * Sessions of the web UI (src/auth/cookie-sessions.ts), opened with a site key or the operator
 * token. A session opened with a site key ends as soon as the key is revoked.
 */
import { isNull, or, sql } from 'drizzle-orm'
import type { Context } from 'hono'

import { cookieSessions } from '../../auth/cookie-sessions'
import type { Db } from '../../db/client'
import { adminSessions, apiKeys, sites } from '../../db/schema'
import type { Principal } from '../../common/principal'

const staff = cookieSessions({ table: adminSessions, cookie: '__Host-glasshouse_session', hours: 12 })

export type Session = { id: string; principal: Principal; csrf: string }

export const openSession = (c: Context, db: Db, principal: Principal, now: number) =>
  staff.open(
    c,
    db,
    {
      keyId: principal.kind === 'site' ? principal.keyId : null,
      siteId: principal.kind === 'site' ? principal.siteId : null,
    },
    now,
  )

/** The live session of the request: not expired, and its site key (if any) not revoked nor its shop deleted. */
export async function sessionOf(c: Context, db: Db, now: number): Promise<Session | null> {
  const keyLive = or(
    isNull(adminSessions.keyId),
    sql`EXISTS (SELECT 1 FROM ${apiKeys} JOIN ${sites} ON ${sites.id} = ${apiKeys.siteId}
      WHERE ${apiKeys.id} = ${adminSessions.keyId} AND ${apiKeys.revokedAt} IS NULL AND ${sites.deletedAt} IS NULL)`,
  )
  const row = await staff.current(c, db, now, keyLive)
  if (!row) return null
  const principal: Principal =
    row.keyId === null || row.siteId === null
      ? { kind: 'operator' }
      : { kind: 'site', siteId: row.siteId, keyId: row.keyId }
  return { id: row.id, principal, csrf: row.csrf }
}

export const closeSession = (c: Context, db: Db, session: Session) => staff.close(c, db, session.id)
