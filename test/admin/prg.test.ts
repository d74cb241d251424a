/**
 * Post/Redirect/Get in the console: every form that changes something answers 303 with a page to
 * GET, so a reload never repeats the action; a key, a secret or a sign-in link made by it is shown
 * once on the page it lands on (a sealed, single-use flash of this session and that page, for five
 * minutes), and never again — not on a reload, not with the flash cookie replayed, not in another
 * session; another console page visited first leaves it for its page.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { newSealingKey, unseal } from '../../src/common/secrets'
import { type Browser, clearsFlash, FLASH_COOKIE, flashOf, follow, get, post, signIn } from '../helpers/admin'
import { approvedPartner } from '../helpers/affiliates'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call, callAt, HUB, OPERATOR_TOKEN } from '../helpers/http'
import { eventually, freshIp } from '../helpers/linkbacks'
import { pingVoice } from '../helpers/voices'

let site: SiteFixture
let operator: Browser

/** A blogger's application to the site's programme, waiting for a decision. */
async function applicant(s: SiteFixture) {
  const res = await call(`/affiliates/${s.slug}/apply`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshIp() },
    body: JSON.stringify({ name: 'Applicant', email: `${unique('a')}@blog.example`, blog_url: 'https://a.example/' }),
  })
  expect(res.status).toBe(202)
  return (await res.json<{ id: string }>()).id
}

const rowsOfFlashes = async () =>
  (await env.DB.prepare('SELECT id, sealed FROM admin_flashes').all<{ id: string; sealed: string }>()).results

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  operator = await signIn(OPERATOR_TOKEN)
})

describe('every console form that changes something answers with a redirect', () => {
  it('answers 303 to a page that shows what was done, for each action of the issue and the others', async () => {
    const base = `/admin/sites/${site.slug}`
    const target = await createTarget(site, unique('kettle'), 'Kettle')
    const unused = await createTarget(site, unique('spoon'), 'Spoon')
    const key = await (await api('POST', `/api/sites/${site.slug}/keys`, { label: 'to revoke' })).json<{ id: string }>()
    const endpoint = await (
      await api('POST', `/api/sites/${site.slug}/webhooks`, { url: 'https://hooks.example/prg' }, site.key)
    ).json<{ id: string }>()
    await pingVoice(site, target.id)
    const deliveries = `/api/webhooks/${endpoint.id}/deliveries`
    const log = await eventually(
      async () => (await api('GET', deliveries, undefined, site.key)).json<{ items: { id: string }[] }>(),
      (l) => l.items.length > 0,
    )
    const applied = await applicant(site)
    const partner = await approvedPartner(site)
    const watch = await (
      await api('POST', `/api/sites/${site.slug}/watches`, { feed_url: 'https://f.example/rss', keywords: ['k'] })
    ).json<{ id: string }>()
    const webhook = `${base}/webhooks/${endpoint.id}`

    const actions: [string, string, Record<string, string>, string, string][] = [
      ['create a key', `${base}/keys`, { label: 'Storefront' }, `${base}/settings`, 'shown this once'],
      ['revoke a key', `${base}/keys/${key.id}/revoke`, {}, `${base}/settings`, 'The key was revoked'],
      ['rotate the signing secret', `${base}/inbound-secret`, {}, `${base}/settings`, 'whsec_'],
      [
        'rename a target',
        `${base}/targets/${target.id}`,
        { title: 'Iron kettle', kind: 'product' },
        `${base}/targets`,
        'Saved.',
      ],
      ['delete a target', `${base}/targets/${unused.id}/delete`, {}, `${base}/targets`, 'The target was deleted.'],
      [
        'add a webhook',
        `${base}/webhooks`,
        { url: 'https://hooks.example/new', mode: 'standard' },
        `${base}/webhooks`,
        'whsec_',
      ],
      [
        'send a delivery again',
        `${webhook}/deliveries/${log.items[0]!.id}/resend`,
        {},
        webhook,
        'Queued to be sent again.',
      ],
      [
        'send the failed ones again',
        `${webhook}/resend-failed`,
        { since: '2026-01-01T00:00' },
        webhook,
        'queued to be sent again',
      ],
      ['change a webhook', webhook, { mode: 'slack' }, webhook, 'Saved.'],
      ['rotate a webhook secret', `${webhook}/rotate`, {}, `${base}/webhooks`, 'whsec_'],
      ['stop a webhook', `${webhook}/disable`, {}, `${base}/webhooks`, 'Stopped'],
      ['start it again', `${webhook}/enable`, {}, `${base}/webhooks`, 'Sending again.'],
      [
        'approve a partner',
        `${base}/partners/${applied}`,
        { decision: 'approve' },
        `${base}/partners`,
        'was e-mailed to',
      ],
      [
        'send a sign-in link',
        `${base}/partners/${partner.id}/sign-in-link`,
        { on: 'partner' },
        `${base}/partners/${partner.id}`,
        'was e-mailed to',
      ],
      [
        'step the ledger',
        `${base}/partners/${partner.id}/commissions`,
        { step: 'approve' },
        `${base}/partners`,
        'ledger entries moved',
      ],
      ['stop watching a feed', `${base}/watches/${watch.id}/delete`, {}, `${base}/watches`, 'no longer watched'],
      ['delete a webhook', `${webhook}/delete`, {}, `${base}/webhooks`, 'The address was deleted.'],
      [
        'connect the shop’s platform',
        `${base}/platform`,
        { platform: 'shopify', shop_address: `${site.slug}.myshopify.com`, secret: 'shpss_prg_secret' },
        `${base}/platform`,
        'The secret is stored sealed',
      ],
      [
        'say when invitations start',
        `${base}/platform/settings`,
        { shop_invite_on: 'paid' },
        `${base}/platform`,
        'Saved.',
      ],
      ['disconnect the platform', `${base}/platform/disconnect`, {}, `${base}/platform`, 'Disconnected'],
    ]
    for (const [what, path, fields, landing, says] of actions) {
      const res = await post(operator, `${path}?lang=en`, { _csrf: operator.csrf, ...fields })
      expect(res.status, `${what}: ${await res.clone().text()}`).toBe(303)
      expect(res.headers.get('Location'), what).toBe(landing)
      const page = await follow(operator, res, 'lang=en')
      expect(page.status, what).toBe(200)
      expect(await page.text(), what).toContain(says)
    }
  })

  it('still answers a refused form with its page, what was typed and 400 (nothing was done)', async () => {
    const res = await post(operator, `/admin/sites/${site.slug}/webhooks?lang=en`, {
      _csrf: operator.csrf,
      url: 'not an address',
      mode: 'standard',
    })
    expect(res.status).toBe(400)
    expect(flashOf(res)).toBeUndefined()
    expect(await res.text()).toContain('value="not an address"')
  })
})

