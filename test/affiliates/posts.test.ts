/**
 * Partners' posts as voices: verified like a Webmention (a link to the target or to one of
 * the partner's own tracking links), published as kind `affiliate` with the advertising
 * disclosure, removed when the post is taken down — and a critical post earns like any other.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { trackingLinkTest } from '../../src/affiliates/links/links'
import { getDb } from '../../src/db/client'
import { clicks } from '../../src/db/schema'
import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { approvedPartner } from '../helpers/affiliates'
import { call, HUB } from '../helpers/http'
import { eventually, settled } from '../helpers/linkbacks'
import { inboundSecret, postSigned } from '../helpers/reviews'

type Item = {
  id: string
  content_text: string
  authors?: { name?: string }[]
  _glasshouse: { kind: string; disclosure: string | null; sentiment: string | null }
}

let site: SiteFixture
let secret: string
let target: { id: string; url: string }

const asPartner = (key: string, method: string, path: string, body?: unknown, slug = site.slug) =>
  call(`/partners/${slug}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

async function linkOf(key: string) {
  return await (await asPartner(key, 'POST', '/links', { target: target.id })).json<{ code: string; url: string }>()
}

async function blogPost(words: string, href: string | null, status = 200) {
  const url = `https://${unique('blog')}.example/post`
  await servePage(url, {
    status,
    body: html(
      `<article class="h-entry"><h1 class="p-name">My review</h1><p class="e-content">${words} ${href ? `<a href="${href}">buy it here</a>` : ''}</p></article>`,
    ),
  })
  return url
}

const feedItems = async () =>
  (await (await call(`/feeds/${site.slug}.json?target=${target.id}`)).json<{ items: Item[] }>()).items

beforeAll(async () => {
  site = await createSite({ settings: { affiliate_commission_percent: 10 } })
  secret = await inboundSecret(site)
  target = await createTarget(site, unique('tee'), 'Tee')
})

describe('affiliate posts', () => {
  it('publishes a post that links through the partner’s tracking link, labelled as advertising; critical or not, it earns the same', async () => {
    const critic = await approvedPartner(site, 'Critical Carol')
    const fan = await approvedPartner(site, 'Happy Hank')
    const criticLink = await linkOf(critic.key)
    const fanLink = await linkOf(fan.key)
    expect(criticLink.url).toBe(`${HUB}/r/${criticLink.code}`)

    const harsh = await blogPost(
      'Honestly disappointed: the tee shrank and the seams came apart. Terrible.',
      criticLink.url,
    )
    const kind = await blogPost('I love this tee, excellent quality, highly recommended!', target.url)
    for (const [p, url] of [
      [critic, harsh],
      [fan, kind],
    ] as const) {
      const res = await asPartner(p.key, 'POST', '/posts', { url, target: target.id })
      expect(res.status, await res.clone().text()).toBe(202)
      expect((await settled((await res.json<{ location: string }>()).location)).status).toBe('verified')
    }
    const items = await feedItems()
    const harshItem = items.find((i) => i.content_text.includes('shrank'))!
    expect(harshItem._glasshouse).toMatchObject({ kind: 'affiliate', disclosure: 'affiliate', sentiment: 'negative' })
    expect(harshItem.authors?.[0]?.name).toBe('Critical Carol')
    expect(items.find((i) => i.content_text.includes('love this tee'))!._glasshouse).toMatchObject({
      kind: 'affiliate',
      disclosure: 'affiliate',
      sentiment: 'positive',
    })

    // Both partners' readers buy the same thing: the same commission, whatever the posts say.
    const earned: number[] = []
    for (const code of [criticLink.code, fanLink.code]) {
      const res = await call(`/r/${code}`, {
        redirect: 'manual',
        headers: { 'User-Agent': 'Mozilla/5.0 (Macintosh) Safari', 'CF-Connecting-IP': '198.51.100.20' },
      })
      const clickId = new URL(res.headers.get('Location')!).searchParams.get('gh_click')!
      await eventually(
        () => getDb(env.DB).select().from(clicks).where(eq(clicks.id, clickId)).get(),
        (c) => c !== undefined,
      )
      const sale = await postSigned(
        site,
        secret,
        JSON.stringify({ order_id: unique('o'), event: 'sale', amount: 4000, currency: 'JPY', click_id: clickId }),
        { hook: 'conversions' },
      )
      earned.push((await sale.json<{ conversion: { commission: number } }>()).conversion.commission)
    }
    expect(earned).toEqual([400, 400])
  })

  it('rejects a post without the link, or linking through another partner’s tracking link', async () => {
    const p = await approvedPartner(site, 'No Link')
    const other = await approvedPartner(site, 'Other')
    const otherLink = await linkOf(other.key)
    for (const href of [null, otherLink.url]) {
      const res = await asPartner(p.key, 'POST', '/posts', {
        url: await blogPost('About the tee', href),
        target: target.id,
      })
      expect((await settled((await res.json<{ location: string }>()).location)).status).toBe('rejected')
    }
  })

  it('leaves the feed when the post is taken down and sent again', async () => {
    const p = await approvedPartner(site, 'Deleter')
    const url = await blogPost('A post I will delete', target.url)
    const first = await asPartner(p.key, 'POST', '/posts', { url, target: target.id })
    const location = (await first.json<{ location: string }>()).location
    await settled(location)
    expect((await feedItems()).some((i) => i.content_text.includes('I will delete'))).toBe(true)
    await servePage(url, { status: 410, body: 'gone' })
    expect((await asPartner(p.key, 'POST', '/posts', { url, target: target.id })).status).toBe(202)
    await eventually(
      async () => (await feedItems()).some((i) => i.content_text.includes('I will delete')),
      (there) => !there,
    )
  })

  it('counts a tracking link only on the hub’s own host when HUB_ORIGIN is set', async () => {
    const p = await approvedPartner(site, 'Host Check')
    const { code } = await linkOf(p.key)
    const strict = await trackingLinkTest(getDb(env.DB), p.id, target.id, 'https://hub.example')
    expect(strict(`https://hub.example/r/${code}`)).toBe(true)
    expect(strict(`https://evil.example/r/${code}`)).toBe(false)
    expect(strict('https://hub.example/r/aaaaaaaa')).toBe(false)
    expect(strict('not a url')).toBe(false)
    const loose = await trackingLinkTest(getDb(env.DB), p.id, target.id, null)
    expect(loose(`https://any.example/r/${code}`)).toBe(true)
  })

  it('refuses bad posts and other sites’ keys', async () => {
    const p = await approvedPartner(site, 'Bad Input')
    expect((await asPartner(p.key, 'POST', '/posts', { url: 'not a url', target: target.id })).status).toBe(400)
    expect((await asPartner(p.key, 'POST', '/posts', { url: `${site.origin}/own`, target: target.id })).status).toBe(
      400,
    )
    expect((await asPartner(p.key, 'POST', '/posts', { url: 'https://blog.example/x', target: 'nope' })).status).toBe(
      400,
    )
    expect((await asPartner(p.key, 'POST', '/posts', { url: 'https://blog.example/x' })).status).toBe(400)
    const other = await createSite()
    expect(
      (await asPartner(p.key, 'POST', '/posts', { url: 'https://blog.example/x', target: target.id }, other.slug))
        .status,
    ).toBe(401)
  })
})
