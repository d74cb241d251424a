/** A webhook delivery's queue message, and its outbox message: one per delivery, keyed by the delivery's id. */
import * as v from 'valibot'

import type { MessageKey, OutboxMessage } from '../outbox/outbox'
import type { DeliveryRow } from './store'

export const DeliveryMessage = v.object({ deliveryId: v.pipe(v.string(), v.maxLength(64)) })
export type DeliveryMessage = v.InferOutput<typeof DeliveryMessage>

export const deliveryKey = (deliveryId: string): MessageKey => ({ kind: 'webhook', ref: deliveryId })

export const deliveryMessage = (d: Pick<DeliveryRow, 'id' | 'siteId'>): OutboxMessage => ({
  ...deliveryKey(d.id),
  siteId: d.siteId,
  body: { deliveryId: d.id } satisfies DeliveryMessage,
})
