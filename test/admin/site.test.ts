/**
 * A site's page in the web UI (/admin/sites/{site}/settings): settings, API keys and the
 * inbound signing secret — saved through the same rules as the API, refused field by field in
 * the page's language, never across sites, never without the session's CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { createSite, type SiteFixture } from '../helpers/factories'
import { api, OPERATOR_TOKEN } from '../helpers/http'

type SiteJson = {
  name: string
  origins: string[]
  embed_origins: string[]
  settings: Record<string, unknown>
}

const siteOf = async (slug: string) => (await api('GET', `/api/sites/${slug}`)).json<SiteJson>()

/** The settings form as a browser sends it (an unticked box is simply absent). */
function settingsForm(b: Browser, site: SiteFixture, changes: Record<string, string | null> = {}) {
  const fields: Record<string, string | null> = {
    _csrf: b.csrf,
    name: 'Tanaka Goods',
    origins: `${site.origin}\nhttps://www.${site.slug}.example\n`,
    embed_origins: '',
    response_target_hours: '48',
    time_zone: 'Asia/Tokyo',
    cache_seconds: '0',
    lang: 'ja',
    verify_links: 'on',
    auto_targets: null,
    ...changes,
  }
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== null))
}

let site: SiteFixture
let other: SiteFixture
let staff: Browser
let operator: Browser

beforeAll(async () => {
  site = await createSite()
  other = await createSite()
  staff = await signIn(site.key)
  operator = await signIn(OPERATOR_TOKEN)
})

