/**
 * The shop queue's consumer: one message per taken delivery. Each attempt is the outbox's
 * (a copy of a message already worked is dropped); the work (./apply.ts) and the delivery's
 * outcome are recorded, and a message that keeps failing ends on the dead-letter queue, which
 * marks its delivery failed.
 */
import * as v from 'valibot'

import type { Clock } from '../common/clock'
import { consumeEach } from '../common/queue-consumer'
import { getDb } from '../db/client'
import { SHOP_PLATFORMS } from '../db/schema'
import { markGaveUp, markSent, type MessageKey, startAttempt } from '../outbox/outbox'
import { photoStore } from '../reviews/photos/photos'
import { findSiteById } from '../sites/store'
import { emitter } from '../webhooks/events'
import { applyEvent } from './apply'
import type { ShopEvent } from './events'
import { finishDelivery } from './store'

const Message = v.object({
  delivery: v.string(),
  site: v.number(),
  platform: v.picklist(SHOP_PLATFORMS),
  hub: v.string(),
  event: v.custom<ShopEvent>((e) => typeof e === 'object' && e !== null && 'kind' in e),
})

const keyOf = (delivery: string): MessageKey => ({ kind: 'shop', ref: delivery })

export function consumeShopDeliveries(batch: MessageBatch, env: Env, clock: Clock) {
  const db = getDb(env.DB)
  return consumeEach(batch, {
    name: 'shop delivery',
    schema: Message,
    handle: async (m, queueAttempts) => {
      const now = clock()
      if ((await startAttempt(db, keyOf(m.delivery), now, queueAttempts)) === null) return { kind: 'done' }
      const site = await findSiteById(db, m.site)
      // A shop deleted meanwhile takes nothing more in.
      const reasons =
        site && site.deletedAt === null
          ? await applyEvent(
              {
                db,
                secretsKey: env.WEBHOOK_SECRETS_KEY,
                emit: emitter(db, env.WEBHOOK_QUEUE, clock),
                photos: photoStore(env),
                hubOrigin: env.HUB_ORIGIN || m.hub,
              },
              { site, platform: m.platform, delivery: m.delivery, now },
              m.event,
            )
          : []
      await db.batch([
        finishDelivery(db, m.delivery, 'done', reasons.join(' ') || null, now),
        markSent(db, keyOf(m.delivery), now),
      ])
      return { kind: 'done' }
    },
    giveUp: async (m) => {
      const now = clock()
      await db.batch([
        finishDelivery(db, m.delivery, 'failed', 'gave_up', now),
        markGaveUp(db, keyOf(m.delivery), now, 'gave up'),
      ])
    },
  })
}
