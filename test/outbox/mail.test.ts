/**
 * E-mail through the outbox (src/mail/): the weekly digest, a review invitation and a partner's
 * sign-in link are each recorded, sealed, in the batch of the change that causes them. A queue
 * message that is lost is sent again by the cron's sweep at a later clock and mailed once; one
 * that is not lost is never sent again; a refused send is retried with backoff, then given up
 * with its failure recorded. The outbox row never holds the address, link or token in clear.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
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
import { type Post, postOf } from '../../src/mail/letters'
import { MAIL_ATTEMPTS } from '../../src/mail/consume'
import { IN_FLIGHT_MS, NO_OUTBOUND } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { newInvitationRow, sendDueInvitations } from '../../src/reviews/invitations/invitations'
import { reviewToken } from '../../src/reviews/invitations/links'
import { handleQueue } from '../../src/queues'
import { findSiteById } from '../../src/sites/store'
import { emitter } from '../../src/webhooks/events'
import { approvedPartner } from '../helpers/affiliates'
import { lastWeekStart, mailbox, siteIdOf } from '../helpers/digest'
import { createSite, unique } from '../helpers/factories'
import { api, HUB } from '../helpers/http'
import { deliverMail, keptPost } from '../helpers/mail'
import { keepingSenders, outboxRow } from '../helpers/outbox'

const db = getDb(env.DB)
const KEY = env.WEBHOOK_SECRETS_KEY

/** What one e-mail's cause left: its outbox ref, its address, and what must never be stored in clear. */
type Caused = { ref: string; to: string; secrets: string[] }

// Each e-mail is caused at its own moment, weeks apart, so no other test's message is due in its sweeps.
let weeks = 0
const nextMoment = () => lastWeekStart(Date.now()) + (3 + 2 * weeks++) * WEEK + 5 * 60_000

/** A new site's invitation, due at `at`, to `to`; the outbox's name for its e-mail. */
async function invitationDue(at: number, to = `${unique('buyer')}@mail.example`) {
  const site = (await findSiteById(db, await siteIdOf((await createSite()).slug)))!
  const facts = {
    orderId: unique('order'),
    items: ['tshirt'],
    customerName: 'Sam',
    emailSealed: await seal(to, KEY),
    emailHash: unique('hash'),
    deliveredAt: at - 30 * DAY,
  }
  const row = newInvitationRow(site, facts, HUB, at - 30 * DAY)
  await db.insert(invitations).values({ ...row, dueAt: at - 1, expiresAt: at + 30 * DAY })
  return `invitation:${row.id}`
}

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
    const ref = await invitationDue(at, to)
    const deps = { db, secretsKey: KEY, emit: emitter(db, env.WEBHOOK_QUEUE), mail: post, hubOrigin: HUB }
    expect((await sendDueInvitations(deps, at)).sent).toBeGreaterThanOrEqual(1)
    return { ref, to, secrets: [to, await reviewToken(KEY, ref.replace('invitation:', ''))] }
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
    // Sent, its sealed envelope is dropped from the row.
    expect(JSON.parse(await storedBody(caused.ref))).toEqual({ ref: caused.ref })
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

describe('the weekly digest’s e-mail', () => {
  const digestSite = async () => {
    const to = `${unique('owner')}@shop.example`
    const site = await createSite({ settings: { digest_email: to, lang: 'en' } })
    return { to, siteId: await siteIdOf(site.slug) }
  }
  const deps = (post: Post) => ({ db, emit: emitter(db, env.WEBHOOK_QUEUE), mail: post, hubOrigin: HUB })

  it('is recorded by the run that notes the digest sent, also when the run that made it stopped first', async () => {
    const at = nextMoment()
    const { siteId } = await digestSite()
    const ref = `digest:${siteId}:${lastWeekStart(at)}`
    // A run made the digest and stopped before noting it sent (nor recording its e-mail).
    await env.DB.prepare("INSERT INTO digests (site_id, week_start, made_at, body) VALUES (?, ?, ?, '{}')")
      .bind(siteId, lastWeekStart(at), at)
      .run()
    const kept = keptPost()
    await sendWeeklyDigests(deps(kept.post), at, 100)
    expect(mine(kept.sent, ref)).toHaveLength(1)
    expect(await outboxRow('mail', ref)).toMatchObject({ state: 'waiting', attempts: 0 })
    const again = keptPost()
    await sendWeeklyDigests(deps(again.post), at + 60_000, 100)
    expect(mine(again.sent, ref)).toHaveLength(0)
  })

  it('is recorded once when two runs make the digest at the same time', async () => {
    const at = nextMoment()
    const { siteId } = await digestSite()
    const ref = `digest:${siteId}:${lastWeekStart(at)}`
    const [one, two] = [keptPost(), keptPost()]
    await Promise.all([sendWeeklyDigests(deps(one.post), at, 100), sendWeeklyDigests(deps(two.post), at, 100)])
    expect([...mine(one.sent, ref), ...mine(two.sent, ref)]).toHaveLength(1)
  })
})

