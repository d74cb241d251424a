/**
 * Delivering one webhook: the Standard Webhooks headers (`webhook-id` stable across retries,
 * `webhook-timestamp` of this attempt, `webhook-signature` computed on every attempt — with a
 * second signature while a rotated-out secret is still valid), POSTed through the guarded
 * fetcher (address policy, 15 s, no redirects: a 3xx is a failure). Failures retry on the
 * schedule 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, or later if `Retry-After` asks; a 410
 * disables the endpoint at once, and an endpoint that has only failed for 5 days is disabled
 * with the reason recorded.
 */
import { Webhook } from 'standardwebhooks'

import type { DeliveryAttempt } from '../db/schema'
import { batchAll, type Db, getDb } from '../db/client'
import { consumeEach, type Handled } from '../common/queue-consumer'
import { type AddressPolicy, policyOf } from '../common/address-policy'
import { type Clock, systemClock } from '../common/clock'
import { type FetchLimits, fetchSource } from '../common/fetch-source'
import { forgetEndpoints } from './events'
import { type DeliveryFailure, failureOf } from './failures'
import { secretsInForce } from '../common/secrets'
import { byAttempt, markGaveUp, markSent, reschedule, startAttempt, stillAttempt } from '../outbox/outbox'
import { type EndpointRow, findDelivery, findEndpoint, updateDelivery, updateEndpoint } from './store'
import { deliveryKey, DeliveryMessage } from './messages'

export const RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000] as const
export const DELIVERY_LIMITS: FetchLimits = { maxRedirects: 0, maxBytes: 64 * 1024, timeoutMs: 15_000 }
export const DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000
/** Queues delay a message at most 12 hours. */
const MAX_DELAY_SECONDS = 12 * 3600

export { DeliveryMessage }

export type DeliverDeps = {
  db: Db
  policy: AddressPolicy
  secretsKey: string | undefined
  now?: Clock
  limits?: FetchLimits
}

/** Seconds a `Retry-After` header asks for (delta seconds or an HTTP date), or null. */
export function retryAfterSeconds(header: string | null, now: number): number | null {
  if (!header) return null
  if (/^\d{1,9}$/.test(header.trim())) return Number(header.trim())
  const at = Date.parse(header)
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000))
}

async function signatures(deps: DeliverDeps, e: EndpointRow, id: string, at: Date, payload: string, now: number) {
  const secrets = await secretsInForce(deps.secretsKey, e.secretSealed, e.previousSealed, e.previousUntil, now)
  return secrets.map((s) => new Webhook(s).sign(id, at, payload)).join(' ')
}

/** How many attempts a delivery's log keeps (the newest). */
const ATTEMPTS_KEPT = 10

const logged = (log: readonly DeliveryAttempt[], attempt: DeliveryAttempt) => [...log, attempt].slice(-ATTEMPTS_KEPT)

/** The start of an answer's body, as text (what a receiver said, for the shop's staff to read). */
function excerptOf(body: Uint8Array): string | null {
  if (body.length === 0) return null
  const text = new TextDecoder().decode(body.subarray(0, 600)).trim()
  return text === '' ? null : text.slice(0, 200)
}

