/**
 * Voices found in watched feeds wait for staff: published (on the page they are about, made a
 * target, or on a target staff choose) or set aside — which the public ledger does not count —
 * in the API and the console; refused clearly for other voices, other sites and bad input.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, get, post, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api } from '../helpers/http'
import { discover } from '../helpers/listening'
import { hitsOf, html, servePage } from '../helpers/blogs'
import { sendWebmention } from '../helpers/linkbacks'
import { pingVoice } from '../helpers/voices'

type Voice = {
  id: string
  kind?: string
  status: string
  target: string
  target_pending: boolean
  published_at: string | null
}
type Trust = { moderation: { removed: number; spam: number; gone: number } }

const publish = (s: SiteFixture, id: string, body: unknown = {}) =>
  api('POST', `/api/mentions/${id}/publish`, body, s.key)
const dismiss = (s: SiteFixture, id: string) => api('POST', `/api/mentions/${id}/dismiss`, {}, s.key)
const feedOf = async (s: SiteFixture) =>
  (await (await api('GET', `/feeds/${s.slug}.json`, undefined, null)).json<{ items: { id: string }[] }>()).items
const trustOf = async (s: SiteFixture) =>
  (await api('GET', `/feeds/${s.slug}/trust.json`, undefined, null)).json<Trust>()

let site: SiteFixture
let other: SiteFixture

beforeAll(async () => {
  site = await createSite()
  other = await createSite()
})

describe('publishing or setting aside a found voice (API)', () => {
  it('publishes one on the page it is about, made a target then, and it joins the public feed', async () => {
    const [found] = await discover(site, [{ title: 'Tanaka Goods is great' }])
    expect(found).toMatchObject({ status: 'pending', target: `${site.origin}/`, target_pending: true })
    expect(await feedOf(site)).toEqual([])
    const res = await publish(site, found!.id)
    expect(res.status, await res.clone().text()).toBe(200)
    const voice = await res.json<Voice>()
    expect(voice).toMatchObject({ status: 'published', target_pending: false })
    expect(voice.published_at).not.toBeNull()
    const target = await (
      await api('GET', `/api/sites/${site.slug}/targets/${voice.target}`, undefined, site.key)
    ).json<{
      url: string
    }>()
    expect(target.url).toBe(`${site.origin}/`)
    expect((await feedOf(site)).map((v) => v.id)).toEqual([found!.id])
    // Published once: a second time is refused.
    expect((await publish(site, found!.id)).status).toBe(409)
  })

  it('publishes one on a target staff choose', async () => {
    const product = await createTarget(site)
    const [found] = await discover(site, [{ title: 'Tanaka Goods mug' }])
    const voice = await (await publish(site, found!.id, { target: product.id })).json<Voice>()
    expect(voice).toMatchObject({ status: 'published', target: product.id, target_pending: false })
  })

  it('sets one aside without a ledger entry; it can be published later, and is moderated like any voice once shown', async () => {
    const s = await createSite()
    const [found] = await discover(s, [{ title: 'Tanaka Goods is awful', body: 'Tanaka Goods broke' }])
    // Never shown: not removed, not spam — set aside.
    const removal = await api(
      'POST',
      `/api/mentions/${found!.id}/moderation`,
      { action: 'remove', category: 'off_topic', reason: 'not about us' },
      s.key,
    )
    expect(removal.status).toBe(409)
    expect((await removal.json<{ error: { message: string } }>()).error.message).toMatch(/published or set aside/)
    const aside = await dismiss(s, found!.id)
    expect(aside.status).toBe(200)
    expect(await aside.json()).toMatchObject({ status: 'rejected' })
    expect((await dismiss(s, found!.id)).status).toBe(409)
    expect((await trustOf(s)).moderation).toMatchObject({ removed: 0, spam: 0, gone: 0 })
    expect(await feedOf(s)).toEqual([])

    expect(await (await publish(s, found!.id)).json()).toMatchObject({ status: 'published' })
    const removed = await api(
      'POST',
      `/api/mentions/${found!.id}/moderation`,
      { action: 'remove', category: 'personal_data', reason: 'names a customer' },
      s.key,
    )
    expect(removed.status).toBe(200)
    expect((await trustOf(s)).moderation).toMatchObject({ removed: 1 })
  })

  it('refuses other kinds of voices, other sites, unknown targets and bad input', async () => {
    const [found] = await discover(site, [{ title: 'Tanaka Goods again' }])
    const ours = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = await createTarget(ours)
    await pingVoice(ours, target.id)
    const pinged = (
      await (await api('GET', `/api/sites/${ours.slug}/mentions`, undefined, ours.key)).json<{ items: Voice[] }>()
    ).items[0]!
    expect((await publish(ours, pinged.id)).status).toBe(409)
    expect((await dismiss(ours, pinged.id)).status).toBe(409)
    // Another site's key never sees it.
    expect((await publish(other, found!.id)).status).toBe(404)
    expect((await dismiss(other, found!.id)).status).toBe(404)
    // A target of another site is no target of this one.
    const theirs = await createTarget(other)
    const unknown = await publish(site, found!.id, { target: theirs.id })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('target: no such target of this site')
    expect((await publish(site, found!.id, { target: 5 })).status).toBe(400)
    expect((await publish(site, found!.id, { target: 'x'.repeat(201) })).status).toBe(400)
    expect((await publish(site, found!.id, { extra: true })).status).toBe(400)
    expect((await api('POST', `/api/mentions/m_nope/publish`, {}, site.key)).status).toBe(404)
    // Nothing of that changed the voice.
    const still = await (await api('GET', `/api/mentions/${found!.id}`, undefined, site.key)).json<Voice>()
    expect(still.status).toBe('pending')
  })
})

describe('the console', () => {
  let staff: Browser
  beforeAll(async () => {
    staff = await signIn(site.key)
  })

  it('shows a found voice waiting for a decision, in English and Japanese, and publishes or sets it aside', async () => {
    const product = await createTarget(site, undefined, 'Blue kettle')
    const [one, two] = await discover(site, [{ title: 'Tanaka Goods kettle' }, { title: 'Tanaka Goods again' }])
    const en = await (await get(staff, `/admin/mentions/${one!.id}?lang=en`)).text()
    expect(en).toContain('Found in a watched feed')
    expect(en).toContain('Waiting for your decision')
    expect(en).toContain(`<option value="${product.id}">Blue kettle</option>`)
    // No moderation form until it has been shown.
    expect(en).not.toContain('/moderation"')
    const ja = await (await get(staff, `/admin/mentions/${one!.id}?lang=ja`)).text()
    expect(ja).toContain('監視中のフィードで見つかった声')
    expect(ja).toContain('判断待ち')

    const published = await post(staff, `/admin/mentions/${one!.id}/publish`, { _csrf: staff.csrf, target: product.id })
    expect(published.status).toBe(303)
    expect(await (await api('GET', `/api/mentions/${one!.id}`, undefined, site.key)).json()).toMatchObject({
      status: 'published',
      target: product.id,
    })
    const aside = await post(staff, `/admin/mentions/${two!.id}/dismiss`, { _csrf: staff.csrf })
    expect(aside.status).toBe(303)
    expect(await (await get(staff, `/admin/mentions/${two!.id}?lang=en`)).text()).toContain('Set aside')

    // Refused in the page's language; without the CSRF token, nothing happens.
    const again = await post(staff, `/admin/mentions/${two!.id}/dismiss?lang=ja`, { _csrf: staff.csrf })
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('この声は判断を待っていません')
    expect((await post(staff, `/admin/mentions/${two!.id}/publish`, {})).status).toBe(403)
    expect(await (await api('GET', `/api/mentions/${two!.id}`, undefined, site.key)).json()).toMatchObject({
      status: 'rejected',
    })
  })
})

describe('the inbox', () => {
  it('says how many found voices wait, and links to them', async () => {
    const s = await createSite()
    const staff = await signIn(s.key)
    expect(await (await get(staff, `/admin/sites/${s.slug}?lang=en`)).text()).not.toContain('Found in watched feeds')
    const [one] = await discover(s, [{ title: 'Tanaka Goods one' }, { title: 'Tanaka Goods two' }])
    const en = await (await get(staff, `/admin/sites/${s.slug}?lang=en`)).text()
    expect(en).toContain(
      `<a href="/admin/sites/${s.slug}?kind=discovered&amp;status=pending">Found in watched feeds, waiting for your decision: 2</a>`,
    )
    await dismiss(s, one!.id)
    const ja = await (await get(staff, `/admin/sites/${s.slug}?lang=ja`)).text()
    expect(ja).toContain('監視中のフィードで見つかった声が1件、判断を待っています')
    // The link's list: the one still waiting.
    const list = await (await get(staff, `/admin/sites/${s.slug}?kind=discovered&status=pending&lang=en`)).text()
    expect(list).toContain('Tanaka Goods two')
    expect(list).not.toContain('Tanaka Goods one')
  })
})

describe('a found page whose author sends a linkback', () => {
  it('stays staff’s to decide: a ping neither checks, publishes, revives nor takes away a found voice', async () => {
    const s = await createSite()
    const product = await createTarget(s)
    const [waiting, aside, shown] = await discover(s, [
      { title: 'Tanaka Goods mug', body: `<a href="${product.url}">Tanaka Goods</a>` },
      { title: 'Tanaka Goods again', body: `<a href="${product.url}">Tanaka Goods</a>` },
      { title: 'Tanaka Goods third', body: `<a href="${product.url}">Tanaka Goods</a>` },
    ])
    await dismiss(s, aside!.id)
    await publish(s, shown!.id)
    // Two pages that link, one that does not (a found voice never had to link).
    await servePage(waiting!.source_url, { body: html(`<p>My <a href="${product.url}">Tanaka Goods</a> mug.</p>`) })
    await servePage(aside!.source_url, { body: html(`<p>My <a href="${product.url}">Tanaka Goods</a> mug.</p>`) })
    await servePage(shown!.source_url, { body: html('<p>Tanaka Goods, no link.</p>') })
    for (const found of [waiting!, aside!, shown!]) {
      const sent = await sendWebmention(s.slug, { source: found.source_url, target: product.url })
      expect(sent.status, await sent.clone().text()).toBe(201)
    }
    // No check was queued (it would be in the voice's record at once), and no page was fetched.
    const now = async (id: string) => (await api('GET', `/api/mentions/${id}`, undefined, s.key)).json<Voice>()
    expect(await now(waiting!.id)).toMatchObject({ kind: 'discovered', status: 'pending', verification: null })
    expect(await now(aside!.id)).toMatchObject({ kind: 'discovered', status: 'rejected', verification: null })
    expect(await now(shown!.id)).toMatchObject({ kind: 'discovered', status: 'published', verification: null })
    for (const found of [waiting!, aside!, shown!]) expect((await hitsOf(found.source_url)).count).toBe(0)
    expect((await trustOf(s)).moderation).toMatchObject({ gone: 0, removed: 0 })
  })
})
