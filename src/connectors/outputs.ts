/** What the shop platform's routes answer (the API description shows these). */
import * as v from 'valibot'

import { Count, MaybeTimestamp, Timestamp } from '../common/outputs'
import { SHOP_DELIVERY_OUTCOMES, SHOP_PLATFORMS } from '../db/schema'
import { DELIVERY_REASONS } from './reasons'

export const DeliveryOut = v.strictObject({
  id: v.string(),
  topic: v.string(),
  outcome: v.picklist(SHOP_DELIVERY_OUTCOMES),
  reasons: v.array(v.picklist(DELIVERY_REASONS)),
  reason_text: v.string(),
  subject: v.nullable(v.string()),
  received_at: Timestamp,
  done_at: MaybeTimestamp,
})

export const ConnectionOut = v.strictObject({
  platform: v.picklist(SHOP_PLATFORMS),
  shop_address: v.string(),
  /** Where the platform's webhooks go: paste it into the platform's webhook settings. */
  hook_url: v.string(),
  /** Until when the secret before the last change still verifies. */
  previous_valid_until: MaybeTimestamp,
  products: Count,
  connected_at: Timestamp,
  updated_at: Timestamp,
})

export const ShopOut = v.strictObject({
  connection: v.nullable(ConnectionOut),
  deliveries: v.array(DeliveryOut),
})

/** What the hook answers a platform: the delivery as recorded. */
export const DeliveryReceived = v.strictObject({ delivery: DeliveryOut })
