/**
 * Judging a fetched source: link detection per media type (w3c/webmention implementation
 * report "HTML Verification") and h-entry extraction (§4, MF-V1…V6,
 * after the webmention.io fixtures).
 */
import { describe, expect, it } from 'vitest'

import { type FetchedSource, mediaTypeOf } from '../../src/common/fetch-source'
import { retryDelaySeconds } from '../../src/common/queue-consumer'
import { judgeSource, outcomeOf, type Verdict, type VoiceState } from '../../src/verification/verdict'

const T = 'https://shop.example/products/acme-kettle'
const SOURCE = 'http://source.example.org/like-of'

function answered(
  body: string,
  contentType = 'text/html; charset=utf-8',
  finalUrl = SOURCE,
  status = 200,
): FetchedSource {
  return {
    kind: 'answered',
    status,
    finalUrl,
    contentType,
    mediaType: mediaTypeOf(contentType),
    body: new TextEncoder().encode(body),
    truncated: false,
    link: null,
    retryAfter: null,
    etag: null,
    lastModified: null,
  }
}

const judge = (body: string, contentType?: string, finalUrl?: string) =>
  judgeSource(answered(body, contentType, finalUrl), T)
const kindOf = async (body: string, contentType?: string, finalUrl?: string) =>
  (await judge(body, contentType, finalUrl)).kind

describe('link detection (WM-V6)', () => {
  it('accepts a[href], img[src], video[src], audio[src] and link[href]', async () => {
    for (const markup of [
      `<a href="${T}">k</a>`,
      `<img src="${T}">`,
      `<video src="${T}"></video>`,
      `<audio src="${T}"></audio>`,
      `<link rel="related" href="${T}">`,
    ]) {
      expect(await kindOf(`<html><body>${markup}</body></html>`), markup).toBe('linked')
    }
  })

  it('rejects the URL as plain text in HTML, inside a comment, in a script, or absent', async () => {
    expect(await kindOf(`<p>${T}</p>`)).toBe('no_link')
    expect(await kindOf(`<!-- <a href="${T}">x</a> --><p>hi</p>`)).toBe('no_link')
    expect(await kindOf(`<script>document.write('<a href="${T}">x</a>')</script>`)).toBe('no_link')
    expect(await kindOf(`<p>nothing here</p>`)).toBe('no_link')
  })

  it('compares after the one canonicaliser: fragment, trailing slash, tracking parameters, percent-escape case, &amp;', async () => {
    expect(await kindOf(`<a href="${T}#reviews">k</a>`)).toBe('linked')
    expect(await kindOf(`<a href="${T}/">k</a>`)).toBe('linked')
    expect(await kindOf(`<a href="HTTPS://SHOP.EXAMPLE:443/products/acme-kettle?utm_source=blog">k</a>`)).toBe('linked')
    const euro = 'https://shop.example/products/%E2%82%AC-kettle'
    expect(
      (await judgeSource(answered(`<a href="https://shop.example/products/%e2%82%ac-kettle">k</a>`), euro)).kind,
    ).toBe('linked')
    expect((await judgeSource(answered(`<a href="https://shop.example/products/€-kettle">k</a>`), euro)).kind).toBe(
      'linked',
    )
    const query = 'https://shop.example/p?a=1&b=2'
    expect((await judgeSource(answered(`<a href="https://shop.example/p?a=1&amp;b=2">k</a>`), query)).kind).toBe(
      'linked',
    )
    expect(await kindOf(`<a href="http://shop.example/products/acme-kettle">k</a>`)).toBe('no_link')
    expect(await kindOf(`<a href="${T}-pro">k</a>`)).toBe('no_link')
  })

  it('resolves relative links against the final URL and <base>, not against the target', async () => {
    expect(await kindOf(`<a href="/products/acme-kettle">k</a>`)).toBe('no_link')
    expect(await kindOf(`<a href="/products/acme-kettle">k</a>`, undefined, 'https://shop.example/blog/x')).toBe(
      'linked',
    )
    expect(await kindOf(`<head><base href="https://shop.example/products/"></head><a href="acme-kettle">k</a>`)).toBe(
      'linked',
    )
    expect(
      await kindOf(
        `<head><base href="//shop.example/"></head><a href="products/acme-kettle">k</a>`,
        undefined,
        'https://blog.example/p',
      ),
    ).toBe('linked')
  })

  it('finds exact URL values in JSON and URL strings in plain text', async () => {
    expect(await kindOf(JSON.stringify({ type: 'entry', 'like-of': T }), 'application/json')).toBe('linked')
    expect(await kindOf(JSON.stringify({ items: [{ content: `Loved it: ${T}.` }] }), 'application/activity+json')).toBe(
      'linked',
    )
    expect(await kindOf(JSON.stringify({ like: `${T}-pro` }), 'application/json')).toBe('no_link')
    expect(await kindOf(`I bought it (${T}), recommended.`, 'text/plain; charset=utf-8')).toBe('linked')
    expect(await kindOf(`nothing`, 'text/plain')).toBe('no_link')
  })

  it('reads legacy charsets before looking for links and text', async () => {
    // Shift_JIS "キャンプ" in the title, declared only in a <meta>.
    const sjis = new Uint8Array([0x83, 0x4c, 0x83, 0x83, 0x83, 0x93, 0x83, 0x76])
    const head = new TextEncoder().encode('<html><head><meta charset="Shift_JIS"><title>')
    const tail = new TextEncoder().encode(`</title></head><body><a href="${T}">k</a></body></html>`)
    const body = new Uint8Array([...head, ...sjis, ...tail])
    const verdict = await judgeSource(
      { ...(answered('') as Extract<FetchedSource, { kind: 'answered' }>), contentType: 'text/html', body },
      T,
    )
    expect(verdict).toMatchObject({ kind: 'linked', content: { title: 'キャンプ' } })
  })
})

