/**
 * E-mail through the outbox (src/mail/): the weekly digest, a review invitation and a partner's
 * sign-in link are each recorded, sealed, in the batch of the change that causes them. A queue
 * message that is lost is sent again by the cron's sweep at a later clock and mailed once; one
 * that is not lost is never sent again; a refused send is retried with backoff, then given up
 * with its failure recorded. The outbox row never holds the address, link or token in clear.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'

import { findPartner } from '../../src/affiliates/store'
import { sendSignInLink, signInMailRef } from '../../src/affiliates/partners/sign-in-links'
import { DAY, WEEK } from '../../src/common/clock'
import { sha256Hex } from '../../src/common/crypto'
import { seal } from '../../src/common/secrets'
import { getDb } from '../../src/db/client'
import { invitations } from '../../src/db/schema'
import { sendWeeklyDigests } from '../../src/digest/weekly'
import type { Post } from '../../src/mail/letters'
import { MAIL_ATTEMPTS } from '../../src/mail/consume'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { newInvitationRow, sendDueInvitations } from '../../src/reviews/invitations/invitations'
import { reviewToken } from '../../src/reviews/invitations/links'
import { findSiteById } from '../../src/sites/store'
import { emitter } from '../../src/webhooks/events'
import { approvedPartner } from '../helpers/affiliates'
import { lastWeekStart, mailbox, siteIdOf } from '../helpers/digest'
import { createSite, unique } from '../helpers/factories'
import { HUB } from '../helpers/http'
import { deliverMail, keptPost } from '../helpers/mail'
import { keepingSenders, outboxRow } from '../helpers/outbox'

const db = getDb(env.DB)
const KEY = env.WEBHOOK_SECRETS_KEY

/** What one e-mail's cause left: its outbox ref, its address, and what must never be stored in clear. */
type Caused = { ref: string; to: string; secrets: string[] }

// Each e-mail is caused at its own moment, weeks apart, so no other test's message is due in its sweeps.
let weeks = 0
const nextMoment = () => lastWeekStart(Date.now()) + (3 + 2 * weeks++) * WEEK + 5 * 60_000

const CAUSES: Record<string, (post: Post, at: number) => Promise<Caused>> = {
  async 'the weekly digest'(post, at) {
    const to = `${unique('owner')}@shop.example`
    const site = await createSite({ settings: { digest_email: to, lang: 'en' } })
    const siteId = await siteIdOf(site.slug)
    await sendWeeklyDigests({ db, emit: emitter(db, env.WEBHOOK_QUEUE), mail: post, hubOrigin: HUB }, at, 100)
    return { ref: `digest:${siteId}:${lastWeekStart(at)}`, to, secrets: [to] }
  },
  async 'a review invitation'(post, at) {
    const to = `${unique('buyer')}@mail.example`
    const site = (await findSiteById(db, await siteIdOf((await createSite()).slug)))!
    const row = newInvitationRow(
      site,
      {
        orderId: unique('order'),
        items: ['tshirt'],
        customerName: 'Sam',
        emailSealed: await seal(to, KEY),
        emailHash: unique('hash'),
        deliveredAt: at - 30 * DAY,
      },
      HUB,
      at - 30 * DAY,
    )
    await db.insert(invitations).values({ ...row, dueAt: at - 1, expiresAt: at + 30 * DAY })
    const deps = { db, secretsKey: KEY, emit: emitter(db, env.WEBHOOK_QUEUE), mail: post, hubOrigin: HUB }
    expect((await sendDueInvitations(deps, at)).sent).toBeGreaterThanOrEqual(1)
    return { ref: `invitation:${row.id}`, to, secrets: [to, await reviewToken(KEY, row.id)] }
  },
  async 'a partner’s sign-in link'(post, at) {
    const site = await createSite()
    const siteId = await siteIdOf(site.slug)
    const partner = (await findPartner(db, (await approvedPartner(site)).id))!
    const sent = await sendSignInLink(
      { db, mail: post, hubOrigin: HUB },
      { id: siteId, slug: site.slug, name: 'Shop' },
      partner,
      at,
    )
    expect(sent).toEqual({ emailed: true })
    const link = await env.DB.prepare(
      'SELECT token_hash FROM partner_sign_in_links WHERE partner_id = ? ORDER BY created_at DESC',
    )
      .bind(partner.id)
      .first<{ token_hash: string }>()
    return { ref: signInMailRef(link!.token_hash), to: partner.email, secrets: [partner.email, '/sign-in/'] }
  },
}

const mine = (bodies: unknown[], ref: string) => bodies.filter((b) => (b as { ref: string }).ref === ref)
const storedBody = async (ref: string) =>
  (await env.DB.prepare("SELECT body FROM outbox WHERE kind = 'mail' AND ref = ?").bind(ref).first<{ body: string }>())!
    .body

