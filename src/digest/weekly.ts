/**
 * The weekly digest: once a week per site, what people said about the shop and what still waits
 * for it, sent as the `digest.weekly` webhook, by e-mail to the site's `digest_email` when the
 * hub can send mail, and kept for the console's overview.
 *
 * A shop's week runs Monday to Sunday in its own time zone. The cron runs every ten minutes; each
 * run makes the digests of at most DIGESTS_PER_RUN sites whose week has ended (each site notes when
 * its next digest is due, so the run reads those sites only), so every site has its digest within
 * hours of its Monday midnight. The digest's row is written before anything is sent, and only by the run whose
 * insert took: two runs at once never send one twice. If its webhook cannot be written, the row
 * goes again, so the next run makes it anew. Its e-mail is recorded in the outbox (src/mail/) in
 * the batch that notes the digest sent, by whichever run notes it — also a run that finds the
 * digest made by one that stopped before noting it —, so it is e-mailed once, and sent again by
 * the cron if its queue message is lost.
 */
import { batchAll, type Db } from '../db/client'
import type { DigestBody } from '../db/schema'
import { letter, type Post, postLetters } from '../mail/letters'
import { recordMessages } from '../outbox/outbox'
import type { SiteRow } from '../sites/store'
import { readSettings, type SiteSettings } from '../sites/settings'
import {
  awaitingResolution,
  medianResponsePerWeek,
  sentimentPerWeek,
  unansweredNegative,
} from '../voices/weekly-counts'
import type { Emitter } from '../webhooks/events'
import { DIGEST_LISTED, digestBody, type DigestWeek, lastWeekIn } from './figures'
import { digestMail } from './mail'
import { digestNotYetNoted, insertDigestIfNew, markDigestSent, postponeDigest, sitesDueForDigest } from './store'

/** Sites whose digest one cron run makes (a few D1 reads each). */
export const DIGESTS_PER_RUN = 20

export type DigestDeps = {
  db: Db
  emit: Emitter
  /** The hub's post for e-mail; null: no e-mail (the webhook and the overview still have the digest). */
  mail: Post | null
  /** The hub's public origin, for the links in the e-mail; null: none. */
  hubOrigin: string | null
}

/**
 * A site's digest of `week` (in the shop's `timeZone`), as it stands at `now`: the week's new
 * voices and its answers (the week before's too, to compare), and what still waits at `now`.
 */
export async function digestOf(
  db: Db,
  siteId: number,
  week: DigestWeek,
  timeZone: string,
  now: number,
): Promise<DigestBody> {
  const weeks = { starts: [week.before, week.start], until: week.end }
  const [sentiment, medians, unanswered, unresolved] = await Promise.all([
    sentimentPerWeek(db, siteId, weeks),
    medianResponsePerWeek(db, siteId, weeks),
    unansweredNegative(db, siteId, DIGEST_LISTED),
    awaitingResolution(db, siteId, DIGEST_LISTED),
  ])
  return digestBody({ week, timeZone, madeAt: now, sentiment, medians, unanswered, unresolved })
}

type DueSite = Pick<SiteRow, 'id' | 'slug' | 'name'> & { settings: SiteSettings }

/**
 * Notes the digest of `week` sent, and records its e-mail (when the shop has an address for it
 * and the hub can send e-mail) in the same batch, then queues it. Only the run whose batch notes
 * the digest records the e-mail; true when this run did and queued one.
 */
async function noteSent(deps: DigestDeps, site: DueSite, week: DigestWeek, digest: DigestBody, now: number) {
  const { mail } = deps
  const { settings } = site
  const letters =
    mail && settings.digest_email
      ? [
          await letter(mail, {
            ref: `digest:${site.id}:${week.start}`,
            siteId: site.id,
            to: settings.digest_email,
            mail: digestMail({
              shop: site.name,
              slug: site.slug,
              lang: settings.lang,
              timeZone: settings.time_zone,
              hubOrigin: deps.hubOrigin,
              digest,
            }),
          }),
        ]
      : []
  const results = await batchAll(deps.db, [
    ...recordMessages(deps.db, letters, now, digestNotYetNoted(site.id, week)),
    markDigestSent(deps.db, site.id, week),
  ])
  const noted = (results.at(-1) as D1Result).meta.changes === 1
  if (!noted || !mail || letters.length === 0) return false
  await postLetters(deps.db, mail, letters, now)
  return true
}

/**
 * Makes and sends the digests still due for last week (at most `limit` sites). A site that fails
 * is logged and tried again by the next run; the run then ends in an error naming it. `mailed`
 * counts the e-mails handed to the mail queue (the queue's consumer sends them).
 */
export async function sendWeeklyDigests(deps: DigestDeps, now: number, limit = DIGESTS_PER_RUN) {
  const due = await sitesDueForDigest(deps.db, now, limit)
  let made = 0
  let mailed = 0
  const failed: string[] = []
  for (const site of due) {
    try {
      const settings = readSettings(site.settings)
      const week = lastWeekIn(now, settings.time_zone)
      if (site.createdAt >= week.end) {
        // Made after its last week ended (or its time zone moved the week): its first digest is at the next end.
        await postponeDigest(deps.db, site.id, week)
        continue
      }
      const digest = await digestOf(deps.db, site.id, week, settings.time_zone, now)
      // Its webhook is written with it, by the run that records it: a crash after the batch loses neither.
      const event = await deps.emit.prepare(site.id, 'digest.weekly', (slug) => ({ site: slug, digest }))
      const inserted = await insertDigestIfNew(
        deps.db,
        { siteId: site.id, weekStart: week.start, madeAt: now, body: digest },
        (none) => event.statements(none),
      )
      if (inserted) {
        await event.send()
        made++
      }
      // Another run made it (or this one stopped before noting it): noted now, so the site is not read again.
      if (await noteSent(deps, { ...site, settings }, week, digest, now)) mailed++
    } catch (err) {
      failed.push(site.slug)
      console.error(JSON.stringify({ msg: 'weekly digest failed', site: site.slug, error: String(err) }))
    }
  }
  if (failed.length > 0) throw new Error(`weekly digests failed: ${failed.join(', ')}`)
  return { made, mailed }
}