describe('what the answer means', () => {
  it('410, and a meta http-equiv Status 410, mean the post is gone', async () => {
    expect((await judgeSource(answered('', 'text/html', SOURCE, 410), T)).kind).toBe('gone')
    expect(await kindOf(`<head><meta http-equiv="Status" content="410 Gone"></head><a href="${T}">k</a>`)).toBe('gone')
  })

  it('404, 401, 403, 429 and 5xx are worth another try; other 4xx and unreadable types are failures', async () => {
    for (const status of [404, 401, 403, 429, 500, 503]) {
      expect((await judgeSource(answered('x', 'text/html', SOURCE, status), T)).kind, String(status)).toBe('transient')
    }
    expect((await judgeSource(answered('x', 'text/html', SOURCE, 400), T)).kind).toBe('failed')
    expect(await judgeSource(answered('x', 'text/html', SOURCE, 503), T)).toEqual({
      kind: 'transient',
      reason: 'source_error',
      status: 503,
    })
    expect(await judge('GIF89a', 'image/gif')).toEqual({ kind: 'failed', reason: 'unsupported_content' })
    expect(
      await judgeSource({ kind: 'unreachable', reason: 'timeout', detail: 'no complete answer within 5 s' }, T),
    ).toEqual({ kind: 'transient', reason: 'source_timeout' })
    expect(
      await judgeSource(
        { kind: 'unreachable', reason: 'connect_error', detail: 'internal error; reference = 0123' },
        T,
      ),
    ).toEqual({ kind: 'transient', reason: 'source_unreachable' })
    expect(await judgeSource({ kind: 'refused', reason: 'private_address', url: 'http://10.0.0.1/' }, T)).toEqual({
      kind: 'failed',
      reason: 'private_address',
    })
  })
})

