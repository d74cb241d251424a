/**
 * A platform's webhook in (`POST /hooks/{site}/shopify`, `/woocommerce`): checked and answered
 * at once — the platforms wait only a few seconds and retry what is slow — with the work left to
 * the queue (./apply.ts). A delivery is taken once: its delivery id is recorded in the same batch
 * as its outbox message, so a retry of it (or the same delivery racing itself) is a duplicate.
 * Nothing of a refused delivery's body is stored or logged.
 */
import { decodeStrict } from '../common/charset'
import { newId, sha256Hex } from '../common/crypto'
import { AppError } from '../common/errors'
import { seal, secretsInForce } from '../common/secrets'
import { batchAll, type Db } from '../db/client'
import type { ShopPlatform } from '../db/schema'
import { type OutboxMessage, recordMessages, sendRecorded } from '../outbox/outbox'
import { readSettings } from '../sites/settings'
import { findSiteBySlug, type SiteRow } from '../sites/store'
import { normaliseEmail } from '../reviews/invitations/links'
import type { ShopEvent } from './events'
import { PLATFORMS } from './platforms'
import type { ReaderContext } from './platforms/context'
import { type DeliveryReason, reasonText } from './reasons'
import { signedBy } from './signature'
import {
  type ConnectionRow,
  type DeliveryRow,
  deliveryStored,
  deliveryTaken,
  findConnection,
  insertDelivery,
  insertNotTaken,
} from './store'

/** A delivery first sent longer ago than this is an old one replayed (its id may be forgotten by now). */
const OLDEST_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Ids past 2^53 (Shopify's test notifications carry such ids) kept exactly, as their digits: a
 * JSON number that large loses its last digits when read as a double. The reviver's third
 * argument is the value's source text (JSON.parse source text access, in workerd's V8).
 */
function keepLargeIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && /^[0-9]{16,40}$/.test(context?.source ?? ''))
    return context?.source
  return value
}

/** The queue message of a taken delivery: the event to work, sealed where it names a buyer. */
export type ShopMessage = {
  delivery: string
  site: number
  platform: ShopPlatform
  /** The origin the webhook came to: the review links' when HUB_ORIGIN is unset. */
  hub: string
  event: ShopEvent
}

export type ReceiveDeps = { db: Db; secretsKey: string | undefined; queue: Queue; hubOrigin: string }

const STATUS: Partial<Record<DeliveryReason, 'unauthorized' | 'forbidden'>> = {
  unsigned: 'unauthorized',
  bad_signature: 'unauthorized',
  other_shop: 'forbidden',
  stale: 'forbidden',
}

export const platformName = (p: ShopPlatform) => (p === 'shopify' ? 'Shopify' : 'WooCommerce')

/** The connection's secrets that verify now: the current one, and the one before it for a day after a change. */
const secretsOf = (c: ConnectionRow, keyBase64: string | undefined, now: number) =>
  secretsInForce(keyBase64, c.secretSealed, c.previousSealed, c.previousUntil, now)

const readerContext = (site: SiteRow, keyBase64: string | undefined): ReaderContext => {
  const settings = readSettings(site.settings)
  return {
    storefront: site.origins[0] ?? '',
    clickParam: settings.affiliate_click_param,
    currency: settings.currency,
    sealEmail: (email) => seal(normaliseEmail(email), keyBase64),
  }
}

/**
 * Takes one delivery for the site's connected platform: the delivery as recorded. Throws
 * AppError for a site or platform that is not there, and for a refused delivery (recorded
 * first, without its body).
 */
export async function receiveDelivery(
  deps: ReceiveDeps,
  platform: ShopPlatform,
  slug: string,
  raw: Uint8Array,
  headers: Headers,
  now: number,
): Promise<DeliveryRow> {
  const { db } = deps
  const site = await findSiteBySlug(db, slug)
  if (!site) throw new AppError('not_found', 'Site not found', 'サイトが見つかりません')
  const connection = await findConnection(db, site.id)
  if (connection?.platform !== platform)
    throw new AppError(
      'not_found',
      `This site is not connected to ${platformName(platform)}: connect it in the console (Connect your shop) or with PUT /api/sites/{site}/shop`,
    )
  const spec = PLATFORMS[platform]
  const h = spec.headers(headers)
  const base = { id: newId('sd'), siteId: site.id, platform, topic: (h.topic ?? '').slice(0, 60), receivedAt: now }
  const notTaken = async (outcome: 'refused' | 'duplicate' | 'done', reason: DeliveryReason) => {
    const row: DeliveryRow = { ...base, deliveryId: null, subject: null, outcome, reason, doneAt: now }
    if (outcome === 'refused')
      console.warn(JSON.stringify({ msg: 'shop webhook refused', site: site.slug, platform, topic: row.topic, reason }))
    await insertNotTaken(db, row).run()
    return row
  }
  const refuse = async (reason: DeliveryReason): Promise<never> => {
    await notTaken('refused', reason)
    throw new AppError(STATUS[reason] ?? 'invalid_input', reasonText(reason, 'en'))
  }

  // WooCommerce checks a new webhook's address with an unsigned form post of its id.
  if (platform === 'woocommerce' && !h.signature && /^webhook_id=\d{1,20}$/.test(new TextDecoder().decode(raw).trim()))
    return notTaken('done', 'ping')
  if (!h.signature) return refuse('unsigned')
  if (!(await signedBy(raw, h.signature, await secretsOf(connection, deps.secretsKey, now))))
    return refuse('bad_signature')
  if (spec.shopAddress(h.source ?? '') !== connection.shopAddress) return refuse('other_shop')
  if (!h.topic) return refuse('no_topic')
  const first = h.triggeredAt ? Date.parse(h.triggeredAt) : NaN
  if (Number.isFinite(first) && first < now - OLDEST_MS) return refuse('stale')
  // A platform that names no delivery: the same bytes are the same delivery.
  const deliveryId = h.deliveryId?.trim().slice(0, 100) || `sha256:${await sha256Hex(new TextDecoder().decode(raw))}`
  if (await deliveryTaken(db, site.id, platform, deliveryId)) return notTaken('duplicate', 'duplicate')
  const text = decodeStrict(raw, 'utf-8')
  if (text === null) return refuse('not_utf8')
  let body: unknown
  try {
    body = JSON.parse(text, keepLargeIntegers)
  } catch {
    return refuse('malformed')
  }
  const read = await spec.read(h.topic, body, readerContext(site, deps.secretsKey))
  if (!read) return refuse('malformed')
  const ignored = 'ignored' in read
  const row: DeliveryRow = {
    ...base,
    deliveryId,
    subject: read.subject?.slice(0, 200) ?? null,
    outcome: ignored ? 'ignored' : 'queued',
    reason: ignored ? 'topic_unused' : null,
    doneAt: ignored ? now : null,
  }
  const messages: OutboxMessage[] = ignored
    ? []
    : [
        {
          kind: 'shop',
          ref: row.id,
          siteId: site.id,
          body: {
            delivery: row.id,
            site: site.id,
            platform,
            hub: deps.hubOrigin,
            event: read.event,
          } satisfies ShopMessage,
        },
      ]
  const [inserted] = await batchAll(db, [
    insertDelivery(db, row),
    ...recordMessages(db, messages, now, deliveryStored(row.id)),
  ])
  if ((inserted as D1Result).meta.changes === 0) return notTaken('duplicate', 'duplicate')
  await sendRecorded(db, deps.queue, messages, now)
  return row
}
