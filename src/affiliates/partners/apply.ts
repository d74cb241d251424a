/**
 * A blogger's application to the affiliate programme, from the JSON/form endpoint or the HTML
 * page alike: the same fields, Turnstile when configured, the same flood limit, and the
 * `affiliate.partner.applied` event for the shop.
 */
import * as v from 'valibot'

import type { Clock } from '../../common/clock'
import { AppError } from '../../common/errors'
import { requireTurnstile } from '../../common/turnstile'
import { Email, HttpUrl, Line, say } from '../../common/validation'
import { getDb } from '../../db/client'
import { emitter } from '../../webhooks/events'
import { applyAsPartner } from './partners'

export const ApplicationInput = v.object({
  name: Line(100),
  email: Email,
  blog_url: HttpUrl,
  /** The language of the partner's e-mails and pages (default en). */
  lang: v.optional(v.picklist(['en', 'ja'], say('must be en or ja', '英語か日本語を選んでください'))),
})
export type ApplicationInput = v.InferOutput<typeof ApplicationInput>

/** Takes a checked application: Turnstile, 20 a minute per client, then the partner, and the shop is told in the same write. */
export async function submitApplication(
  env: Env,
  slug: string,
  input: ApplicationInput,
  fields: Record<string, unknown>,
  ip: string,
  clock: Clock,
) {
  await requireTurnstile(env, fields, ip)
  // The linkbacks' per-client flood limit (20 a minute) keeps scripted applications out.
  const { success } = await env.PING_CLIENT_LIMITER.limit({ key: `apply:${ip}` })
  if (!success) throw new AppError('rate_limited', 'Too many applications from this address; try again in a minute')
  const db = getDb(env.DB)
  const partner = await applyAsPartner(db, slug, input, clock(), (p) =>
    emitter(db, env.WEBHOOK_QUEUE, clock).prepare(p.siteId, 'affiliate.partner.applied', (site) => ({
      site,
      partner: { id: p.id, name: p.name, blog_url: p.blogUrl, applied_at: new Date(p.appliedAt).toISOString() },
    })),
  )
  return partner
}
