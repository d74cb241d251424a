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
  const exported = keepingQueue()
  const imported = keepingQueue()
  const shop = keepingQueue()
  const senders: Senders = {
    announce: announce.queue,
    webhook: webhook.queue,
    check: check.queue,
    mail: mail.queue,
    export: exported.queue,
    import: imported.queue,
    shop: shop.queue,
  }
  return {
    senders,
    sent: {
      announce: announce.sent,
      webhook: webhook.sent,
      check: check.sent,
      mail: mail.sent,
      export: exported.sent,
      import: imported.sent,
      shop: shop.sent,
    },
  }
}

const QUEUES: Record<OutboxKind, string> = {
  announce: 'glasshouse-announce',
  webhook: 'glasshouse-webhooks',
  check: 'glasshouse-verify',
  mail: 'glasshouse-mail',
  export: 'glasshouse-exports',
  import: 'glasshouse-imports',
  shop: 'glasshouse-shops',
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

const RAW = Symbol('raw statement')
const SQL_TEXT = Symbol('statement text')
type Tracked = D1PreparedStatement & { [RAW]?: D1PreparedStatement; [SQL_TEXT]?: string }

/**
 * The D1 binding of a Worker that dies right after the batch holding a statement `fatal` picks
 * out (by its SQL): that batch runs whole, and every later query fails — whatever the Worker
 * meant to write after it is never written.
 */
export function dyingAfter(d1: D1Database, fatal: (sql: string) => boolean): D1Database {
  let dead = false
  const died = () => Promise.reject(new Error('the Worker died'))
  const wrap = (stmt: D1PreparedStatement, text: string): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === RAW) return target
        if (prop === SQL_TEXT) return text
        if (prop === 'bind') return (...values: unknown[]) => wrap(target.bind(...values), text)
        const value: unknown = Reflect.get(target, prop, target)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => (dead ? died() : (value as (...a: unknown[]) => unknown).apply(target, args))
      },
    })
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === 'prepare') return (query: string) => wrap(target.prepare(query), query)
      if (prop === 'batch')
        return async (stmts: Tracked[]) => {
          if (dead) return died()
          const results = await target.batch(stmts.map((s) => s[RAW] ?? s))
          if (stmts.some((s) => fatal(s[SQL_TEXT] ?? ''))) dead = true
          return results
        }
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
}
