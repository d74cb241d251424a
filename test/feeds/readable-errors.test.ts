/**
 * A storefront's widget asks for the feed from another origin: when the hub refuses (no such site,
 * no such target, a bad query), the page must be able to read why, and nothing may keep the refusal.
 */
import { describe, expect, it } from 'vitest'

import { createSite, createTarget, unique } from '../helpers/factories'
import { call } from '../helpers/http'

const SHOP = { Origin: 'https://storefront.example' }

describe('error answers of the public documents', () => {
  it('a 404 for an unknown site or target carries CORS as the 200s do, and no cache keeps it', async () => {
    const site = await createSite({ embed_origins: ['https://storefront.example'], settings: { cache_seconds: 60 } })
    const ok = await call(`/feeds/${site.slug}.json`, { headers: SHOP })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('https://storefront.example')

    for (const path of [
      `/feeds/${unique('no-shop')}.json?target=tee`,
      `/feeds/${site.slug}.json?target=no-such-product`,
      `/feeds/${site.slug}.json?target=${encodeURIComponent('https://elsewhere.example/p')}`,
    ]) {
      const res = await call(path, { headers: SHOP })
      expect(res.status, path).toBe(404)
      expect(res.headers.get('Access-Control-Allow-Origin'), path).toBe('*')
      expect(res.headers.get('Cache-Control'), path).toBe('no-store')
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_found')
    }
  })

  it('a target made after its 404 is served at once, even under a long cache_seconds', async () => {
    const site = await createSite({ settings: { cache_seconds: 300 } })
    const id = unique('later')
    expect((await call(`/feeds/${site.slug}.json?target=${id}`, { headers: SHOP })).status).toBe(404)
    await createTarget(site, id)
    const res = await call(`/feeds/${site.slug}.json?target=${id}`, { headers: SHOP })
    expect(res.status).toBe(200)
  })

  it('a bad query, the trust figures of an unknown site and a preflight to one are readable too', async () => {
    const site = await createSite()
    for (const [path, method, status] of [
      [`/feeds/${site.slug}.json?limit=1000`, 'GET', 400],
      [`/feeds/${unique('no-shop')}/trust.json`, 'GET', 404],
      [`/feeds/${unique('no-shop')}.json`, 'OPTIONS', 404],
    ] as const) {
      const res = await call(path, { method, headers: SHOP })
      expect(res.status, path).toBe(status)
      expect(res.headers.get('Access-Control-Allow-Origin'), path).toBe('*')
      expect(res.headers.get('Cache-Control'), path).toBe('no-store')
    }
  })

  it('leaves the CORS of a 200 and a 304 to the site: an origin not embedding it is not let in', async () => {
    const site = await createSite({ embed_origins: ['https://storefront.example'] })
    const res = await call(`/feeds/${site.slug}.json`, { headers: { Origin: 'https://other.example' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    const again = await call(`/feeds/${site.slug}.json`, {
      headers: { Origin: 'https://other.example', 'If-None-Match': res.headers.get('ETag')! },
    })
    expect(again.status).toBe(304)
    expect(again.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })
})
