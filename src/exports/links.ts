/**
 * An export's download links: `/exports/{id}/{file}?expires=…&sig=…`, signed with an HMAC key
 * derived from the hub's secrets key for this purpose alone (src/common/secrets.ts), valid for an
 * hour. The link is the credential: whoever holds it may download that one file until it expires.
 */
import { hmac, purposeKey } from '../common/secrets'

/** How long a download link works. */
export const LINK_MS = 60 * 60 * 1000

const signed = (exportId: string, file: string, expires: number) => `${exportId}\n${file}\n${expires}`

/** The key that signs the links (derived once for all the links of an answer). */
export const linkKey = (secretsKey: string | undefined) => purposeKey(secretsKey, 'export-links')

/** The path and query of a file's download link, valid until `now` + an hour (in whole seconds). */
export async function downloadPath(key: CryptoKey, exportId: string, file: string, now: number) {
  const expires = Math.floor((now + LINK_MS) / 1000)
  const sig = await hmac(key, signed(exportId, file, expires))
  return {
    path: `/exports/${encodeURIComponent(exportId)}/${encodeURIComponent(file)}?expires=${expires}&sig=${sig}`,
    expiresAt: expires * 1000,
  }
}

/** forbidden: not a link the hub made for this file; expired: it was, and its hour is over. */
export type LinkCheck = 'ok' | 'forbidden' | 'expired'

export async function checkLink(
  secretsKey: string | undefined,
  exportId: string,
  file: string,
  expires: string | undefined,
  sig: string | undefined,
  now: number,
): Promise<LinkCheck> {
  if (!expires || !/^\d{1,12}$/.test(expires) || !sig || sig.length > 100) return 'forbidden'
  const key = await linkKey(secretsKey)
  const expected = await hmac(key, signed(exportId, file, Number(expires)))
  if (!timingSafeEqualText(expected, sig)) return 'forbidden'
  return Number(expires) * 1000 < now ? 'expired' : 'ok'
}

function timingSafeEqualText(a: string, b: string): boolean {
  const [x, y] = [new TextEncoder().encode(a), new TextEncoder().encode(b)]
  return x.byteLength === y.byteLength && crypto.subtle.timingSafeEqual(x, y)
}
