import { createMiddleware } from 'hono/factory'

import { getDb } from '../db/client'
import type { AppEnv } from '../env'
import { secretsEqual } from '../shared/crypto'
import { AppError } from '../shared/errors'
import { hashKey, looksLikeSiteKey } from './keys'
import { findActiveKeyByHash } from './store'

const bearer = (header: string | undefined) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1] ?? null
}

/**
 * `Authorization: Bearer <token>` for /api/*: the operator token (the ADMIN_TOKEN secret)
 * or a site key. Sets `principal`; every failure is the same 401, whatever was wrong.
 */
export const requireAuth = createMiddleware<AppEnv>(async function requireAuth(c, next) {
  const token = bearer(c.req.header('Authorization'))
  if (!token) throw new AppError('unauthorized', 'Send Authorization: Bearer <operator token or site key>')

  if (looksLikeSiteKey(token)) {
    const key = await findActiveKeyByHash(getDb(c.env.DB), await hashKey(token))
    if (key) {
      c.set('principal', { kind: 'site', siteId: key.siteId, keyId: key.id })
      return next()
    }
  } else if (c.env.ADMIN_TOKEN && (await secretsEqual(token, c.env.ADMIN_TOKEN))) {
    c.set('principal', { kind: 'operator' })
    return next()
  }
  throw new AppError('unauthorized', 'Invalid or revoked token')
})
