/**
 * Every HTML form is read by one reader: a body it cannot read — a multipart body cut before
 * its closing boundary, a multipart type without a boundary, a charset other than UTF-8 —
 * answers 400 (or 415) with a page that says what to do, never a 500, on every form the hub
 * has (staff, partners, reviewers; sign-in forms included). A form that can be read but is
 * wrong names every refused field by its label, in the page's language.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { approvedPartner } from '../helpers/affiliates'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call, HUB } from '../helpers/http'
import { inboundSecret, invite, order, reviewPath } from '../helpers/reviews'
import { pingVoice } from '../helpers/voices'

let site: SiteFixture
let voiceId: string
let staff: { cookie: string; csrf: string }
let partner: { cookie: string; csrf: string }
let review: string

const urlencoded = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

async function signIn(path: string, fields: Record<string, string>, page: string) {
  const res = await call(path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
    body: urlencoded(fields),
  })
  expect(res.status).toBe(303)
  const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!
  const html = await (await call(page, { headers: { Cookie: cookie } })).text()
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1]! }
}

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  const target = await createTarget(site, 'kettle', 'Kettle')
  const url = await pingVoice(site, target.id)
  voiceId = (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id
  staff = await signIn('/admin/login', { token: site.key }, `/admin/sites/${site.slug}`)
  const p = await approvedPartner(site)
  partner = await signIn(`/partners/${site.slug}/login`, { key: p.key }, `/partners/${site.slug}`)
  review = await reviewPath((await invite(site, await inboundSecret(site), order([target.id]))).id)
})

/** Bodies the runtime's own form parser throws on, or that are not UTF-8. */
function badBodies(
  csrf: string,
): { name: string; type: string; body: string | Uint8Array; status: number; says: RegExp }[] {
  const boundary = 'x-boundary'
  const cut = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="body"\r\n\r\nhalf a `
  const sjis = new Uint8Array([...new TextEncoder().encode(`_csrf=${csrf}&body=`), 0x83, 0x65, 0x83, 0x58, 0x83, 0x67])
  return [
    {
      name: 'multipart without its closing boundary',
      type: `multipart/form-data; boundary=${boundary}`,
      body: cut,
      status: 400,
      says: /could not be read|読み取れません/,
    },
    {
      name: 'multipart without a boundary',
      type: 'multipart/form-data',
      body: cut,
      status: 400,
      says: /could not be read|読み取れません/,
    },
    {
      name: 'Shift_JIS declared',
      type: 'application/x-www-form-urlencoded; charset=Shift_JIS',
      body: sjis,
      status: 400,
      says: /not sent as UTF-8|UTF-8で送信されていません/,
    },
    {
      name: 'Shift_JIS bytes undeclared',
      type: 'application/x-www-form-urlencoded',
      body: sjis,
      status: 400,
      says: /not sent as UTF-8|UTF-8で送信されていません/,
    },
    {
      name: 'JSON labelled as a form',
      type: 'application/x-www-form-urlencoded',
      body: '{"body":"x"}',
      status: 415,
      says: /application\/json/,
    },
    { name: 'neither form type', type: 'text/plain', body: 'body=x', status: 415, says: /x-www-form-urlencoded/ },
  ]
}

describe('a form body that cannot be read', () => {
  it('is a 400 or 415 page on every form, signed in or not, and changes nothing', async () => {
    const forms: { path: string; cookie: string; csrf: string }[] = [
      { path: '/admin/login', cookie: '', csrf: '' },
      { path: '/admin/logout', ...staff },
      { path: `/admin/mentions/${voiceId}/responses`, ...staff },
      { path: `/admin/mentions/${voiceId}/moderation`, ...staff },
      { path: `/admin/mentions/${voiceId}/sentiment`, ...staff },
      { path: `/admin/sites/${site.slug}/responses`, ...staff },
      { path: `/admin/sites/${site.slug}/partners/pt_nobody`, ...staff },
      { path: `/partners/${site.slug}/login`, cookie: '', csrf: '' },
      { path: `/partners/${site.slug}/logout`, ...partner },
      { path: `/partners/${site.slug}/links`, ...partner },
      { path: `/partners/${site.slug}/posts`, ...partner },
      { path: review, cookie: '', csrf: '' },
      { path: `${review}/reviews/m_none`, cookie: '', csrf: '' },
    ]
    for (const form of forms) {
      for (const bad of badBodies(form.csrf)) {
        const res = await call(form.path, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'Content-Type': bad.type, Origin: HUB, ...(form.cookie ? { Cookie: form.cookie } : {}) },
          body: bad.body,
        })
        const text = await res.text()
        expect(res.status, `${form.path}: ${bad.name}: ${text.slice(0, 200)}`).toBe(bad.status)
        expect(res.headers.get('Content-Type'), `${form.path}: ${bad.name}`).toMatch(/^text\/html/)
        expect(text.startsWith('<!doctype html>'), `${form.path}: ${bad.name}`).toBe(true)
        expect(text, `${form.path}: ${bad.name}`).toMatch(bad.says)
      }
    }
    // Nothing was written: the voice has no response and is still published, the staff session still works.
    const voice = await (
      await api('GET', `/api/mentions/${voiceId}`, undefined, site.key)
    ).json<{ status: string; responses: unknown[] }>()
    expect(voice).toMatchObject({ status: 'published', responses: [] })
    expect((await call(`/admin/sites/${site.slug}`, { headers: { Cookie: staff.cookie } })).status).toBe(200)
  })
})

const post = (path: string, cookie: string, fields: Record<string, string>, lang?: 'ja' | 'en') =>
  call(`${path}${lang ? `?lang=${lang}` : ''}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB, Cookie: cookie },
    body: urlencoded(fields),
  })

