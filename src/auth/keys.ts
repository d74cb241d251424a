import { randomToken, sha256Hex } from '../shared/crypto'

const KEY_PREFIX = 'gh_sk_'

export type NewKey = { key: string; hash: string; prefix: string }

/** A site key: 160 random bits. Keys are random, so an unsalted SHA-256 is enough to store. */
export async function generateSiteKey(): Promise<NewKey> {
  const key = KEY_PREFIX + randomToken(32)
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, KEY_PREFIX.length + 4) }
}

export const looksLikeSiteKey = (token: string) => token.startsWith(KEY_PREFIX)

export const hashKey = (key: string) => sha256Hex(key)
