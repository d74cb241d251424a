import { randomToken, sha256Hex } from '../common/crypto'

const KEY_PREFIX = 'gh_sk_'
/** Affiliate partners' keys (src/affiliates/): never accepted by the operator API. */
const PARTNER_KEY_PREFIX = 'gh_pk_'

export type NewKey = { key: string; hash: string; prefix: string }

/** A key: 160 random bits. Keys are random, so an unsalted SHA-256 is enough to store. */
async function generateKey(prefix: string): Promise<NewKey> {
  const key = prefix + randomToken(32)
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, prefix.length + 4) }
}

export const generateSiteKey = () => generateKey(KEY_PREFIX)
export const generatePartnerKey = () => generateKey(PARTNER_KEY_PREFIX)

export const looksLikeSiteKey = (token: string) => token.startsWith(KEY_PREFIX)
export const looksLikePartnerKey = (token: string) => token.startsWith(PARTNER_KEY_PREFIX)

export const hashKey = (key: string) => sha256Hex(key)
