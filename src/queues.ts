/** The Worker's queue handler: routes a batch to the feature that consumes its queue. */
import { consumeClicks } from './affiliates/links/clicks'
import { trackingLinkTest } from './affiliates/links/links'
import { consumeAnnouncements } from './responses/announce'
import { type Clock, systemClock } from './common/clock'
import { consumeVerifications } from './verification/queue'
import { consumeDeliveries } from './webhooks/deliver'
import { consumeMail } from './mail/consume'
import { consumeExports } from './exports/run'
import { consumeImports } from './imports/run'
import { consumeShopDeliveries } from './connectors/consume'

/** `clock`: the consumers' time (a click carries its own, taken by the redirect). */
export async function handleQueue(batch: MessageBatch, env: Env, clock: Clock = systemClock): Promise<void> {
  // Affiliate posts may link through a tracking link: the affiliates feature says which are the partner's.
  if (batch.queue.startsWith('glasshouse-verify')) return consumeVerifications(batch, env, trackingLinkTest, clock)
  if (batch.queue.startsWith('glasshouse-announce')) return consumeAnnouncements(batch, env, clock)
  if (batch.queue.startsWith('glasshouse-webhooks')) return consumeDeliveries(batch, env, clock)
  if (batch.queue.startsWith('glasshouse-clicks')) return consumeClicks(batch, env)
  if (batch.queue.startsWith('glasshouse-mail')) return consumeMail(batch, env, clock)
  if (batch.queue.startsWith('glasshouse-exports')) return consumeExports(batch, env, clock)
  if (batch.queue.startsWith('glasshouse-imports')) return consumeImports(batch, env, clock)
  if (batch.queue.startsWith('glasshouse-shops')) return consumeShopDeliveries(batch, env, clock)
  console.error(JSON.stringify({ msg: 'message for an unknown queue', queue: batch.queue }))
  batch.retryAll({ delaySeconds: 300 })
}
