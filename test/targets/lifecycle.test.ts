/**
 * Who makes targets. Anonymous pings do not: a voice about a page nobody registered names the
 * page by URL, and the hub makes an (automatic) target only when such a voice is published —
 * or never, with `auto_targets` off. Operators rename targets, move them to another URL of the
 * storefront, delete unused ones, and merge an automatic target into a registered one.
 */
import { describe, expect, it } from 'vitest'

import { approvedPartner } from '../helpers/affiliates'
import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { sendWebmention, settled } from '../helpers/linkbacks'

type Target = { id: string; url: string; title: string; kind: string; automatic: boolean }
type Feed = {
  items: { id: string }[]
  _glasshouse: { stats: { voices: number; by_sentiment: Record<string, number>; responded: number } }
}

const targetsOf = async (s: SiteFixture, query = '') =>
  (
    await (
      await api('GET', `/api/sites/${s.slug}/targets?limit=100${query}`, undefined, s.key)
    ).json<{ items: Target[] }>()
  ).items

/** A published voice about `page`, from a new blog post that links to it. */
async function publishedVoice(s: SiteFixture, page: string, linkTo = page) {
  const source = `https://${unique('blog')}.example/post`
  await servePage(source, { body: html(`<p>About <a href="${linkTo}">this</a>.</p>`) })
  const sent = await sendWebmention(s.slug, { source, target: page })
  expect(sent.status, await sent.clone().text()).toBe(201)
  const status = await settled(sent.headers.get('Location')!)
  expect(status.status).toBe('verified')
  return { id: status.voice.id, source }
}

const partnerProducts = async (s: SiteFixture) => {
  const p = await approvedPartner(s)
  const login = await call(`/partners/${s.slug}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://hub.test' },
    body: new URLSearchParams({ key: p.key }).toString(),
  })
  const page = await (
    await call(`/partners/${s.slug}`, { headers: { Cookie: login.headers.get('Set-Cookie')!.split(';')[0]! } })
  ).text()
  return { key: p.key, options: [...new Set([...page.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]!))] }
}

describe('targets made by the hub', () => {
  it('are not made by pings: twenty unverified Webmentions to twenty pages make none, and partners see none', async () => {
    const s = await createSite()
    const registered = await createTarget(s, 'kettle', 'Kettle')
    const locations: string[] = []
    for (let i = 0; i < 20; i++) {
      const source = `https://${unique('spam')}.example/p`
      await servePage(source, { body: html('<p>no link</p>') })
      const res = await sendWebmention(s.slug, { source, target: `${s.origin}/anything/${i}` })
      expect(res.status).toBe(201)
      locations.push(res.headers.get('Location')!)
    }
    for (const location of locations)
      expect(await settled(location)).toMatchObject({ status: 'rejected', reason: 'no_link' })
    expect((await targetsOf(s)).map((t) => t.id)).toEqual([registered.id])
    expect((await partnerProducts(s)).options).toEqual([registered.id])
  })

  it('are made when a voice about the page is published, counted there, and kept from partners', async () => {
    const s = await createSite()
    const page = `${s.origin}/blog/our-story`
    const { id } = await publishedVoice(s, page)
    const [auto] = await targetsOf(s, '&automatic=true')
    expect(auto).toMatchObject({ url: page, title: page, kind: 'page', automatic: true })
    const feed = await (await call(`/feeds/${s.slug}.json?target=${auto!.id}`)).json<Feed>()
    expect(feed.items.map((i) => i.id)).toEqual([id])
    expect(feed._glasshouse.stats.voices).toBe(1)
    const partner = await partnerProducts(s)
    expect(partner.options).toEqual([])
    const link = await call(`/partners/${s.slug}/api/links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${partner.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: auto!.id }),
    })
    expect(link.status).toBe(404)
    const post = await call(`/partners/${s.slug}/api/posts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${partner.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: `https://${unique('pr')}.example/post`, target: auto!.id }),
    })
    expect(post.status).toBe(400)
    expect((await post.json<{ error: { message: string } }>()).error.message).toBe(
      'target: no such product on this site',
    )
  })

  it('are made once when several voices about the page are published at the same moment, and every voice is on it', async () => {
    const s = await createSite()
    const page = `${s.origin}/products/${unique('new')}`
    // Sent together, checked in one queue batch: each check makes (or finds) the page's target at once.
    const sources = [
      `https://${unique('a')}.example/p`,
      `https://${unique('b')}.example/p`,
      `https://${unique('c')}.example/p`,
    ]
    for (const source of sources) await servePage(source, { body: html(`<a href="${page}">this</a>`) })
    const sent = await Promise.all(sources.map((source) => sendWebmention(s.slug, { source, target: page })))
    const statuses = await Promise.all(sent.map((r) => settled(r.headers.get('Location')!)))
    expect(statuses.map((st) => st.status)).toEqual(['verified', 'verified', 'verified'])
    const made = (await targetsOf(s)).filter((t) => t.url === page)
    expect(made).toHaveLength(1)
    for (const st of statuses) {
      const voice = await (
        await api('GET', `/api/mentions/${st.voice.id}`, undefined, s.key)
      ).json<{ target: string }>()
      expect(voice.target).toBe(made[0]?.id)
    }
    expect((await (await call(`/feeds/${s.slug}.json`)).json<Feed>())._glasshouse.stats.voices).toBe(3)
  })

  it('are never made with auto_targets off: a voice about an unregistered page is refused at once', async () => {
    const s = await createSite({ settings: { auto_targets: false } })
    const t = await createTarget(s, 'kettle', 'Kettle')
    const refused = await sendWebmention(s.slug, {
      source: `https://${unique('b')}.example/p`,
      target: `${s.origin}/unlisted`,
    })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toBe(
      'target_not_here\n\nthe target is not a page this shop lists: it registers its pages itself\n',
    )
    await publishedVoice(s, t.url)
    expect((await targetsOf(s)).map((x) => x.id)).toEqual(['kettle'])
  })
})

