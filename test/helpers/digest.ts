/** The weekly digest's tests: the cron at a chosen moment, voices written straight to D1, the digests made. */
import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

import type { DigestBody } from '../../src/db/schema'
import { lastWeekIn } from '../../src/digest/figures'
import { handleScheduled } from '../../src/scheduled'
import type { SiteFixture } from './factories'
import { unique } from './factories'
import { HOUR } from './http'
import { consume, keepingQueue } from './outbox'

export type Mail = { from: string; to: string; subject: string; text: string }

/** A stand-in for the send_email binding that keeps what it was given (or refuses everything). */
export function mailbox(refuse = false) {
  const sent: Mail[] = []
  const EMAIL = {
    send: (m: Mail) => {
      if (refuse) return Promise.reject(new Error('mail server down'))
      sent.push(m)
      return Promise.resolve()
    },
  }
  return { sent, EMAIL }
}

/**
 * One run of the Worker's cron at `at`, with `bindings` in place of the Worker's; the e-mails it
 * queues are then handed to the mail queue's consumer with the same bindings, as the queue would.
 */
export async function cronAt(at: number, bindings: Partial<Env> = {}) {
  const mail = keepingQueue()
  const all = { ...env, MAIL_QUEUE: mail.queue, ...bindings }
  await handleScheduled(createScheduledController({ cron: '*/10 * * * *', scheduledTime: at }), all, () => at)
  if (mail.sent.length > 0) await consume('mail', mail.sent, () => at, 1, all)
}

export const siteIdOf = async (slug: string) =>
  (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?').bind(slug).first<{ id: number }>())!.id

export const digestsOf = async (slug: string) =>
  (
    await env.DB.prepare('SELECT week_start, made_at, body FROM digests WHERE site_id = ? ORDER BY week_start')
      .bind(await siteIdOf(slug))
      .all<{ week_start: number; made_at: number; body: string }>()
  ).results.map((r) => ({ weekStart: r.week_start, madeAt: r.made_at, body: JSON.parse(r.body) as DigestBody }))

export type Seed = {
  published: number
  sentiment?: 'positive' | 'neutral' | 'negative' | null
  title?: string
  status?: string
  /** Hours after publication until the first answer (none: unanswered). */
  answeredAfter?: number
  apologized?: number
  resolved?: number
}

/** Voices as they would stand, written straight to D1; their ids in order. */
export async function seed(s: SiteFixture, target: string, rows: Seed[]) {
  const siteId = await siteIdOf(s.slug)
  const ids = rows.map(() => unique('m'))
  await env.DB.batch(
    rows.map((r, i) =>
      env.DB.prepare(
        `INSERT INTO mentions (id, site_id, target_id, kind, status, source_url, source_host, title, received_at,
           updated_at, published_at, sentiment, first_response_at, apologized_at, resolved_at, rev)
         VALUES (?, ?, ?, 'trackback', ?, ?, 'blog.example', ?, ?, ?, ?, ?, ?, ?, ?, 'seed')`,
      ).bind(
        ids[i],
        siteId,
        target,
        r.status ?? 'published',
        `https://blog.example/${unique('p')}`,
        r.title ?? null,
        r.published,
        r.published,
        r.published,
        r.sentiment ?? null,
        r.answeredAfter === undefined ? null : r.published + r.answeredAfter * HOUR,
        r.apologized ?? null,
        r.resolved ?? null,
      ),
    ),
  )
  return ids
}

/** The Monday 00:00 UTC that starts the last whole week before `now` (a shop on UTC). */
export const lastWeekStart = (now: number) => lastWeekIn(now, 'UTC').start