describe('h-entry extraction (MF-V1…V6)', () => {
  const entry = async (body: string) => {
    const verdict = await judge(
      `<html><head><title>Page title</title><meta name="description" content="Meta description"></head><body>${body}</body></html>`,
    )
    expect(verdict.kind).toBe('linked')
    return (verdict as Extract<Verdict, { kind: 'linked' }>).content
  }

  it('like-of: type like, author card resolved against the source, published keeps its offset', async () => {
    const c = await entry(`<div class="h-entry">
      <div class="p-author h-card"><a class="u-url p-name" href="/">Source Author</a><img class="u-photo" src="/photo.jpg" alt=""></div>
      <span class="p-name">Liked this</span>
      <time class="dt-published" datetime="2015-11-07T12:00:00-05:00">Nov 7</time>
      <a class="u-like-of" href="${T}">a kettle</a></div>`)
    expect(c).toMatchObject({
      voiceType: 'like',
      title: 'Liked this',
      authorName: 'Source Author',
      authorUrl: 'http://source.example.org/',
      authorPhoto: 'http://source.example.org/photo.jpg',
      sourcePublished: '2015-11-07T12:00:00-05:00',
    })
  })

  it('in-reply-to: type reply, content as plain text, no title made up from the content', async () => {
    const c = await entry(`<div class="h-entry"><a class="u-in-reply-to" href="${T}">re</a>
      <p class="p-content">Mine leaks after a week. <a href="https://other.example/">see</a> &amp; <b>fix</b> it</p></div>`)
    expect(c).toMatchObject({ voiceType: 'reply', title: null, excerpt: 'Mine leaks after a week. see & fix it' })
  })

  it('a like given as a nested h-cite, repost-of and bookmark-of', async () => {
    expect(
      (await entry(`<div class="h-entry"><div class="p-like-of h-cite"><a class="u-url" href="${T}">k</a></div></div>`))
        .voiceType,
    ).toBe('like')
    expect((await entry(`<div class="h-entry"><a class="u-repost-of" href="${T}">k</a></div>`)).voiceType).toBe(
      'repost',
    )
    expect((await entry(`<div class="h-entry"><a class="u-bookmark-of" href="${T}">k</a></div>`)).voiceType).toBe(
      'bookmark',
    )
  })

  it('follows Post Type Discovery order: repost, like, reply, bookmark; a property about another page does not count', async () => {
    expect(
      (await entry(`<div class="h-entry"><a class="u-bookmark-of u-in-reply-to" href="${T}">k</a></div>`)).voiceType,
    ).toBe('reply')
    expect(
      (await entry(`<div class="h-entry"><a class="u-like-of u-repost-of" href="${T}">k</a></div>`)).voiceType,
    ).toBe('repost')
    expect(
      (
        await entry(
          `<div class="h-entry"><a class="u-like-of" href="https://other.example/x">o</a><p class="e-content"><a href="${T}">k</a></p></div>`,
        )
      ).voiceType,
    ).toBe('mention')
  })

  it("an author given as a URL takes its name from the page's h-card with that URL", async () => {
    const c = await entry(`<div class="h-card"><a class="u-url p-name" href="/">Source Author</a></div>
      <div class="h-entry"><a class="u-author" href="/"></a><p class="e-content">I <a href="${T}">mention</a> it</p></div>`)
    expect(c).toMatchObject({
      authorName: 'Source Author',
      authorUrl: 'http://source.example.org/',
      voiceType: 'mention',
    })
  })

  it('keeps a published date without offset as written', async () => {
    const c = await entry(
      `<div class="h-entry"><time class="dt-published" datetime="2015-11-07 12:00:00">x</time><a href="${T}">k</a></div>`,
    )
    expect(c.sourcePublished).toBe('2015-11-07 12:00:00')
  })

  it('a page of many h-entries (a feed, a home page) is a plain mention with the page title', async () => {
    const c = await entry(
      `<div class="h-entry"><p class="p-name">One</p></div><div class="h-entry"><p class="p-name">Two</p><a href="${T}">k</a></div>`,
    )
    expect(c).toMatchObject({
      voiceType: 'mention',
      title: 'Page title',
      excerpt: 'Meta description',
      authorName: null,
    })
  })

  it('without microformats, falls back to <title> and the meta description', async () => {
    const c = await entry(`<p>See <a href="${T}">this</a></p>`)
    expect(c).toMatchObject({
      voiceType: 'mention',
      title: 'Page title',
      excerpt: 'Meta description',
      sourcePublished: null,
    })
  })
})

