/**
 * Every HTML page of the hub is a standards-mode document: it starts with `<!doctype html>`
 * (browsers render anything else in quirks mode), names its language and its charset.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { approvedPartner } from '../helpers/affiliates'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api, call, HUB } from '../helpers/http'
import { inboundSecret, invite, order, reviewPath } from '../helpers/reviews'
import { pingVoice } from '../helpers/voices'

let site: SiteFixture
let voiceId: string
let responseId: string
let reviewLink: string

const form = (path: string, fields: Record<string, string>, cookie = '') =>
  call(path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: HUB,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  })

const cookieOf = (res: Response) => res.headers.get('Set-Cookie')!.split(';')[0]!

async function expectDocument(res: Response, lang: 'en' | 'ja', status = 200) {
  const text = await res.text()
  expect(res.status, text.slice(0, 300)).toBe(status)
  expect(res.headers.get('Content-Type')).toMatch(/^text\/html; charset=utf-8/i)
  expect(text.startsWith('<!doctype html><html lang="' + lang + '">'), text.slice(0, 120)).toBe(true)
  expect(text).toContain('<meta charset="utf-8"/>')
  return text
}

beforeAll(async () => {
  site = await createSite({ ...PUBLISH_PINGS_AT_ONCE, settings: { verify_links: false, lang: 'ja' } })
  const target = await createTarget(site, 'kettle', 'Kettle')
  const url = await pingVoice(site, target.id, { title: 'Leaky kettle', excerpt: 'The lid drips.' })
  voiceId = (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id
  const answered = await api(
    'POST',
    `/api/mentions/${voiceId}/responses`,
    { stage: 'apology', body: '申し訳ございません。', author: { name: 'Aiko' } },
    site.key,
  )
  responseId = (await answered.json<{ id: string }>()).id
  reviewLink = await reviewPath((await invite(site, await inboundSecret(site), order([target.id]))).id)
})

describe('HTML pages', () => {
  it('public pages: the response page in the shop’s language, a dead tracking link, a review link, the partner sign-in', async () => {
    await expectDocument(await call(`/responses/${responseId}`), 'ja')
    await expectDocument(await call(`/responses/${responseId}?lang=en`), 'en')
    await expectDocument(await call('/responses/r_nosuchanswer'), 'en', 404)
    await expectDocument(await call('/r/abcdefgh'), 'en', 404)
    await expectDocument(await call(reviewLink), 'ja')
    await expectDocument(await call(`${reviewLink}?lang=en`), 'en')
    // The partner's sign-in and the application page speak the shop's language unless asked otherwise.
    await expectDocument(await call(`/partners/${site.slug}`), 'ja')
    await expectDocument(await call(`/partners/${site.slug}?lang=en`), 'en')
    await expectDocument(await call(`/affiliates/${site.slug}/apply`), 'ja')
    await expectDocument(await call(`/affiliates/${site.slug}/apply`, { headers: { 'Accept-Language': 'en' } }), 'en')
  })

  it('the operator’s pages, in either language', async () => {
    await expectDocument(await call('/admin/login?lang=ja'), 'ja')
    const signedIn = await form('/admin/login', { token: site.key })
    const cookie = cookieOf(signedIn)
    await expectDocument(await call(`/admin/sites/${site.slug}?lang=en`, { headers: { Cookie: cookie } }), 'en')
    await expectDocument(await call(`/admin/mentions/${voiceId}?lang=ja`, { headers: { Cookie: cookie } }), 'ja')
    await expectDocument(
      await call(`/admin/sites/${site.slug}/partners?lang=en`, { headers: { Cookie: cookie } }),
      'en',
    )
  })

  it('a partner’s signed-in page', async () => {
    const partner = await approvedPartner(site)
    const cookie = cookieOf(await form(`/partners/${site.slug}/login`, { key: partner.key }))
    await expectDocument(await call(`/partners/${site.slug}`, { headers: { Cookie: cookie } }), 'en')
  })
})

describe('GET /responses/{id}', () => {
  it('quotes what it answers and reads in the shop’s language', async () => {
    const page = await expectDocument(await call(`/responses/${responseId}`), 'ja')
    expect(page).toContain('お詫び')
    expect(page).toContain('Leaky kettle')
    expect(page).toContain('The lid drips.')
    expect(page).toContain('記事を読む')
    const en = await expectDocument(await call(`/responses/${responseId}?lang=en`), 'en')
    expect(en).toContain('Apology')
    expect(en).toContain('Read the post')
  })
})
