/**
 * The Worker's cron handler (wrangler.toml [triggers]): re-send outbound messages (src/outbox/:
 * link checks, answers' announcements, webhook deliveries, e-mails) whose queue message was lost, expire and send
 * review invitations, report affiliate clicks (aggregated webhook), re-check published voices'
 * sources, read watched feeds, forget old receipts, make each site's weekly digest, number voices
 * an older release published (src/voices/numbering.ts), purge deleted shops after their grace period (src/sites/purge.ts),
 * delete exports' files a week after they finished (src/exports/run.ts).
 */
import { reportClicks } from './affiliates/links/clicks'
import { getDb } from './db/client'
import { sendWeeklyDigests } from './digest/weekly'
import { forgetReceiptsBefore } from './inbound/store'
import { type Clock, systemClock } from './common/clock'
import { sendDueInvitations } from './reviews/invitations/invitations'
import { postOf } from './mail/letters'
import { forgetExpiredSignInLinks } from './affiliates/partners/sign-in-links'
import { emitter } from './webhooks/events'
import { recheckPublished } from './verification/queue'
import { listen } from './listening/run'
import { policyOf } from './common/address-policy'
import { isDevelopment } from './env'
import { numberLatePublications } from './voices/numbering'
import { sendersOf, sweepOutbox } from './outbox/sweep'
import { purgeDeletedSites } from './sites/purge'
import { photoStore } from './reviews/photos/photos'
import { exportBucket } from './exports/archive'
import { expireExports } from './exports/run'
import { deleteShopFiles } from './imports/files'
import { forgetDeliveriesBefore, forgetOrderVersionsBefore } from './connectors/store'

/** Signed events older than this fail the timestamp check anyway, so their receipts can go. */
const RECEIPTS_KEPT_MS = 24 * 60 * 60 * 1000

/** A platform's delivery ids are kept this long: a retry of one within it is known (the platforms retry for hours, at most two days). */
const SHOP_DELIVERIES_KEPT_MS = 30 * 24 * 60 * 60 * 1000

/** A cron job: its name (for the log) and its work. */
export type Job = { name: string; run: () => Promise<unknown> }

/**
 * Runs every job even when one fails, so a broken sweep never holds back the others; a failure
 * is logged with the job's name, and the run still ends in an error (the cron shows it failed).
 */
export async function runJobs(jobs: readonly Job[]): Promise<void> {
  const failed: string[] = []
  for (const job of jobs) {
    try {
      await job.run()
    } catch (err) {
      failed.push(job.name)
      console.error(JSON.stringify({ msg: 'cron job failed', job: job.name, error: String(err) }))
    }
  }
  if (failed.length > 0) throw new Error(`cron jobs failed: ${failed.join(', ')}`)
}

/**
 * `clock`: the time of the run's writes (deliveries, sends). The sweeps all look at one moment,
 * the time the run was scheduled for, or the clock's time when the controller has none.
 */
export async function handleScheduled(
  controller: ScheduledController,
  env: Env,
  clock: Clock = systemClock,
): Promise<void> {
  const db = getDb(env.DB)
  const now = controller.scheduledTime || clock()
  await runJobs([
    {
      name: 'resend lost messages',
      run: async () => {
        const resent = await sweepOutbox(db, sendersOf(env), now)
        if (Object.keys(resent).length > 0)
          console.log(JSON.stringify({ msg: 're-sent lost outbound messages', ...resent }))
      },
    },
    {
      name: 'recheck published voices',
      run: async () => {
        const queued = await recheckPublished(env, now)
        if (queued > 0) console.log(JSON.stringify({ msg: 're-checking published voices', count: queued }))
      },
    },
    {
      name: 'review invitations',
      run: async () => {
        const deps = {
          db,
          secretsKey: env.WEBHOOK_SECRETS_KEY,
          emit: emitter(db, env.WEBHOOK_QUEUE, clock),
          mail: postOf(env),
          hubOrigin: env.HUB_ORIGIN || null,
        }
        const invitations = await sendDueInvitations(deps, now)
        if (invitations.sent + invitations.expired > 0)
          console.log(JSON.stringify({ msg: 'review invitations', ...invitations }))
      },
    },
    {
      name: 'number late publications',
      run: async () => {
        const numbered = await numberLatePublications(db)
        if (numbered > 0)
          console.log(JSON.stringify({ msg: 'numbered voices published without a number', count: numbered }))
      },
    },
    { name: 'report clicks', run: () => reportClicks(db, emitter(db, env.WEBHOOK_QUEUE, clock), now) },
    { name: 'forget old receipts', run: () => forgetReceiptsBefore(db, now - RECEIPTS_KEPT_MS) },
    { name: 'forget expired sign-in links', run: () => forgetExpiredSignInLinks(db, now) },
    {
      name: 'forget old shop deliveries',
      run: async () => {
        await forgetDeliveriesBefore(db, now - SHOP_DELIVERIES_KEPT_MS, 5000)
        await forgetOrderVersionsBefore(db, now - 3 * SHOP_DELIVERIES_KEPT_MS, 5000)
      },
    },
    {
      name: 'weekly digest',
      run: async () => {
        const deps = {
          db,
          emit: emitter(db, env.WEBHOOK_QUEUE, clock),
          mail: postOf(env),
          hubOrigin: env.HUB_ORIGIN || null,
        }
        const digests = await sendWeeklyDigests(deps, now)
        if (digests.made > 0) console.log(JSON.stringify({ msg: 'weekly digests', ...digests }))
      },
    },
    {
      name: 'purge deleted shops',
      run: async () => {
        const photos = photoStore(env)
        const deletePhotos = (keys: string[]) => photos?.delete(keys) ?? Promise.resolve()
        const bucket = exportBucket(env)
        const deleteExportFiles = (siteId: number) =>
          bucket ? deleteShopFiles(bucket, siteId) : Promise.resolve({ deleted: 0, more: false })
        const purge = await purgeDeletedSites({ d1: env.DB, deletePhotos, deleteExportFiles }, now)
        if (purge.deleted > 0 || purge.purged.length > 0)
          console.log(JSON.stringify({ msg: 'purged deleted shops', ...purge }))
      },
    },
    {
      name: 'expire exports',
      run: async () => {
        const expired = await expireExports(db, exportBucket(env), now)
        if (expired.expired > 0) console.log(JSON.stringify({ msg: 'deleted old exports’ files', ...expired }))
      },
    },
    // Last: reading strangers' feeds is the work most likely to use up the run's time.
    {
      name: 'listen to watched feeds',
      run: async () => {
        // Without the hub's own address the cron cannot tell a feed that redirects to the hub itself: it reads none.
        if (!env.HUB_ORIGIN && !isDevelopment(env)) {
          console.warn(JSON.stringify({ msg: 'watched feeds not read: set HUB_ORIGIN (docs/deploy.md)' }))
          return
        }
        const run = await listen({ db, policy: policyOf(env) }, now)
        if (run.watches > 0) console.log(JSON.stringify({ msg: 'read watched feeds', ...run }))
      },
    },
  ])
}