describe('the invitation’s webhook', () => {
  it('says `emailed: true` when the hub has the e-mail to send, and false when it cannot send e-mail', async () => {
    const payloads: unknown[] = []
    const prepare = (_site: number, _event: string, dataOf: (site: string) => unknown) =>
      Promise.resolve(void payloads.push(dataOf('shop'))).then(() => NO_OUTBOUND)
    const emit = Object.assign(() => Promise.resolve(), { prepare })
    const emailedOf = (ref: string) =>
      (payloads as { invitation: { id: string; emailed: boolean } }[]).find(
        (p) => `invitation:${p.invitation.id}` === ref,
      )?.invitation.emailed
    const at = nextMoment()
    const kept = keptPost()
    const viaEmit = await invitationDue(at)
    await sendDueInvitations({ db, secretsKey: KEY, emit, mail: kept.post, hubOrigin: HUB }, at)
    expect(emailedOf(viaEmit)).toBe(true)
    const later = at + WEEK
    const without = await invitationDue(later)
    await sendDueInvitations({ db, secretsKey: KEY, emit, mail: null, hubOrigin: HUB }, later)
    expect(emailedOf(without)).toBe(false)
    expect(await outboxRow('mail', without)).toBeNull()
  })
})

describe('a buyer who asks to be forgotten', () => {
  it('is not e-mailed an invitation still waiting to go out, and no sealed copy of their address is kept', async () => {
    const at = nextMoment()
    const kept = keptPost()
    const caused = await CAUSES['a review invitation']!(kept.post, at)
    const id = caused.ref.replace('invitation:', '')
    const { order_id: orderId, site_id: siteId } = (await env.DB.prepare(
      'SELECT order_id, site_id FROM invitations WHERE id = ?',
    )
      .bind(id)
      .first<{ order_id: string; site_id: number }>())!
    const slug = (await findSiteById(db, siteId))!.slug
    const res = await api('POST', `/api/sites/${slug}/erasure`, { order_id: orderId })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(await outboxRow('mail', caused.ref)).toMatchObject({ state: 'gave_up', last_failure: 'erased' })
    expect(JSON.parse(await storedBody(caused.ref))).toEqual({ ref: caused.ref })
    const later = keepingSenders()
    await sweepOutbox(db, later.senders, at + 2 * IN_FLIGHT_MS)
    expect(mine(later.sent.mail, caused.ref)).toHaveLength(0)
    const box = mailbox()
    await deliverMail(mine(kept.sent, caused.ref), at + 1000, box)
    expect(box.sent).toHaveLength(0)
  })
})

describe('the mail queue’s dead letters', () => {
  it('give the e-mail up, its failure recorded', async () => {
    const at = nextMoment()
    const kept = keptPost()
    const { ref } = await CAUSES['a partner’s sign-in link']!(kept.post, at)
    const batch = createMessageBatch(
      'glasshouse-mail-dlq',
      mine(kept.sent, ref).map((body) => ({ id: unique('msg'), timestamp: new Date(), attempts: 1, body })),
    )
    await handleQueue(batch, env, () => at + 1000)
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(1)
    expect(await outboxRow('mail', ref)).toMatchObject({ state: 'gave_up', last_failure: 'mail_refused' })
    expect(JSON.parse(await storedBody(ref))).toEqual({ ref })
  })
})

describe('without a mailer', () => {
  it('has no post without the send_email binding, a sender, or a valid secrets key', () => {
    expect(postOf(env)).not.toBeNull()
    expect(postOf({ ...env, EMAIL: undefined })).toBeNull()
    expect(postOf({ ...env, REVIEW_MAIL_FROM: '' })).toBeNull()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(postOf({ ...env, WEBHOOK_SECRETS_KEY: 'not-a-key' })).toBeNull()
    warn.mockRestore()
  })

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
