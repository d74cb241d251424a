/**
 * Storefront events in (`POST /hooks/{site}/…`): the site's signing secret, and reading one
 * signed event. An event is taken once: its `webhook-id` is recorded in the same batch as
 * whatever it writes (see `receiptIs`), so a replay — or the same delivery racing itself —
 * writes nothing and is answered 409.
 */
import type { Principal } from '../common/principal'
import type { Db } from '../db/client'
import { decodeStrict } from '../common/charset'
import { randomToken } from '../common/crypto'
import { AppError } from '../common/errors'
import { newSecret, seal, secretsInForce } from '../common/secrets'
import { loadSite } from '../sites/service'
import { findSiteBySlug, type SiteRow } from '../sites/store'
import { checkSignature } from './signature'
import { type Receipt, receiptSeen, storeInboundSecret } from './store'

/** After a rotation the old secret still verifies for a day, so the storefront can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000

/** Issues (or rotates) the site's inbound secret; the answer is the only time it is shown. */
export async function rotateInboundSecret(
  db: Db,
  p: Principal,
  slug: string,
  keyBase64: string | undefined,
  now: number,
) {
  const site = await loadSite(db, p, slug)
  const secret = newSecret()
  const previousUntil = site.inboundSecretSealed ? now + ROTATION_OVERLAP_MS : null
  await storeInboundSecret(db, site.id, await seal(secret, keyBase64), {
    sealed: site.inboundSecretSealed,
    until: previousUntil,
  })
  return { secret, previous_valid_until: previousUntil === null ? null : new Date(previousUntil).toISOString() }
}

/** `data` is the event itself: the body, or its `data` when sent in a Standard Webhooks `{ type, timestamp, data }` envelope. */
export type SignedEvent = { site: SiteRow; receipt: Receipt; data: unknown }

/**
 * The site's event in `raw`, once its signature, freshness and novelty are checked; throws
 * AppError (401 unsigned/stale/forged, 409 replayed, 400 not UTF-8 JSON, 404 no such site).
 */
export async function readSignedEvent(
  db: Db,
  keyBase64: string | undefined,
  slug: string,
  raw: Uint8Array,
  headers: Headers,
  now: number,
): Promise<SignedEvent> {
  const site = await findSiteBySlug(db, slug)
  if (!site) throw new AppError('not_found', 'Site not found', 'サイトが見つかりません')
  if (!site.inboundSecretSealed) {
    throw new AppError(
      'unauthorized',
      'This site has no signing secret for storefront events yet: the operator creates one with POST /api/sites/{site}/inbound-secret',
    )
  }
  const body = decodeStrict(raw, 'utf-8')
  if (body === null) throw new AppError('invalid_input', 'The body is not UTF-8: send JSON in UTF-8')
  const secrets = await secretsInForce(
    keyBase64,
    site.inboundSecretSealed,
    site.inboundPreviousSealed,
    site.inboundPreviousUntil,
    now,
  )
  const check = checkSignature(body, headers, secrets)
  if (!check.ok) throw new AppError('unauthorized', UNSIGNED[check.reason])
  if (await receiptSeen(db, site.id, check.messageId)) throw replayed(check.messageId)
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new AppError('invalid_input', 'The body is not valid JSON')
  }
  const data = parsed && typeof parsed === 'object' && 'type' in parsed && 'data' in parsed ? parsed.data : parsed
  return {
    site,
    receipt: { siteId: site.id, messageId: check.messageId, nonce: randomToken(16), receivedAt: now },
    data,
  }
}

export const replayed = (messageId: string) =>
  new AppError('conflict', `This event (webhook-id ${messageId}) was already received; a replay changes nothing`)

const UNSIGNED = {
  unsigned:
    'Unsigned request: webhook-id, webhook-timestamp and webhook-signature headers are required (Standard Webhooks)',
  stale: 'The webhook-timestamp is more than 5 minutes from now: sign each delivery when you send it',
  bad_signature: 'The webhook-signature does not match this site’s secret',
} as const
