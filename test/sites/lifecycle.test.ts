import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { sitesDueForDigest } from '../../src/digest/store'
import { dueWatches } from '../../src/listening/store'
import { dueInvitations } from '../../src/reviews/store'
import { purgeDeletedSites } from '../../src/sites/purge'
import { PURGE_STEPS } from '../../src/sites/purge-store'
import { deleteUnder, shopPrefix } from '../../src/exports/archive'
import { GRACE_MS } from '../../src/sites/deleted'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, unique, type SiteFixture } from '../helpers/factories'
import { api, call, callAt, DAY, OPERATOR_TOKEN } from '../helpers/http'
import { pingVoice, voiceIdOf } from '../helpers/voices'
import { inboundSecret, invite, order, postSigned } from '../helpers/reviews'
import { approvedPartner } from '../helpers/affiliates'

type SiteJson = {
  slug: string
  deletion: null | {
    state: 'restorable' | 'purging'
    deleted_at: string
    purge_after: string
    rows_purged: number
    step: number
    steps: number
    purging_table: string | null
  }
}

/** A shop with a target, a published voice with an official answer, and a webhook endpoint. */
async function shopWithData() {
  const site = await createSite(PUBLISH_PINGS_AT_ONCE)
  const target = await createTarget(site)
  const url = await pingVoice(site, target.id)
  const voice = await voiceIdOf(url)
  const answered = await api(
    'POST',
    `/api/mentions/${voice}/responses`,
    { stage: 'reply', body: 'Thank you', author: { name: 'Shop', role: 'staff' } },
    site.key,
  )
  expect(answered.status, await answered.clone().text()).toBe(201)
  const response = (await answered.json<{ id: string }>()).id
  // Corrected once, so the shop has an earlier version of an answer too.
  const corrected = await api('PATCH', `/api/responses/${response}`, { version: 1, body: 'Thank you!' }, site.key)
  expect(corrected.status, await corrected.clone().text()).toBe(200)
  return { site, target, voice, response }
}

const siteIdOf = async (slug: string) =>
  (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?').bind(slug).first<{ id: number }>())?.id

/** Every public document and road in of a shop, with what each answers. */
async function roads(site: SiteFixture, target: string, response: string, secret: string) {
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' }
  const xml = { 'Content-Type': 'text/xml' }
  const answers = {
    feed: (await call(`/feeds/${site.slug}.json`)).status,
    jf2: (await call(`/feeds/${site.slug}.jf2`)).status,
    trust: (await call(`/feeds/${site.slug}/trust.json`)).status,
    ledger: (await call(`/feeds/${site.slug}/ledger.json`)).status,
    jsonld: (await call(`/feeds/${site.slug}/jsonld?target=${target}`)).status,
    response: (await call(`/responses/${response}`)).status,
    trackback: (
      await call(`/tb/${site.slug}/${target}`, { method: 'POST', headers: form, body: 'url=https://blog.example/x' })
    ).status,
    pingback: (await call(`/pingback/${site.slug}`, { method: 'POST', headers: xml, body: '<methodCall/>' })).status,
    webmention: (
      await call(`/webmention/${site.slug}`, { method: 'POST', headers: form, body: 'source=https://blog.example/y' })
    ).status,
    blogReview: (
      await call(`/reviews/${site.slug}/blog`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      })
    ).status,
    orders: (await postSigned(site, secret, JSON.stringify(order([target])))).status,
    apply: (await call(`/affiliates/${site.slug}/apply`)).status,
    partnerPage: (await call(`/partners/${site.slug}`)).status,
  }
  return answers
}

