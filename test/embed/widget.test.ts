/** `GET /embed.js`: the widget as storefronts load it — a small cross-origin module, cacheable, never stale for long. */
import { describe, expect, it } from 'vitest'

import { WIDGET_JS, WIDGET_VERSION } from '../../src/embed/widget.generated'
import { call } from '../helpers/http'

describe('GET /embed.js', () => {
  it('is a module any storefront may load, with a short max-age, an ETag and its version', async () => {
    const res = await call('/embed.js', { headers: { Origin: 'https://any-shop.example' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin')
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=86400')
    expect(res.headers.get('X-Widget-Version')).toBe(WIDGET_VERSION)
    expect(await res.text()).toBe(WIDGET_JS)
    const again = await call('/embed.js', { headers: { 'If-None-Match': res.headers.get('ETag')! } })
    expect(again.status).toBe(304)
  })

  it('is cacheable for a year under its version, and an old version gets the current code briefly', async () => {
    const pinned = await call(`/embed/${WIDGET_VERSION}.js`)
    expect(pinned.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    const old = await call('/embed/000000000000.js')
    expect(old.status).toBe(200)
    expect(old.headers.get('Cache-Control')).toBe('public, max-age=300')
    expect((await call('/embed/not-a-version.js')).status).toBe(404)
  })

  it('stays small: at most 10 KB gzipped, with no markup parsing of feed data', async () => {
    const gzipped = await new Response(
      new Blob([WIDGET_JS]).stream().pipeThrough(new CompressionStream('gzip')),
    ).arrayBuffer()
    expect(gzipped.byteLength).toBeLessThanOrEqual(10 * 1024)
    expect(WIDGET_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/)
  })
})
