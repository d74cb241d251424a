/**
 * The cron's one sweep of the outbox: every waiting message whose lease has ended — its queue
 * message was lost, refused, or never came back for a retry — is sent again to its kind's queue,
 * at most `SWEEP_LIMIT` a run. The new lease is taken before anything is sent, and only where
 * the old one has still ended, so two runs that overlap never send one message twice; the consumer's `startAttempt` drops any
 * copy that arrives after the message was sent.
 */
import { batchAll, type Db } from '../db/client'
import type { OutboxKind } from '../db/schema'
import { IN_FLIGHT_MS } from './outbox'
import { endLeases, lapsedMessages, takeLeases } from './store'

/** Messages sent again per cron run (every 10 minutes), at most: one queue batch per kind. */
export const SWEEP_LIMIT = 100

/** Which queue carries each kind of message. */
export type Senders = Record<OutboxKind, Pick<Queue, 'sendBatch'>>

export const sendersOf = (
  env: Pick<
    Env,
    'ANNOUNCE_QUEUE' | 'WEBHOOK_QUEUE' | 'VERIFY_QUEUE' | 'MAIL_QUEUE' | 'EXPORT_QUEUE' | 'IMPORT_QUEUE' | 'SHOP_QUEUE'
  >,
): Senders => ({
  announce: env.ANNOUNCE_QUEUE,
  webhook: env.WEBHOOK_QUEUE,
  check: env.VERIFY_QUEUE,
  mail: env.MAIL_QUEUE,
  export: env.EXPORT_QUEUE,
  import: env.IMPORT_QUEUE,
  shop: env.SHOP_QUEUE,
})

/** A queue takes at most 256 KB in one sendBatch: sealed e-mails are a few KB each, so a run's are split. */
const BATCH_BYTES = 200_000

/** Messages in batches a queue takes: each under BATCH_BYTES of JSON bodies. */
function byBytes<M extends { body: unknown }>(messages: readonly M[]): M[][] {
  const batches: M[][] = []
  let size = Infinity
  for (const m of messages) {
    const bytes = JSON.stringify(m.body).length + 100
    if (size + bytes > BATCH_BYTES) {
      batches.push([])
      size = 0
    }
    batches.at(-1)?.push(m)
    size += bytes
  }
  return batches
}

/** Sends again the messages whose lease ended by `now`; how many of each kind it sent. */
export async function sweepOutbox(
  db: Db,
  senders: Senders,
  now: number,
  limit = SWEEP_LIMIT,
): Promise<Partial<Record<OutboxKind, number>>> {
  const lapsed = await lapsedMessages(db, now, limit)
  if (lapsed.length === 0) return {}
  const taken = (
    await batchAll(
      db,
      takeLeases(
        db,
        lapsed.map((m) => m.id),
        now,
        now + IN_FLIGHT_MS,
      ),
    )
  ).flat()
  const byKind = new Map<OutboxKind, { ref: string; body: unknown }[]>()
  for (const m of taken) byKind.set(m.kind, [...(byKind.get(m.kind) ?? []), m])

  const sent: Partial<Record<OutboxKind, number>> = {}
  const refused = new Set<OutboxKind>()
  for (const [kind, all] of byKind)
    for (const messages of byBytes(all)) {
      try {
        await senders[kind].sendBatch(messages.map((m) => ({ body: m.body })))
        sent[kind] = (sent[kind] ?? 0) + messages.length
      } catch (err) {
        refused.add(kind)
        console.error(JSON.stringify({ msg: 'could not queue outbound messages', kind, error: String(err) }))
        // The next run tries them again rather than waiting out the new lease.
        await batchAll(
          db,
          endLeases(
            db,
            kind,
            messages.map((m) => m.ref),
            now,
          ),
        )
      }
    }
  if (refused.size > 0) throw new Error(`queues refused outbound messages: ${[...refused].join(', ')}`)
  return sent
}