/** The items of a page's error list, as text. */
const errorItems = (html: string) =>
  [
    ...(/<div class="error" role="alert">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g),
  ].map((m) => m[1]!.replace(/<[^>]+>/g, ''))

describe('a form that is too large, or from another site', () => {
  it('is a page saying so, in the form’s own words, not JSON', async () => {
    const big = urlencoded({ token: 'x'.repeat(70_000) })
    for (const [path, status, says] of [
      ['/admin/login?lang=ja', 413, 'フォームが大きすぎます（64KBまで）。'],
      [`/partners/${site.slug}/login`, 413, 'The form is too large (at most 16 KB).'],
    ] as const) {
      const res = await call(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
        body: big,
      })
      expect(res.status, path).toBe(status)
      expect(res.headers.get('Content-Type'), path).toMatch(/^text\/html/)
      expect(await res.text(), path).toContain(says)
    }
    const elsewhere = await call(`/admin/mentions/${voiceId}/sentiment`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'https://evil.example',
        Cookie: staff.cookie,
      },
      body: urlencoded({ _csrf: staff.csrf, sentiment: 'negative' }),
    })
    expect(elsewhere.status).toBe(403)
    expect(await elsewhere.text()).toContain('<!doctype html>')
  })
})

describe('a form that can be read but is wrong', () => {
  it('names every refused field by its label, in English or Japanese, and keeps what was typed', async () => {
    const fields = { _csrf: staff.csrf, stage: 'apology', body: '', author_name: '', author_role: 'x'.repeat(51) }
    const ja = await post(`/admin/mentions/${voiceId}/responses`, staff.cookie, fields, 'ja')
    expect(ja.status).toBe(400)
    const jaPage = await ja.text()
    expect(errorItems(jaPage)).toEqual([
      '本文: 入力してください',
      'お名前: 入力してください',
      '役割（例：店長、作り手）: 50文字以内にしてください',
    ])
    expect(jaPage).toContain('href="#body"')
    const en = await (await post(`/admin/mentions/${voiceId}/responses`, staff.cookie, fields, 'en')).text()
    expect(errorItems(en)).toEqual([
      'Text: must not be empty',
      'Your name: must not be empty',
      'Role (e.g. 店長, 作り手): must be at most 50 characters',
    ])
    expect(en).toContain(`value="${'x'.repeat(51)}"`)

    const moderation = await (
      await post(
        `/admin/mentions/${voiceId}/moderation`,
        staff.cookie,
        { _csrf: staff.csrf, action: 'remove', reason: '' },
        'en',
      )
    ).text()
    expect(errorItems(moderation)).toEqual([
      'Category (for removal): a removal needs a category: one of illegal, personal_data, author_request, duplicate, off_topic',
      'Public reason (shown in the ledger): must not be empty',
    ])
    const many = await (
      await post(
        `/admin/sites/${site.slug}/responses`,
        staff.cookie,
        { _csrf: staff.csrf, stage: 'resolution', body: 'Fixed.', author_name: '' },
        'ja',
      )
    ).text()
    expect(errorItems(many)).toEqual(['回答する声: 声を1件以上選んでください', 'お名前: 入力してください'])
  })

  it('on the partner page and the review form too', async () => {
    const partnerPage = await post(`/partners/${site.slug}/posts`, partner.cookie, {
      _csrf: partner.csrf,
      url: 'not a url',
      target: '',
    })
    expect(partnerPage.status).toBe(400)
    expect(errorItems(await partnerPage.text())).toEqual([
      'Post URL: must be an absolute http(s) URL',
      'About: must not be empty',
    ])

    const reviewed = await call(`${review}?lang=ja`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: urlencoded({ rating_0: '7', title_0: 't'.repeat(101), text_0: '', name: '' }),
    })
    expect(reviewed.status).toBe(400)
    const items = errorItems(await reviewed.text())
    expect(items).toEqual([
      'Kettle — 評価: 1〜5の星で選んでください',
      'Kettle — タイトル（任意）: 100文字以内にしてください',
      'Kettle — レビュー本文: 入力してください',
      '公開するお名前: 入力してください',
    ])
  })

  it('lists a refused photo with the other problems of the review form', async () => {
    const invitation = await invite(site, await inboundSecret(site), order(['kettle']))
    const form = new FormData()
    form.set('rating_0', '9')
    form.set('text_0', 'Leaks.')
    form.set('name', '')
    form.set('photos_0', new File(['just text'], 'holiday.jpg', { type: 'image/jpeg' }))
    const res = await call(await reviewPath(invitation.id), { method: 'POST', body: form })
    expect(res.status).toBe(400)
    expect(errorItems(await res.text())).toEqual([
      'Kettle — Rating: must be a whole number from 1 to 5',
      'Name shown with your review: must not be empty',
      'Kettle — Photos: holiday.jpg is not a JPEG, PNG or WebP image',
    ])
  })

  it('a JSON endpoint says to send JSON when the body is labelled otherwise', async () => {
    const res = await call(`/api/mentions/${voiceId}/responses`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${site.key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ stage: 'reply', body: 'Thanks', author: { name: unique('A') } }),
    })
    expect(res.status).toBe(415)
    expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(
      /^This endpoint takes a JSON body: send it with Content-Type: application\/json/,
    )
  })
})
