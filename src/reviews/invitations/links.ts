/**
 * A buyer's review link, `/review/{invitation id}.{signature}`: the signature (HMAC under a
 * key derived from the hub's secrets key) makes a forged or altered link fail before any D1
 * read; the invitation row then says whether it is still usable. And the keyed hash of a
 * buyer's address, which lets an erasure request find their invitations without the hub
 * keeping the address itself.
 */
import { hmac, purposeKey } from '../../common/secrets'

const ID = /^inv_[a-z2-9]{16}$/

export async function reviewToken(keyBase64: string | undefined, invitationId: string): Promise<string> {
  return `${invitationId}.${await hmac(await purposeKey(keyBase64, 'review-links'), invitationId)}`
}

export const reviewLink = async (origin: string, keyBase64: string | undefined, invitationId: string) =>
  `${origin}/review/${await reviewToken(keyBase64, invitationId)}`

/** The invitation id a token names, or null when the token is malformed or its signature is wrong. */
export async function invitationOfToken(keyBase64: string | undefined, token: string): Promise<string | null> {
  const [id, signature, ...rest] = token.split('.')
  if (!id || !signature || rest.length > 0 || !ID.test(id)) return null
  const expected = await reviewToken(keyBase64, id)
  // Compare MACs of both: equal time whatever the input.
  const key = await purposeKey(keyBase64, 'compare')
  const [a, b] = await Promise.all([hmac(key, expected), hmac(key, token)])
  return a === b ? id : null
}

/** The outbox's name for an invitation's e-mail. */
export const invitationMailRef = (invitationId: string) => `invitation:${invitationId}`

/** Addresses compare without case or surrounding space. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase()

export async function emailHash(keyBase64: string | undefined, siteId: number, email: string): Promise<string> {
  return hmac(await purposeKey(keyBase64, 'buyer-addresses'), `${siteId}:${normaliseEmail(email)}`)
}
