/**
 * Order events in (signed per Standard Webhooks), one invitation per order, and the cron
 * that sends due invitations by e-mail and as a webhook. Buyers' addresses are kept sealed
 * and erased when the invitation is used or expires.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { inboundReceipts, invitations } from '../../src/db/schema'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { api } from '../helpers/http'
import { inboundSecret, invite, order, postSigned, runInvitationCron } from '../helpers/reviews'

let site: SiteFixture
let secret: string
let product: string

const db = () => getDb(env.DB)
const invitationRow = (id: string) => db().select().from(invitations).where(eq(invitations.id, id)).get()

beforeAll(async () => {
  site = await createSite()
  secret = await inboundSecret(site)
  product = (await createTarget(site, unique('tee'), 'Linen tee')).id
})

describe('POST /hooks/{site}/orders', () => {
  it('makes one invitation per order, due the delay after delivery, with the address sealed and hashed', async () => {
    const delivered = new Date('2026-11-01T09:00:00Z')
    const o = order([product, `${site.origin}/products/mug?utm_source=mail`], { delivered_at: delivered.toISOString() })
    const res = await postSigned(site, secret, JSON.stringify(o))
    expect(res.status).toBe(202)
    const { invitation, created } = await res.json<{
      invitation: { id: string; due_at: string; expires_at: string; targets: string[]; state: string }
      created: boolean
    }>()
    expect(created).toBe(true)
    expect(invitation.state).toBe('scheduled')
    expect(invitation.due_at).toBe('2026-11-08T09:00:00.000Z')
    expect(invitation.expires_at).toBe('2026-12-08T09:00:00.000Z')
    expect(invitation.targets[0]).toBe(product)
    expect(invitation.targets).toHaveLength(2)

    const row = await invitationRow(invitation.id)
    expect(row?.emailSealed).toBeTruthy()
    expect(row?.emailSealed).not.toContain(o.customer.email)
    expect(row?.emailHash).toMatch(/^[\w-]{43}$/)
    const raw = await env.DB.prepare('SELECT * FROM invitations WHERE id = ?').bind(invitation.id).first()
    expect(JSON.stringify(raw)).not.toContain(o.customer.email)

    // The same order again (a new event id): still one invitation.
    const again = await postSigned(site, secret, JSON.stringify(o))
    expect(again.status).toBe(200)
    expect((await again.json<{ invitation: { id: string }; created: boolean }>()).invitation.id).toBe(invitation.id)
  })

  it('accepts the Standard Webhooks envelope { type, timestamp, data }', async () => {
    const o = order([product])
    const res = await postSigned(
      site,
      secret,
      JSON.stringify({ type: 'order.delivered', timestamp: new Date().toISOString(), data: o }),
    )
    expect(res.status).toBe(202)
  })

  it('refuses unsigned, forged, stale and replayed events with a JSON error, storing nothing', async () => {
    const o = order([product])
    const body = JSON.stringify(o)
    const stored = async () =>
      (await api('GET', `/api/sites/${site.slug}/invitations/${o.order_id}`, undefined, site.key)).status

    const unsigned = await postSigned(site, null, body)
    expect(unsigned.status).toBe(401)
    expect((await unsigned.json<{ error: { code: string; message: string } }>()).error.message).toMatch(/Unsigned/)

    const forged = await postSigned(site, 'whsec_' + btoa('not the right secret at all'), body)
    expect(forged.status).toBe(401)
    expect((await forged.json<{ error: { message: string } }>()).error.message).toMatch(/does not match/)

    const stale = await postSigned(site, secret, body, { at: new Date(Date.now() - 10 * 60 * 1000) })
    expect(stale.status).toBe(401)
    expect((await stale.json<{ error: { message: string } }>()).error.message).toMatch(/5 minutes/)

    expect(await stored()).toBe(404)
    expect((await postSigned(site, secret, body)).status).toBe(202)
    expect(await stored()).toBe(200)

    const o2 = order([product])
    const id = `msg_${unique('replay')}`
    expect((await postSigned(site, secret, JSON.stringify(o2), { id })).status).toBe(202)
    const replay = await postSigned(site, secret, JSON.stringify(order([product])), { id })
    expect(replay.status).toBe(409)
    expect((await replay.json<{ error: { code: string } }>()).error.code).toBe('conflict')
    expect(await stored()).toBe(200)
  })

  it('stores nothing for a replay racing the original', async () => {
    const o = order([product])
    const id = `msg_${unique('race')}`
    const results = await Promise.all([0, 1, 2, 3].map(() => postSigned(site, secret, JSON.stringify(o), { id })))
    expect(results.map((r) => r.status).sort()).toEqual([202, 409, 409, 409])
    const rows = await db().select().from(inboundReceipts).where(eq(inboundReceipts.messageId, id)).all()
    expect(rows).toHaveLength(1)
  })

  it('a site’s secret does not sign another site’s events', async () => {
    const other = await createSite()
    await inboundSecret(other)
    const res = await postSigned(other, secret, JSON.stringify(order([product])))
    expect(res.status).toBe(401)
  })

  it('answers bad orders with 400 and stores nothing', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...order([product]), items: [] }, /items/],
      [{ ...order([product]), items: ['no-such-target'] }, /no such target/],
      [{ ...order([product]), items: ['https://elsewhere.example/p'] }, /not a page under/],
      [{ ...order([product]), customer: { email: 'not an address' } }, /e-mail/],
      [{ ...order([product]), delivered_at: 'yesterday' }, /ISO 8601/],
      [{ ...order([product]), order_id: '' }, /order_id|empty/],
      [{ ...order([product]), items: 'tee' }, /list/],
    ]
    for (const [body, message] of cases) {
      const res = await postSigned(site, secret, JSON.stringify(body))
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(message)
    }
    expect((await postSigned(site, secret, '{not json')).status).toBe(400)
    const latin1 = new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d])
    const res = await postSigned(site, secret, latin1, {
      headers: { 'Content-Type': 'application/json; charset=iso-8859-1' },
    })
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(/UTF-8/)
    expect(
      (await postSigned(site, secret, JSON.stringify({ ...order([product]), pad: 'x'.repeat(70_000) }))).status,
    ).toBe(413)
  })

  it('needs a secret first, and 404s an unknown site', async () => {
    const fresh = await createSite()
    const res = await postSigned(fresh, secret, JSON.stringify(order([product])))
    expect(res.status).toBe(401)
    expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(/inbound-secret/)
    expect((await postSigned({ ...fresh, slug: 'no-such-site' }, secret, '{}')).status).toBe(404)
  })

  it('keeps the previous secret valid for a day after rotation', async () => {
    const s = await createSite()
    const first = await inboundSecret(s)
    const res = await api('POST', `/api/sites/${s.slug}/inbound-secret`, undefined, s.key)
    const rotated = await res.json<{ secret: string; previous_valid_until: string }>()
    expect(Date.parse(rotated.previous_valid_until) - Date.now()).toBeGreaterThan(23 * 3600 * 1000)
    const t = (await createTarget(s)).id
    expect((await postSigned(s, first, JSON.stringify(order([t])))).status).toBe(202)
    expect((await postSigned(s, rotated.secret, JSON.stringify(order([t])))).status).toBe(202)
    // Another site's key cannot rotate this site's secret.
    expect((await api('POST', `/api/sites/${s.slug}/inbound-secret`, undefined, site.key)).status).toBe(404)
  })
})

describe('sending due invitations (cron)', () => {
  it('sends every due invitation once, by e-mail and as a webhook, in the order’s language', async () => {
    const s = await createSite({ settings: { coupons: { mode: 'generated', prefix: 'THANKS', offer: '10% off' } } })
    const sec = await inboundSecret(s)
    const t = (await createTarget(s, unique('bag'), 'Canvas bag')).id
    const ja = await invite(
      s,
      sec,
      order([t], { lang: 'ja', customer: { email: 'Hanako@Mail.example', name: '花子' } }),
    )
    const en = await invite(s, sec, order([t], { customer: { email: 'sam@mail.example' } }))
    const later = await invite(s, sec, order([t], { delivered_at: new Date().toISOString() }))

    const run = await runInvitationCron()
    const mine = run.sent.filter((m) => m.to === 'hanako@mail.example' || m.to === 'sam@mail.example')
    expect(mine).toHaveLength(2)
    const jaMail = mine.find((m) => m.to === 'hanako@mail.example')!.mail
    expect(jaMail.subject).toContain('いかがでしたか')
    expect(jaMail.text).toContain('花子 様')
    expect(jaMail.text).toContain('評価の内容にかかわらず')
    expect(jaMail.text).toMatch(new RegExp(`https://hub\\.test/review/${ja.id}\\.[\\w-]+`))
    const enMail = mine.find((m) => m.to === 'sam@mail.example')!.mail
    expect(enMail.text).toContain('whatever the rating')
    expect(enMail.text).toContain('Canvas bag')
    // The same neutral words for everyone: nothing asks for a good review.
    for (const m of mine) expect(m.mail.text).not.toMatch(/5 stars|positive|good review|星5/i)

    expect((await invitationRow(ja.id))?.state).toBe('sent')
    expect((await invitationRow(en.id))?.state).toBe('sent')
    expect((await invitationRow(later.id))?.state).toBe('scheduled')

    const again = await runInvitationCron()
    expect(again.sent.filter((m) => m.to === 'hanako@mail.example')).toHaveLength(0)
  })

  it('expires unused invitations and erases the address and name', async () => {
    const t = (await createTarget(site)).id
    const inv = await invite(
      site,
      secret,
      order([t], { delivered_at: new Date(Date.now() - 100 * 24 * 3600 * 1000).toISOString() }),
    )
    await runInvitationCron()
    const row = await invitationRow(inv.id)
    expect(row?.state).toBe('expired')
    expect(row?.emailSealed).toBeNull()
    expect(row?.customerName).toBeNull()
    expect(row?.emailHash).not.toBeNull()
  })
})
