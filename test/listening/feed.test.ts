/**
 * Reading watched feeds: RSS 2.0, RSS 1.0 (RDF) and Atom, in UTF-8 and in the Shift_JIS and
 * EUC-JP that Japanese blog services declare in the XML declaration; malformed documents,
 * DOCTYPEs, documents that are not feeds; and keyword matching across width, kana and case.
 */
import { describe, expect, it } from 'vitest'

import { MAX_ENTRIES, MAX_FEED_BYTES, parseFeed } from '../../src/listening/feed'
import { matchedKeywords, matchingForm } from '../../src/listening/keywords'
import { encodeLegacy } from '../helpers/legacy-charsets'

const utf8 = (text: string) => new TextEncoder().encode(text)

const rss2 = (encoding = 'UTF-8') => `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>ブログ検索：田中商店</title>
    <link>https://search.example/</link>
    <item>
      <title>田中商店のＴシャツを買いました</title>
      <link>https://blog.example/2026/11/tshirt#comments</link>
      <description>&lt;p&gt;縫い目が&lt;b&gt;ほつれ&lt;/b&gt;ました。&lt;/p&gt;</description>
      <dc:creator>ハナコ</dc:creator>
      <pubDate>Tue, 24 Nov 2026 09:30:00 +0900</pubDate>
    </item>
    <item>
      <title>No link here</title>
    </item>
    <item>
      <title>Not the web</title>
      <link>javascript:alert(1)</link>
    </item>
  </channel>
</rss>`

const rss1 = (encoding = 'UTF-8') => `<?xml version="1.0" encoding="${encoding}"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://hatena.example/">
    <title>はてなの日記</title>
  </channel>
  <item rdf:about="https://hatena.example/entry/1">
    <title>ﾀﾅｶ商店のマグカップ</title>
    <link>https://hatena.example/entry/1</link>
    <description>とても使いやすいです。</description>
    <dc:creator>けん</dc:creator>
    <dc:date>2026-11-20T12:00:00+09:00</dc:date>
  </item>
  <item rdf:about="https://hatena.example/entry/2">
    <title>関係ない記事</title>
  </item>
</rdf:RDF>`

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Reviews of Tanaka Goods</title>
  <entry>
    <title type="html">Tanaka &lt;b&gt;mug&lt;/b&gt; review</title>
    <link rel="edit" href="https://reviews.example/api/1"/>
    <link rel="alternate" type="text/html" href="https://reviews.example/r/1"/>
    <id>tag:reviews.example,2026:1</id>
    <updated>2026-11-21T08:00:00Z</updated>
    <author><name>Ken</name></author>
    <summary>Solid &amp; heavy.</summary>
  </entry>
</feed>`

/** A Japanese diary's Atom feed, in `encoding`. */
const atomJa = (encoding: string) => `<?xml version="1.0" encoding="${encoding}"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>日記</title>
  <entry>
    <title>田中商店のＴシャツを買いました</title>
    <link href="https://diary.example/2026/11/21"/>
    <id>tag:diary.example,2026:1</id>
    <updated>2026-11-21T00:00:00Z</updated>
    <author><name>日記の人</name></author>
  </entry>
