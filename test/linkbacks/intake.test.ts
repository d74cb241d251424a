/**
 * The linkback intake that every protocol shares: one guarded write per new voice, backed
 * by the isolate's memory of sites and targets. These tests change a site between two pings
 * (the second ping meets a remembered copy that is out of date) and race pings against the
 * blog limits, and check that feeds only move when something public changed.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { createSite, createTarget, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { freshIp, sendWebmention } from '../helpers/linkbacks'

const newSource = () => `https://${unique('blog')}.example/posts/${unique('p')}`

function trackback(slug: string, targetId: string, url: string) {
  return call(`/tb/${slug}/${targetId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', 'CF-Connecting-IP': freshIp() },
    body: new URLSearchParams({ url, title: 'A post', excerpt: 'Some words', blog_name: 'A blog' }).toString(),
  })
}

const statusOf = async (sourceUrl: string) =>
  (await env.DB.prepare('SELECT status FROM mentions WHERE source_url = ?').bind(sourceUrl).first<{ status: string }>())
    ?.status

const votesFrom = async (host: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM mentions WHERE source_host = ?').bind(host).first<{ n: number }>())!
    .n

const feedEtag = async (slug: string) => (await call(`/feeds/${slug}.json`)).headers.get('ETag')

describe('linkback intake — a site changed between two pings', () => {
  it('applies new storefront origins to the very next Webmention', async () => {
    const site = await createSite()
    const moved = `https://${unique('new-shop')}.example`
    expect((await sendWebmention(site.slug, { source: newSource(), target: `${site.origin}/products/a` })).status).toBe(
      201,
    )

    const patched = await api('PATCH', `/api/sites/${site.slug}`, { origins: [moved] })
    expect(patched.status, await patched.clone().text()).toBe(200)

    const stale = newSource()
    const refused = await sendWebmention(site.slug, { source: stale, target: `${site.origin}/products/a` })
    expect(refused.status).toBe(400)
    expect((await refused.text()).split('\n')[0]).toBe('target_not_here')
    expect(await statusOf(stale)).toBeUndefined()
    expect((await sendWebmention(site.slug, { source: newSource(), target: `${moved}/products/a` })).status).toBe(201)
  })

  it('applies a changed verify_links setting to the very next TrackBack ping', async () => {
    const site = await createSite()
    const target = await createTarget(site)
    const first = newSource()
    await trackback(site.slug, target.id, first)
    expect(await statusOf(first)).toBe('pending')

    const patched = await api('PATCH', `/api/sites/${site.slug}`, { settings: { verify_links: false } })
    expect(patched.status, await patched.clone().text()).toBe(200)
    const second = newSource()
    await trackback(site.slug, target.id, second)
    expect(await statusOf(second)).toBe('published')
  })
})

describe('linkback intake — limits and caches', () => {
  it('stores no more than a blog may bring, however many of its pings arrive at once', async () => {
    const site = await createSite()
    const host = `${unique('flood')}.example`
    const answers = await Promise.all(
      Array.from({ length: 14 }, (_, i) =>
        sendWebmention(site.slug, { source: `https://${host}/post-${i}`, target: `${site.origin}/products/p` }),
      ),
    )
    const statuses = answers.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(10)
    expect(statuses.filter((s) => s === 429)).toHaveLength(4)
    expect(await votesFrom(host)).toBe(10)
  })

  it('leaves feed caches alone for voices that wait for their check, and moves them for one published at once', async () => {
    const site = await createSite()
    const target = await createTarget(site)
    const before = await feedEtag(site.slug)
    const sent = await sendWebmention(site.slug, { source: newSource(), target: target.url })
    expect(sent.status).toBe(201)
    await trackback(site.slug, target.id, newSource())
    expect(await feedEtag(site.slug)).toBe(before)
    // An operator's change to a voice nobody sees yet does not move them either.
    const id = sent.headers.get('Location')!.split('/').pop()!
    expect((await api('PATCH', `/api/mentions/${id}`, { sentiment: 'positive' }, site.key)).status).toBe(200)
    expect(await feedEtag(site.slug)).toBe(before)

    await api('PATCH', `/api/sites/${site.slug}`, { settings: { verify_links: false } })
    const patchedEtag = await feedEtag(site.slug)
    await trackback(site.slug, target.id, newSource())
    expect(await feedEtag(site.slug)).not.toBe(patchedEtag)
  })
})
