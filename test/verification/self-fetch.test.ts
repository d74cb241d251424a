/**
 * The hub never fetches itself: not as a linkback's source (named directly or reached by a
 * redirect), not as the Webmention endpoint a blog advertises for our answers, not as a
 * webhook endpoint — neither on HUB_ORIGIN's host nor on the host a request came to. In
 * tests every outbound fetch lands in the fixture web, so "never fetched" is a hit count of 0.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { policyOf, refusalFor } from '../../src/common/address-policy'
import { hitsOf, html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, unique } from '../helpers/factories'
import { api, call, HUB } from '../helpers/http'
import { eventually, freshIp, sendWebmention, settled } from '../helpers/linkbacks'

const HUB_HOST = new URL(HUB).host

describe('the address policy knows the hub', () => {
  it('refuses HUB_ORIGIN’s host and the request’s host in every spelling, on any port unless one is named', () => {
    const policy = policyOf({ ALLOW_LOOPBACK_SOURCES: 'false', HUB_ORIGIN: 'https://hub.shop.example' }, [
      'glasshouse.example.workers.dev',
    ])
    for (const url of [
      'https://hub.shop.example/feeds/demo.json',
      'http://HUB.shop.example./x',
      'https://hub.shop.example:443/x',
      'http://hub.shop.example:8080/x',
      'https://glasshouse.example.workers.dev/webmention/demo',
    ]) {
      expect(refusalFor(new URL(url), policy), url).toBe('hub_itself')
    }
    expect(refusalFor(new URL('https://shop.example/x'), policy)).toBeNull()
    expect(refusalFor(new URL('https://other.hub.shop.example/x'), policy)).toBeNull()
    // Local development: the hub on 127.0.0.1:8787 is refused, a blog on another loopback port is not.
    const dev = policyOf({ ALLOW_LOOPBACK_SOURCES: 'true', HUB_ORIGIN: '', ENVIRONMENT: 'development' }, [
      '127.0.0.1:8787',
    ])
    expect(refusalFor(new URL('http://127.0.0.1:8787/feeds/demo.json'), dev)).toBe('hub_itself')
    expect(refusalFor(new URL('http://127.0.0.1:9000/post'), dev)).toBeNull()
  })
})

describe('linkbacks', () => {
  it('refuse a source on the hub’s own host at once, in each protocol’s words', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = await createTarget(site)
    const onHub = `${HUB}/feeds/${site.slug}.json`
    const wm = await sendWebmention(site.slug, { source: onHub, target: target.url })
    expect(wm.status).toBe(400)
    expect(await wm.text()).toMatch(/^invalid_source\n\nthe source is on this hub itself/)
    const pb = await call(`/pingback/${site.slug}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', 'CF-Connecting-IP': freshIp() },
      body: `<?xml version="1.0"?><methodCall><methodName>pingback.ping</methodName><params><param><value><string>${onHub}</string></value></param><param><value><string>${target.url}</string></value></param></params></methodCall>`,
    })
    expect(await pb.text()).toContain('<int>49</int>')
    const tb = await call(`/tb/${site.slug}/${target.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': freshIp() },
      body: new URLSearchParams({ url: `http://${HUB_HOST.toUpperCase()}/r/abcdefgh`, title: 'x' }).toString(),
    })
    expect(await tb.text()).toContain('the hub never fetches itself')
    expect((await hitsOf(onHub)).count).toBe(0)
  })

  it('refuse a source that redirects to the hub, without fetching the hub', async () => {
    const site = await createSite()
    const target = await createTarget(site)
    const source = `https://${unique('blog')}.example/post`
    const hubPage = `${HUB}/responses/r_anything`
    await servePage(source, { status: 302, headers: { Location: hubPage } })
    const res = await sendWebmention(site.slug, { source, target: target.url })
    expect(res.status).toBe(201)
    const status = await settled(res.headers.get('Location')!)
    expect(status).toMatchObject({ status: 'rejected', reason: 'hub_itself' })
    expect((await hitsOf(source)).count).toBe(1)
    expect((await hitsOf(hubPage)).count).toBe(0)
  })
})

describe('answers and webhooks', () => {
  it('do not send the Webmention of an answer to an endpoint on the hub', async () => {
    const site = await createSite()
    const target = `${site.origin}/products/kettle`
    const post = `https://${unique('blog')}.example/kettle`
    const endpoint = `${HUB}/webmention/${site.slug}`
    await servePage(post, {
      body: html(`<a href="${target}">kettle</a>`, `<link rel="webmention" href="${endpoint}">`),
    })
    const sent = await sendWebmention(site.slug, { source: post, target })
    const { voice } = await settled(sent.headers.get('Location')!)
    const answered = await api(
      'POST',
      `/api/mentions/${voice.id}/responses`,
      { stage: 'reply', body: 'Thank you!', author: { name: 'Aiko' } },
      site.key,
    )
    expect(answered.status).toBe(201)
    const { id } = await answered.json<{ id: string }>()
    const detail = await eventually(
      () => announcementOf(id),
      (a) => a !== null && a.state !== 'queued',
    )
    expect(detail).toMatchObject({ state: 'failed', reason: 'endpoint_refused', refusal: 'hub_itself' })
    expect((await hitsOf(endpoint)).count).toBe(0)
  })

  it('refuse a webhook endpoint on the hub', async () => {
    const site = await createSite()
    for (const url of [`https://${HUB_HOST}/hooks/${site.slug}/orders`, `https://${HUB_HOST.toUpperCase()}./x`]) {
      const res = await api('POST', `/api/sites/${site.slug}/webhooks`, { url }, site.key)
      expect(res.status, url).toBe(400)
      expect((await res.json<{ error: { message: string } }>()).error.message, url).toMatch(/^url: /)
    }
  })
})

function announcementOf(responseId: string) {
  return env.DB.prepare(
    'SELECT webmention_state AS state, webmention_reason AS reason, webmention_refusal AS refusal FROM responses WHERE id = ?',
  )
    .bind(responseId)
    .first<{ state: string; reason: string; refusal: string }>()
}
