/** What the operator API answers about webhook endpoints and deliveries (the API description shows them). */
import * as v from 'valibot'

import { DELIVERY_STATES, WEBHOOK_EVENTS, WEBHOOK_MODES } from '../db/schema'
import { Count, Int, ListOf, MaybeTimestamp, Timestamp, Words } from '../common/outputs'

export const EndpointOut = v.strictObject({
  id: v.pipe(v.string(), v.description('ep_…')),
  url: v.string(),
  events: v.pipe(
    v.union([v.literal('all'), v.array(v.picklist(WEBHOOK_EVENTS))]),
    v.description('The events it is sent, or "all".'),
  ),
  mode: v.picklist(WEBHOOK_MODES),
  created_at: Timestamp,
  failing_since: v.pipe(
    MaybeTimestamp,
    v.description('Since when every delivery has failed (null: the last one succeeded).'),
  ),
  disabled_at: MaybeTimestamp,
  disabled_reason: v.nullable(v.string()),
  secret_rotated_until: v.pipe(
    MaybeTimestamp,
    v.description('Until when the secret before the last rotation still signs beside the new one.'),
  ),
})

export const EndpointList = ListOf(EndpointOut)

/** A new endpoint: its signing secret is in this answer once. */
export const EndpointCreated = v.strictObject({ ...EndpointOut.entries, secret: v.string() })

export const SecretRotated = v.strictObject({ secret: v.string(), previous_secret_valid_until: Timestamp })

/** Why an attempt failed, as a code (docs/webhooks.md lists them); null when it was delivered. */
const FailureCode = (what: string) =>
  v.pipe(
    v.nullable(v.string()),
    v.description(
      `${what}, as a code (null when nothing went wrong): http_<status> (the receiver answered it), timeout, connect_failed, dns, tls, disabled, a refused address (private_address, hub_itself, …), or failed (no more is known).`,
    ),
  )

export const DeliveryOut = v.strictObject({
  id: v.pipe(v.string(), v.description('The webhook-id header it is sent with.')),
  event: v.picklist(WEBHOOK_EVENTS),
  state: v.picklist(DELIVERY_STATES),
  attempts: Count,
  next_attempt_at: v.pipe(
    MaybeTimestamp,
    v.description('While it is pending: when it is tried next (a retry after a failure, or now).'),
  ),
  progress: v.pipe(
    v.nullable(Words),
    v.description(
      'Where it stands, in words, with its times in the shop’s time zone: "Waiting since … — 2 tries so far, will retry at …", "Gave up after 8 tries (…)". Null for a delivery from before the hub kept this.',
    ),
  ),
  last_status: v.nullable(Int),
  last_error: FailureCode('Why the last attempt failed'),
  last_attempt_at: MaybeTimestamp,
  attempt_log: v.pipe(
    v.array(
      v.strictObject({
        at: Timestamp,
        status: v.nullable(Int),
        error: FailureCode('What went wrong'),
        body: v.nullable(v.string()),
      }),
    ),
    v.description('The newest attempts (at most 10), oldest first.'),
  ),
  created_at: Timestamp,
  payload: v.pipe(v.string(), v.description('The JSON body sent, as text (the same bytes on every attempt).')),
})

export const DeliveryList = ListOf(DeliveryOut)

export const Resent = v.strictObject({ resent: v.pipe(v.array(v.string()), v.description('The deliveries queued.')) })