describe('registering a page that voices are waiting about', () => {
  it('gives the waiting voices to the new target, which a check then publishes there', async () => {
    const s = await createSite()
    const page = `${s.origin}/products/new-kettle`
    const source = `https://${unique('blog')}.example/post`
    // The post does not link to the page yet: the first check rejects it.
    await servePage(source, { body: html('<p>soon</p>') })
    const sent = await sendWebmention(s.slug, { source, target: page })
    const location = sent.headers.get('Location')!
    expect(await settled(location)).toMatchObject({ status: 'rejected', target: page })
    const created = await api(
      'POST',
      `/api/sites/${s.slug}/targets`,
      { id: 'new-kettle', url: page, title: 'New kettle', kind: 'product' },
      s.key,
    )
    expect(created.status).toBe(201)
    await servePage(source, { body: html(`<a href="${page}">the new kettle</a>`) })
    const again = await sendWebmention(s.slug, { source, target: page })
    expect(again.headers.get('Location')).toBe(location)
    expect(await settled(location)).toMatchObject({ status: 'verified', target: page, voice: { status: 'published' } })
    const feed = await (await call(`/feeds/${s.slug}.json?target=new-kettle`)).json<Feed>()
    expect(feed._glasshouse.stats.voices).toBe(1)
    expect((await targetsOf(s)).map((t) => t.id)).toEqual(['new-kettle'])
  })
})

describe('PATCH /api/sites/{site}/targets/{id}', () => {
  it('renames, changes the kind and the URL (on the storefront, not another target’s), and registers an automatic target', async () => {
    const s = await createSite()
    const other = await createSite()
    const t = await createTarget(s, 'tee', 'Tee')
    await createTarget(s, 'bag', 'Bag')
    const renamed = await api(
      'PATCH',
      `/api/sites/${s.slug}/targets/tee`,
      { title: 'Linen tee', kind: 'product', url: `${s.origin}/p/linen-tee?utm_source=x` },
      s.key,
    )
    expect(renamed.status).toBe(200)
    expect(await renamed.json()).toMatchObject({
      id: 'tee',
      title: 'Linen tee',
      url: `${s.origin}/p/linen-tee`,
      automatic: false,
    })
    const feed = await (
      await call(`/feeds/${s.slug}.json?target=tee`)
    ).json<{ _glasshouse: { target: { title: string } } }>()
    expect(feed._glasshouse.target.title).toBe('Linen tee')

    expect(
      (await api('PATCH', `/api/sites/${s.slug}/targets/tee`, { url: 'https://elsewhere.example/p' }, s.key)).status,
    ).toBe(400)
    expect(
      (await api('PATCH', `/api/sites/${s.slug}/targets/tee`, { url: `${s.origin}/products/bag` }, s.key)).status,
    ).toBe(409)
    expect((await api('PATCH', `/api/sites/${s.slug}/targets/tee`, { title: '' }, s.key)).status).toBe(400)
    expect((await api('PATCH', `/api/sites/${s.slug}/targets/tee`, { automatic: true }, s.key)).status).toBe(400)
    expect((await api('PATCH', `/api/sites/${s.slug}/targets/tee`, { colour: 'red' }, s.key)).status).toBe(400)
    expect((await api('PATCH', `/api/sites/${s.slug}/targets/tee`, { title: 'Mine now' }, other.key)).status).toBe(404)
    expect((await api('PATCH', `/api/sites/${s.slug}/targets/nope`, { title: 'x' }, s.key)).status).toBe(404)
    expect(t.id).toBe('tee')

    const page = `${s.origin}/blog/story`
    await publishedVoice(s, page)
    const [auto] = await targetsOf(s, '&automatic=true')
    const registered = await (
      await api('PATCH', `/api/sites/${s.slug}/targets/${auto!.id}`, { title: 'Our story', automatic: false }, s.key)
    ).json<Target>()
    expect(registered).toMatchObject({ title: 'Our story', automatic: false })
    expect((await partnerProducts(s)).options).toContain(auto!.id)
  })
})

