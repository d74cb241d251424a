/**
 * Operators choose target ids such as `tshirt`, so two shops on one hub share them. Every
 * lookup that finds a target by (site, id) must stay inside its own site: a tracking link, a
 * feed, trust figures and JSON-LD, TrackBack, the operator API, partner links and review
 * invitations. The first shop's target is always created first, so a lookup that loses the
 * site finds the wrong one.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { approvedPartner } from '../helpers/affiliates'
import { html, servePage } from '../helpers/blogs'
import { createSite, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { sendWebmention, settled } from '../helpers/linkbacks'
import { inboundSecret, invite, order, reviewPath } from '../helpers/reviews'
import { pingVoice } from '../helpers/voices'

const ID = 'tshirt'
let first: SiteFixture
let second: SiteFixture

async function shopWithTshirt(title: string) {
  const s = await createSite(PUBLISH_PINGS_AT_ONCE)
  const res = await api(
    'POST',
    `/api/sites/${s.slug}/targets`,
    { id: ID, url: `${s.origin}/products/${ID}`, title, kind: 'product' },
    s.key,
  )
  expect(res.status, await res.clone().text()).toBe(201)
  return s
}

type Feed = {
  items: { url: string }[]
  _glasshouse: { target: { id: string; url: string; title: string } | null; stats: { voices: number } }
}

beforeAll(async () => {
  first = await shopWithTshirt('First shop’s T-shirt')
  second = await shopWithTshirt('Second shop’s T-shirt')
})

describe('a target id two shops share', () => {
  it('a tracking link of the second shop leads to the second shop’s product', async () => {
    const partner = await approvedPartner(second)
    const made = await call(`/partners/${second.slug}/api/links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${partner.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target: ID }),
    })
    expect(made.status, await made.clone().text()).toBe(201)
    const { code } = await made.json<{ code: string }>()
    const res = await call(`/r/${code}`, { redirect: 'manual', headers: { 'CF-Connecting-IP': '198.51.100.9' } })
    expect(res.status).toBe(302)
    expect(new URL(res.headers.get('Location')!).origin).toBe(second.origin)
    expect(new URL(res.headers.get('Location')!).pathname).toBe(`/products/${ID}`)
  })

  it('feeds, trust figures and JSON-LD of each shop show only that shop’s target and voices', async () => {
    const post = await pingVoice(second, ID, { title: 'Second shop review' })
    for (const [s, title, count] of [
      [first, 'First shop’s T-shirt', 0],
      [second, 'Second shop’s T-shirt', 1],
    ] as const) {
      const feed = await (await call(`/feeds/${s.slug}.json?target=${ID}`)).json<Feed>()
      expect(feed._glasshouse.target).toMatchObject({ id: ID, title, url: `${s.origin}/products/${ID}` })
      expect(feed.items.map((i) => i.url)).toEqual(count ? [post] : [])
      expect(feed._glasshouse.stats.voices).toBe(count)
      const trust = await (
        await call(`/feeds/${s.slug}/trust.json?target=${ID}`)
      ).json<{ target: { url: string } | null }>()
      expect(JSON.stringify(trust)).toContain(`${s.origin}/products/${ID}`)
      const jsonld = await (await call(`/feeds/${s.slug}/jsonld?target=${ID}`)).text()
      expect(jsonld).toContain(title)
      expect(jsonld).not.toContain(s === first ? 'Second shop' : 'First shop')
    }
  })

  it('the operator API and the voice list stay within the site', async () => {
    for (const s of [first, second]) {
      const t = await (await api('GET', `/api/sites/${s.slug}/targets/${ID}`, undefined, s.key)).json<{ url: string }>()
      expect(t.url).toBe(`${s.origin}/products/${ID}`)
    }
    expect((await api('GET', `/api/sites/${second.slug}/targets/${ID}`, undefined, first.key)).status).toBe(404)
    const listed = await (
      await api('GET', `/api/sites/${first.slug}/mentions?target=${ID}`, undefined, first.key)
    ).json<{ items: unknown[] }>()
    expect(listed.items).toEqual([])
  })

  it('a linkback to the second shop’s product is checked against that product’s URL', async () => {
    const source = `https://${unique('blog')}.example/post`
    await servePage(source, { body: html(`<p>I bought <a href="${second.origin}/products/${ID}">this shirt</a></p>`) })
    const res = await sendWebmention(second.slug, { source, target: `${second.origin}/products/${ID}` })
    expect(res.status).toBe(201)
    const status = await settled(res.headers.get('Location')!)
    expect(status.status).toBe('verified')
    expect(status.target).toBe(`${second.origin}/products/${ID}`)
  })

  it('a review invitation names the product of its own shop', async () => {
    const secret = await inboundSecret(second)
    const invitation = await invite(second, secret, order([ID]))
    const page = await (await call(await reviewPath(invitation.id))).text()
    expect(page).toContain('Second shop’s T-shirt')
    expect(page).not.toContain('First shop’s T-shirt')
  })
})
