/**
 * The platforms' privacy topics reach every copy of a buyer's address: shop/redact gives up the
 * shop's invitation e-mails still waiting to go out (they hold the address, sealed), as the
 * erasure API does for one buyer, and leaves other sites' e-mails alone.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { invitations } from '../../src/db/schema'
import { sendDueInvitations } from '../../src/reviews/invitations/invitations'
import { emitter } from '../../src/webhooks/events'
import { createSite } from '../helpers/factories'
import { HUB, testClock } from '../helpers/http'
import { keptPost } from '../helpers/mail'
import { outboxRow } from '../helpers/outbox'
import { connect, deliver, shopifyOrder, shopifyProduct, type ShopFixture } from '../helpers/shops'

const db = getDb(env.DB)
const clock = testClock(Date.parse('2026-12-06T02:00:00Z'))
let n = 0
const nextId = () => 7_100_000_000_000 + Date.now() * 10 + n++

/** A fulfilled order's invitation of a new Shopify shop, sent: its e-mail waits in the outbox. */
async function waitingLetter(): Promise<{ shop: ShopFixture; ref: string }> {
  const shop = await connect(await createSite(), 'shopify')
  const product = nextId()
  await deliver(shop, 'shopify', 'products/create', shopifyProduct(product, `p-${product}`, 'Tenugui'), { clock })
  const order = nextId()
  const fulfilled = { fulfillment_status: 'fulfilled', fulfillments: [{ created_at: '2026-12-02T00:00:00Z' }] }
  expect(
    (await deliver(shop, 'shopify', 'orders/fulfilled', shopifyOrder(order, [product], fulfilled), { clock })).reasons,
  ).toEqual(['invited'])
  const invitation = (await db
    .select()
    .from(invitations)
    .where(eq(invitations.orderId, String(order)))
    .get())!
  const deps = {
    db,
    secretsKey: env.WEBHOOK_SECRETS_KEY,
    emit: emitter(db, env.WEBHOOK_QUEUE),
    mail: keptPost().post,
    hubOrigin: HUB,
  }
  await sendDueInvitations(deps, invitation.dueAt)
  const ref = `invitation:${invitation.id}`
  expect(await outboxRow('mail', ref)).toMatchObject({ state: 'waiting' })
  return { shop, ref }
}

it('shop/redact gives up the shop’s invitation e-mails still waiting, and keeps no sealed address in them', async () => {
  const mine = await waitingLetter()
  const other = await waitingLetter()
  const redact = { shop_id: 954889, shop_domain: mine.shop.address }
  expect((await deliver(mine.shop, 'shopify', 'shop/redact', redact, { clock })).reasons).toEqual(['erased'])
  expect(await outboxRow('mail', mine.ref)).toMatchObject({ state: 'gave_up', last_failure: 'erased' })
  const body = await env.DB.prepare("SELECT body FROM outbox WHERE kind = 'mail' AND ref = ?")
    .bind(mine.ref)
    .first<{ body: string }>()
  expect(JSON.parse(body!.body)).toEqual({ ref: mine.ref })
  expect(await outboxRow('mail', other.ref)).toMatchObject({ state: 'waiting' })
})