export async function deliver(deps: DeliverDeps, deliveryId: string, queueAttempts: number): Promise<Handled> {
  const now = (deps.now ?? systemClock)()
  const key = deliveryKey(deliveryId)
  // Counted in the outbox: a copy of a message already delivered, or not yet due, is not an attempt.
  const attempts = await startAttempt(deps.db, key, now, queueAttempts)
  if (attempts === null) return { kind: 'done' }
  // What this attempt records stands only while no newer round (staff sending it again) began.
  const mine = stillAttempt(key, attempts)
  const sent = () => markSent(deps.db, key, now, byAttempt(attempts))
  const gaveUp = (error: string | null) => markGaveUp(deps.db, key, now, error ?? undefined, byAttempt(attempts))
  const d = await findDelivery(deps.db, deliveryId)
  if (!d || d.state !== 'pending') {
    // Settled already (or gone with its endpoint): the outbox says the same.
    await (d?.state === 'delivered' ? sent() : gaveUp(d?.lastError ?? null))
    return { kind: 'done' }
  }
  const e = await findEndpoint(deps.db, d.endpointId)
  if (!e || e.disabledAt !== null) {
    const lastError: DeliveryFailure = 'disabled'
    await batchAll(deps.db, [
      updateDelivery(
        deps.db,
        d.id,
        {
          state: 'failed',
          lastError,
          lastAttemptAt: now,
          attemptLog: logged(d.attemptLog, { at: now, status: null, error: lastError, body: null }),
        },
        mine,
      ),
      gaveUp(lastError),
    ])
    return { kind: 'done' }
  }

  const at = new Date(now)
  const headers = {
    'webhook-id': d.id,
    'webhook-timestamp': String(Math.floor(now / 1000)),
    'webhook-signature': await signatures(deps, e, d.id, at, d.payload, now),
  }
  const res = await fetchSource(e.url, deps.policy, deps.limits ?? DELIVERY_LIMITS, {
    post: { body: d.payload, contentType: 'application/json', headers },
  })
  const status = res.kind === 'answered' ? res.status : null
  // Stored as a code, said in words where it is shown; the runtime's own text goes to the log only.
  const error = failureOf(res)
  if (res.kind === 'unreachable')
    console.warn(JSON.stringify({ msg: 'webhook delivery failed', delivery: d.id, error, detail: res.detail }))
  const attempt = { at: now, status, error, body: res.kind === 'answered' ? excerptOf(res.body) : null }
  const record = {
    attempts,
    lastStatus: status,
    lastError: error,
    lastAttemptAt: now,
    attemptLog: logged(d.attemptLog, attempt),
  }

  if (error === null) {
    await batchAll(deps.db, [
      updateDelivery(deps.db, d.id, { ...record, state: 'delivered' }, mine),
      sent(),
      ...(e.failingSince !== null ? [updateEndpoint(deps.db, e.id, { failingSince: null })] : []),
    ])
    return { kind: 'done' }
  }
  const failingSince = e.failingSince ?? now
  const disable =
    status === 410
      ? 'the endpoint answered 410 Gone'
      : now - failingSince >= DISABLE_AFTER_MS
        ? 'every delivery failed for 5 days'
        : null
  if (disable) {
    await batchAll(deps.db, [
      updateEndpoint(deps.db, e.id, { disabledAt: now, disabledReason: disable, failingSince }),
      updateDelivery(deps.db, d.id, { ...record, state: 'failed' }, mine),
      gaveUp(error),
    ])
    forgetEndpoints(e.siteId)
    return { kind: 'done' }
  }
  const scheduled = RETRY_SCHEDULE_SECONDS[attempts - 1]
  if (scheduled === undefined) {
    await batchAll(deps.db, [
      updateDelivery(deps.db, d.id, { ...record, state: 'failed' }, mine),
      gaveUp(error),
      ...(e.failingSince === null ? [updateEndpoint(deps.db, e.id, { failingSince })] : []),
    ])
    return { kind: 'done' }
  }
  const asked = retryAfterSeconds(res.kind === 'answered' ? res.retryAfter : null, now) ?? 0
  const delaySeconds = Math.min(Math.max(scheduled, asked), MAX_DELAY_SECONDS)
  await batchAll(deps.db, [
    updateDelivery(deps.db, d.id, record, mine),
    reschedule(deps.db, key, now + delaySeconds * 1000, attempts, error, now),
    ...(e.failingSince === null ? [updateEndpoint(deps.db, e.id, { failingSince })] : []),
  ])
  return { kind: 'retry', delaySeconds }
}

/** Retries exhausted on the queue's count (dead-letter queue): the delivery failed. */
export async function deliveryFailed(deps: DeliverDeps, deliveryId: string) {
  const now = (deps.now ?? systemClock)()
  const d = await findDelivery(deps.db, deliveryId)
  await batchAll(deps.db, [
    ...(d?.state === 'pending' ? [updateDelivery(deps.db, d.id, { state: 'failed', lastAttemptAt: now })] : []),
    markGaveUp(deps.db, deliveryKey(deliveryId), now),
  ])
}

export async function consumeDeliveries(batch: MessageBatch, env: Env, clock: Clock): Promise<void> {
  const deps: DeliverDeps = {
    db: getDb(env.DB),
    policy: policyOf(env),
    secretsKey: env.WEBHOOK_SECRETS_KEY,
    now: clock,
  }
  await consumeEach(batch, {
    name: 'webhook delivery',
    schema: DeliveryMessage,
    handle: (msg, attempts) => deliver(deps, msg.deliveryId, attempts),
    giveUp: (msg) => deliveryFailed(deps, msg.deliveryId),
  })
}
