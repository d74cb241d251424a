/**
 * Official responses travel back to the blogger: the public response page (an h-entry in
 * reply to the post) and the Webmention the hub sends from it to the post's endpoint, through
 * the real queue, to blogs served by the fixture web.
 */
import { env } from 'cloudflare:workers'
import { mf2 } from 'microformats-parser'
import { beforeAll, describe, expect, it } from 'vitest'

import { hitsOf, html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { eventually, sendWebmention, settled } from '../helpers/linkbacks'
import { pingVoice, voiceIdOf } from '../helpers/voices'

let site: SiteFixture
let target: string

beforeAll(async () => {
  site = await createSite()
  target = `${site.origin}/products/kettle`
})

/** A blog post that links to the target and advertises `endpoint`; returns the verified voice's id. */
async function webmentionVoice(endpointMarkup: (blog: string) => string, title = 'My kettle review') {
  const blog = `https://${unique('blog')}.example`
  const post = `${blog}/2024/06/kettle`
  await servePage(post, {
    body: html(
      `<h1>${title}</h1><p>The <a href="${target}">kettle</a> leaks.</p>`,
      `<title>${title}</title>${endpointMarkup(blog)}`,
    ),
  })
  const res = await sendWebmention(site.slug, { source: post, target })
  expect(res.status).toBe(201)
  const status = await settled(res.headers.get('Location')!)
  expect(status.status).toBe('verified')
  return { id: status.voice.id, post, blog }
}

async function respond(id: string, body = 'Sorry — we are sending a new seal.', key = site.key) {
  const res = await api(
    'POST',
    `/api/mentions/${id}/responses`,
    { stage: 'apology', body, author: { name: 'Aiko', role: '店長' } },
    key,
  )
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<{ id: string; url: string; webmention: string | null }>()
}

const announcement = (responseId: string) =>
  env.DB.prepare(
    'SELECT webmention_state AS state, webmention_reason AS reason, webmention_refusal AS refusal, webmention_http_status AS http_status, webmention_attempts AS attempts FROM responses WHERE id = ?',
  )
    .bind(responseId)
    .first<{
      state: string | null
      reason: string | null
      refusal: string | null
      http_status: number | null
      attempts: number
    }>()

const settledAnnouncement = (responseId: string) =>
  eventually(
    () => announcement(responseId),
    (a) => a?.state !== 'queued',
  )

describe('responses to voices that came by Webmention', () => {
  it('sends a Webmention from the response page to the post, which finds an h-entry replying to it', async () => {
    const { id, post, blog } = await webmentionVoice((b) => `<link rel="webmention" href="${b}/webmention-endpoint">`)
    await servePage(`${blog}/webmention-endpoint`, {
      status: 202,
      body: 'Accepted',
      headers: { 'Content-Type': 'text/plain' },
    })

    const response = await respond(id)
    expect(response.webmention).toBe('queued')
    expect(response.url).toBe(`http://hub.test/responses/${response.id}`)
    expect(await settledAnnouncement(response.id)).toMatchObject({ state: 'sent', attempts: 1 })

    const sent = await hitsOf(`${blog}/webmention-endpoint`)
    expect(sent.method).toBe('POST')
    expect(sent.headers?.['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(sent.body!))).toEqual({ source: response.url, target: post })

    // What the blog's receiver reads when it verifies our Webmention.
    const pageRes = await call(`/responses/${response.id}`)
    expect(pageRes.status).toBe(200)
    const parsed = mf2(await pageRes.text(), { baseUrl: response.url })
    const entry = parsed.items.find((i) => i.type?.includes('h-entry'))!
    expect(entry.properties['in-reply-to']).toEqual([post])
    expect(JSON.stringify(entry.properties.content)).toContain('we are sending a new seal')
    expect(JSON.stringify(entry.properties.author)).toContain('Aiko')
    expect(entry.properties.url).toEqual([response.url])

    // The feed links each response to its page.
    const feed = await (
      await call(`/feeds/${site.slug}.json?target=${encodeURIComponent(target)}`)
    ).json<{ items: { id: string; _glasshouse: { responses: { url: string }[] } }[] }>()
    expect(feed.items.find((i) => i.id === id)!._glasshouse.responses[0]!.url).toBe(response.url)
  })

  it('records a post without an endpoint, an endpoint that refuses, and one on a private address', async () => {
    const none = await webmentionVoice(() => '')
    const quiet = await respond(none.id)
    expect(await settledAnnouncement(quiet.id)).toMatchObject({ state: 'no_endpoint', reason: 'no_endpoint' })

    const refusing = await webmentionVoice((b) => `<link rel="webmention" href="${b}/wm">`)
    await servePage(`${refusing.blog}/wm`, {
      status: 400,
      body: 'source does not link',
      headers: { 'Content-Type': 'text/plain' },
    })
    const refused = await respond(refusing.id)
    expect(await settledAnnouncement(refused.id)).toMatchObject({
      state: 'failed',
      reason: 'endpoint_error',
      http_status: 400,
    })

    const inside = await webmentionVoice(() => '<link rel="webmention" href="http://127.0.0.1:8080/wm">')
    const blocked = await respond(inside.id)
    expect(await settledAnnouncement(blocked.id)).toMatchObject({
      state: 'failed',
      reason: 'endpoint_refused',
      refusal: 'private_address',
    })
    expect((await hitsOf('http://127.0.0.1:8080/wm')).count).toBe(0)
  })

  it('retries an endpoint that is down, recording each attempt', async () => {
    const { id, blog } = await webmentionVoice((b) => `<link rel="webmention" href="${b}/busy">`)
    await servePage(`${blog}/busy`, { status: 503, body: 'down', headers: { 'Content-Type': 'text/plain' } })
    const response = await respond(id)
    const first = await eventually(
      () => announcement(response.id),
      (a) => (a?.attempts ?? 0) >= 1,
    )
    expect(first).toMatchObject({ state: 'queued', reason: 'endpoint_error', http_status: 503 })
    // The operator sees it in words, in either language.
    const detail = await (
      await api('GET', `/api/mentions/${id}`, undefined, site.key)
    ).json<{ responses: { webmention: { explanation: { en: string; ja: string } } }[] }>()
    const { en, ja } = detail.responses[0]!.webmention.explanation
    expect(en).toMatch(
      /^The blog’s Webmention endpoint answered with an error \(503\)\. Waiting since .+ — 1 try so far, will retry at .+\.$/,
    )
    expect(ja).toMatch(
      /^ブログのWebmention受信先がエラーを返しました（503）。.+から送信待ちです（1回試行）。.+に再送します。$/,
    )
  })
})

describe('GET /responses/{id}', () => {
  it('escapes whatever the response and the voice say', async () => {
    const { id } = await webmentionVoice(() => '', '<img src=x onerror=alert(1)>')
    const response = await respond(id, '<script>alert(1)</script> Thanks')
    const text = await (await call(`/responses/${response.id}`)).text()
    expect(text).not.toContain('<script>alert')
    expect(text).not.toContain('<img src=x')
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Thanks')
  })

  it('is gone once the voice is removed, and missing for a voice not yet public or an unknown id', async () => {
    const { id } = await webmentionVoice(() => '')
    const response = await respond(id)
    await api(
      'POST',
      `/api/mentions/${id}/moderation`,
      { action: 'remove', category: 'author_request', reason: 'The author asked' },
      site.key,
    )
    expect((await call(`/responses/${response.id}`)).status).toBe(410)
    expect((await call('/responses/r_doesnotexist')).status).toBe(404)

    const waiting = await createSite()
    const t = await createTarget(waiting)
    await pingVoice(waiting, t.id)
    const pending = (await env.DB.prepare(
      "SELECT m.id FROM mentions m JOIN sites s ON s.id = m.site_id WHERE s.slug = ? AND m.status = 'pending'",
    )
      .bind(waiting.slug)
      .first<{ id: string }>())!.id
    const early = await respond(pending, 'Thanks', waiting.key)
    expect(early.webmention).toBeNull()
    expect((await call(`/responses/${early.id}`)).status).toBe(404)
  })

  it('speaks the language its answer is written in, marks a voice in the other, and dates in the shop’s zone', async () => {
    const ja = await createSite({ settings: { lang: 'ja', verify_links: false } })
    const t = await createTarget(ja)
    const fields = { title: 'Lovely shirt', excerpt: 'It arrived on time and fits well.' }
    const voice = await voiceIdOf(await pingVoice(ja, t.id, fields))
    // A Japanese shop answers an English post in English: the page is English, the post marked as such only if it differs.
    const english = await respond(voice, 'Thank you for the kind words about our Tシャツ!', ja.key)
    const enPage = await (await call(`/responses/${english.id}`)).text()
    expect(enPage).toContain('<html lang="en">')
    expect(enPage).toContain('answers</h1>')
    expect(enPage).toMatch(/<blockquote cite="[^"]*">/)
    // In Japanese, the same page is Japanese and the English post is marked lang="en".
    const japanese = await respond(voice, 'ご購入ありがとうございます。これからもよろしくお願いします。', ja.key)
    const jaPage = await (await call(`/responses/${japanese.id}`)).text()
    expect(jaPage).toContain('<html lang="ja">')
    expect(jaPage).toContain('からの回答</h1>')
    expect(jaPage).toMatch(/<blockquote cite="[^"]*" lang="en">/)
    expect(jaPage).toMatch(/class="u-in-reply-to"[^>]* lang="en"/)
    // The reader may still ask for the other language.
    expect(await (await call(`/responses/${japanese.id}?lang=en`)).text()).toContain('<html lang="en">')
    // Its date is the shop's (Asia/Tokyo): an answer made at 20:00 UTC is dated the next day there.
    await env.DB.prepare('UPDATE responses SET created_at = ? WHERE id = ?')
      .bind(Date.UTC(2026, 0, 31, 20), japanese.id)
      .run()
    expect(await (await call(`/responses/${japanese.id}`)).text()).toContain('2026年2月1日')
  })

  it('announces nothing for a TrackBack voice', async () => {
    const tb = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = await createTarget(tb)
    const url = await pingVoice(tb, t.id)
    const voice = await voiceIdOf(url)
    const response = await respond(voice, 'Thanks!', tb.key)
    expect(response.webmention).toBeNull()
    expect((await call(`/responses/${response.id}`)).status).toBe(200)
  })
})
