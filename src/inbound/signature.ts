/**
 * Checking a storefront's signed event (Standard Webhooks): the `webhook-signature` must be
 * an HMAC of `webhook-id.webhook-timestamp.body` under the site's secret, and the timestamp
 * within five minutes of now (the library's tolerance), so a captured request cannot be
 * replayed later; within those minutes the `webhook-id` receipt refuses it (./store.ts).
 */
import { Webhook } from 'standardwebhooks'

export type SignatureCheck =
  { ok: true; messageId: string } | { ok: false; reason: 'unsigned' | 'stale' | 'bad_signature' }

const HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const

export function checkSignature(body: string, headers: Headers, secrets: readonly string[]): SignatureCheck {
  const values = Object.fromEntries(HEADERS.map((h) => [h, headers.get(h) ?? '']))
  if (HEADERS.some((h) => values[h] === '')) return { ok: false, reason: 'unsigned' }
  let stale = false
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, values, { jsonParse: false })
      return { ok: true, messageId: values['webhook-id'] ?? '' }
    } catch (err) {
      // The timestamp is checked before the signature, and is the same for every secret.
      if (err instanceof Error && /timestamp/i.test(err.message)) stale = true
    }
  }
  return { ok: false, reason: stale ? 'stale' : 'bad_signature' }
}
