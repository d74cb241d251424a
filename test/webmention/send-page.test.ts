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
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300')
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
    expect(en).toContain(`href="http://hub.test/webmention/${site.slug}?lang=ja"`)
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

  it('says a refusal at its field, in the page’s language, with what was typed; a sender that is not a browser still gets text', async () => {
    const send = (fields: Record<string, string>, accept = BROWSER) =>
      call(`/webmention/${jaSite.slug}?lang=ja`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Accept: accept, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      })
    const elsewhere = await send({
      source: 'https://blog.example/2026/12/p"><b>x',
      target: 'https://elsewhere.example/item',
    })
    expect(elsewhere.status).toBe(400)
    expect(elsewhere.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(elsewhere.headers.get('Cache-Control')).toBe('no-store')
    const page = await elsewhere.text()
    expect(page).toContain('<html lang="ja">')
    expect(page).toContain('送信できませんでした：そのページはこのショップのストアのページではありません。')
    expect(page).toMatch(
      /<input id="target"[^>]*value="https:\/\/elsewhere\.example\/item"[^>]*aria-invalid="true" aria-describedby="refusal"/,
    )
    expect(page).not.toMatch(/<input id="source"[^>]*aria-invalid/)
    // What was typed comes back as an attribute's text, never markup.
    expect(page).toContain('value="https://blog.example/2026/12/p&quot;&gt;&lt;b&gt;x"')

    const missing = await (await send({ target: `${jaSite.origin}/products/kettle` })).text()
    expect(missing).toMatch(/<input id="source"[^>]*aria-invalid="true"/)
    expect(missing).toContain('記事のアドレスを入れてください。')

    const bySoftware = await send({ target: 'https://elsewhere.example/item', source: 'https://blog.example/x' }, '*/*')
    expect(bySoftware.status).toBe(400)
    expect(bySoftware.headers.get('Content-Type')).toMatch(/^text\/plain/)
    expect(await bySoftware.text()).toMatch(/^target_not_here\n/)
  })

  it('ignores a language it does not speak in the form’s address', async () => {
    const res = await call(`/webmention/${jaSite.slug}?lang=%22%3E%3Cx`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Accept: BROWSER, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        source: 'https://blog.example/2026/12/lang',
        target: `${jaSite.origin}/p`,
      }).toString(),
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toMatch(/\/status\/[^/]+\/m_\w+$/)
  })
})
