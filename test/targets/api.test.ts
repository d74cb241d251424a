import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { targetsOf } from '../../src/targets/store'

import { createSite, createTarget, unique } from '../helpers/factories'
import { api, HUB } from '../helpers/http'

describe('targets API', () => {
  it('creates a target with a canonical URL and discovery snippets', async () => {
    const site = await createSite()
    const res = await api(
      'POST',
      `/api/sites/${site.slug}/targets`,
      {
        id: 'kettle',
        url: `${site.origin}/products/kettle/?utm_source=newsletter#buy`,
        title: 'Acme "Kettle" <deluxe> -- new',
        kind: 'product',
      },
      site.key,
    )
    expect(res.status).toBe(201)
    const t = await res.json<{ url: string; discovery: Record<string, string>; feed_url: string }>()
    expect(t.url).toBe(`${site.origin}/products/kettle`)
    expect(t.discovery.trackback_url).toBe(`${HUB}/tb/${site.slug}/kettle`)
    expect(t.feed_url).toBe(`${HUB}/feeds/${site.slug}.json?target=kettle`)
    const rdf = t.discovery.trackback_rdf!
    expect(rdf.startsWith('<!--\n<rdf:RDF')).toBe(true)
    expect(rdf).toContain(`dc:identifier="${site.origin}/products/kettle"`)
    expect(rdf).toContain(`trackback:ping="${HUB}/tb/${site.slug}/kettle"`)
    expect(rdf).toContain('dc:title="Acme &quot;Kettle&quot; &lt;deluxe&gt; &#x2d;&#x2d; new"')
    // Nothing inside the comment may close it early.
    expect(rdf.slice(4, -3)).not.toContain('--')
    // Webmention (Link header first, REC §3.1.2) and Pingback, with rel before href for WordPress.
    expect(t.discovery).toMatchObject({
      webmention_url: `${HUB}/webmention/${site.slug}`,
      webmention_link_header: `<${HUB}/webmention/${site.slug}>; rel="webmention"`,
      webmention_link: `<link rel="webmention" href="${HUB}/webmention/${site.slug}">`,
      pingback_url: `${HUB}/pingback/${site.slug}`,
      pingback_header: `X-Pingback: ${HUB}/pingback/${site.slug}`,
      pingback_link: `<link rel="pingback" href="${HUB}/pingback/${site.slug}">`,
    })
    // WordPress's discovery regex (PB-05/PB-07) finds the endpoint in the snippet.
    expect(/<link rel="pingback" href="([^"]+)" ?\/?>/i.exec(t.discovery.pingback_link!)?.[1]).toBe(
      `${HUB}/pingback/${site.slug}`,
    )
  })

  it('generates an id when none is given, and lists targets page by page', async () => {
    const site = await createSite()
    await createTarget(site)
    await createTarget(site)
    const generated = await (
      await api(
        'POST',
        `/api/sites/${site.slug}/targets`,
        { url: `${site.origin}/about`, title: 'About', kind: 'page' },
        site.key,
      )
    ).json<{ id: string }>()
    expect(generated.id).toMatch(/^t_/)
    const first = await (
      await api('GET', `/api/sites/${site.slug}/targets?limit=2`, undefined, site.key)
    ).json<{ items: unknown[]; next_cursor: string }>()
    expect(first.items).toHaveLength(2)
    const second = await (
      await api('GET', `/api/sites/${site.slug}/targets?limit=2&cursor=${first.next_cursor}`, undefined, site.key)
    ).json<{ items: unknown[]; next_cursor: null }>()
    expect(second.items).toHaveLength(1)
    expect(second.next_cursor).toBeNull()
    // Cursors are opaque: a target id, or anything else this API did not issue, is refused.
    expect(
      (await api('GET', `/api/sites/${site.slug}/targets?cursor=some-target-id`, undefined, site.key)).status,
    ).toBe(400)
  })

  it('refuses duplicates, URLs off the storefront and bad input', async () => {
    const site = await createSite()
    const t = await createTarget(site, unique('dup'))
    const again = await api(
      'POST',
      `/api/sites/${site.slug}/targets`,
      { url: t.url + '/', title: 'x', kind: 'product' },
      site.key,
    )
    expect(again.status).toBe(409)
    const off = await api(
      'POST',
      `/api/sites/${site.slug}/targets`,
      { url: 'https://elsewhere.example/p', title: 'x', kind: 'product' },
      site.key,
    )
    expect(off.status).toBe(400)
    const badKind = await api(
      'POST',
      `/api/sites/${site.slug}/targets`,
      { url: `${site.origin}/x`, title: 'x', kind: 'car' },
      site.key,
    )
    expect(badKind.status).toBe(400)
    const badId = await api(
      'POST',
      `/api/sites/${site.slug}/targets`,
      { id: '../etc', url: `${site.origin}/y`, title: 'x', kind: 'page' },
      site.key,
    )
    expect(badId.status).toBe(400)
    expect((await api('GET', `/api/sites/${site.slug}/targets/nope`, undefined, site.key)).status).toBe(404)
  })
})

describe('targetsOf', () => {
  it('looks up more ids than D1 binds in one statement, keeping their order', async () => {
    const s = await createSite()
    const a = (await createTarget(s, unique('a'))).id
    const b = (await createTarget(s, unique('b'))).id
    const siteId = (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?').bind(s.slug).first<{ id: number }>())!
      .id
    const missing = Array.from({ length: 250 }, (_, i) => `nope-${i}`)
    const found = await targetsOf(getDb(env.DB), siteId, [b, ...missing, a, b])
    expect(found.map((t) => t.id)).toEqual([b, a, b])
  })
})
