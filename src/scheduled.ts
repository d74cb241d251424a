/**
 * The Worker's cron handler (wrangler.toml [triggers]): re-send verification checks and webhook
 * deliveries whose queue message was lost, expire and send review invitations, report affiliate
 * clicks (aggregated webhook), forget old receipts.
 */
import { reportClicks } from './affiliates/clicks'
import { getDb } from './db/client'
import { forgetReceiptsBefore } from './inbound/store'
import { sendDueInvitations } from './reviews/invitations'
import { mailerOf } from './reviews/mail'
import { resendLostDeliveries } from './webhooks/deliver'
import { emitter } from './webhooks/events'
import { resendLostChecks } from './verification/queue'

/** Signed events older than this fail the timestamp check anyway, so their receipts can go. */
const RECEIPTS_KEPT_MS = 24 * 60 * 60 * 1000

export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const resent = await resendLostChecks(env)
  if (resent > 0) console.log(JSON.stringify({ msg: 're-sent lost verification checks', count: resent }))
  const requeued = await resendLostDeliveries(env)
  if (requeued > 0) console.log(JSON.stringify({ msg: 're-queued lost webhook deliveries', count: requeued }))

  const db = getDb(env.DB)
  const now = controller.scheduledTime || Date.now()
  const invitations = await sendDueInvitations(
    { db, secretsKey: env.WEBHOOK_SECRETS_KEY, emit: emitter(db, env.WEBHOOK_QUEUE), mail: mailerOf(env), hubOrigin: env.HUB_ORIGIN || null },
    now
  )
  if (invitations.sent + invitations.expired > 0) console.log(JSON.stringify({ msg: 'review invitations', ...invitations }))
  await reportClicks(db, emitter(db, env.WEBHOOK_QUEUE), now)
  await forgetReceiptsBefore(db, now - RECEIPTS_KEPT_MS)
}
