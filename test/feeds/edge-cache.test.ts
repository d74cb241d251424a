/**
 * The embed never waits for the database: a warm feed, trust or JSON-LD document is answered
 * from the data centre's Cache API with no D1 query at all, for the site's `cache_seconds`;
 * then one request revalidates by version (one row) and the copy is fresh again; a change
 * shows once the window has passed. If-None-Match is a 304 either way.
 */
import { describe, expect, it } from 'vitest'

import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { cacheKey } from '../../src/feeds/http-cache'
import { api, call, callAt, HUB, rowsRead, testClock } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

const queries = (res: Response) => Number(res.headers.get('X-D1-Queries'))

async function cachedSite(seconds: number): Promise<{ site: SiteFixture; target: string }> {
  const site = await createSite({ ...PUBLISH_PINGS_AT_ONCE, settings: { verify_links: false, cache_seconds: seconds } })
  const target = (await createTarget(site, 'kettle', 'Kettle')).id
  await pingVoice(site, target, { title: 'First post' })
  return { site, target }
}

describe('the public documents at the edge', () => {
  it('answer a warm request from the copy, with no D1 query, and a matching If-None-Match with a 304', async () => {
    const { site, target } = await cachedSite(60)
    for (const path of [
      `/feeds/${site.slug}.json?target=${target}`,
      `/feeds/${site.slug}/trust.json?target=${target}`,
      `/feeds/${site.slug}/jsonld?target=${target}`,
      `/feeds/${site.slug}/ledger.json`,
    ]) {
      const first = await call(path, { headers: { Origin: `https://${site.slug}.example` } })
      expect(first.headers.get('X-Cache'), path).toBe('miss')
      expect(queries(first), path).toBeGreaterThan(0)
      const body = await first.text()
      const warm = await call(path, { headers: { Origin: `https://${site.slug}.example` } })
      expect(warm.headers.get('X-Cache'), path).toBe('hit')
      expect(queries(warm), path).toBe(0)
      expect(rowsRead(warm), path).toBe(0)
      expect(await warm.text(), path).toBe(body)
      // What the copy needs to answer comes with it: the ETag, CORS for the embed origins, the window.
      expect(warm.headers.get('ETag'), path).toBe(first.headers.get('ETag'))
      expect(warm.headers.get('Access-Control-Allow-Origin'), path).toBe(`https://${site.slug}.example`)
      expect(warm.headers.get('Cache-Control'), path).toBe('public, max-age=60, stale-while-revalidate=60')
      const notModified = await call(path, { headers: { 'If-None-Match': first.headers.get('ETag')! } })
      expect(notModified.status, path).toBe(304)
      expect(queries(notModified), path).toBe(0)
    }
  })

  it('keep a copy for the window, then revalidate by version and show the change', async () => {
    const { site, target } = await cachedSite(1)
    const path = `/feeds/${site.slug}.json?target=${target}`
    // The window is the hub's clock: the test moves it past the window instead of waiting.
    const clock = testClock()
    const feed = callAt(clock)
    const first = await (await feed(path)).json<{ items: unknown[] }>()
    expect(first.items).toHaveLength(1)
    await pingVoice(site, target, { title: 'Second post' })
    // Within the window the copy answers: the change is not there yet.
    clock.advance(900)
    const within = await feed(path)
    expect(within.headers.get('X-Cache')).toBe('hit')
    expect((await within.json<{ items: unknown[] }>()).items).toHaveLength(1)
    clock.advance(200)
    const after = await feed(path)
    expect(after.headers.get('X-Cache')).toBe('miss')
    expect((await after.json<{ items: unknown[] }>()).items).toHaveLength(2)
    // Nothing changed since: the next revalidation reads the site row only and renews the copy.
    clock.advance(1100)
    const renewed = await feed(path)
    expect(renewed.headers.get('X-Cache')).toBe('revalidated')
    expect(rowsRead(renewed)).toBeLessThanOrEqual(5)
    expect(queries(await feed(path))).toBe(0)
  })

  it("keep a build tool's `since=` read at the edge only, so it never pushes a widget's copy out of memory", async () => {
    const { site, target } = await cachedSite(60)
    const feed = callAt(Date.now())
    const widget = `/feeds/${site.slug}.jf2?target=${target}`
    const build = `/feeds/${site.slug}.jf2?per-page=1000&page=0&since=2026-01-01T00:00:00Z`
    for (const path of [widget, build]) expect((await feed(path)).headers.get('X-Cache'), path).toBe('miss')
    expect((await feed(build)).headers.get('X-Cache')).toBe('hit') // the edge keeps it
    // Out of the data centre's cache, only a copy in the isolate's memory can still answer.
    for (const path of [widget, build]) expect(await caches.default.delete(cacheKey(new URL(HUB + path)))).toBe(true)
    expect((await feed(widget)).headers.get('X-Cache')).toBe('hit')
    expect((await feed(build)).headers.get('X-Cache')).toBe('miss')
  })

  it('take the window from the site setting (0 to 300 seconds)', async () => {
    const { site } = await cachedSite(10)
    expect((await api('PATCH', `/api/sites/${site.slug}`, { settings: { cache_seconds: 301 } }, site.key)).status).toBe(
      400,
    )
    expect((await api('PATCH', `/api/sites/${site.slug}`, { settings: { cache_seconds: 1.5 } }, site.key)).status).toBe(
      400,
    )
    const set = await api('PATCH', `/api/sites/${site.slug}`, { settings: { cache_seconds: 0 } }, site.key)
    expect((await set.json<{ settings: { cache_seconds: number } }>()).settings.cache_seconds).toBe(0)
  })
})
