import { createMiddleware } from 'hono/factory'

import { getDb } from '../db/client'
import type { AppEnv } from '../env'
import { documentGuard } from '../common/api-docs'
import { secretsEqual } from '../common/crypto'
import { AppError } from '../common/errors'
import { hashKey, looksLikeSiteKey } from './keys'
import type { Principal } from '../common/principal'
import { findActiveKeyByHash } from './store'
import { operatorTokenConfigured } from '../health/settings'

/** The token of an `Authorization: Bearer <token>` header, or null. */
export const bearer = (header: string | undefined) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1] ?? null
}

/**
 * The principal a token stands for — the operator token or an active site key — or null. An
 * operator token the hub does not accept as configured (missing, or too weak for a deployed hub:
 * see /healthz) opens nothing, even when sent exactly.
 */
export async function principalForToken(
  env: Pick<Env, 'DB' | 'ADMIN_TOKEN' | 'ENVIRONMENT'>,
  token: string,
): Promise<Principal | null> {
  if (looksLikeSiteKey(token)) {
    const key = await findActiveKeyByHash(getDb(env.DB), await hashKey(token))
    return key ? { kind: 'site', siteId: key.siteId, keyId: key.id } : null
  }
  if (!operatorTokenConfigured(env)) return null
  return (await secretsEqual(token, env.ADMIN_TOKEN)) ? { kind: 'operator' } : null
}

/**
 * `Authorization: Bearer <token>` for /api/*: the operator token (the ADMIN_TOKEN secret)
 * or a site key. Sets `principal`; every failure is the same 401, whatever was wrong.
 */
export const requireAuth = createMiddleware<AppEnv>(async function requireAuth(c, next) {
  const token = bearer(c.req.header('Authorization'))
  if (!token) throw new AppError('unauthorized', 'Send Authorization: Bearer <operator token or site key>')
  const principal = await principalForToken(c.env, token)
  if (!principal) throw new AppError('unauthorized', 'Invalid or revoked token')
  c.set('principal', principal)
  return next()
})
// The API description lists these credentials on every route mounted under this middleware.
documentGuard(requireAuth, ['operatorToken', 'siteKey'])
