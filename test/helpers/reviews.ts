/** Reviews in tests: the storefront's signed order events, review links, and the review form. */
import { env } from 'cloudflare:workers'
import { Webhook } from 'standardwebhooks'
import { expect } from 'vitest'

import { getDb } from '../../src/db/client'
import { reviewToken } from '../../src/reviews/invitations/links'
import { sendDueInvitations } from '../../src/reviews/invitations/invitations'
import type { Mail } from '../../src/common/mail'
import { emitter } from '../../src/webhooks/events'
import { type SiteFixture, unique } from './factories'
import { mailbox } from './digest'
import { api, call, type Call } from './http'
import { deliverMail, keptPost } from './mail'

/** Issues the site's secret for storefront events. */
export async function inboundSecret(site: SiteFixture): Promise<string> {
  const res = await api('POST', `/api/sites/${site.slug}/inbound-secret`, undefined, site.key)
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json<{ secret: string }>()).secret
}

export type OrderOptions = {
  id?: string
  at?: Date
  secret?: string | null
  headers?: Record<string, string>
  hook?: 'orders' | 'conversions'
  /** Another clock's app (`callAt`); sign with `at` near its time, or the hub refuses a stale event. */
  via?: Call
}

/** POSTs a raw body to a storefront hook (orders by default), signed as a storefront would (Standard Webhooks). */
export function postSigned(site: SiteFixture, secret: string | null, body: string | Uint8Array, o: OrderOptions = {}) {
  const id = o.id ?? `msg_${unique('o')}`
  const at = o.at ?? new Date()
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...o.headers }
  if (secret !== null) {
    headers['webhook-id'] = id
    headers['webhook-timestamp'] = String(Math.floor(at.getTime() / 1000))
    headers['webhook-signature'] = new Webhook(secret).sign(
      id,
      at,
      typeof body === 'string' ? body : new TextDecoder('latin1').decode(body),
    )
  }
  return (o.via ?? call)(`/hooks/${site.slug}/${o.hook ?? 'orders'}`, { method: 'POST', headers, body })
}

export type Order = {
  order_id: string
  items: string[]
  customer: { email: string; name?: string }
  delivered_at: string
  lang?: string
}

export const order = (items: string[], extra: Partial<Order> = {}): Order => ({
  order_id: unique('order'),
  items,
  customer: { email: `${unique('buyer')}@mail.example`, name: 'Hanako Buyer' },
  delivered_at: new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString(),
  ...extra,
})

export type InvitationJson = {
  id: string
  order_id: string
  state: string
  targets: string[]
  due_at: string
  expires_at: string
  coupon_offered: boolean
}

/** Sends an order and returns its invitation (delivered 30 days ago: due at once with the default delay). */
export async function invite(site: SiteFixture, secret: string, o: Order): Promise<InvitationJson> {
  const res = await postSigned(site, secret, JSON.stringify(o))
  expect(res.status, await res.clone().text()).toBe(202)
  return (await res.json<{ invitation: InvitationJson }>()).invitation
}

export const tokenOf = (invitationId: string) => reviewToken(env.WEBHOOK_SECRETS_KEY, invitationId)

export async function reviewPath(invitationId: string) {
  return `/review/${await tokenOf(invitationId)}`
}

/** A form post as a browser sends it (UTF-8, URL-encoded); `via` another clock's app (`callAt`). */
export const postForm = (path: string, fields: Record<string, string>, via: Call = call) =>
  via(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  })

/** Runs the cron's invitation work now, then the mail queue's consumer on what it queued, into a mailbox; what was mailed. */
export async function runInvitationCron(now = Date.now(), hubOrigin: string | null = 'https://hub.test') {
  const db = getDb(env.DB)
  const kept = keptPost()
  const result = await sendDueInvitations(
    { db, secretsKey: env.WEBHOOK_SECRETS_KEY, emit: emitter(db, env.WEBHOOK_QUEUE), mail: kept.post, hubOrigin },
    now,
  )
  const box = mailbox()
  if (kept.sent.length > 0) await deliverMail(kept.sent, now, box)
  const sent: { to: string; mail: Mail }[] = box.sent.map((m) => ({
    to: m.to,
    mail: { subject: m.subject, text: m.text },
  }))
  return { ...result, sent }
}
