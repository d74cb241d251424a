/**
 * The operator's web UI (/admin): sign-in and sessions, CSRF, the inbox's order, the voice
 * page's forms, other sites' ids, escaping, languages.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { sendWebmention, settled } from '../helpers/linkbacks'
import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { api, call, callAt, HOUR, HUB, OPERATOR_TOKEN } from '../helpers/http'
import { inboundSecret, invite, order, postForm, reviewPath } from '../helpers/reviews'
import { pingVoice } from '../helpers/voices'

/** A voice pinged now, or at `at` (the hub's clock then: it was received and published at that time). */
async function voice(
  site: SiteFixture,
  target: string,
  sentiment: 'positive' | 'negative' | null,
  title = 'A post',
  at?: number,
) {
  const url = await pingVoice(site, target, { title }, at === undefined ? call : callAt(at))
  const id = (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!
    .id
  if (sentiment) await api('PATCH', `/api/mentions/${id}`, { sentiment }, site.key)
  return id
}

const hoursAgo = (hours: number) => Date.now() - hours * HOUR

let site: SiteFixture
let target: string
let browser: Browser

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  target = (await createTarget(site)).id
  browser = await signIn(site.key)
})

describe('/admin sign-in', () => {
  it('sends visitors without a session to the sign-in page, which is never cached', async () => {
    const res = await call('/admin', { redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/admin/login')
    const login = await call('/admin/login')
    expect(login.status).toBe(200)
    expect(login.headers.get('Cache-Control')).toBe('no-store')
    expect(await login.text()).toContain('name="token"')
  })

  it('opens a Secure, HttpOnly, SameSite=Strict session for a valid key and refuses anything else', async () => {
    const bad = await call('/admin/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
      body: 'token=gh_nonsense',
    })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('Set-Cookie')).toBeNull()

    const ok = await call('/admin/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
      body: new URLSearchParams({ token: site.key }).toString(),
      redirect: 'manual',
    })
    const cookie = ok.headers.get('Set-Cookie')!
    expect(cookie).toMatch(/^__Host-glasshouse_session=\w+;/)
    for (const attr of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict']) expect(cookie).toContain(attr)
    const stored = await env.DB.prepare('SELECT id FROM admin_sessions').all<{ id: string }>()
    expect(stored.results.map((r) => r.id)).not.toContain(cookie.split(';')[0]!.split('=')[1])

    // A sign-in form posted from another origin is refused.
    const forged = await call('/admin/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: new URLSearchParams({ token: site.key }).toString(),
    })
    expect(forged.status).toBe(403)
  })

  it('ends sessions on sign-out and when the site key is revoked', async () => {
    const mine = await signIn(site.key)
    expect((await post(mine, '/admin/logout', { _csrf: mine.csrf })).status).toBe(303)
    expect((await get(mine, `/admin/sites/${site.slug}`)).status).toBe(303)

    const other = await createSite()
    const keyRes = await api('POST', `/api/sites/${other.slug}/keys`, { label: 'soon revoked' })
    const { id, key } = await keyRes.json<{ id: string; key: string }>()
    const b = await signIn(key)
    expect((await get(b, `/admin/sites/${other.slug}`)).status).toBe(200)
    await api('DELETE', `/api/sites/${other.slug}/keys/${id}`)
    expect((await get(b, `/admin/sites/${other.slug}`)).status).toBe(303)
  })

  it('lets the operator pick among all sites', async () => {
    const op = await signIn(OPERATOR_TOKEN)
    const page = await (await get(op, '/admin')).text()
    expect(page).toContain(`/admin/sites/${site.slug}`)
  })
})

