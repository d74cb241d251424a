/**
 * Webhook signing secrets. A secret is `whsec_` + base64 of 24 random bytes (Standard
 * Webhooks). It must stay usable to sign, so unlike API keys it cannot be stored hashed: it is
 * sealed with AES-GCM under the WEBHOOK_SECRETS_KEY Worker secret (32 bytes, base64), with a
 * fresh 12-byte IV per seal, and shown to the operator only once.
 */
import { AppError } from '../shared/errors'

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

export const newSecret = () => `whsec_${b64(crypto.getRandomValues(new Uint8Array(24)))}`

async function keyFrom(keyBase64: string | undefined): Promise<CryptoKey> {
  let raw: Uint8Array
  try {
    raw = unb64(keyBase64 ?? '')
  } catch {
    raw = new Uint8Array(0)
  }
  if (raw.length !== 32) throw new AppError('internal', 'WEBHOOK_SECRETS_KEY must be 32 random bytes in base64 (openssl rand -base64 32)')
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

export async function seal(secret: string, keyBase64: string | undefined): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyFrom(keyBase64), new TextEncoder().encode(secret)))
  return `${b64(iv)}.${b64(sealed)}`
}

export async function unseal(sealed: string, keyBase64: string | undefined): Promise<string> {
  const [iv, data] = sealed.split('.')
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv ?? '') }, await keyFrom(keyBase64), unb64(data ?? ''))
  return new TextDecoder().decode(plain)
}
