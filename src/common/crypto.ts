/** Hashing, random tokens and constant-time comparison (Web Crypto; no Node APIs). */

const encoder = new TextEncoder()

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  return Array.from(view, (b) => b.toString(16).padStart(2, '0')).join('')
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789' // no 0/o/1/l: keys get read aloud and retyped

/** A random string of `length` characters from a 32-letter alphabet (5 bits each). */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  return Array.from(bytes, (b) => ALPHABET[b & 31]).join('')
}

/** A prefixed random id such as `m_8fk2…`; 16 characters carry 80 bits. */
export const newId = (prefix: string) => `${prefix}_${randomToken(16)}`

/**
 * Compares two secrets in time independent of where they differ. Both sides are hashed
 * first so that their lengths are equal too.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ])
  return crypto.subtle.timingSafeEqual(ha, hb)
}