describe('DELETE /api/sites/{site} and POST /api/sites/{site}/restore', () => {
  it('answers 410 on every public document and road in while deleted, refuses its keys, and restore brings it all back', async () => {
    const { site, target, response } = await shopWithData()
    const secret = await inboundSecret(site)
    const before = await roads(site, target.id, response, secret)
    expect(before.feed).toBe(200)
    expect(before.response).toBe(200)

    const deleted = await api('DELETE', `/api/sites/${site.slug}`)
    expect(deleted.status).toBe(200)
    const body = await deleted.json<SiteJson>()
    expect(body.deletion).toMatchObject({ state: 'restorable', rows_purged: 0 })
    expect(Date.parse(body.deletion!.purge_after) - Date.parse(body.deletion!.deleted_at)).toBe(GRACE_MS)

    const gone = await roads(site, target.id, response, secret)
    for (const [road, status] of Object.entries(gone)) expect(status, road).toBe(410)
    const feed = await call(`/feeds/${site.slug}.json`)
    expect(await feed.json()).toMatchObject({ error: { code: 'gone', message: expect.stringContaining('deleted') } })
    const tb = await call(`/tb/${site.slug}/${target.id}`, { method: 'POST', body: 'url=https://b.example/' })
    expect(await tb.text()).toContain('<error>1</error>')

    // Its key stops working; the operator still reads it (with its state) but changes nothing in it.
    expect((await api('GET', `/api/sites/${site.slug}`, undefined, site.key)).status).toBe(401)
    expect((await api('GET', `/api/sites/${site.slug}/mentions`)).status).toBe(410)
    expect((await (await api('GET', `/api/sites/${site.slug}`)).json<SiteJson>()).deletion?.state).toBe('restorable')
    // The slug stays reserved.
    const taken = await api('POST', '/api/sites', {
      slug: site.slug,
      name: 'Another',
      origins: ['https://other.example'],
      settings: { lang: 'ja' },
    })
    expect(taken.status).toBe(409)
    expect(await taken.text()).toContain('deleted shop')

    const restored = await api('POST', `/api/sites/${site.slug}/restore`)
    expect(restored.status).toBe(200)
    expect((await restored.json<SiteJson>()).deletion).toBeNull()
    const back = await roads(site, target.id, response, secret)
    expect(back).toEqual(before)
    expect((await api('GET', `/api/sites/${site.slug}`, undefined, site.key)).status).toBe(200)
    expect((await api('POST', `/api/sites/${site.slug}/restore`)).status).toBe(409)
  })

  it('stops its linkbacks’ status pages and its partners’ tracking links while deleted', async () => {
    const { site, target, voice } = await shopWithData()
    const partner = await approvedPartner(site)
    const link = await (
      await call(`/partners/${site.slug}/api/links`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${partner.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ target: target.id }),
      })
    ).json<{ code: string }>()
    expect((await call(`/status/${site.slug}/${voice}`)).status).toBe(200)

    expect((await api('DELETE', `/api/sites/${site.slug}`)).status).toBe(200)
    const status = await call(`/status/${site.slug}/${voice}`)
    expect(status.status).toBe(410)
    expect(await status.json()).toMatchObject({ error: { code: 'gone' } })
    // The link was never followed in this isolate, so nothing remembers it as live.
    const followed = await call(`/r/${link.code}`, { redirect: 'manual' })
    expect(followed.status).toBe(404)
    expect(followed.headers.get('Location')).toBeNull()
  })

  it('is the operator’s only: a site key can neither delete nor restore', async () => {
    const site = await createSite()
    expect((await api('DELETE', `/api/sites/${site.slug}`, undefined, site.key)).status).toBe(403)
    expect((await api('DELETE', `/api/sites/${site.slug}`)).status).toBe(200)
    expect((await api('DELETE', `/api/sites/${site.slug}`)).status).toBe(410)
    expect((await api('POST', `/api/sites/${site.slug}/restore`, undefined, site.key)).status).toBe(401)
    expect((await api('DELETE', `/api/sites/${unique('nobody')}`)).status).toBe(404)
  })

  it('cannot restore a shop once its grace period is over', async () => {
    const site = await createSite()
    await api('DELETE', `/api/sites/${site.slug}`)
    await env.DB.prepare('UPDATE sites SET deleted_at = deleted_at - ? WHERE slug = ?')
      .bind(GRACE_MS + 1000, site.slug)
      .run()
    const res = await api('POST', `/api/sites/${site.slug}/restore`)
    expect(res.status).toBe(409)
    expect((await (await api('GET', `/api/sites/${site.slug}`)).json<SiteJson>()).deletion?.state).toBe('purging')
  })
})