describe('/admin inbox', () => {
  it('puts unanswered negative voices first, then other unanswered ones, then apologies awaiting a report — oldest first', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const b = await signIn(s.key)
    const newerNegative = await voice(s, t, 'negative', 'Newer complaint', hoursAgo(2))
    const olderNegative = await voice(s, t, 'negative', 'Older complaint', hoursAgo(30))
    const praise = await voice(s, t, 'positive', 'Praise', hoursAgo(5))
    const apologized = await voice(s, t, 'negative', 'Apologised complaint', hoursAgo(10))
    await api(
      'POST',
      `/api/mentions/${apologized}/responses`,
      { stage: 'apology', body: 'Sorry', author: { name: 'A' } },
      s.key,
    )

    const html = await (await get(b, `/admin/sites/${s.slug}`)).text()
    const order = [olderNegative, newerNegative, praise, apologized].map((id) => html.indexOf(`/admin/mentions/${id}`))
    expect(order.every((at) => at > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    const overdueLine = html.slice(order[0], order[1])
    expect(overdueLine).toContain('overdue')
    expect(overdueLine).toContain('waited 30h / target 24h')

    const negativesOnly = await (await get(b, `/admin/sites/${s.slug}?sentiment=positive`)).text()
    expect(negativesOnly).toContain(`/admin/mentions/${praise}`)
    expect(negativesOnly).not.toContain(`/admin/mentions/${olderNegative}`)
    expect((await get(b, `/admin/sites/${s.slug}?sentiment=furious`)).status).toBe(400)
  })

  it('speaks Japanese to a Japanese browser, and remembers a switch of language', async () => {
    const ja = await (await get(browser, `/admin/sites/${site.slug}`, { 'Accept-Language': 'ja,en;q=0.5' })).text()
    expect(ja).toContain('未回答の否定的な声')
    const switched = await get(browser, `/admin/sites/${site.slug}?lang=en`, { 'Accept-Language': 'ja' })
    expect(await switched.text()).toContain('Unanswered negative voices')
    expect(switched.headers.get('Set-Cookie')).toContain('glasshouse_lang=en')
  })

  it('shows whatever a blogger wrote as inert text', async () => {
    const id = await voice(site, target, 'negative')
    // Whatever got stored, by any channel: markup, broken markup, attribute breakers, script URLs.
    await env.DB.prepare(
      `UPDATE mentions SET title = '<script>alert(1)</script>', excerpt = '<img src=x onerror=alert(2)><b',
         author_name = '"><svg onload=alert(3)>', source_url = 'javascript:alert(4)' WHERE id = ?`,
    )
      .bind(id)
      .run()
    for (const path of [`/admin/sites/${site.slug}`, `/admin/mentions/${id}`]) {
      const html = await (await get(browser, path)).text()
      expect(html).not.toContain('<script>alert(1)')
      expect(html).not.toContain('<img src=x')
      expect(html).not.toContain('<svg onload')
      expect(html).not.toContain('href="javascript:')
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })
})

describe('/admin voice page', () => {
  it('publishes a response, sets the sentiment and moderates, each with the session CSRF token', async () => {
    const id = await voice(site, target, 'negative', 'Seams split')
    const page = await (await get(browser, `/admin/mentions/${id}`)).text()
    expect(page).toContain(`name="_csrf" value="${browser.csrf}"`)

    const answered = await post(browser, `/admin/mentions/${id}/responses`, {
      _csrf: browser.csrf,
      stage: 'apology',
      body: 'We are sorry.',
      author_name: '山田',
      author_role: '店長',
    })
    expect(answered.status).toBe(303)
    expect(answered.headers.get('Location')).toBe(`/admin/mentions/${id}`)
    expect(await (await follow(browser, answered, 'lang=en')).text()).toContain('Saved.')
    expect(
      (await post(browser, `/admin/mentions/${id}/sentiment`, { _csrf: browser.csrf, sentiment: 'neutral' })).status,
    ).toBe(303)
    expect(
      (
        await post(browser, `/admin/mentions/${id}/moderation`, {
          _csrf: browser.csrf,
          action: 'remove',
          category: 'duplicate',
          reason: 'Posted twice',
        })
      ).status,
    ).toBe(303)

    const detail = await (
      await api('GET', `/api/mentions/${id}`, undefined, site.key)
    ).json<{ status: string; sentiment: string; responses: { body: string; author: { role: string } }[] }>()
    expect(detail).toMatchObject({ status: 'removed', sentiment: 'neutral' })
    expect(detail.responses[0]).toMatchObject({ body: 'We are sorry.', author: { role: '店長' } })
  })

  it('refuses forms without the token, with another token, or from another origin, and changes nothing', async () => {
    const id = await voice(site, target, 'negative')
    const fields = { stage: 'reply', body: 'Thanks', author_name: 'A' }
    expect((await post(browser, `/admin/mentions/${id}/responses`, fields)).status).toBe(403)
    expect((await post(browser, `/admin/mentions/${id}/responses`, { ...fields, _csrf: 'x'.repeat(32) })).status).toBe(
      403,
    )
    expect(
      (
        await post(
          browser,
          `/admin/mentions/${id}/responses`,
          { ...fields, _csrf: browser.csrf },
          { Origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403)
    const detail = await (await api('GET', `/api/mentions/${id}`, undefined, site.key)).json<{ responses: unknown[] }>()
    expect(detail.responses).toHaveLength(0)
  })

  it('explains refused input on the page: missing reason, unknown stage, oversize text, spam category on a removal', async () => {
    const id = await voice(site, target, 'negative')
    const noReason = await post(browser, `/admin/mentions/${id}/moderation`, {
      _csrf: browser.csrf,
      action: 'remove',
      category: 'duplicate',
      reason: '',
    })
    expect(noReason.status).toBe(400)
    expect(await noReason.text()).toContain('reason')
    expect(
      (
        await post(browser, `/admin/mentions/${id}/responses`, {
          _csrf: browser.csrf,
          stage: 'gloat',
          body: 'x',
          author_name: 'A',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await post(browser, `/admin/mentions/${id}/responses`, {
          _csrf: browser.csrf,
          stage: 'reply',
          body: 'x'.repeat(5001),
          author_name: 'A',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await post(browser, `/admin/mentions/${id}/moderation`, {
          _csrf: browser.csrf,
          action: 'remove',
          category: 'spam',
          reason: 'x',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await post(browser, `/admin/mentions/${id}/responses`, {
          _csrf: browser.csrf,
          stage: 'reply',
          body: 'x'.repeat(70_000),
          author_name: 'A',
        })
      ).status,
    ).toBe(413)
  })

  it('explains where a linkback’s check stands in the page’s language, and never the runtime’s words', async () => {
    const source = `https://${unique('blog')}.example/no-link`
    await servePage(source, { body: html('<p>No link here.</p>') })
    const sent = await sendWebmention(site.slug, { source, target: `${site.origin}/products/${target}` })
    const { voice: v } = await settled(sent.headers.get('Location')!)
    const ja = await (await get(browser, `/admin/mentions/${v.id}?lang=ja`)).text()
    expect(ja).toContain('リンクの確認：ソースのページに、対象ページへのリンクがありません。')
    const en = await (await get(browser, `/admin/mentions/${v.id}?lang=en`)).text()
    expect(en).toContain('Link check: The source page does not link to the target page.')
  })

  it("refuses another site's ids on every page and action", async () => {
    const theirs = await createSite(PUBLISH_PINGS_AT_ONCE)
    const theirVoice = await voice(theirs, (await createTarget(theirs)).id, 'negative')
    const routes: [string, string, Record<string, string>][] = [
      ['GET', `/admin/sites/${theirs.slug}`, {}],
      ['GET', `/admin/mentions/${theirVoice}`, {}],
      ['POST', `/admin/mentions/${theirVoice}/responses`, { stage: 'reply', body: 'pwned', author_name: 'x' }],
      ['POST', `/admin/mentions/${theirVoice}/sentiment`, { sentiment: 'positive' }],
      ['POST', `/admin/mentions/${theirVoice}/moderation`, { action: 'spam', reason: 'pwned' }],
      [
        'POST',
        `/admin/sites/${theirs.slug}/responses`,
        { ids: theirVoice, stage: 'resolution', body: 'pwned', author_name: 'x' },
      ],
    ]
    for (const [method, path, fields] of routes) {
      const res =
        method === 'GET' ? await get(browser, path) : await post(browser, path, { ...fields, _csrf: browser.csrf })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    const detail = await (
      await api('GET', `/api/mentions/${theirVoice}`, undefined, theirs.key)
    ).json<{ status: string; sentiment: string; responses: unknown[] }>()
    expect(detail).toMatchObject({ status: 'published', sentiment: 'negative', responses: [] })
  })
})

describe('one response for several voices', () => {
  it('publishes a resolution report on every ticked voice from the inbox', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const b = await signIn(s.key)
    const ids = [await voice(s, t, 'negative', 'Stitching 1'), await voice(s, t, 'negative', 'Stitching 2')]
    const untouched = await voice(s, t, 'negative', 'Other fault')
    const fields = new URLSearchParams({
      _csrf: b.csrf,
      stage: 'resolution',
      body: 'We changed the stitching.',
      author_name: 'Aiko',
    })
    for (const id of ids) fields.append('ids', id)
    const res = await call(`/admin/sites/${s.slug}/responses`, {
      method: 'POST',
      headers: { Cookie: b.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
      body: fields.toString(),
      redirect: 'manual',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/admin/sites/${s.slug}`)
    for (const id of ids) {
      const d = await (
        await api('GET', `/api/mentions/${id}`, undefined, s.key)
      ).json<{ responses: { stage: string; body: string }[] }>()
      expect(d.responses).toEqual([expect.objectContaining({ stage: 'resolution', body: 'We changed the stitching.' })])
    }
    const other = await (
      await api('GET', `/api/mentions/${untouched}`, undefined, s.key)
    ).json<{ responses: unknown[] }>()
    expect(other.responses).toHaveLength(0)
    expect(await (await follow(b, res, 'lang=en')).text()).toContain('Published on 2 voices.')
  })

  it("refuses the whole request when one voice is another site's, or none is ticked, and writes nothing", async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(s)).id
    const mine = await voice(s, t, 'negative')
    const theirs = await createSite(PUBLISH_PINGS_AT_ONCE)
    const theirVoice = await voice(theirs, (await createTarget(theirs)).id, 'negative')

    const viaApi = await api(
      'POST',
      `/api/sites/${s.slug}/responses`,
      { mention_ids: [mine, theirVoice], stage: 'resolution', body: 'Fixed', author: { name: 'A' } },
      s.key,
    )
    expect(viaApi.status).toBe(404)
    const op = await api('POST', `/api/sites/${s.slug}/responses`, {
      mention_ids: [mine, theirVoice],
      stage: 'resolution',
      body: 'Fixed',
      author: { name: 'A' },
    })
    expect(op.status).toBe(404)
    for (const [id, key] of [
      [mine, s.key],
      [theirVoice, theirs.key],
    ] as const) {
      expect(
        (await (await api('GET', `/api/mentions/${id}`, undefined, key)).json<{ responses: unknown[] }>()).responses,
      ).toHaveLength(0)
    }
    expect(
      (
        await api(
          'POST',
          `/api/sites/${s.slug}/responses`,
          { mention_ids: [], stage: 'resolution', body: 'x', author: { name: 'A' } },
          s.key,
        )
      ).status,
    ).toBe(400)
    const tooMany = Array.from({ length: 51 }, (_, i) => `m_${i}`)
    expect(
      (
        await api(
          'POST',
          `/api/sites/${s.slug}/responses`,
          { mention_ids: tooMany, stage: 'resolution', body: 'x', author: { name: 'A' } },
          s.key,
        )
      ).status,
    ).toBe(400)

    const ok = await api(
      'POST',
      `/api/sites/${s.slug}/responses`,
      { mention_ids: [mine, mine], stage: 'resolution', body: 'Fixed', author: { name: 'A' } },
      s.key,
    )
    expect(ok.status).toBe(201)
    expect((await ok.json<{ items: { mention_id: string; ok: boolean }[] }>()).items).toEqual([
      expect.objectContaining({ mention_id: mine, ok: true }),
    ])

    const b = await signIn(s.key)
    const none = await post(b, `/admin/sites/${s.slug}/responses`, {
      _csrf: b.csrf,
      stage: 'resolution',
      body: 'x',
      author_name: 'A',
    })
    expect(none.status).toBe(400)
  })
})

describe('/admin dates', () => {
  it("shows dates in the site's time zone", async () => {
    const s = await createSite({ ...PUBLISH_PINGS_AT_ONCE, settings: { verify_links: false, time_zone: 'Asia/Tokyo' } })
    const t = (await createTarget(s)).id
    const id = await voice(s, t, null, 'A post', Date.parse('2026-03-01T15:30:00Z'))
    const b = await signIn(s.key)
    const html = await (await get(b, `/admin/mentions/${id}`, { 'Accept-Language': 'en' })).text()
    // 15:30 UTC is 00:30 the next day in Tokyo.
    expect(html).toContain('2 Mar 2026, 00:30')
  })
})

describe('/admin and reviews', () => {
  it('shows a review’s stars, purchase, coupon disclosure and the reviewer’s verdict', async () => {
    const s = await createSite({ settings: { coupons: { mode: 'generated', prefix: 'ADM' } } })
    const t = (await createTarget(s)).id
    const inv = await invite(s, await inboundSecret(s), order([t]))
    const path = await reviewPath(inv.id)
    await postForm(path, { name: 'Rev', rating_0: '2', text_0: 'admin sees this' })
    const id = (
      await (
        await api('GET', `/api/sites/${s.slug}/mentions?kind=review`, undefined, s.key)
      ).json<{ items: { id: string }[] }>()
    ).items[0]!.id
    await api(
      'POST',
      `/api/mentions/${id}/responses`,
      { stage: 'apology', body: 'Sorry', author: { name: 'Shop' } },
      s.key,
    )
    await postForm(`${path}/reviews/${id}/verdict`, { resolved: 'no' })
    const b = await signIn(s.key)
    const page = await (await get(b, `/admin/mentions/${id}`)).text()
    expect(page).toContain('★★☆☆☆')
    expect(page).toContain('verified purchase')
    expect(page).toContain('coupon given for any review')
    expect(page).toContain('did not resolve it')
  })
})

describe('/admin partners', () => {
  it('lists applications, approves (a sign-in link goes to the partner, no key to pass on), keeps other sites’ partners out', async () => {
    const s = await createSite()
    const applied = await call(`/affiliates/${s.slug}/apply`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: '<b>Bold</b> Blogger',
        email: 'bold@blog.example',
        blog_url: 'https://bold.example/',
      }),
    })
    const { id } = await applied.json<{ id: string }>()
    const b = await signIn(s.key)
    const page = await (await get(b, `/admin/sites/${s.slug}/partners`)).text()
    expect(page).toContain('&lt;b&gt;Bold&lt;/b&gt; Blogger')
    expect(page).toContain('bold@blog.example')
    const approved = await post(b, `/admin/sites/${s.slug}/partners/${id}?lang=en`, {
      _csrf: b.csrf,
      decision: 'approve',
    })
    expect(approved.status).toBe(303)
    const html = await (await follow(b, approved, 'lang=en')).text()
    expect(html).toContain('was e-mailed to bold@blog.example')
    expect(html).not.toContain('gh_pk_')
    expect((await post(b, `/admin/sites/${s.slug}/partners/${id}`, { _csrf: b.csrf, decision: 'reject' })).status).toBe(
      409,
    )
    expect((await post(b, `/admin/sites/${s.slug}/partners/${id}`, { _csrf: b.csrf, decision: 'maybe' })).status).toBe(
      400,
    )
    const other = await createSite()
    const mine = await signIn(other.key)
    expect((await get(mine, `/admin/sites/${s.slug}/partners`)).status).toBe(404)
    expect(
      (await post(mine, `/admin/sites/${other.slug}/partners/${id}`, { _csrf: mine.csrf, decision: 'suspend' })).status,
    ).toBe(404)
  })
})
