/**
 * The Webmention endpoint opened in a browser: a page for the blogger, in their language, with
 * the shop's addresses and a form that sends a Webmention by hand and lands on its status page.
 * Anything but a browser still gets 405; a shop nobody has is 404, a deleted one 410; the shop's
 * name is text, never markup.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { createSite, type SiteFixture } from '../helpers/factories'
import { api, call } from '../helpers/http'

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

let site: SiteFixture
let jaSite: SiteFixture

beforeAll(async () => {
  site = await createSite({ name: '<img src=x onerror=alert(1)> & Co' })
  jaSite = await createSite({ name: '田中商店', settings: { lang: 'ja' } })
})

const page = (slug: string, headers: Record<string, string> = {}, query = '') =>
  call(`/webmention/${slug}${query}`, { headers: { Accept: BROWSER, ...headers } })

describe('GET /webmention/{site} in a browser', () => {
  it('shows the addresses and a form, in the browser’s language, with the shop’s name as text', async () => {
    const res = await page(site.slug, { 'Accept-Language': 'ja,en;q=0.8' })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(res.headers.get('Vary')).toContain('Accept')
    const body = await res.text()
    expect(body).toContain('<html lang="ja">')
    expect(body).toContain('このショップに記事を知らせる')
    expect(body).toContain(`http://hub.test/webmention/${site.slug}`)
    expect(body).toContain(`http://hub.test/pingback/${site.slug}`)
    expect(body).toContain(`action="http://hub.test/webmention/${site.slug}?lang=ja"`)
    expect(body).toContain(`placeholder="${site.origin}/…"`)
    expect(body).not.toContain('<img src=x')
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; Co')

    const en = await (await page(site.slug, { 'Accept-Language': 'ja' }, '?lang=en')).text()
    expect(en).toContain('<html lang="en">')
    expect(en).toContain('Tell this shop about your post')
    expect(en).toContain('href="?lang=ja"')
  })

  it('speaks the shop’s language to a browser that names none', async () => {
    const body = await (await page(jaSite.slug)).text()
    expect(body).toContain('<html lang="ja">')
    expect(body).toContain('田中商店')
  })

  it('answers anything but a browser with 405, as before', async () => {
    for (const accept of ['*/*', 'application/json', 'text/html, application/json']) {
      const res = await page(site.slug, { Accept: accept })
      expect(res.status, accept).toBe(405)
      expect(res.headers.get('Allow')).toBe('POST')
    }
  })

  it('is 404 for a shop the hub does not have and 410 for a deleted one', async () => {
    expect((await page('no-such-shop')).status).toBe(404)
    const closing = await createSite()
    expect((await api('DELETE', `/api/sites/${closing.slug}`)).status).toBe(200)
    expect((await page(closing.slug)).status).toBe(410)
  })
})

describe('the form, sent from a browser', () => {
  it('lands on the Webmention’s status page in the page’s language; a sender that is not a browser still gets 201', async () => {
    const target = `${jaSite.origin}/products/kettle`
    const form = (source: string) => new URLSearchParams({ source, target }).toString()
    const byHand = await call(`/webmention/${jaSite.slug}?lang=ja`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Accept: BROWSER, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form('https://blog.example/2026/12/by-hand'),
    })
    expect(byHand.status, await byHand.clone().text()).toBe(303)
    const location = byHand.headers.get('Location') ?? ''
    expect(location).toMatch(new RegExp(`^http://hub\\.test/status/${jaSite.slug}/m_\\w+\\?lang=ja$`))
    const status = await call(location.replace('http://hub.test', ''), { headers: { Accept: BROWSER } })
    expect(status.status).toBe(200)
    expect(await status.text()).toContain('リンクバックの状況')

    const bySoftware = await call(`/webmention/${jaSite.slug}?lang=ja`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form('https://blog.example/2026/12/by-software'),
    })
    expect(bySoftware.status).toBe(201)
    expect(bySoftware.headers.get('Location')).toMatch(/\/status\//)
  })
})