describe('the purge of a deleted shop', () => {
  it('deletes every row of the shop in bounded runs that take up where the last stopped, and leaves other shops alone', async () => {
    const { site, voice } = await shopWithData()
    const other = await shopWithData()
    const hook = await api('POST', `/api/sites/${site.slug}/webhooks`, {
      url: 'https://hooks.example/in',
      events: ['mention.published'],
    })
    expect(hook.status, await hook.clone().text()).toBe(201)
    // More voices, so the purge takes several runs; one is a review with a photo in R2.
    for (let i = 0; i < 6; i++) await pingVoice(site, (await createTarget(site)).id)
    await env.DB.prepare(`UPDATE mentions SET photos = ? WHERE id = ?`)
      .bind(JSON.stringify([{ key: `reviews/${voice}/0`, type: 'image/png' }]), voice)
      .run()
    await env.PHOTOS.put(`reviews/${voice}/0`, new Uint8Array([1, 2, 3]))
    const id = (await siteIdOf(site.slug))!

    const deletedAt = Date.now()
    await api('DELETE', `/api/sites/${site.slug}`)
    const deps = {
      d1: env.DB,
      deletePhotos: (keys: string[]) => env.PHOTOS.delete(keys),
      deleteExportFiles: (siteId: number) => deleteUnder(env.PHOTOS, shopPrefix(siteId)),
    }

    // Within the grace period nothing of it is purged (another test's shop, past its own, may be).
    await purgeDeletedSites(deps, deletedAt + GRACE_MS - DAY, 20, 2)
    const untouched = await env.DB.prepare('SELECT purge_step, purge_rows FROM sites WHERE id = ?').bind(id).first()
    expect(untouched).toEqual({ purge_step: 0, purge_rows: 0 })

    const after = deletedAt + GRACE_MS + 1000
    const runs = []
    for (let i = 0; i < 100; i++) {
      const run = await purgeDeletedSites(deps, after, 20, 2)
      runs.push(run)
      // Reads stay within the run's budget and one statement's more (each reads about the rows it deletes, through indexes).
      expect(run.read).toBeLessThanOrEqual(20 + 20)
      if (run.purged.includes(site.slug)) break
      if (run.purged.length > 0) continue
      const read = await callAt(after)(`/api/sites/${site.slug}`, {
        headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
      })
      const state = (await read.json<SiteJson>()).deletion
      expect(state).toMatchObject({ state: 'purging', steps: PURGE_STEPS.length })
      expect(state?.purging_table).toEqual(expect.any(String))
    }
    expect(runs.length).toBeGreaterThan(3)
    console.log('purge runs (rows deleted / read):', runs.map((r) => `${r.deleted}/${r.read}`).join(' '))
    expect(runs.at(-1)?.purged).toContain(site.slug)
    expect(await siteIdOf(site.slug)).toBeUndefined()
    expect(await env.PHOTOS.get(`reviews/${voice}/0`)).toBeNull()

    const tables = await env.DB.prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%site_id%' AND name NOT LIKE '\\_%' ESCAPE '\\'`,
    ).all<{ name: string }>()
    for (const { name } of tables.results) {
      const left = await env.DB.prepare(`SELECT count(*) AS n FROM "${name}" WHERE site_id = ?`)
        .bind(id)
        .first<{ n: number }>()
      if (name !== 'admin_sessions') expect(left?.n, name).toBe(0)
    }
    // The slug is free again, and the other shop is untouched.
    expect((await api('GET', `/api/sites/${site.slug}`)).status).toBe(404)
    expect((await call(`/feeds/${other.site.slug}.json`)).status).toBe(200)
    expect((await call(`/responses/${other.response}`)).status).toBe(200)
    expect((await api('GET', `/api/sites/${other.site.slug}/mentions`, undefined, other.site.key)).status).toBe(200)
  })
})

describe('the cron’s work for a deleted shop', () => {
  it('makes no digest, reads no watched feed and sends no invitation while it is deleted, and takes them up on restore', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = await createTarget(site)
    const watched = await api(
      'POST',
      `/api/sites/${site.slug}/watches`,
      { feed_url: `https://${unique('feeds')}.example/rss`, keywords: ['shop'] },
      site.key,
    )
    expect(watched.status).toBe(201)
    const invitation = await invite(site, await inboundSecret(site), order([target.id]))
    const id = (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?').bind(site.slug).first<{ id: number }>())!.id
    await env.DB.prepare('UPDATE sites SET digest_due = 0 WHERE id = ?').bind(id).run()
    const db = getDb(env.DB)
    const later = Date.now() + 400 * DAY
    const due = async () => ({
      digest: (await sitesDueForDigest(db, later, 1000)).some((s) => s.id === id),
      watch: (await dueWatches(db, later, 1000)).some((w) => w.siteId === id),
      invitation: (await dueInvitations(db, later, 1000)).some((i) => i.id === invitation.id),
    })
    expect(await due()).toEqual({ digest: true, watch: true, invitation: true })

    expect((await api('DELETE', `/api/sites/${site.slug}`)).status).toBe(200)
    expect(await due()).toEqual({ digest: false, watch: false, invitation: false })
    expect((await api('POST', `/api/sites/${site.slug}/restore`)).status).toBe(200)
    expect(await due()).toEqual({ digest: true, watch: true, invitation: true })
  })
})
