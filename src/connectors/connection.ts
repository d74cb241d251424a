/**
 * Connecting a site to its shop platform: the platform, the shop's address on it and the
 * secret the platform signs with (sealed; after a change the previous one verifies for a day,
 * while the platform's side is switched). Disconnecting stops the hooks (404); the products'
 * targets and everything the orders made stay.
 */
import type { Out } from '../common/outputs'
import type { PageLang } from '../common/lang'
import type { Principal } from '../common/principal'
import { seal, unseal } from '../common/secrets'
import { ROTATION_OVERLAP_MS } from '../inbound/service'
import type { Db } from '../db/client'
import { loadSite } from '../sites/service'
import type { SiteRow } from '../sites/store'
import type { ShopConnectInput } from './inputs'
import type { ConnectionOut, DeliveryOut } from './outputs'
import { PLATFORMS } from './platforms'
import { reasonsOf, reasonText } from './reasons'
import {
  type ConnectionRow,
  deleteConnection,
  type DeliveryRow,
  findConnection,
  latestDeliveries,
  productCount,
  saveConnection,
} from './store'

/** Deliveries the connection's page and GET …/shop show. */
export const SHOWN_DELIVERIES = 20

export async function connectShop(
  db: Db,
  p: Principal,
  slug: string,
  input: ShopConnectInput,
  keyBase64: string | undefined,
  now: number,
) {
  const site = await loadSite(db, p, slug)
  const before = await findConnection(db, site.id)
  const shopAddress = PLATFORMS[input.platform].shopAddress(input.shop_address) ?? input.shop_address
  // The same shop, re-saved: the secret before keeps verifying for a day only when the secret changes
  // (saving twice keeps the older one's day; a typo fixed does not push the real old secret out).
  const sameShop = before?.platform === input.platform && before.shopAddress === shopAddress
  const current = sameShop ? await unseal(before.secretSealed, keyBase64) : null
  const keep = sameShop && current === input.secret
  const row: ConnectionRow = {
    siteId: site.id,
    platform: input.platform,
    shopAddress,
    secretSealed: keep ? before.secretSealed : await seal(input.secret, keyBase64),
    previousSealed: keep ? before.previousSealed : sameShop ? before.secretSealed : null,
    previousUntil: keep ? before.previousUntil : sameShop ? now + ROTATION_OVERLAP_MS : null,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  }
  await saveConnection(db, row).run()
  return site
}

export async function disconnectShop(db: Db, p: Principal, slug: string) {
  const site = await loadSite(db, p, slug)
  await deleteConnection(db, site.id).run()
}

/** The site's connection (or null) and its latest deliveries. */
export async function shopOf(db: Db, p: Principal, slug: string) {
  const site = await loadSite(db, p, slug)
  const [connection, deliveries] = await Promise.all([
    findConnection(db, site.id),
    latestDeliveries(db, site.id, SHOWN_DELIVERIES).all(),
  ])
  const products = connection ? await productCount(db, site.id, connection.platform) : 0
  return { site, connection: connection ?? null, deliveries, products }
}

/** Where a platform's webhooks for the site go. */
export const hookUrl = (hubOrigin: string, site: Pick<SiteRow, 'slug'>, platform: ConnectionRow['platform']) =>
  `${hubOrigin}/hooks/${encodeURIComponent(site.slug)}/${platform}`

export const connectionJson = (
  hubOrigin: string,
  site: SiteRow,
  c: ConnectionRow,
  products: number,
  now: number,
): Out<typeof ConnectionOut> => ({
  platform: c.platform,
  shop_address: c.shopAddress,
  hook_url: hookUrl(hubOrigin, site, c.platform),
  previous_valid_until:
    c.previousUntil !== null && c.previousUntil > now ? new Date(c.previousUntil).toISOString() : null,
  products,
  connected_at: new Date(c.createdAt).toISOString(),
  updated_at: new Date(c.updatedAt).toISOString(),
})

export const deliveryJson = (d: DeliveryRow, lang: PageLang): Out<typeof DeliveryOut> => ({
  id: d.id,
  topic: d.topic,
  outcome: d.outcome,
  reasons: reasonsOf(d.reason),
  reason_text: reasonText(d.reason, lang),
  subject: d.subject,
  received_at: new Date(d.receivedAt).toISOString(),
  done_at: d.doneAt === null ? null : new Date(d.doneAt).toISOString(),
})