describe('DELETE /api/sites/{site}/targets/{id}', () => {
  it('deletes a target nothing refers to, and refuses one with voices or tracking links', async () => {
    const s = await createSite()
    const other = await createSite()
    await createTarget(s, 'unused', 'Unused')
    expect((await api('DELETE', `/api/sites/${s.slug}/targets/unused`, undefined, other.key)).status).toBe(404)
    expect((await api('DELETE', `/api/sites/${s.slug}/targets/unused`, undefined, s.key)).status).toBe(204)
    expect((await api('GET', `/api/sites/${s.slug}/targets/unused`, undefined, s.key)).status).toBe(404)
    expect((await api('DELETE', `/api/sites/${s.slug}/targets/unused`, undefined, s.key)).status).toBe(404)

    const voiced = await createTarget(s, 'voiced', 'Voiced')
    await publishedVoice(s, voiced.url)
    const inUse = await api('DELETE', `/api/sites/${s.slug}/targets/voiced`, undefined, s.key)
    expect(inUse.status).toBe(409)
    expect((await inUse.json<{ error: { message: string } }>()).error.message).toBe(
      'This target is in use (1 voice); merge it into another target instead',
    )

    await createTarget(s, 'linked', 'Linked')
    const partner = await approvedPartner(s)
    await call(`/partners/${s.slug}/api/links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${partner.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: 'linked' }),
    })
    expect((await api('DELETE', `/api/sites/${s.slug}/targets/linked`, undefined, s.key)).status).toBe(409)
  })
})

describe('POST /api/sites/{site}/targets/{id}/merge', () => {
  it('moves an automatic target’s voices, answers and counters into a registered one, then deletes it', async () => {
    const s = await createSite()
    const product = await createTarget(s, 'kettle', 'Kettle')
    const oldPage = `${s.origin}/old/kettle-page`
    const first = await publishedVoice(s, oldPage)
    const second = await publishedVoice(s, oldPage)
    await api('PATCH', `/api/mentions/${first.id}`, { sentiment: 'negative' }, s.key)
    await api(
      'POST',
      `/api/mentions/${first.id}/responses`,
      { stage: 'apology', body: 'Sorry.', author: { name: 'Aiko' } },
      s.key,
    )
    const [auto] = await targetsOf(s, '&automatic=true')

    expect((await api('POST', `/api/sites/${s.slug}/targets/kettle/merge`, { into: auto!.id }, s.key)).status).toBe(409)
    expect((await api('POST', `/api/sites/${s.slug}/targets/${auto!.id}/merge`, { into: 'nope' }, s.key)).status).toBe(
      400,
    )
    expect(
      (await api('POST', `/api/sites/${s.slug}/targets/${auto!.id}/merge`, { into: auto!.id }, s.key)).status,
    ).toBe(400)

    const merged = await api('POST', `/api/sites/${s.slug}/targets/${auto!.id}/merge`, { into: 'kettle' }, s.key)
    expect(merged.status).toBe(200)
    expect(await merged.json()).toMatchObject({
      into: { id: 'kettle', url: product.url },
      moved: 2,
      left: [],
      deleted: true,
    })
    expect((await api('GET', `/api/sites/${s.slug}/targets/${auto!.id}`, undefined, s.key)).status).toBe(404)

    const feed = await (await call(`/feeds/${s.slug}.json?target=kettle`)).json<Feed>()
    expect(feed.items.map((i) => i.id).sort()).toEqual([first.id, second.id].sort())
    expect(feed._glasshouse.stats).toMatchObject({ voices: 2, responded: 1, by_sentiment: { negative: 1 } })
    // The counters agree with a recount from the voices.
    expect((await api('POST', `/api/sites/${s.slug}/stats/rebuild`)).status).toBe(200)
    const recounted = await (await call(`/feeds/${s.slug}.json?target=kettle`)).json<Feed>()
    expect(recounted._glasshouse.stats).toEqual(feed._glasshouse.stats)

    // The old page is a former address of the product: a re-sent post that links to it stays,
    // a new post about it joins the product, and no target comes back for it.
    const resent = await sendWebmention(s.slug, { source: first.source, target: oldPage })
    expect(await settled(resent.headers.get('Location')!)).toMatchObject({
      status: 'verified',
      voice: { id: first.id, status: 'published' },
    })
    const third = await publishedVoice(s, oldPage)
    const after = await (await call(`/feeds/${s.slug}.json?target=kettle`)).json<Feed>()
    expect(after.items.map((i) => i.id)).toContain(third.id)
    expect((await targetsOf(s)).map((t) => t.id)).toEqual(['kettle'])
    expect(
      (await (await call(`/feeds/${s.slug}.json?target=${encodeURIComponent(oldPage)}`)).json<Feed>())._glasshouse.stats
        .voices,
    ).toBe(3)
  })

  it('a moved target keeps the voices whose posts link to its old address', async () => {
    const s = await createSite()
    const t = await createTarget(s, 'tee', 'Tee')
    const voice = await publishedVoice(s, t.url)
    expect(
      (await api('PATCH', `/api/sites/${s.slug}/targets/tee`, { url: `${s.origin}/p/linen-tee` }, s.key)).status,
    ).toBe(200)
    const resent = await sendWebmention(s.slug, { source: voice.source, target: t.url })
    expect(await settled(resent.headers.get('Location')!)).toMatchObject({
      status: 'verified',
      voice: { id: voice.id, status: 'published' },
    })
    // The old URL stays the tee's: another target cannot take it, and the tee can move back to it.
    const taken = await api(
      'POST',
      `/api/sites/${s.slug}/targets`,
      { id: 'other', url: t.url, title: 'Other', kind: 'product' },
      s.key,
    )
    expect(taken.status).toBe(409)
    expect((await taken.json<{ error: { message: string } }>()).error.message).toBe(
      'url: this is a former address of target "tee": merge into that target, or move it',
    )
    await createTarget(s, 'bag', 'Bag')
    expect((await api('PATCH', `/api/sites/${s.slug}/targets/bag`, { url: t.url }, s.key)).status).toBe(409)
    const back = await api('PATCH', `/api/sites/${s.slug}/targets/tee`, { url: t.url }, s.key)
    expect(await back.json()).toMatchObject({ id: 'tee', url: t.url })
  })

  it('leaves a voice whose post is already a voice of the registered target, and keeps the automatic target for it', async () => {
    const s = await createSite()
    const product = await createTarget(s, 'kettle', 'Kettle')
    const oldPage = `${s.origin}/old/kettle`
    const both = `https://${unique('blog')}.example/both`
    await servePage(both, { body: html(`<a href="${oldPage}">old</a> <a href="${product.url}">new</a>`) })
    await settled((await sendWebmention(s.slug, { source: both, target: oldPage })).headers.get('Location')!)
    await settled((await sendWebmention(s.slug, { source: both, target: product.url })).headers.get('Location')!)
    const only = await publishedVoice(s, oldPage)
    const [auto] = await targetsOf(s, '&automatic=true')
    const out = await (
      await api('POST', `/api/sites/${s.slug}/targets/${auto!.id}/merge`, { into: 'kettle' }, s.key)
    ).json<{ moved: number; left: string[]; deleted: boolean }>()
    expect(out.moved).toBe(1)
    expect(out.left).toHaveLength(1)
    expect(out.deleted).toBe(false)
    const feed = await (await call(`/feeds/${s.slug}.json?target=kettle`)).json<Feed>()
    expect(feed.items.map((i) => i.id)).toContain(only.id)
    expect(feed._glasshouse.stats.voices).toBe(2)
  })
})
