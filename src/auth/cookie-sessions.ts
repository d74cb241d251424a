/**
 * Signed-in browser sessions, one mechanism configured twice (the web UI's staff, the partner
 * page's partners). Signing in puts 256 random bits into a `__Host-` cookie (Secure, HttpOnly,
 * SameSite=Strict, Path=/); D1 keeps only their SHA-256, a CSRF token the session's forms must
 * carry back, and an expiry. Each kind has its own table and cookie name, so one kind's session
 * can never be taken for the other's.
 */
import { and, eq, gt, type SQL } from 'drizzle-orm'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'

import type { Db } from '../db/client'
import type { adminSessions, partnerSessions } from '../db/schema'
import { SESSION_COOKIE_OPTIONS as COOKIE_OPTIONS } from '../common/cookies'
import { randomToken, secretsEqual, sha256Hex } from '../common/crypto'

type SessionTable = typeof adminSessions | typeof partnerSessions

/** What every session row has; the kind's own columns come on top. */
type Common = 'id' | 'csrf' | 'createdAt' | 'expiresAt'

export function cookieSessions<T extends SessionTable>(config: { table: T; cookie: string; hours: number }) {
  const { table, cookie, hours } = config
  return {
    /** Opens a session with the kind's own columns and sets its cookie. */
    async open(c: Context, db: Db, fields: Omit<T['$inferInsert'], Common>, now: number) {
      const cookieValue = randomToken(32)
      const row = {
        ...fields,
        id: await sha256Hex(cookieValue),
        csrf: randomToken(32),
        createdAt: now,
        expiresAt: now + hours * 3_600_000,
      }
      // tsc cannot see that the generic row is an insert row of T; the linter thinks the cast does nothing.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      await db.insert(table).values(row as T['$inferInsert'])
      setCookie(c, cookie, cookieValue, { ...COOKIE_OPTIONS, maxAge: hours * 3600 })
    },

    /** The live session the request's cookie names: not expired, and `alive` (the kind's own condition) holding. */
    async current(c: Context, db: Db, now: number, alive?: SQL): Promise<T['$inferSelect'] | null> {
      const value = getCookie(c, cookie)
      if (!value || value.length > 128) return null
      const id = await sha256Hex(value)
      const session = table
      const row = await db
        .select()
        .from(session)
        .where(and(eq(session.id, id), gt(session.expiresAt, now), alive))
        .get()
      return (row as T['$inferSelect'] | undefined) ?? null
    },

    /** Ends the session: its row and its cookie. */
    async close(c: Context, db: Db, id: string) {
      const session = table
      await db.delete(session).where(eq(session.id, id))
      deleteCookie(c, cookie, COOKIE_OPTIONS)
    },
  }
}

/** True when a form carried the session's CSRF token back (compared in constant time). */
export async function csrfMatches(expected: string, sent: unknown): Promise<boolean> {
  return typeof sent === 'string' && sent.length > 0 && (await secretsEqual(sent, expected))
}
