/**
 * The API description against the API itself (test/helpers/openapi.ts): the operations of
 * linkbacks, targets, voices, the public feeds and watched feeds, called with what they need
 * seeded through the API, each answer checked against the description.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { call } from '../helpers/http'
import { freshIp, sendWebmention, settled } from '../helpers/linkbacks'
import { item, rss2, runAt } from '../helpers/listening'
import { ANSWER_FILES, apiChecked, checked, loadDescription, uncalledOf } from '../helpers/openapi'
import { pingVoice } from '../helpers/voices'

beforeAll(loadDescription)

/** A voice published by a verified Webmention about `page` (an unregistered page makes an automatic target). */
async function webmentionVoice(s: SiteFixture, page: string) {
  const source = `https://${unique('blog')}.example/post`
  await servePage(source, { body: html(`<p>About <a href="${page}">this</a>.</p>`) })
  const sent = await sendWebmention(s.slug, { source, target: page })
  expect(sent.status, await sent.clone().text()).toBe(201)
  await checked('post', '/webmention/{site}', sent)
  await checked('get', '/webmention/{site}', await call(`/webmention/${s.slug}`, { headers: { Accept: 'text/html' } }))
  const location = sent.headers.get('Location')!
  expect((await settled(location)).status).toBe('verified')
  return (
    await checked<{ voice: { id: string } }>('get', '/status/{site}/{id}', await call(new URL(location).pathname))
  ).voice.id
}

