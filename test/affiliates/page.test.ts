/** The partner page: signed in with the partner key; links, numbers, posts and the ledger; CSRF and other sites' keys. */
import { beforeAll, describe, expect, it } from 'vitest'

import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { approvedPartner } from '../helpers/affiliates'
import { api, call, HUB } from '../helpers/http'

let site: SiteFixture

const post = (path: string, fields: Record<string, string>, cookie = '', origin = HUB) =>
  call(path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin, Cookie: cookie },
    body: new URLSearchParams(fields).toString(),
  })

async function signIn(s: SiteFixture, key: string) {
  const res = await post(`/partners/${s.slug}/login`, { key })
  expect(res.status).toBe(303)
  const cookie = res.headers.get('Set-Cookie')!
  expect(cookie).toMatch(/^__Host-glasshouse_partner=[^;]+;.*HttpOnly.*Secure.*SameSite=Strict/i)
  const jar = cookie.split(';')[0]!
  const page = await (await call(`/partners/${s.slug}`, { headers: { Cookie: jar } })).text()
  return { jar, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]!, page }
}

beforeAll(async () => {
  site = await createSite()
  await createTarget(site, unique('tee'), 'Linen tee')
})

describe('/partners/{site}', () => {
  it('signs in with the key and shows links, numbers and forms; markup in names stays text', async () => {
    const p = await approvedPartner(site, '<script>alert(1)</script>')
    const login = await call(`/partners/${site.slug}`)
    expect(await login.text()).toContain('Partner key')
    const { jar, csrf, page } = await signIn(site, p.key)
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).not.toContain('<script>alert(1)')
    const target = /<option value="([^"]+)">Linen tee<\/option>/.exec(page)![1]!
    const made = await post(`/partners/${site.slug}/links`, { _csrf: csrf, target }, jar)
    expect(made.status).toBe(200)
    const html = await made.text()
    expect(html).toContain('Link made.')
    expect(html).toMatch(/<code>http:\/\/hub\.test\/r\/[a-z2-9]{8}<\/code>/)
    const sent = await post(`/partners/${site.slug}/posts`, { _csrf: csrf, url: 'not a url', target }, jar)
    expect(sent.status).toBe(400)
    expect(await sent.text()).toContain('absolute http')
    expect((await post(`/partners/${site.slug}/logout`, { _csrf: csrf }, jar)).status).toBe(303)
    expect(await (await call(`/partners/${site.slug}`, { headers: { Cookie: jar } })).text()).toContain('Partner key')
  })

  it('refuses forms without the CSRF token or from another origin, other sites’ keys and sessions, and suspended partners', async () => {
    const p = await approvedPartner(site, 'Page Partner')
    const { jar, csrf } = await signIn(site, p.key)
    expect((await post(`/partners/${site.slug}/links`, { target: 'x' }, jar)).status).toBe(403)
    expect(
      (await post(`/partners/${site.slug}/links`, { _csrf: csrf, target: 'x' }, jar, 'https://evil.example')).status,
    ).toBe(403)
    const other = await createSite()
    const theirs = await approvedPartner(other)
    expect((await post(`/partners/${site.slug}/login`, { key: theirs.key })).status).toBe(401)
    expect((await post(`/partners/${site.slug}/login`, { key: site.key })).status).toBe(401)
    // This site's session does not open the other site's page.
    expect(await (await call(`/partners/${other.slug}`, { headers: { Cookie: jar } })).text()).toContain('Partner key')
    expect((await post(`/partners/${other.slug}/links`, { _csrf: csrf, target: 'x' }, jar)).status).toBe(401)
    await api('POST', `/api/sites/${site.slug}/partners/${p.id}/decision`, { decision: 'suspend' }, site.key)
    expect(await (await call(`/partners/${site.slug}`, { headers: { Cookie: jar } })).text()).toContain('Partner key')
    expect((await call('/partners/no-such-site')).status).toBe(404)
  })
})