</feed>`

describe('parseFeed', () => {
  it('reads RSS 2.0: each entry’s page, title, text as plain text, author and date; entries without a web page are left out', () => {
    const feed = parseFeed(utf8(rss2()), 'application/rss+xml')
    expect(feed).toMatchObject({ ok: true, format: 'rss2', title: 'ブログ検索：田中商店' })
    if (!feed.ok) return
    expect(feed.entries).toEqual([
      {
        url: 'https://blog.example/2026/11/tshirt',
        title: '田中商店のＴシャツを買いました',
        // Tags are taken out; an inline one (<b>) is no word break (the shared plain-text rule).
        text: '縫い目がほつれました。',
        // The markup as given: where the entry's links are.
        markup: '<p>縫い目が<b>ほつれ</b>ました。</p>',
        // Only a description: no separate summary.
        summary: null,
        author: 'ハナコ',
        publishedAt: Date.parse('2026-11-24T00:30:00Z'),
      },
    ])
  })

  it('reads RSS 1.0 (RDF) and Atom', () => {
    const rdf = parseFeed(utf8(rss1()), 'application/rdf+xml')
    expect(rdf).toMatchObject({ ok: true, format: 'rss1', title: 'はてなの日記' })
    if (rdf.ok) {
      expect(rdf.entries.map((e) => e.url)).toEqual([
        'https://hatena.example/entry/1',
        'https://hatena.example/entry/2',
      ])
      expect(rdf.entries[0]).toMatchObject({ author: 'けん', publishedAt: Date.parse('2026-11-20T03:00:00Z') })
    }
    const a = parseFeed(utf8(atom), 'application/atom+xml')
    expect(a).toMatchObject({ ok: true, format: 'atom', title: 'Reviews of Tanaka Goods' })
    if (a.ok)
      expect(a.entries).toEqual([
        {
          url: 'https://reviews.example/r/1',
          title: 'Tanaka mug review',
          text: 'Solid & heavy.',
          markup: 'Solid & heavy.',
          summary: null,
          author: 'Ken',
          publishedAt: Date.parse('2026-11-21T08:00:00Z'),
        },
      ])
  })

  it('keeps the summary beside full content (RSS description and content:encoded, Atom summary and content)', () => {
    const rss = `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
      <item><link>https://hatena.example/entry/3</link><title>日記</title>
        <description>下町シャツ工房のオーガニックTシャツを買った話。</description>
        <content:encoded><![CDATA[<p><a class="keyword" href="https://d.hatena.example/keyword/x">オーガニック</a>Tシャツを<a href="https://shop.example/">下町シャツ工房</a>で買った。</p>]]></content:encoded>
      </item></channel></rss>`
    const feed = parseFeed(utf8(rss), null)
    expect(feed.ok && feed.entries[0]).toMatchObject({
      // The full content is the text (no space where the links were) and the markup; the summary is kept apart.
      text: 'オーガニックTシャツを下町シャツ工房で買った。',
      markup: expect.stringContaining('<a class="keyword"') as unknown,
      summary: '下町シャツ工房のオーガニックTシャツを買った話。',
    })
    const atomBoth = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><title>x</title>
      <link href="https://b.example/1"/><summary>Short: Tanaka mug.</summary><content type="html">&lt;p&gt;Long post.&lt;/p&gt;</content></entry></feed>`
    const a = parseFeed(utf8(atomBoth), null)
    expect(a.ok && a.entries[0]).toMatchObject({ text: 'Long post.', summary: 'Short: Tanaka mug.' })
  })

  it.each([
    ['Shift_JIS', 'shift_jis'],
    ['EUC-JP', 'euc-jp'],
  ] as const)('decodes a feed declared %s in its XML declaration', (label, charset) => {
    for (const [doc, format] of [
      [rss2(label), 'rss2'],
      [rss1(label), 'rss1'],
      [atomJa(label), 'atom'],
    ] as const) {
      const feed = parseFeed(encodeLegacy(doc, charset), 'text/xml')
      expect(feed).toMatchObject({ ok: true, format })
      if (feed.ok) expect(feed.entries[0]?.title).toMatch(/田中商店のＴシャツを買いました|ﾀﾅｶ商店のマグカップ/)
    }
    // The Content-Type's charset wins over the declaration when the body is labelled as XML.
    const labelled = parseFeed(encodeLegacy(rss2('UTF-8'), charset), `application/rss+xml; charset=${label}`)
    expect(labelled.ok).toBe(true)
  })

  it('refuses what it cannot read: bytes not in the declared charset, an unknown charset, malformed XML, a DOCTYPE, not a feed', () => {
    expect(parseFeed(encodeLegacy(rss2('UTF-8'), 'shift_jis'), null)).toEqual({ ok: false, reason: 'not_decodable' })
    expect(parseFeed(utf8(rss2('x-klingon')), null)).toEqual({ ok: false, reason: 'unsupported_encoding' })
    expect(parseFeed(utf8('<rss><channel><item><title>cut'), null)).toEqual({ ok: false, reason: 'malformed' })
    const laughs = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaa">]><rss><channel><title>&a;</title></channel></rss>`
    expect(parseFeed(utf8(laughs), null)).toEqual({ ok: false, reason: 'doctype' })
    expect(parseFeed(utf8('<html><body>not a feed</body></html>'), 'text/html')).toEqual({
      ok: false,
      reason: 'not_a_feed',
    })
    expect(parseFeed(utf8(''), null)).toMatchObject({ ok: false })
  })

  it('refuses, never throws on, documents the parser will not take; reads what only looks like a DOCTYPE', () => {
    const deep = `<rss version="2.0"><channel>${'<x>'.repeat(150)}${'</x>'.repeat(150)}</channel></rss>`
    expect(parseFeed(utf8(deep), null)).toEqual({ ok: false, reason: 'malformed' })
    const proto =
      '<rss version="2.0"><channel><__proto__>x</__proto__><item><link>https://b.example/1</link></item></channel></rss>'
    expect(parseFeed(utf8(proto), null)).toEqual({ ok: false, reason: 'malformed' })
    const quoting = `<rss version="2.0"><channel><title>t</title><item><link>https://b.example/2</link>
      <description><![CDATA[How to write <!DOCTYPE html> at the top]]></description></item></channel></rss>`
    const quoted = parseFeed(utf8(quoting), null)
    expect(quoted.ok).toBe(true)
    if (quoted.ok) expect(quoted.entries[0]!.text).toContain('at the top')
    expect(parseFeed(new Uint8Array(MAX_FEED_BYTES + 1), null)).toEqual({ ok: false, reason: 'too_large' })
  })

  it('finds the page link after an atom:link, and a dc:date after an empty pubDate', () => {
    const doc = `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>
      <item><atom:link href="https://b.example/feed" rel="self"/><link>https://b.example/post</link><pubDate/><dc:date>2026-11-01T00:00:00Z</dc:date></item>
    </channel></rss>`
    const feed = parseFeed(utf8(doc), null)
    expect(feed.ok && feed.entries[0]).toMatchObject({
      url: 'https://b.example/post',
      publishedAt: Date.parse('2026-11-01T00:00:00Z'),
    })
  })

  it(`takes at most ${MAX_ENTRIES} entries, and bounds every value`, () => {
    const items = Array.from(
      { length: MAX_ENTRIES + 50 },
      (_, i) => `<item><title>${'長'.repeat(500)}</title><link>https://blog.example/${i}</link></item>`,
    ).join('')
    const feed = parseFeed(utf8(`<rss version="2.0"><channel><title>t</title>${items}</channel></rss>`), null)
    expect(feed.ok).toBe(true)
    if (!feed.ok) return
    expect(feed.entries).toHaveLength(MAX_ENTRIES)
    expect(feed.entries[0]!.title!.length).toBeLessThanOrEqual(300)
  })
})