describe('/admin/sites/{site}/settings', () => {
  it('shows the settings with their current values, in English and in Japanese', async () => {
    const res = await get(staff, `/admin/sites/${site.slug}/settings`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const html = await res.text()
    expect(html).toContain(`value="Shop ${site.slug}"`)
    expect(html).toContain(site.origin)
    expect(html).toContain('Response target (hours)')
    // A site key does not manage keys: the operator does.
    expect(html).toContain('Keys are managed with the operator token')
    const ja = await (await get(staff, `/admin/sites/${site.slug}/settings?lang=ja`)).text()
    expect(ja).toContain('<html lang="ja"')
    expect(ja).toContain('ショップ名')
    expect(ja).toContain('回答の目標時間（時間）')
    // The inbox links to it.
    expect(await (await get(staff, `/admin/sites/${site.slug}`)).text()).toContain(
      `href="/admin/sites/${site.slug}/settings"`,
    )
  })

  it('saves through the API’s rules: origins one per line, numbers, the time zone, ticked and unticked boxes', async () => {
    const res = await post(staff, `/admin/sites/${site.slug}/settings`, settingsForm(staff, site))
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/admin/sites/${site.slug}/settings`)
    const saved = await siteOf(site.slug)
    expect(saved.name).toBe('Tanaka Goods')
    expect(saved.origins).toEqual([site.origin, `https://www.${site.slug}.example`])
    // No embed origins typed: the storefront's.
    expect(saved.embed_origins).toEqual(saved.origins)
    expect(saved.settings).toMatchObject({
      response_target_hours: 48,
      time_zone: 'Asia/Tokyo',
      cache_seconds: 0,
      lang: 'ja',
      verify_links: true,
      auto_targets: false,
    })
    const page = await (await follow(staff, res, 'lang=en')).text()
    expect(page).toContain('Saved.')
    // Said once: a reload of the page does not say it again.
    expect(await (await follow(staff, res, 'lang=en')).text()).not.toContain('Saved.')
  })

  it('refuses bad input field by field, keeps what was typed, and saves nothing', async () => {
    const before = await siteOf(site.slug)
    const res = await post(
      staff,
      `/admin/sites/${site.slug}/settings?lang=en`,
      settingsForm(staff, site, {
        name: '',
        origins: 'shop.example\njavascript:alert(1)',
        response_target_hours: 'soon',
        time_zone: 'Mars/Olympus',
        cache_seconds: '301',
      }),
    )
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('<a href="#name">Shop name</a>: must not be empty')
    // A box of lines names the line that is wrong.
    expect(html).toContain('<a href="#origins">Storefront origins</a>: line 1: must be an absolute http(s) URL')
    expect(html).toContain('<a href="#response_target_hours">Response target (hours)</a>: must be a number')
    expect(html).toContain('<a href="#time_zone">Time zone</a>: must be an IANA time zone')
    expect(html).toContain('<a href="#cache_seconds">Edge cache (seconds)</a>: must be at most 300')
    // What was typed is shown again, as text.
    expect(html).toContain('javascript:alert(1)</textarea>')
    expect(html).toContain('value="Mars/Olympus"')
    expect(await siteOf(site.slug)).toEqual(before)
  })

  it('reads full-width digits as numbers (a Japanese input method types them)', async () => {
    const res = await post(
      staff,
      `/admin/sites/${site.slug}/settings`,
      settingsForm(staff, site, { response_target_hours: '１２', cache_seconds: '０' }),
    )
    expect(res.status).toBe(303)
    expect((await siteOf(site.slug)).settings).toMatchObject({ response_target_hours: 12, cache_seconds: 0 })
  })

  it('says what is wrong in Japanese on a Japanese page', async () => {
    const res = await post(
      staff,
      `/admin/sites/${site.slug}/settings?lang=ja`,
      settingsForm(staff, site, { name: 'x'.repeat(201), response_target_hours: '0', time_zone: 'nowhere' }),
    )
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('入力内容を確認してください')
    expect(html).toContain('ショップ名</a>: 200文字以内にしてください')
    expect(html).toContain('回答の目標時間（時間）</a>: 1以上にしてください')
    expect(html).toContain('タイムゾーン</a>: Asia/Tokyo のようなIANAタイムゾーン名を入力してください')
  })

  it('needs the session’s CSRF token and this origin', async () => {
    const form = settingsForm(staff, site, { name: 'Forged' })
    const noToken = await post(staff, `/admin/sites/${site.slug}/settings`, { ...form, _csrf: '' })
    expect(noToken.status).toBe(403)
    const elsewhere = await post(staff, `/admin/sites/${site.slug}/settings`, form, {
      Origin: 'https://evil.example',
    })
    expect(elsewhere.status).toBe(403)
    expect((await siteOf(site.slug)).name).not.toBe('Forged')
  })

  it('never shows or changes another site for a site key (404, as if it did not exist)', async () => {
    expect((await get(staff, `/admin/sites/${other.slug}/settings`)).status).toBe(404)
    const res = await post(staff, `/admin/sites/${other.slug}/settings`, settingsForm(staff, other, { name: 'Taken' }))
    expect(res.status).toBe(404)
    expect((await post(staff, `/admin/sites/${other.slug}/inbound-secret`, { _csrf: staff.csrf })).status).toBe(404)
    expect((await siteOf(other.slug)).name).toBe(`Shop ${other.slug}`)
  })
})

describe('API keys on the site page (the operator’s)', () => {
  it('creates a key shown once on the page the form lands on, lists it by prefix and label, and revokes it', async () => {
    const created = await post(operator, `/admin/sites/${site.slug}/keys?lang=en`, {
      _csrf: operator.csrf,
      label: 'Storefront <server>',
    })
    // Answered with a redirect: a reload of the page never makes another key.
    expect(created.status).toBe(303)
    expect(created.headers.get('Location')).toBe(`/admin/sites/${site.slug}/settings`)
    expect(await created.text()).not.toContain('gh_')
    const html = await (await follow(operator, created, 'lang=en')).text()
    const key = /<code>(gh_[A-Za-z0-9_-]+)<\/code>/.exec(html)![1]!
    expect(html).toContain('shown this once')
    expect(html).toContain('Storefront &lt;server&gt;')
    expect((await api('GET', `/api/sites/${site.slug}`, undefined, key)).status).toBe(200)
    // A reload (even one that sends the flash cookie again) and the list never show the key again.
    const reloaded = await (await follow(operator, created, 'lang=en')).text()
    expect(reloaded).not.toContain(key)
    expect(reloaded).toContain(key.slice(0, 8))
    const later = await (await get(operator, `/admin/sites/${site.slug}/settings`)).text()
    expect(later).not.toContain(key)

    const keys = await (
      await api('GET', `/api/sites/${site.slug}/keys`)
    ).json<{ items: { id: string; label: string }[] }>()
    const id = keys.items.find((k) => k.label === 'Storefront <server>')!.id
    const revoked = await post(operator, `/admin/sites/${site.slug}/keys/${id}/revoke?lang=en`, {
      _csrf: operator.csrf,
    })
    expect(revoked.status).toBe(303)
    expect(await (await follow(operator, revoked, 'lang=en')).text()).toContain('The key was revoked')
    expect((await api('GET', `/api/sites/${site.slug}`, undefined, key)).status).toBe(401)
  })

  it('keeps the settings form as stored when the key form is refused', async () => {
    await post(staff, `/admin/sites/${site.slug}/settings`, settingsForm(staff, site, { verify_links: 'on' }))
    const refused = await (
      await post(operator, `/admin/sites/${site.slug}/keys?lang=en`, { _csrf: operator.csrf, label: ' ' })
    ).text()
    expect(refused).toMatch(/<input type="checkbox" id="verify_links" name="verify_links" checked=""/)
  })

  it('refuses an empty label, another site’s key id, and a site key’s session', async () => {
    const empty = await post(operator, `/admin/sites/${site.slug}/keys?lang=en`, { _csrf: operator.csrf, label: ' ' })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('<a href="#label">Label (what the key is for)</a>: must not be empty')

    const theirs = await (await api('GET', `/api/sites/${other.slug}/keys`)).json<{ items: { id: string }[] }>()
    const wrongSite = await post(operator, `/admin/sites/${site.slug}/keys/${theirs.items[0]!.id}/revoke`, {
      _csrf: operator.csrf,
    })
    expect(wrongSite.status).toBe(404)
    expect((await api('GET', `/api/sites/${other.slug}`, undefined, other.key)).status).toBe(200)

    expect((await post(staff, `/admin/sites/${site.slug}/keys`, { _csrf: staff.csrf, label: 'mine' })).status).toBe(403)
  })
})

describe('The inbound signing secret on the site page', () => {
  it('issues a secret shown once, and says until when the previous one works after a rotation', async () => {
    const rotated = await post(staff, `/admin/sites/${site.slug}/inbound-secret?lang=en`, { _csrf: staff.csrf })
    expect(rotated.status).toBe(303)
    const first = await (await follow(staff, rotated, 'lang=en')).text()
    expect(first).toMatch(/shown this once[^<]*<code>whsec_[A-Za-z0-9+/=]+<\/code>/)
    expect(await (await follow(staff, rotated, 'lang=en')).text()).not.toContain('whsec_')
    const again = await post(staff, `/admin/sites/${site.slug}/inbound-secret?lang=ja`, { _csrf: staff.csrf })
    const second = await (await follow(staff, again, 'lang=ja')).text()
    expect(second).toContain('以前のシークレットの有効期限')
    expect(second.match(/whsec_/g)).toHaveLength(1)
  })
})
