import { expect } from 'vitest'

import { api } from './http'

let counter = 0
/** Unique per test file run: storage is shared by the tests of one file. */
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`

/**
 * Site options for tests about what happens once a voice exists: TrackBack pings publish
 * at once instead of waiting for the check of their source (verification has its own tests).
 */
export const PUBLISH_PINGS_AT_ONCE = { settings: { verify_links: false } } as const

export type SiteFixture = { slug: string; key: string; origin: string }

/**
 * A site with one storefront origin and a site key: an English shop on UTC unless the overrides
 * say otherwise (a Japanese one is on Asia/Tokyo). Its public documents are not kept in the edge
 * cache (`cache_seconds: 0`), so a test sees every change at once; the caching tests set it.
 */
export async function createSite(overrides: Record<string, unknown> = {}): Promise<SiteFixture> {
  const slug = unique('shop')
  const origin = `https://${slug}.example`
  const given = overrides.settings as Record<string, unknown> | undefined
  const locale = given?.lang === 'ja' ? { time_zone: 'Asia/Tokyo' } : { lang: 'en', time_zone: 'UTC' }
  const settings = { cache_seconds: 0, ...locale, ...given }
  const res = await api('POST', '/api/sites', { slug, name: `Shop ${slug}`, origins: [origin], ...overrides, settings })
  expect(res.status, await res.clone().text()).toBe(201)
  const keyRes = await api('POST', `/api/sites/${slug}/keys`, { label: 'test' })
  expect(keyRes.status).toBe(201)
  const { key } = await keyRes.json<{ key: string }>()
  return { slug, key, origin }
}

export async function createTarget(site: SiteFixture, id = unique('item'), title = 'A product') {
  const res = await api(
    'POST',
    `/api/sites/${site.slug}/targets`,
    { id, url: `${site.origin}/products/${id}`, title, kind: 'product' },
    site.key,
  )
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<{ id: string; url: string; discovery: { trackback_url: string; trackback_rdf: string } }>()
}
