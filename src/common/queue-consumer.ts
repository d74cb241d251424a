/**
 * The one way this Worker consumes a queue: validate each message, hand it to the feature,
 * retry when the feature asks (with its delay) or throws, and on the dead-letter queue let the
 * feature record the final failure. Features supply only what differs.
 */
import * as v from 'valibot'

/** What handling one message asks of the queue. */
export type Handled = { kind: 'done' } | { kind: 'retry'; delaySeconds: number }

export type QueueFeature<T> = {
  /** For logs. */
  name: string
  schema: v.GenericSchema<unknown, T>
  /** One delivery; `attempts` counts from 1. */
  handle: (body: T, attempts: number) => Promise<Handled>
  /** A message that exhausted its retries (it arrived on the dead-letter queue). */
  giveUp: (body: T) => Promise<void>
}

/** When a feature throws, the queue retries the message this much later (and its dead-letter queue ends it). */
export const RETRY_AFTER_ERROR_SECONDS = 60

export const isDeadLetterQueue = (name: string) => name.endsWith('-dlq')

export async function consumeEach<T>(batch: MessageBatch, feature: QueueFeature<T>): Promise<void> {
  const dead = isDeadLetterQueue(batch.queue)
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = v.safeParse(feature.schema, message.body)
      if (!parsed.success) {
        // Retrying cannot fix a malformed message; say so and drop it.
        console.error(JSON.stringify({ msg: `malformed ${feature.name} message`, queue: batch.queue, id: message.id }))
        message.ack()
        return
      }
      try {
        if (dead) {
          await feature.giveUp(parsed.output)
          message.ack()
          return
        }
        const result = await feature.handle(parsed.output, message.attempts)
        if (result.kind === 'retry') message.retry({ delaySeconds: result.delaySeconds })
        else message.ack()
      } catch (err) {
        console.error(JSON.stringify({ msg: `${feature.name} failed`, id: message.id, error: String(err) }))
        message.retry({ delaySeconds: RETRY_AFTER_ERROR_SECONDS })
      }
    }),
  )
}

/** Seconds before the next attempt after `attempts` failed ones: 30 s, 1, 2, 4, 8 minutes … capped at an hour. */
export const retryDelaySeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), 3600)