describe('a key, a secret or a link shown once', () => {
  it('shows a new key on the page the redirect lands on, and never on a reload or with the cookie replayed', async () => {
    const res = await post(operator, `/admin/sites/${site.slug}/keys?lang=en`, {
      _csrf: operator.csrf,
      label: 'Once',
    })
    const landing = await follow(operator, res, 'lang=en')
    // The landing page clears the flash cookie, so a browser does not even send it again.
    expect(clearsFlash(landing, flashOf(res)!)).toBe(true)
    const key = /<code>(gh_[A-Za-z0-9_-]+)<\/code>/.exec(await landing.text())![1]!
    expect((await api('GET', `/api/sites/${site.slug}`, undefined, key)).status).toBe(200)
    // The same request again, flash cookie and all: the flash was used up.
    const again = await (await follow(operator, res, 'lang=en')).text()
    expect(again).not.toContain(key)
    expect(again).not.toContain('shown this once')
  })

  it('keeps the flash in D1 sealed under the key only its cookie holds, and deletes it once read', async () => {
    const res = await post(operator, `/admin/sites/${site.slug}/inbound-secret`, { _csrf: operator.csrf })
    const [name, value] = flashOf(res)!.split('=') as [string, string]
    const id = name.slice(FLASH_COOKIE.length)
    const [row] = (await rowsOfFlashes()).filter((r) => r.id === id)
    expect(row).toBeDefined()
    const page = await (await follow(operator, res, 'lang=en')).text()
    const secret = /<code>(whsec_[A-Za-z0-9+/=]+)<\/code>/.exec(page)![1]!
    // Any other key opens nothing; the cookie's key opens the secret the page showed.
    await expect(unseal(row!.sealed, newSealingKey())).rejects.toThrow()
    const opened = JSON.parse(await unseal(row!.sealed, decodeURIComponent(value))) as { once?: { value?: string } }
    expect(opened.once?.value).toBe(secret)
    expect(row!.sealed).not.toContain(secret)
    // The row is gone once read.
    expect((await rowsOfFlashes()).some((r) => r.id === id)).toBe(false)
  })

  it('is for the session that made it: another session with the same cookie sees nothing', async () => {
    const res = await post(operator, `/admin/sites/${site.slug}/keys?lang=en`, {
      _csrf: operator.csrf,
      label: 'Not yours',
    })
    const other = await signIn(OPERATOR_TOKEN)
    const theirs = await (await follow(other, res, 'lang=en')).text()
    expect(theirs).not.toContain('shown this once')
    // Tried by the other session, it is not used up for the session that made it.
    expect(await (await follow(operator, res, 'lang=en')).text()).toContain('shown this once')
  })

  it('lasts five minutes', async () => {
    const res = await post(operator, `/admin/sites/${site.slug}/keys?lang=en`, {
      _csrf: operator.csrf,
      label: 'Too late',
    })
    const later = callAt(Date.now() + 5 * 60_000 + 1_000)
    const page = await later(`${res.headers.get('Location')!}?lang=en`, {
      headers: { Cookie: `${operator.cookie}; ${flashOf(res)!}` },
    })
    expect(page.status).toBe(200)
    expect(await page.text()).not.toContain('shown this once')
  })

  it('shows a sign-in link the hub could not e-mail once, on the page the approval lands on', async () => {
    const id = await applicant(site)
    const noMail = callAt(() => Date.now(), { EMAIL: undefined })
    const res = await noMail(`/admin/sites/${site.slug}/partners/${id}?lang=en`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: operator.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
      body: new URLSearchParams({ _csrf: operator.csrf, decision: 'approve' }).toString(),
    })
    expect(res.status).toBe(303)
    const page = await (await follow(operator, res, 'lang=en')).text()
    const link = /<code>(https?:\/\/[^<]+\/sign-in\/[a-z0-9]+)<\/code>/.exec(page)?.[1]
    expect(link).toBeTruthy()
    expect(page).toContain('Saved.')
    expect(await (await follow(operator, res, 'lang=en')).text()).not.toContain(link!)
    expect(await (await get(operator, `/admin/sites/${site.slug}/partners`)).text()).not.toContain(link!)
  })
})

