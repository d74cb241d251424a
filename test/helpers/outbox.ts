import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

import type { Clock } from '../../src/common/clock'
import type { OutboxKind } from '../../src/db/schema'
import type { Senders } from '../../src/outbox/sweep'
import { handleQueue } from '../../src/queues'
import { unique } from './factories'

/** A queue that keeps what it is sent instead of delivering it: the message is "lost" unless the test hands it on. */
export function keepingQueue() {
  const sent: unknown[] = []
  const queue = {
    send: (body: unknown) => Promise.resolve(void sent.push(body)),
    sendBatch: (messages: Iterable<{ body: unknown }>) =>
      Promise.resolve(void sent.push(...[...messages].map((m) => m.body))),
  }
  return { queue: queue as unknown as Queue, sent }
}

/** A queue that refuses every message (a Queues outage). */
export const refusingQueue = {
  send: () => Promise.reject(new Error('queue unavailable')),
  sendBatch: () => Promise.reject(new Error('queue unavailable')),
} as unknown as Queue

/** The outbox's senders, each keeping what it is sent. */
export function keepingSenders() {
  const announce = keepingQueue()
  const webhook = keepingQueue()
  const check = keepingQueue()
  const mail = keepingQueue()
  const senders: Senders = { announce: announce.queue, webhook: webhook.queue, check: check.queue, mail: mail.queue }
  return {
    senders,
    sent: { announce: announce.sent, webhook: webhook.sent, check: check.sent, mail: mail.sent },
  }
}

const QUEUES: Record<OutboxKind, string> = {
  announce: 'glasshouse-announce',
  webhook: 'glasshouse-webhooks',
  check: 'glasshouse-verify',
  mail: 'glasshouse-mail',
}

/**
 * Hands messages to the Worker's queue handler at `clock`, as the queue would (`attempts`: the
 * queue's count), with `bindings` in place of the Worker's; says which were acknowledged and
 * which retried, with the delays asked for.
 */
export async function consume(
  kind: OutboxKind,
  bodies: readonly unknown[],
  clock: Clock,
  attempts = 1,
  bindings: Partial<Env> = {},
) {
  const batch = createMessageBatch(
    QUEUES[kind],
    bodies.map((body) => ({ id: unique('msg'), timestamp: new Date(), attempts, body })),
  )
  const delays: (number | undefined)[] = []
  for (const message of batch.messages) {
    const retry = message.retry.bind(message)
    Object.defineProperty(message, 'retry', {
      value: (o?: QueueRetryOptions) => {
        delays.push(o?.delaySeconds)
        retry(o)
      },
    })
  }
  const ctx = createExecutionContext()
  await handleQueue(batch, { ...env, ...bindings }, clock)
  const result = await getQueueResult(batch, ctx)
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length, delays }
}

export type OutboxRecord = {
  state: string
  attempts: number
  due_at: number
  lease_until: number
  last_failure: string | null
}

/** The outbox's row of a message, as stored. */
export const outboxRow = (kind: OutboxKind, ref: string) =>
  env.DB.prepare('SELECT state, attempts, due_at, lease_until, last_failure FROM outbox WHERE kind = ? AND ref = ?')
    .bind(kind, ref)
    .first<OutboxRecord>()

/** An affiliate clicks report's data at `at` (an event any test site's receivers may subscribe to). */
export const clicksReport =
  (at: number, link: string = unique('link')) =>
  (site: string) => ({
    site,
    clicks: {
      link,
      partner: 'p',
      target: 't',
      new_clicks: 1,
      new_unique_clicks: 1,
      total_clicks: 1,
      total_unique_clicks: 1,
      until: new Date(at).toISOString(),
    },
  })