describe('keyword matching', () => {
  it('brings width, kana and case to one form', () => {
    expect(matchingForm('ＴＡＮＡＫＡ　ｸﾞｯｽﾞ')).toBe('tanaka ぐっず')
    expect(matchingForm('タナカ')).toBe(matchingForm('たなか'))
    expect(matchingForm('ﾏｸﾞｶｯﾌﾟ')).toBe(matchingForm('マグカップ'))
  })

  it('finds the shop’s name and products across width, kana and case, on both sides', () => {
    const keywords = ['田中商店', 'タナカ', 'Tanaka Goods', 'ﾏｸﾞｶｯﾌﾟ']
    expect(matchedKeywords('ＴＡＮＡＫＡ ＧＯＯＤＳのマグカップ', keywords)).toEqual(['Tanaka Goods', 'ﾏｸﾞｶｯﾌﾟ'])
    expect(matchedKeywords('たなかさんのお店', keywords)).toEqual(['タナカ'])
    expect(matchedKeywords('ﾀﾅｶ商店', keywords)).toEqual(['タナカ'])
    expect(matchedKeywords('田中商店で買った', keywords)).toEqual(['田中商店'])
    expect(matchedKeywords('ほかのお店', keywords)).toEqual([])
    expect(matchedKeywords('anything', ['', '   '])).toEqual([])
    // A Latin keyword is a word: "ace" is not in "place", but is in "ACE-1" and "エースace".
    expect(matchedKeywords('a nice place', ['ace'])).toEqual([])
    expect(matchedKeywords('the ACE-1 kettle', ['ace'])).toEqual(['ace'])
    expect(matchedKeywords('エースace', ['ace'])).toEqual(['ace'])
  })
})