describe('a flash is for the page it lands on', () => {
  it('is not used up by another console page: a new key waits for its own page, shown there once', async () => {
    const voice = await pingVoice(site, (await createTarget(site)).id)
    const { id: voiceId } = (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?')
      .bind(voice)
      .first<{ id: string }>())!
    const res = await post(operator, `/admin/sites/${site.slug}/keys?lang=en`, {
      _csrf: operator.csrf,
      label: 'Elsewhere first',
    })
    const flash = flashOf(res)!
    const base = `/admin/sites/${site.slug}`
    for (const other of [
      base,
      `${base}/targets`,
      `${base}/webhooks`,
      `${base}/watches`,
      `${base}/reviews`,
      `${base}/erasure`,
      `${base}/partners`,
      `${base}/overview`,
      `/admin/mentions/${voiceId}`,
    ]) {
      const page = await call(`${other}?lang=en`, { headers: { Cookie: `${operator.cookie}; ${flash}` } })
      expect(page.status, other).toBe(200)
      expect(await page.text(), other).not.toContain('shown this once')
      expect(clearsFlash(page, flash), other).toBe(false)
    }
    const landing = await follow(operator, res, 'lang=en')
    expect(await landing.text()).toMatch(/shown this once — copy it now: <code>gh_/)
    expect(clearsFlash(landing, flash)).toBe(true)
    expect(await (await follow(operator, res, 'lang=en')).text()).not.toContain('shown this once')
  })

  it('keeps each of several forms sent close together, each shown once on its page', async () => {
    const base = `/admin/sites/${site.slug}`
    const key = await post(operator, `${base}/keys?lang=en`, { _csrf: operator.csrf, label: 'One of two' })
    const secret = await post(operator, `${base}/inbound-secret?lang=en`, { _csrf: operator.csrf })
    const hook = await post(operator, `${base}/webhooks?lang=en`, {
      _csrf: operator.csrf,
      url: 'https://hooks.example/close-together',
      mode: 'standard',
    })
    const flashes = [key, secret, hook].map((res) => flashOf(res)!)
    expect(new Set(flashes.map((f) => f.split('=')[0])).size).toBe(3)
    const jar = { Cookie: [operator.cookie, ...flashes].join('; ') }
    const seen = async (path: string) => (await call(`${path}?lang=en`, { headers: jar })).text()

    expect(await seen(`${base}/webhooks`)).toContain('The endpoint’s signing secret, shown this once')
    // Two flashes for the settings: one a visit, neither lost.
    const visits = [await seen(`${base}/settings`), await seen(`${base}/settings`)]
    expect(visits.filter((html) => /The new key, shown this once — copy it now: <code>gh_/.test(html))).toHaveLength(1)
    expect(visits.filter((html) => /The new secret, shown this once[^<]*<code>whsec_/.test(html))).toHaveLength(1)
    const after = await seen(`${base}/settings`)
    expect(after).not.toContain('shown this once')
    expect(await seen(`${base}/webhooks`)).not.toContain('shown this once')
  })
})
