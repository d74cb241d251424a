/**
 * The hub's secrets key (the WEBHOOK_SECRETS_KEY Worker secret: 32 random bytes, base64) and
 * what it protects.
 *
 * - Signing secrets (outbound webhooks, the storefront's inbound events): `whsec_` + base64 of
 *   24 random bytes (Standard Webhooks). They must stay usable to sign or verify, so unlike API
 *   keys they cannot be stored hashed: they are sealed with AES-GCM under the key, with a fresh
 *   12-byte IV per seal, and shown to the operator only once. Buyers' addresses are sealed the same way.
 * - HMAC keys derived from it with HKDF, one per purpose (review links, address hashes), so
 *   operators keep one secret and no two uses share a key.
 */
import { AppError } from './errors'

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

export const newSecret = () => `whsec_${b64(crypto.getRandomValues(new Uint8Array(24)))}`

/** A fresh key for `seal` and `unseal` (32 random bytes, base64): for what is sealed under a key kept elsewhere. */
export const newSealingKey = () => b64(crypto.getRandomValues(new Uint8Array(32)))

/** The key's 32 bytes, or null when `keyBase64` is missing or not base64 of exactly 32 bytes. */
function keyBytes(keyBase64: string | undefined): Uint8Array | null {
  try {
    const raw = unb64(keyBase64 ?? '')
    return raw.length === 32 ? raw : null
  } catch {
    return null
  }
}

/** True when `keyBase64` can be the secrets key: base64 of exactly 32 bytes. */
export const isSecretsKey = (keyBase64: string | undefined) => keyBytes(keyBase64) !== null

function rawKey(keyBase64: string | undefined): Uint8Array {
  const raw = keyBytes(keyBase64)
  if (!raw)
    throw new AppError('internal', 'WEBHOOK_SECRETS_KEY must be 32 random bytes in base64 (openssl rand -base64 32)')
  return raw
}

const keyFrom = (keyBase64: string | undefined): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', rawKey(keyBase64), 'AES-GCM', false, ['encrypt', 'decrypt'])

/** The HMAC-SHA-256 key for one purpose (e.g. "review-links"), derived from the secrets key. */
export async function purposeKey(keyBase64: string | undefined, purpose: string): Promise<CryptoKey> {
  const master = await crypto.subtle.importKey('raw', rawKey(keyBase64), 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(`glasshouse:${purpose}`) },
    master,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  )
}

/** HMAC of `text` under `key`, base64url without padding. */
export async function hmac(key: CryptoKey, text: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)))
  return b64(mac).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export async function seal(secret: string, keyBase64: string | undefined): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyFrom(keyBase64), new TextEncoder().encode(secret)),
  )
  return `${b64(iv)}.${b64(sealed)}`
}

export async function unseal(sealed: string, keyBase64: string | undefined): Promise<string> {
  const [iv, data] = sealed.split('.')
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: unb64(iv ?? '') },
    await keyFrom(keyBase64),
    unb64(data ?? ''),
  )
  return new TextDecoder().decode(plain)
}

/**
 * The secrets that sign or verify now, unsealed: the current one, and the one it replaced while
 * that one's overlap (`previousUntil`) lasts — every rotated secret in the hub works this way.
 */
export async function secretsInForce(
  keyBase64: string | undefined,
  currentSealed: string,
  previousSealed: string | null,
  previousUntil: number | null,
  now: number,
): Promise<string[]> {
  const secrets = [await unseal(currentSealed, keyBase64)]
  if (previousSealed && previousUntil !== null && previousUntil > now)
    secrets.push(await unseal(previousSealed, keyBase64))
  return secrets
}
