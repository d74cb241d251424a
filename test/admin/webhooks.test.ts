/**
 * Webhooks in the web UI: addresses added (the secret shown once), refused in words, given a new
 * secret, deleted; one address's deliveries with each attempt, sent again — never for another
 * site, never without the CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, get, post, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api } from '../helpers/http'
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
    expect(res.status).toBe(200)
    const again = await get(staff, `/admin/sites/${site.slug}/webhooks?lang=en`)
    const html = await again.text()
    expect(html).toContain('<code>https://hooks.example/glasshouse</code>')
    expect(html).toContain('Standard Webhooks (signed JSON) · A voice was published')
    expect(html).not.toContain('whsec_')
    expect(await res.text()).toMatch(/shown this once[^<]*<code>whsec_/)
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

  it('lists an address’s deliveries and sends one again; refuses a date it cannot read', async () => {
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
    expect(resent.status).toBe(200)
    expect(await resent.text()).toContain('Queued to be sent again.')

    const badDate = await post(staff, `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/resend-failed?lang=en`, {
      _csrf: staff.csrf,
      since: 'yesterday',
    })
    expect(badDate.status).toBe(400)
    const since = await post(staff, `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/resend-failed?lang=en`, {
      _csrf: staff.csrf,
      since: '2026-01-01T00:00',
    })
    expect(since.status).toBe(200)
    expect(await since.text()).toMatch(/\d+ deliveries queued to be sent again\./)
  })

  it('gives an address a new secret, and deletes it', async () => {
    const [endpoint] = await endpoints()
    const rotated = await post(staff, `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/rotate?lang=en`, {
      _csrf: staff.csrf,
    })
    expect(await rotated.text()).toMatch(/<code>whsec_/)
    const deleted = await post(staff, `/admin/sites/${site.slug}/webhooks/${endpoint!.id}/delete?lang=en`, {
      _csrf: staff.csrf,
    })
    expect(await deleted.text()).toContain('The address was deleted.')
    expect(await endpoints()).toEqual([])
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
    expect((await get(staff, `/admin/sites/${other.slug}/webhooks`)).status).toBe(404)
    expect(await endpoints(other)).toHaveLength(1)
    const forged = await post(staff, `/admin/sites/${site.slug}/webhooks`, {
      url: 'https://hooks.example/x',
      mode: 'standard',
    })
    expect(forged.status).toBe(403)
  })
})