describe('what a verdict does to a voice (the table in verdict.ts)', () => {
  const voice = (
    status: VoiceState['status'],
    publishedAt: number | null = status === 'pending' ? null : 1,
  ): VoiceState => ({
    kind: 'webmention',
    status,
    publishedAt,
    title: null,
    excerpt: null,
    blogName: null,
    authorName: null,
  })
  const linked: Verdict = {
    kind: 'linked',
    content: {
      title: 't',
      excerpt: null,
      authorName: null,
      authorUrl: null,
      authorPhoto: null,
      blogName: null,
      voiceType: 'mention',
      sourcePublished: null,
    },
  }
  const noLink: Verdict = { kind: 'no_link', reason: 'no_link' }
  const gone: Verdict = { kind: 'gone', reason: 'source_gone', status: 410 }
  const failed: Verdict = { kind: 'failed', reason: 'unsupported_content' }

  it('publishes, updates, deletes and rejects as the table says', () => {
    expect(outcomeOf(voice('pending'), linked, 5)).toMatchObject({
      status: 'published',
      publishedAt: 5,
      verifyState: 'verified',
    })
    expect(outcomeOf(voice('published'), linked, 5)).toMatchObject({
      status: 'published',
      publishedAt: 1,
      verifyState: 'verified',
    })
    expect(outcomeOf(voice('gone'), linked, 5)).toMatchObject({ status: 'published', publishedAt: 1 })
    expect(outcomeOf(voice('rejected', null), linked, 5)).toMatchObject({ status: 'published', publishedAt: 5 })
    expect(outcomeOf(voice('spam'), linked, 5)).toMatchObject({ status: 'spam', verifyState: 'verified' })
    expect(outcomeOf(voice('pending'), noLink, 5)).toMatchObject({ status: 'rejected', verifyState: 'rejected' })
    expect(outcomeOf(voice('published'), noLink, 5)).toMatchObject({ status: 'gone', verifyState: 'deleted' })
    expect(outcomeOf(voice('published'), gone, 5)).toMatchObject({ status: 'gone', verifyState: 'deleted' })
    // A page grown past 1 MB may link further down: a published voice stays, a new one is not taken.
    const cut: Verdict = { kind: 'no_link', reason: 'no_link_in_first_mb' }
    expect(outcomeOf(voice('published'), cut, 5)).toMatchObject({
      status: 'published',
      verifyState: 'verified',
      verifyReason: 'no_link_in_first_mb',
    })
    expect(outcomeOf(voice('gone'), cut, 5)).toMatchObject({ status: 'gone', verifyState: 'deleted' })
    expect(outcomeOf(voice('pending'), cut, 5)).toMatchObject({ status: 'rejected' })
    expect(outcomeOf(voice('removed'), gone, 5)).toMatchObject({ status: 'removed', verifyState: 'deleted' })
    expect(outcomeOf(voice('pending'), failed, 5)).toMatchObject({ status: 'rejected', verifyState: 'rejected' })
    expect(outcomeOf(voice('published'), failed, 5)).toMatchObject({
      status: 'published',
      verifyState: 'verified',
      verifyReason: 'unsupported_content',
    })
    expect(outcomeOf(voice('published'), gone, 5)).toMatchObject({ verifyReason: 'source_gone', verifyHttpStatus: 410 })
  })

  it('a TrackBack keeps its own text and takes only what it lacks from the page', () => {
    const tb = { ...voice('pending'), kind: 'trackback' as const, title: 'From the ping', excerpt: null }
    const page: Verdict = {
      kind: 'linked',
      content: {
        ...linked.content,
        title: 'From the page',
        excerpt: 'Page text',
      },
    }
    expect(outcomeOf(tb, page, 5).content).toMatchObject({ title: 'From the ping', excerpt: 'Page text' })
  })

  it('backs off: 30 s, 1, 2, 4, 8 minutes, never more than an hour', () => {
    expect([1, 2, 3, 4, 5].map(retryDelaySeconds)).toEqual([30, 60, 120, 240, 480])
    expect(retryDelaySeconds(20)).toBe(3600)
  })
})
