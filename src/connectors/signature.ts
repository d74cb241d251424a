/**
 * Both platforms sign a webhook the same way: the base64 HMAC-SHA256 of the raw body under the
 * shop's secret (Shopify's `X-Shopify-Hmac-Sha256`, WooCommerce's `X-WC-Webhook-Signature`).
 * Checked on the bytes as received, before the body is read, in constant time (WebCrypto's verify).
 */
const encoder = new TextEncoder()

/**
 * The 32 bytes of a signature in canonical base64 only: atob ignores the last character's two
 * padding bits, and the platforms' own checks (Shopify's library compares the base64 text)
 * refuse a signature whose padding bits are set (test/connectors/shopify-library.test.ts).
 */
function base64Bytes(text: string): Uint8Array | null {
  const clean = text.trim()
  if (!/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(clean)) return null
  return Uint8Array.from(atob(clean), (ch) => ch.charCodeAt(0))
}

/** True when `signature` is the body's HMAC under one of `secrets`. */
export async function signedBy(
  raw: Uint8Array,
  signature: string | null,
  secrets: readonly string[],
): Promise<boolean> {
  const given = signature ? base64Bytes(signature) : null
  if (!given) return false
  for (const secret of secrets) {
    const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ])
    if (await crypto.subtle.verify('HMAC', key, given, raw)) return true
  }
  return false
}

/** The signature a platform sends with `body` (tests and the console's example use it). */
export async function signatureOf(body: string | Uint8Array, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, typeof body === 'string' ? encoder.encode(body) : body),
  )
  return btoa(String.fromCharCode(...mac))
}
