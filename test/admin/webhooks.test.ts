/**
 * Webhooks in the web UI: addresses added (the secret shown once), refused in words, given a new
 * secret, deleted; one address's deliveries with each attempt, sent again — never for another
 * site, never without the CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { servePage } from '../helpers/blogs'
import { api, call, HUB } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'
import { pingVoice } from '../helpers/voices'

let site: SiteFixture
let staff: Browser

const list = async (lang = 'en') => (await get(staff, `/admin/sites/${site.slug}/webhooks?lang=${lang}`)).text()
const endpoints = async (s = site) =>
  (
    await (
      await api('GET', `/api/sites/${s.slug}/webhooks`, undefined, s.key)
    ).json<{ items: { id: string; url: string }[] }>()
  ).items

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  staff = await signIn(site.key)
})

describe('/admin/sites/{site}/webhooks', () => {
  it('adds an address with its events, shows its secret once, and lists it in words', async () => {
    expect(await list()).toContain('No webhook addresses yet.')
    const res = await post(staff, `/admin/sites/${site.slug}/webhooks?lang=en`, {
      _csrf: staff.csrf,
      url: 'https://hooks.example/glasshouse',
      mode: 'standard',
      events: 'mention.published',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/admin/sites/${site.slug}/webhooks`)
    expect(await (await follow(staff, res, 'lang=en')).text()).toMatch(/shown this once[^<]*<code>whsec_/)
    const again = await follow(staff, res, 'lang=en')
    const html = await again.text()
    expect(html).toContain('<code>https://hooks.example/glasshouse</code>')
    expect(html).toContain('Standard Webhooks (signed JSON) · A voice was published')
    expect(html).not.toContain('whsec_')
    expect(await list('ja')).toContain('署名付きJSON')
    expect(await (await get(staff, `/admin/sites/${site.slug}`)).text()).toContain(
      `href="/admin/sites/${site.slug}/webhooks"`,
    )
  })

  it('refuses an address that is not a public https URL, saying why in the page’s language', async () => {
    const notUrl = await post(staff, `/admin/sites/${site.slug}/webhooks?lang=en`, {
      _csrf: staff.csrf,
      url: 'hooks',
      mode: 'standard',
    })
    expect(notUrl.status).toBe(400)
    expect(await notUrl.text()).toContain('<a href="#url">Address (https)</a>: must be an absolute http(s) URL')
    const inside = await post(staff, `/admin/sites/${site.slug}/webhooks?lang=en`, {
      _csrf: staff.csrf,
      url: 'https://10.0.0.1/hook',
      mode: 'standard',
    })
    expect(inside.status).toBe(400)
    expect((await endpoints()).map((e) => e.url)).toEqual(['https://hooks.example/glasshouse'])
  })

  it('lists an address’s deliveries and sends one again; refuses a date it cannot read, keeping it', async () => {
    const [endpoint] = await endpoints()
    await pingVoice(site, (await createTarget(site)).id)
    const page = `/admin/sites/${site.slug}/webhooks/${endpoint!.id}?lang=en`
    const html = await eventually(
      async () => (await get(staff, page)).text(),
      (text) => text.includes('A voice was published'),
    )
    const delivery = /deliveries\/(dl_[A-Za-z0-9_-]+|[A-Za-z0-9_-]+)\/resend/.exec(html)![1]!
    const resent = await post(
      staff,
      `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/deliveries/${delivery}/resend?lang=en`,
      {
        _csrf: staff.csrf,
      },
    )
    expect(resent.status).toBe(303)
    expect(resent.headers.get('Location')).toBe(`/admin/sites/${site.slug}/webhooks/${endpoint!.id}`)
    expect(await (await follow(staff, resent, 'lang=en')).text()).toContain('Queued to be sent again.')
    // Each attempt is listed with its answer.
    const attempts = await eventually(
      async () => (await get(staff, page)).text(),
      (text) => text.includes('aria-label="Attempts, oldest first"'),
    )
    expect(attempts).toMatch(/<li>[^<]+ · answered \d{3}[^<]*<\/li>/)

    const badDate = await post(staff, `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/resend-failed?lang=en`, {
      _csrf: staff.csrf,
      since: 'yesterday',
    })
    expect(badDate.status).toBe(400)
    // The time as typed stays in its box.
    expect(await badDate.text()).toMatch(/<input id="since" name="since" type="datetime-local"[^>]* value="yesterday"/)
    const since = await post(staff, `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/resend-failed?lang=en`, {
      _csrf: staff.csrf,
      since: '2026-01-01T00:00',
    })
    expect(await (await follow(staff, since, 'lang=en')).text()).toMatch(/\d+ deliver(y|ies) queued to be sent again\./)
  })

  it('keeps every ticked event on a refused form, and changes an address’s format and events', async () => {
    const both = new URLSearchParams([
      ['_csrf', staff.csrf],
      ['url', 'not a url'],
      ['mode', 'slack'],
      ['events', 'mention.published'],
      ['events', 'response.published'],
    ])
    const refused = await call(`/admin/sites/${site.slug}/webhooks?lang=en`, {
      method: 'POST',
      headers: { Cookie: staff.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
      body: both.toString(),
    })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain('value="mention.published" checked=""')
    expect(html).toContain('value="response.published" checked=""')
    expect(html).toContain('<option value="slack" selected="">')

    const [endpoint] = await endpoints()
    const page = `/admin/sites/${site.slug}/webhooks/${endpoint!.id}`
    expect(await (await get(staff, `${page}?lang=ja`)).text()).toContain('この送信先の形式とイベント')
    const change = new URLSearchParams([
      ['_csrf', staff.csrf],
      ['mode', 'standard'],
      ['events', 'mention.removed'],
      ['events', 'review.invitation.due'],
    ])
    const changed = await call(`${page}?lang=en`, {
      method: 'POST',
      headers: { Cookie: staff.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
      body: change.toString(),
      redirect: 'manual',
    })
    expect(await (await follow(staff, changed, 'lang=en')).text()).toContain(
      'A voice was removed, A review invitation is due',
    )
    const stored = await (
      await api('GET', `/api/sites/${site.slug}/webhooks`, undefined, site.key)
    ).json<{
      items: { events: string[] }[]
    }>()
    expect(stored.items[0]!.events).toEqual(['mention.removed', 'review.invitation.due'])
    const bogus = await post(staff, `${page}?lang=ja`, {
      _csrf: staff.csrf,
      mode: 'carrier-pigeon',
      events: 'affiliate.click',
    })
    expect(bogus.status).toBe(400)
    const refusedHtml = await bogus.text()
    expect(refusedHtml).toContain('<a href="#mode">形式</a>')
    // What was ticked stays ticked (not what is stored).
    expect(refusedHtml).toContain('value="affiliate.click" checked=""')
    expect(refusedHtml).not.toContain('value="mention.removed" checked=""')
    expect((await post(staff, page, { mode: 'standard' })).status).toBe(403)
    // None ticked: every event again.
    expect((await post(staff, `${page}?lang=en`, { _csrf: staff.csrf, mode: 'standard' })).status).toBe(303)
    expect((await endpoints())[0]).toMatchObject({ url: 'https://hooks.example/glasshouse' })
  })

  it('stops sending to an address and starts again', async () => {
    const [endpoint] = await endpoints()
    const base = `/admin/sites/${site.slug}/webhooks/${endpoint!.id}`
    const stopped = await post(staff, `${base}/disable?lang=ja`, { _csrf: staff.csrf })
    const html = await (await follow(staff, stopped, 'lang=ja')).text()
    expect(html).toContain('停止しました。')
    expect(html).toContain('送信停止中')
    expect(html).toContain(`action="${base}/enable"`)
    expect((await post(staff, `${base}/disable`, {})).status).toBe(403)
    const started = await post(staff, `${base}/enable?lang=en`, { _csrf: staff.csrf })
    expect(await (await follow(staff, started, 'lang=en')).text()).toContain('Sending again.')
  })

  it('gives an address a new secret, and deletes it', async () => {
    const [endpoint] = await endpoints()
    const rotated = await post(staff, `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/rotate?lang=en`, {
      _csrf: staff.csrf,
    })
    expect(await (await follow(staff, rotated, 'lang=en')).text()).toMatch(/<code>whsec_/)
    const deleted = await post(staff, `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/delete?lang=en`, {
      _csrf: staff.csrf,
    })
    expect(await (await follow(staff, deleted, 'lang=en')).text()).toContain('The address was deleted.')
    expect(await endpoints()).toEqual([])
  })

  it('says what happened to a failed attempt in words, in both languages, never in the runtime’s text', async () => {
    const url = `https://${unique('hooks')}.example/drops`
    await servePage(url, { dropConnection: true })
    const made = await api('POST', `/api/sites/${site.slug}/webhooks`, { url, events: ['mention.received'] }, site.key)
    const { id } = await made.json<{ id: string }>()
    await pingVoice(site, (await createTarget(site)).id)
    const page = `/admin/sites/${site.slug}/webhooks/${id}`
    const en = await eventually(
      async () => (await get(staff, `${page}?lang=en`)).text(),
      (text) => text.includes('aria-label="Attempts, oldest first"'),
    )
    expect(en).toMatch(/<li>[^<]+ · could not connect to the address<\/li>/)
    expect(en).not.toMatch(/internal error|reference =|connect_error|dropped/)
    const ja = await (await get(staff, `${page}?lang=ja`)).text()
    expect(ja).toContain('アドレスに接続できませんでした')
  })

  it('never reaches another site’s addresses, and needs the CSRF token', async () => {
    const other = await createSite()
    const made = await api(
      'POST',
      `/api/sites/${other.slug}/webhooks`,
      { url: 'https://hooks.example/theirs' },
      other.key,
    )
    const theirs = (await made.json<{ id: string }>()).id
    expect((await get(staff, `/admin/sites/${site.slug}/webhooks/${theirs}`)).status).toBe(404)
    expect(
      (await post(staff, `/admin/sites/${site.slug}/webhooks/${theirs}/delete`, { _csrf: staff.csrf })).status,
    ).toBe(404)
    expect(
      (await post(staff, `/admin/sites/${site.slug}/webhooks/${theirs}`, { _csrf: staff.csrf, mode: 'standard' }))
        .status,
    ).toBe(404)
    expect(
      (await post(staff, `/admin/sites/${site.slug}/webhooks/${theirs}/disable`, { _csrf: staff.csrf })).status,
    ).toBe(404)
    expect((await get(staff, `/admin/sites/${other.slug}/webhooks`)).status).toBe(404)
    expect(await endpoints(other)).toHaveLength(1)
    const forged = await post(staff, `/admin/sites/${site.slug}/webhooks`, {
      url: 'https://hooks.example/x',
      mode: 'standard',
    })
    expect(forged.status).toBe(403)
  })
})