describe('every documented operation of linkbacks, targets, voices and feeds answers as described', () => {
  let s: SiteFixture
  let product: { id: string; url: string }
  let voice: string

  beforeAll(async () => {
    s = await createSite(PUBLISH_PINGS_AT_ONCE)
    product = await createTarget(s, unique('tee'), 'T-shirt')
    // A verified Webmention about a page nobody registered: a voice with a check, and an automatic target.
    voice = await webmentionVoice(s, `${s.origin}/old/mug-page`)
  })

  it('targets', async () => {
    const base = `/api/sites/${s.slug}/targets`
    const id = unique('mug')
    const body = { id, url: `${s.origin}/products/${id}`, title: 'Mug', kind: 'product' }
    await apiChecked('post', '/api/sites/{site}/targets', base, s.key, body, 201)
    await apiChecked('get', '/api/sites/{site}/targets', `${base}?limit=5`, s.key, undefined, 200)
    await apiChecked('get', '/api/sites/{site}/targets/{target}', `${base}/${id}`, s.key, undefined, 200)
    await apiChecked('patch', '/api/sites/{site}/targets/{target}', `${base}/${id}`, s.key, { title: 'Big mug' }, 200)
    // The automatic target of the Webmention's page, merged into the mug.
    const auto = await apiChecked<{ items: { id: string }[] }>(
      'get',
      '/api/sites/{site}/targets',
      `${base}?automatic=true`,
      s.key,
    )
    const merged = `${base}/${auto.items[0]!.id}/merge`
    await apiChecked('post', '/api/sites/{site}/targets/{target}/merge', merged, s.key, { into: id }, 200)
    const spare = await createTarget(s)
    await apiChecked('delete', '/api/sites/{site}/targets/{target}', `${base}/${spare.id}`, s.key, undefined, 204)
  })

  it('voices, responses, moderation, and a linkback’s status', async () => {
    const pinged = await call(`/tb/${s.slug}/${product.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': freshIp() },
      body: new URLSearchParams({
        url: `https://${unique('blog')}.example/p`,
        title: 'Tee',
        excerpt: 'Soft.',
      }).toString(),
    })
    expect(await checked('post', '/tb/{site}/{target}', pinged)).toContain('<error>0</error>')
    await pingVoice(s, product.id, { title: 'Second' })
    const list = await apiChecked<{ items: { id: string }[] }>(
      'get',
      '/api/sites/{site}/mentions',
      `/api/sites/${s.slug}/mentions?limit=10`,
      s.key,
      undefined,
      200,
    )
    const ids = list.items.map((m) => m.id)
    const one = `/api/mentions/${voice}`
    await apiChecked('patch', '/api/mentions/{id}', one, s.key, { sentiment: 'negative' }, 200)
    const answer = { stage: 'apology', body: 'Sorry, we are on it.', author: { name: 'Aiko', role: 'Owner' } }
    const answered = await apiChecked<{ id: string }>(
      'post',
      '/api/mentions/{id}/responses',
      `${one}/responses`,
      s.key,
      answer,
      201,
    )
    // Its Webmention to the blog, sent again at once (a new round of tries).
    const again = `/api/responses/${answered.id}/announce`
    await apiChecked('post', '/api/responses/{id}/announce', again, s.key, undefined, 202)
    const many = { ...answer, stage: 'resolution', body: 'Fixed.', mention_ids: ids.slice(0, 2) }
    await apiChecked('post', '/api/sites/{site}/responses', `/api/sites/${s.slug}/responses`, s.key, many, 201)
    const removal = { action: 'remove', category: 'off_topic', reason: 'Not about the shop' }
    await apiChecked('post', '/api/mentions/{id}/moderation', `${one}/moderation`, s.key, removal, 200)
    const restoring = { action: 'restore', reason: 'It is about the shop' }
    await apiChecked('post', '/api/mentions/{id}/moderation', `${one}/moderation`, s.key, restoring, 200)
    // The voice with its response's Webmention, its moderation log, its check.
    const detail = await apiChecked<{ moderation: unknown[]; responses: unknown[] }>(
      'get',
      '/api/mentions/{id}',
      one,
      s.key,
    )
    expect(detail.moderation).toHaveLength(2)
    expect(detail.responses.length).toBeGreaterThan(0)
    // The answer corrected, a stale correction refused with the current one, then withdrawn.
    const edit = `/api/responses/${answered.id}`
    await apiChecked('patch', '/api/responses/{id}', edit, s.key, { version: 1, body: 'Sorry: fixed today.' }, 200)
    await apiChecked('patch', '/api/responses/{id}', edit, s.key, { version: 1, body: 'Too late.' }, 409)
    const withdrawal = { reason: 'Answered the wrong review' }
    await apiChecked('post', '/api/responses/{id}/withdraw', `${edit}/withdraw`, s.key, withdrawal, 200)
    await apiChecked('post', '/api/responses/{id}/withdraw', `${edit}/withdraw`, s.key, withdrawal, 409)
    await apiChecked('patch', '/api/responses/{id}', edit, s.key, { version: 2, body: 'Again.' }, 409)
    // An unknown category is refused by the enum the description shows.
    const wrong = { action: 'remove', category: 'rude', reason: 'x' }
    await apiChecked('post', '/api/mentions/{id}/moderation', `${one}/moderation`, s.key, wrong, 400)
    const pingback = await call(`/pingback/${s.slug}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', 'CF-Connecting-IP': freshIp() },
      body: `<?xml version="1.0"?><methodCall><methodName>pingback.ping</methodName><params><param><value><string>https://${unique('blog')}.example/p</string></value></param><param><value><string>${product.url}</string></value></param></params></methodCall>`,
    })
    expect(await checked('post', '/pingback/{site}', pingback)).toContain('methodResponse')
  })

  it('the public feeds, and an unchanged one answered 304', async () => {
    const feed = await call(`/feeds/${s.slug}.json?target=${product.id}`)
    const etag = feed.headers.get('ETag')!
    await checked('get', '/feeds/{site}.json', feed)
    await checked(
      'get',
      '/feeds/{site}.json',
      await call(`/feeds/${s.slug}.json`, { headers: { 'If-None-Match': etag } }),
    )
    await checked(
      'get',
      '/feeds/{site}.jf2',
      await call(`/feeds/${s.slug}.jf2?target=${encodeURIComponent(product.url)}`),
    )
    // The whole site, as webmention.io's `?domain=` answers it.
    await checked('get', '/feeds/{site}.jf2', await call(`/feeds/${s.slug}.jf2?per-page=5&page=0`))
    await checked('get', '/feeds/{site}/trust.json', await call(`/feeds/${s.slug}/trust.json?target=${product.id}`))
    const ledger = await checked<{ entries: unknown[] }>(
      'get',
      '/feeds/{site}/ledger.json',
      await call(`/feeds/${s.slug}/ledger.json`),
    )
    expect(ledger.entries.length).toBeGreaterThan(0)
    await checked('get', '/feeds/{site}/jsonld', await call(`/feeds/${s.slug}/jsonld?target=${product.id}`))
    await checked('get', '/feeds/{site}.json', await call('/feeds/no-such-shop.json'))
  })

  it('watched feeds and the voices found in them', async () => {
    const feedUrl = `https://${unique('search')}.example/rss`
    const pages = [1, 2].map(() => `https://${unique('blog')}.example/${unique('post')}`)
    await servePage(feedUrl, {
      headers: { 'Content-Type': 'application/rss+xml' },
      body: rss2(pages.map((url) => item(url, 'Tanaka Goods', 'Tanaka Goods tee')).join('')),
    })
    const base = `/api/sites/${s.slug}/watches`
    const made = await apiChecked<{ id: string }>(
      'post',
      '/api/sites/{site}/watches',
      base,
      s.key,
      { feed_url: feedUrl, keywords: ['Tanaka Goods'] },
      201,
    )
    await runAt(Date.now())
    await apiChecked('get', '/api/sites/{site}/watches', base, s.key, undefined, 200)
    await apiChecked(
      'patch',
      '/api/sites/{site}/watches/{id}',
      `${base}/${made.id}`,
      s.key,
      { keywords: ['Tanaka'] },
      200,
    )
    const found = await apiChecked<{ items: { id: string }[] }>(
      'get',
      '/api/sites/{site}/mentions',
      `/api/sites/${s.slug}/mentions?kind=discovered`,
      s.key,
    )
    expect(found.items).toHaveLength(2)
    await apiChecked(
      'post',
      '/api/mentions/{id}/publish',
      `/api/mentions/${found.items[0]!.id}/publish`,
      s.key,
      { target: product.id },
      200,
    )
    await apiChecked(
      'post',
      '/api/mentions/{id}/dismiss',
      `/api/mentions/${found.items[1]!.id}/dismiss`,
      s.key,
      undefined,
      200,
    )
    await apiChecked('delete', '/api/sites/{site}/watches/{id}', `${base}/${made.id}`, s.key, undefined, 204)
  })
})

describe('coverage', () => {
  it('called every documented operation of its tags (Linkbacks, Targets, Voices, Feeds, Listening) but the ones not called on purpose', () => {
    expect(uncalledOf(ANSWER_FILES['answers-voices.test.ts'])).toEqual([])
  })
})