describe.each(Object.entries(CAUSES))('%s', (_name, cause) => {
  it('is recorded sealed: the outbox row holds neither the address nor the link', async () => {
    const { post } = keptPost()
    const caused = await cause(post, nextMoment())
    const body = await storedBody(caused.ref)
    expect(body).toContain('"sealed"')
    for (const secret of caused.secrets) expect(body).not.toContain(secret)
  })

  it('whose queue message is lost is sent again by the sweep at a later clock, and e-mailed once', async () => {
    const at = nextMoment()
    const kept = keptPost()
    const caused = await cause(kept.post, at)
    expect(mine(kept.sent, caused.ref)).toHaveLength(1)
    // The message is lost: nothing consumes it. While its lease lasts, the sweep leaves it alone.
    const early = keepingSenders()
    await sweepOutbox(db, early.senders, at + IN_FLIGHT_MS - 1)
    expect(mine(early.sent.mail, caused.ref)).toHaveLength(0)
    const later = keepingSenders()
    await sweepOutbox(db, later.senders, at + IN_FLIGHT_MS)
    const resent = mine(later.sent.mail, caused.ref)
    expect(resent).toHaveLength(1)

    const box = mailbox()
    expect(await deliverMail(resent, at + IN_FLIGHT_MS + 1000, box)).toMatchObject({ acked: 1, retried: 0 })
    expect(box.sent.map((m) => m.to)).toEqual([caused.to])
    expect(box.sent[0]!.from).toBe('reviews@shop.example')
    expect(await outboxRow('mail', caused.ref)).toMatchObject({ state: 'sent', attempts: 1 })
    // A second copy of the message (the first one found late) is acknowledged, not mailed again.
    await deliverMail(mine(kept.sent, caused.ref), at + IN_FLIGHT_MS + 2000, box)
    expect(box.sent).toHaveLength(1)
    const after = keepingSenders()
    await sweepOutbox(db, after.senders, at + 3 * IN_FLIGHT_MS)
    expect(mine(after.sent.mail, caused.ref)).toHaveLength(0)
  })

  it('whose queue message is not lost is e-mailed once and never sent again by the sweep', async () => {
    const at = nextMoment()
    const kept = keptPost()
    const caused = await cause(kept.post, at)
    const box = mailbox()
    await deliverMail(mine(kept.sent, caused.ref), at + 1000, box)
    expect(box.sent.map((m) => m.to)).toEqual([caused.to])
    const later = keepingSenders()
    await sweepOutbox(db, later.senders, at + 2 * IN_FLIGHT_MS)
    expect(mine(later.sent.mail, caused.ref)).toHaveLength(0)
  })

  it('refused by the mail service is retried with backoff, then given up with the failure recorded', async () => {
    let at = nextMoment()
    const kept = keptPost()
    const caused = await cause(kept.post, at)
    const message = mine(kept.sent, caused.ref)
    const refusing = mailbox(true)
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const delays: (number | undefined)[] = []
    for (let attempt = 1; attempt < MAIL_ATTEMPTS; attempt++) {
      const out = await deliverMail(message, at, refusing, attempt)
      expect(out).toMatchObject({ acked: 0, retried: 1 })
      delays.push(...out.delays)
      expect(await outboxRow('mail', caused.ref)).toMatchObject({
        state: 'waiting',
        attempts: attempt,
        last_failure: 'mail_refused',
      })
      at += out.delays[0]! * 1000
    }
    expect(delays.slice(0, 4)).toEqual([30, 60, 120, 240])
    expect(await deliverMail(message, at, refusing, MAIL_ATTEMPTS)).toMatchObject({ acked: 1, retried: 0 })
    log.mockRestore()
    expect(await outboxRow('mail', caused.ref)).toMatchObject({
      state: 'gave_up',
      attempts: MAIL_ATTEMPTS,
      last_failure: 'mail_refused',
    })
    // Given up: neither the sweep nor a late copy sends it.
    const later = keepingSenders()
    await sweepOutbox(db, later.senders, at + 2 * IN_FLIGHT_MS)
    expect(mine(later.sent.mail, caused.ref)).toHaveLength(0)
    const box = mailbox()
    await deliverMail(message, at + 1, box)
    expect(box.sent).toHaveLength(0)
  })
})

describe('without a mailer', () => {
  it('records no e-mail: the sign-in link is returned to pass on', async () => {
    const site = await createSite()
    const partner = (await findPartner(db, (await approvedPartner(site)).id))!
    const out = await sendSignInLink(
      { db, mail: null, hubOrigin: HUB },
      { id: await siteIdOf(site.slug), slug: site.slug, name: 'Shop' },
      partner,
      Date.now(),
    )
    if (out.emailed) throw new Error('e-mailed without a mailer')
    const hash = await sha256Hex(out.link.split('/').pop()!)
    expect(await outboxRow('mail', signInMailRef(hash))).toBeNull()
  })
})
