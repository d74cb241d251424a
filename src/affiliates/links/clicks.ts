/**
 * Clicks on tracking links. The redirect never waits for them: the route answers 302 at once
 * and hands the click to the `glasshouse-clicks` queue from `waitUntil`. The consumer writes a
 * queue batch of clicks with their links' counters in one D1 batch; the click id is the row's
 * key and the counters move only under the write that stored it, so a retried batch (a failed
 * write, a redelivered message) loses nothing and counts nothing twice.
 *
 * What a click keeps: time, link, referrer host, country, a coarse device class and a bot flag.
 * Never the address: `visitor` is an HMAC of address and user agent under a key that changes
 * daily — enough to count unique visitors for a day, useless for anything else.
 */
import * as v from 'valibot'

import type { Db } from '../../db/client'
import type { UaClass } from '../../db/schema'
import { randomToken } from '../../common/crypto'
import { isDeadLetterQueue } from '../../common/queue-consumer'
import { hmac, purposeKey } from '../../common/secrets'
import type { Emitter } from '../../webhooks/events'
import { clickStatements, markReported, unreportedLinks } from '../store'

export const ClickMessage = v.object({
  id: v.pipe(v.string(), v.maxLength(40)),
  siteId: v.number(),
  code: v.pipe(v.string(), v.maxLength(16)),
  partnerId: v.pipe(v.string(), v.maxLength(40)),
  at: v.number(),
  referrerHost: v.nullable(v.pipe(v.string(), v.maxLength(255))),
  country: v.nullable(v.pipe(v.string(), v.maxLength(8))),
  uaClass: v.picklist(['desktop', 'mobile', 'tablet', 'bot', 'other']),
  bot: v.boolean(),
  visitor: v.pipe(v.string(), v.maxLength(64)),
})
export type ClickMessage = v.InferOutput<typeof ClickMessage>

/** Crawlers, link unfurlers, prefetchers and scripts: recorded, never counted as clicks. */
const BOT_UA =
  /bot|crawl|spider|slurp|facebookexternalhit|facebookcatalog|embedly|preview|whatsapp|telegram|discord|slack|skype|bingpreview|headless|phantom|python-requests|curl\/|wget|httpclient|okhttp|go-http|axios|node-fetch|lighthouse|pingdom|uptime/i

export function isBot(headers: Headers, verifiedBot: boolean): boolean {
  const ua = headers.get('User-Agent') ?? ''
  const prefetch = /prefetch|prerender/i.test(
    `${headers.get('Sec-Purpose') ?? ''} ${headers.get('Purpose') ?? ''} ${headers.get('X-Moz') ?? ''}`,
  )
  return verifiedBot || prefetch || ua.trim() === '' || BOT_UA.test(ua)
}

export function uaClassOf(ua: string, bot: boolean): UaClass {
  if (bot) return 'bot'
  if (/iPad|Tablet|Android(?!.*Mobile)/i.test(ua)) return 'tablet'
  if (/Mobi|iPhone|iPod|Android/i.test(ua)) return 'mobile'
  if (/Windows|Macintosh|X11|CrOS|Linux/i.test(ua)) return 'desktop'
  return 'other'
}

const dailyKeys = new Map<string, Promise<CryptoKey>>()

/** The visitor's hash for the day of `at` (UTC): the key is derived per day and never stored. */
export async function visitorHash(secretsKey: string | undefined, ip: string, ua: string, at: number): Promise<string> {
  const day = new Date(at).toISOString().slice(0, 10)
  let key = dailyKeys.get(day)
  if (!key) {
    if (dailyKeys.size > 3) dailyKeys.clear()
    key = purposeKey(secretsKey, `visitors:${day}`)
    dailyKeys.set(day, key)
  }
  return (await hmac(await key, `${ip}|${ua}`)).slice(0, 32)
}

/**
 * Writes a queue batch of clicks in one D1 batch (a transaction): all or nothing, so on a
 * failure every message is retried, and the retry counts nothing twice.
 */
export async function consumeClicks(batch: MessageBatch, env: Env): Promise<void> {
  const valid: ClickMessage[] = []
  for (const message of batch.messages) {
    const parsed = v.safeParse(ClickMessage, message.body)
    if (parsed.success) valid.push(parsed.output)
    else {
      console.error(JSON.stringify({ msg: 'malformed click message', queue: batch.queue, id: message.id }))
      message.ack()
    }
  }
  if (valid.length === 0) return
  try {
    await env.DB.batch(
      valid.flatMap((c) =>
        clickStatements(env.DB, {
          id: c.id,
          siteId: c.siteId,
          linkCode: c.code,
          partnerId: c.partnerId,
          at: c.at,
          referrerHost: c.referrerHost,
          country: c.country,
          uaClass: c.uaClass,
          bot: c.bot,
          visitor: c.visitor,
          // Each click's own: its counters move only under the write that stored it (a message
          // delivered twice, even in one batch, counts once).
          nonce: randomToken(16),
        }),
      ),
    )
    batch.ackAll()
  } catch (err) {
    // On the dead-letter queue this was the last try: those clicks are lost, and logged.
    const dead = isDeadLetterQueue(batch.queue)
    console.error(
      JSON.stringify({
        msg: dead ? 'clicks lost' : 'clicks not written; retrying',
        count: valid.length,
        error: String(err),
      }),
    )
    if (dead) batch.ackAll()
    else batch.retryAll({ delaySeconds: 30 })
  }
}

/**
 * The `affiliate.click` webhook is aggregated, not per click (a click is cheap and many; a
 * delivery is neither): every cron run (10 minutes) sends, per link with new human clicks, how
 * many came since the last report, and the totals.
 */
export async function reportClicks(db: Db, emit: Emitter, now: number) {
  const links = await unreportedLinks(db, 200)
  for (const l of links) {
    await emit(l.siteId, 'affiliate.click', (slug) => ({
      site: slug,
      clicks: {
        link: l.code,
        partner: l.partnerId,
        target: l.targetId,
        new_clicks: l.clicks - l.reportedClicks,
        new_unique_clicks: l.uniqueClicks - l.reportedUniqueClicks,
        total_clicks: l.clicks,
        total_unique_clicks: l.uniqueClicks,
        until: new Date(now).toISOString(),
      },
    }))
    await markReported(db, l)
  }
  return links.length
}
