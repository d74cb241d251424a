/**
 * Fetching a stranger's URL safely: address policy, redirects
 * re-checked at every hop, size and time caps, the User-Agent. Pages come from the fixture web.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import wranglerToml from '../../wrangler.toml?raw'
import { policyOf, refusalFor } from '../../src/common/address-policy'
import { FETCH_LIMITS, fetchSource } from '../../src/common/fetch-source'
import { hitsOf, servePage } from '../helpers/blogs'
import { unique } from '../helpers/factories'

const PUBLIC = { allowLoopback: false }
const refusal = (url: string, policy = PUBLIC) => refusalFor(new URL(url), policy)

describe('address policy', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast and reserved IPv4 literals, in any spelling', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://2130706433/', // 127.0.0.1 as one number
      'http://0x7f.1/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/', // cloud metadata
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://224.0.0.1/',
      'http://240.0.0.1/',
      'http://255.255.255.255/',
      'http://198.18.0.1/',
      'http://192.0.2.1/',
    ]) {
      expect(refusal(url), url).toBe('private_address')
    }
    expect(refusal('http://172.32.0.1/')).toBeNull()
    expect(refusal('http://93.184.215.14/')).toBeNull()
  })

  it('refuses loopback, unique-local, link-local, mapped and multicast IPv6 literals', () => {
    for (const url of [
      'http://[::1]/',
      'http://[::]/',
      'http://[fc00::1]/',
      'http://[fd12:3456::1]/',
      'http://[fe80::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::a00:1]/',
      'http://[ff02::1]/',
      'http://[2001:db8::1]/',
    ]) {
      expect(refusal(url), url).toBe('private_address')
    }
    expect(refusal('http://[2606:4700:4700::1111]/')).toBeNull()
  })

  it('refuses localhost and names that only resolve inside a network, other ports, other schemes and credentials', () => {
    for (const url of [
      'http://localhost/',
      'http://foo.localhost/',
      'http://printer.local/',
      'http://metadata.google.internal/',
      'http://intranet/',
    ]) {
      expect(refusal(url), url).toBe('internal_host')
    }
    expect(refusal('http://blog.example:22/')).toBe('forbidden_port')
    expect(refusal('http://blog.example:8080/')).toBeNull()
    expect(refusal('https://blog.example:443/')).toBeNull()
    expect(refusal('ftp://blog.example/')).toBe('unsupported_scheme')
    expect(refusal('file:///etc/passwd')).toBe('unsupported_scheme')
    expect(refusal('https://user:pw@blog.example/')).toBe('credentials_in_url')
  })

  it('allows loopback on any port only with the dev setting, which is off in production config and in tests', () => {
    const dev = { allowLoopback: true }
    expect(refusal('http://127.0.0.1:8788/post', dev)).toBeNull()
    expect(refusal('http://localhost:3000/post', dev)).toBeNull()
    expect(refusal('http://[::1]:3000/post', dev)).toBeNull()
    expect(refusal('http://10.0.0.1/', dev)).toBe('private_address')
    expect(refusal('http://127.0.0.1:8788/post')).toBe('forbidden_port')
    expect(policyOf({ ALLOW_LOOPBACK_SOURCES: 'false', HUB_ORIGIN: '' }).allowLoopback).toBe(false)
    expect(policyOf({ ALLOW_LOOPBACK_SOURCES: '', HUB_ORIGIN: '' }).allowLoopback).toBe(false)
    expect(policyOf(env).allowLoopback).toBe(false)
    // Only a local hub may: a deployed one never fetches loopback, whatever the setting says.
    const asked = { ALLOW_LOOPBACK_SOURCES: 'true', HUB_ORIGIN: '' }
    expect(policyOf({ ...asked, ENVIRONMENT: 'development' }).allowLoopback).toBe(true)
    expect(policyOf({ ...asked, ENVIRONMENT: 'production' }).allowLoopback).toBe(false)
    expect(policyOf(asked).allowLoopback).toBe(false)
    expect(wranglerToml).toMatch(/^ALLOW_LOOPBACK_SOURCES = "false"$/m)
  })
})

describe('fetchSource', () => {
  const page = () => `https://${unique('blog')}.example/post`

  it('names Glasshouse in its User-Agent and asks for HTML, JSON or text', async () => {
    const url = page()
    await servePage(url, { body: '<p>hi</p>' })
    const fetched = await fetchSource(url, PUBLIC)
    expect(fetched).toMatchObject({ kind: 'answered', status: 200, mediaType: 'html', finalUrl: url })
    const { headers } = await hitsOf(url)
    expect(headers?.['user-agent']).toMatch(/^Glasshouse\//)
    expect(headers?.accept).toMatch(/text\/html/)
  })

  it('follows up to 10 redirects, re-checking every hop', async () => {
    const start = page()
    let url = start
    for (let i = 0; i < 10; i++) {
      const next = `${start}/hop-${i}`
      await servePage(url, { status: 301, headers: { Location: next } })
      url = next
    }
    await servePage(url, { body: 'end' })
    expect(await fetchSource(start, PUBLIC)).toMatchObject({ kind: 'answered', status: 200, finalUrl: url })

    const loop = page()
    await servePage(loop, { status: 302, headers: { Location: loop } })
    expect(await fetchSource(loop, PUBLIC)).toMatchObject({ kind: 'refused', reason: 'too_many_redirects' })

    const sneaky = page()
    await servePage(sneaky, { status: 302, headers: { Location: 'http://169.254.169.254/latest/meta-data/' } })
    expect(await fetchSource(sneaky, PUBLIC)).toMatchObject({
      kind: 'refused',
      reason: 'private_address',
      url: 'http://169.254.169.254/latest/meta-data/',
    })
    expect((await hitsOf('http://169.254.169.254/latest/meta-data/')).count).toBe(0)

    const relative = page()
    await servePage(relative, { status: 307, headers: { Location: '/moved' } })
    await servePage(new URL('/moved', relative).href, { body: 'moved' })
    expect(await fetchSource(relative, PUBLIC)).toMatchObject({
      status: 200,
      finalUrl: new URL('/moved', relative).href,
    })

    const nowhere = page()
    await servePage(nowhere, { status: 302 })
    expect(await fetchSource(nowhere, PUBLIC)).toMatchObject({ kind: 'refused', reason: 'bad_redirect' })
  })

  it('reads at most 1 MB of a 50 MB page and stops there', async () => {
    const url = page()
    await servePage(url, { generateBytes: 50 * 1024 * 1024 })
    const started = Date.now()
    const fetched = await fetchSource(url, PUBLIC)
    expect(fetched).toMatchObject({ kind: 'answered', truncated: true })
    expect(fetched.kind === 'answered' && fetched.body.byteLength).toBe(FETCH_LIMITS.maxBytes)
    expect(Date.now() - started).toBeLessThan(4000)
  })

  it('gives up on a source that does not answer in time (5 s in production)', async () => {
    expect(FETCH_LIMITS).toEqual({ maxRedirects: 10, maxBytes: 1024 * 1024, timeoutMs: 5000 })
    const url = page()
    await servePage(url, { delayMs: 30_000, body: 'too late' })
    const fetched = await fetchSource(url, PUBLIC, { ...FETCH_LIMITS, timeoutMs: 300 })
    expect(fetched).toMatchObject({ kind: 'unreachable', reason: 'timeout' })
  })

  it('does not read the body of errors or of types it cannot use', async () => {
    const url = page()
    await servePage(url, { headers: { 'Content-Type': 'image/png' }, body: 'PNG' })
    expect(await fetchSource(url, PUBLIC)).toMatchObject({
      kind: 'answered',
      status: 200,
      mediaType: null,
      body: new Uint8Array(0),
    })
  })
})
