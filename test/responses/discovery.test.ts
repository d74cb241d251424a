/** Webmention endpoint discovery for sending (W3C REC §3.1.2; the cases of webmention.rocks). */
import { describe, expect, it } from 'vitest'

import { discoverEndpoint, endpointFromLinkHeader } from '../../src/responses/endpoint-discovery'
import type { FetchedSource } from '../../src/common/fetch-source'

const POST = 'https://blog.example/2024/05/post?lang=ja'

const page = (
  html: string,
  link: string | null = null,
  contentType = 'text/html; charset=utf-8',
): Extract<FetchedSource, { kind: 'answered' }> => ({
  kind: 'answered',
  status: 200,
  finalUrl: POST,
  contentType,
  mediaType: contentType.startsWith('text/html') ? 'html' : 'text',
  body: new TextEncoder().encode(html),
  truncated: false,
  link,
  retryAfter: null,
  etag: null,
  lastModified: null,
})

describe('endpoint discovery', () => {
  it('reads the Link header first: relative, absolute, quoted lists, unquoted, several links', () => {
    expect(endpointFromLinkHeader('</wm>; rel="webmention"', POST)).toBe('https://blog.example/wm')
    expect(endpointFromLinkHeader('<https://hooks.example/wm?x=1>; rel=webmention', POST)).toBe(
      'https://hooks.example/wm?x=1',
    )
    expect(
      endpointFromLinkHeader('<https://a.example/>; rel="other", <../wm>; rel="webmention somethingelse"', POST),
    ).toBe('https://blog.example/2024/wm')
    expect(endpointFromLinkHeader('<https://a.example/>; rel="not-webmention"', POST)).toBeNull()
    expect(endpointFromLinkHeader(null, POST)).toBeNull()
  })

  it('prefers the header over the document, then takes the first <link> or <a> in document order', async () => {
    expect(
      await discoverEndpoint(page('<link rel="webmention" href="/from-html">', '</from-header>; rel="webmention"')),
    ).toBe('https://blog.example/from-header')
    expect(
      await discoverEndpoint(
        page('<a rel="webmention" href="/a-first">x</a><link rel="webmention" href="/link-second">'),
      ),
    ).toBe('https://blog.example/a-first')
    expect(await discoverEndpoint(page('<link rel="me webmention" href="/multi">'))).toBe('https://blog.example/multi')
  })

  it('ignores markup in comments and elements without href; an empty href is the page itself', async () => {
    expect(
      await discoverEndpoint(
        page(
          '<!-- <link rel="webmention" href="/commented"> --><link rel="webmention"><a rel="webmention" href="/real">x</a>',
        ),
      ),
    ).toBe('https://blog.example/real')
    expect(await discoverEndpoint(page('<link rel="webmention" href="">'))).toBe(POST)
  })

  it('finds nothing on a page without an endpoint, or on plain text', async () => {
    expect(await discoverEndpoint(page('<p>no endpoint</p>'))).toBeNull()
    expect(await discoverEndpoint(page('<link rel="webmention" href="/wm">', null, 'text/plain'))).toBeNull()
  })
})
