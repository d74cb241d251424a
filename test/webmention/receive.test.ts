/**
 * Webmention receiver (W3C REC 2017): the synchronous checks, the
 * status URL, and the asynchronous verification through the real queue against source
 * pages served by the fixture web.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { hitsOf, html, servePage } from '../helpers/blogs'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { sendWebmention, settled, statusAt } from '../helpers/linkbacks'

let site: SiteFixture
let target: string

beforeAll(async () => {
  site = await createSite()
  target = `${site.origin}/products/acme-kettle`
})

const newSource = (path = 'post') => `https://${unique('blog')}.example/2024/05/${unique(path)}/`
const linking = (to = target) => html(`<p>I bought the <a href="${to}">Acme kettle</a>.</p>`)

async function accepted(res: Response) {
  expect(res.status, await res.clone().text()).toBe(201)
  const location = res.headers.get('Location')
  expect(location).toMatch(/^http:\/\/hub\.test\/status\/[^/]+\/m_\w+$/)
  return location!
}

async function refused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(res.headers.get('Content-Type')).toBe('text/plain; charset=utf-8')
  expect(res.headers.get('Location')).toBeNull()
  const text = await res.text()
  expect(text.split('\n')[0]).toBe(code)
  expect(text.split('\n')[2]?.length).toBeGreaterThan(5)
}

describe('POST /webmention/{site} — the request', () => {
  it('WM-V1: takes the bytes mention-client-php sends and answers 201 with a status URL', async () => {
    const source = newSource()
    await servePage(source, { body: linking() })
    const body = `source=${encodeURIComponent(source)}&target=${encodeURIComponent(target)}`
    const res = await call(`/webmention/${site.slug}`, {
      method: 'POST',
      headers: {
        'Content-type': 'application/x-www-form-urlencoded',
        Accept: 'application/json, */*;q=0.8',
        'CF-Connecting-IP': '203.0.113.200',
      },
      body,
    })
    const location = await accepted(res)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(await res.json()).toEqual({
      status: 'queued',
      summary: 'Webmention was queued for verification',
      location,
      source: source.replace(/\/$/, ''),
      target,
    })
    expect((await statusAt(location)).status).toMatch(/queued|verified/)
    expect(await settled(location)).toMatchObject({
      status: 'verified',
      reason: null,
      protocol: 'webmention',
      voice: { status: 'published' },
    })
  })

  it('accepts unencoded URLs (REC example 3) and ignores extra parameters such as Private Webmention code', async () => {
    const source = newSource()
    await servePage(source, { body: linking() })
    const res = await call(`/webmention/${site.slug}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
        'CF-Connecting-IP': '203.0.113.201',
      },
      body: `source=${source}&target=${target}&code=secret-123&vouch=https://friend.example/`,
    })
    expect(await settled(await accepted(res))).toMatchObject({ status: 'verified' })
  })

  it('WM-V5: refuses the three invalid requests of webmention.rocks test 2 with 400', async () => {
    const source = newSource()
    await refused(
      await sendWebmention(site.slug, { source: 'jwoijgoisdjlskjegisvjowuehjtkx', target }),
      400,
      'invalid_source',
    )
    await refused(
      await sendWebmention(site.slug, { source, target: 'owiejduvyeiwljjjcjmvbpsouehgd' }),
      400,
      'invalid_target',
    )
    await refused(
      await sendWebmention(site.slug, { source: 'sjuhvhwieuhtiwudcjvhuh', target: 'owiejduvyeiwljjjcjmvbpsouehgd' }),
      400,
      'invalid_source',
    )
  })

  it('refuses missing, empty and non-http URLs, and a source equal to the target', async () => {
    await refused(await sendWebmention(site.slug, { target }), 400, 'missing_source')
    await refused(await sendWebmention(site.slug, { source: newSource() }), 400, 'missing_target')
    await refused(await sendWebmention(site.slug, { source: '', target }), 400, 'missing_source')
    await refused(await sendWebmention(site.slug, { source: 'ftp://blog.example/post', target }), 400, 'invalid_source')
    await refused(
      await sendWebmention(site.slug, { source: 'https://user:pw@blog.example/post', target }),
      400,
      'invalid_source',
    )
    await refused(
      await sendWebmention(site.slug, { source: newSource(), target: 'javascript:alert(1)' }),
      400,
      'invalid_target',
    )
    await refused(await sendWebmention(site.slug, { source: target, target: `${target}#reviews` }), 400, 'same_url')
  })

  it("refuses a target on someone else's origin (another site of this hub too) and a source on the shop itself", async () => {
    const other = await createSite()
    await refused(
      await sendWebmention(site.slug, { source: newSource(), target: `${other.origin}/products/x` }),
      400,
      'target_not_here',
    )
    await refused(
      await sendWebmention(site.slug, { source: newSource(), target: 'https://elsewhere.example/p' }),
      400,
      'target_not_here',
    )
    await refused(
      await sendWebmention(site.slug, { source: `${site.origin}/blog/our-kettle`, target }),
      400,
      'self_mention',
    )
  })

  it('refuses other content types, bodies that are not UTF-8 and oversize bodies; GET is 405', async () => {
    const source = newSource()
    const json = await call(`/webmention/${site.slug}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ source, target }),
    })
    await refused(json, 400, 'unsupported_content_type')
    const form = new FormData()
    form.set('source', source)
    form.set('target', target)
    await refused(
      await call(`/webmention/${site.slug}`, { method: 'POST', body: form }),
      400,
      'unsupported_content_type',
    )
    const latin1 = await call(`/webmention/${site.slug}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `source=https%3A%2F%2Fblog.example%2Fcaf%E9&target=${encodeURIComponent(target)}`,
    })
    await refused(latin1, 400, 'not_utf8')
    const huge = await sendWebmention(site.slug, { source, target, padding: 'x'.repeat(20_000) })
    await refused(huge, 413, 'too_large')
    const get = await call(`/webmention/${site.slug}`)
    await refused(get, 405, 'method_not_allowed')
    expect(get.headers.get('Allow')).toBe('POST')
  })

  it('answers 404 for a site the hub does not have', async () => {
    await refused(await sendWebmention('no-such-shop', { source: newSource(), target }), 404, 'unknown_site')
  })

  it('makes a target for a page nobody registered only once a voice about it is published, ignoring the fragment and tracking parameters', async () => {
    const url = `${site.origin}/products/${unique('new')}`
    const listed = async () =>
      (
        await (
          await api('GET', `/api/sites/${site.slug}/targets?limit=100`)
        ).json<{ items: { url: string; kind: string; automatic: boolean }[] }>()
      ).items.filter((t) => t.url === url)
    // A ping whose page does not link to it: the voice names the page, and no target is made.
    const quiet = newSource()
    await servePage(quiet, { body: '<p>nothing</p>' })
    const rejected = await settled(
      await accepted(await sendWebmention(site.slug, { source: quiet, target: `${url}#reviews` })),
    )
    expect(rejected).toMatchObject({ status: 'rejected', target: url })
    expect(await listed()).toEqual([])
    // Two posts that link to it: the first to be published makes the target, both end up under it.
    const sources = [newSource(), newSource()]
    for (const source of sources) await servePage(source, { body: linking(url) })
    const a = await settled(
      await accepted(await sendWebmention(site.slug, { source: sources[0]!, target: `${url}#reviews` })),
    )
    const b = await settled(
      await accepted(await sendWebmention(site.slug, { source: sources[1]!, target: `${url}?utm_source=x` })),
    )
    expect([a.target, b.target]).toEqual([url, url])
    expect(await listed()).toEqual([expect.objectContaining({ url, kind: 'page', automatic: true })])
  })

  it('keeps status URLs to their site: another site, or an unknown id, is 404', async () => {
    const source = newSource()
    await servePage(source, { body: linking() })
    const location = await accepted(await sendWebmention(site.slug, { source, target }))
    const other = await createSite()
    const id = location.split('/').pop()!
    expect((await call(`/status/${other.slug}/${id}`)).status).toBe(404)
    expect((await call(`/status/${site.slug}/m_doesnotexist`)).status).toBe(404)
  })

  it('coalesces a burst of the same submission into one voice and one check', async () => {
    const source = newSource()
    await servePage(source, { body: linking() })
    const answers = await Promise.all(Array.from({ length: 6 }, () => sendWebmention(site.slug, { source, target })))
    const locations = await Promise.all(answers.map(accepted))
    expect(new Set(locations).size).toBe(1)
    await settled(locations[0]!)
    expect((await hitsOf(source)).count).toBeLessThanOrEqual(2)
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM mentions WHERE source_url = ?')
      .bind(source.replace(/\/$/, ''))
      .first<{ n: number }>()
    expect(rows?.n).toBe(1)
    const stats = await (
      await call(`/feeds/${site.slug}.json?target=${encodeURIComponent(target)}`)
    ).json<{ items: { url: string }[] }>()
    expect(stats.items.filter((i) => i.url === source.replace(/\/$/, ''))).toHaveLength(1)
  })

  it('limits new voices per client address and per blog, but never refuses a re-send', async () => {
    const s = await createSite()
    const t = `${s.origin}/products/p`
    const ip = { 'CF-Connecting-IP': `198.18.${unique('ip')}` }
    const statuses: number[] = []
    while (statuses.length < 41 && !statuses.includes(429))
      statuses.push((await sendWebmention(s.slug, { source: newSource(), target: t }, ip)).status)
    // The limiter counts in one-minute windows, and one may turn during the loop (a slow machine):
    // the first refusal comes after 20 new voices, or after 40 at most.
    const refused = statuses.indexOf(429)
    expect(refused).toBeGreaterThanOrEqual(20)
    expect(refused).toBeLessThanOrEqual(40)
    expect(statuses.slice(0, refused).every((n) => n === 201)).toBe(true)

    const blog = `https://${unique('busy')}.example`
    const perBlog: Response[] = []
    for (let i = 0; i < 11; i++) perBlog.push(await sendWebmention(s.slug, { source: `${blog}/post-${i}`, target: t }))
    expect(perBlog.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(201))
    expect(perBlog[10]!.status).toBe(429)
    expect(perBlog[10]!.headers.get('Retry-After')).toBe('60')
    // Refused by the blog's minute limit — or, when a minute turned during the loop (a slow machine), by
    // its hour limit, which also stops at ten new voices: either way the refusal names the blog.
    const host = new URL(blog).host
    expect([
      `throttled\n\nToo many Webmentions from the blog ${host}: at most 10 a minute. Please try again in a minute.\n`,
      `throttled\n\nThe blog ${host} has brought 10 new voices to this shop in the last hour, the most it takes in an hour. Please try again later.\n`,
    ]).toContain(await perBlog[10]!.text())
    // Eleven writers of one blogging platform are eleven blogs.
    const writers: number[] = []
    for (let i = 0; i < 11; i++)
      writers.push(
        (await sendWebmention(s.slug, { source: `https://ameblo.jp/${unique('w')}/entry-${i}.html`, target: t }))
          .status,
      )
    expect(writers).toEqual(Array(11).fill(201))
    // The same post again is an update, not a new voice.
    expect((await sendWebmention(s.slug, { source: `${blog}/post-3`, target: t })).status).toBe(201)
  })
})
