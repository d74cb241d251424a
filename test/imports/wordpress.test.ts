import { describe, expect, it } from 'vitest'

import { readItem, readPrologue, scanItems, type Prologue } from '../../src/imports/formats/wordpress'
import { encodeLegacy } from '../helpers/legacy-charsets'
import realExport from '../fixtures/imports/wordpress-6.1-export.xml?raw'
import realOnePost from '../fixtures/imports/wordpress-6.1-export-one-post.xml?raw'

const channelHead = (encoding = 'UTF-8') => `<?xml version="1.0" encoding="${encoding}" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>店長ブログ</title>
	<link>https://oldblog.example</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://oldblog.example</wp:base_site_url>
	<wp:base_blog_url>https://oldblog.example</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[admin]]></wp:author_login></wp:author>
`

const comment = (id: number, type: string, extra = '') => `
		<wp:comment>
			<wp:comment_id>${id}</wp:comment_id>
			<wp:comment_author><![CDATA[Blog ${id}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[]]></wp:comment_author_email>
			<wp:comment_author_url>https://blog${id}.example/post</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[198.51.100.${id}]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2019-04-02 10:11:12]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2019-04-02 01:11:12]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[${extra}[&#8230;] good shirt &amp; mug [&#8230;]]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[${type}]]></wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
		</wp:comment>`

const item = (n: number, comments: string, content = `<a href="https://shop.example/products/tshirt">T</a>`) => `
	<item>
		<title><![CDATA[Post ${n}]]></title>
		<link>https://oldblog.example/2019/04/post-${n}/</link>
		<dc:creator><![CDATA[admin]]></dc:creator>
		<content:encoded><![CDATA[${content}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>${n}</wp:post_id>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>${comments}
	</item>`

const wxr = (items: string, head = channelHead()) => `${head}${items}
</channel>
</rss>
`
const bytesOf = (text: string) => new TextEncoder().encode(text)

/** Every item of a file, read window by window as the importer does. */
function readAll(bytes: Uint8Array, windowBytes: number, perRead = 1000) {
  const prologue = readPrologue(bytes) as Prologue
  const titles: (string | null)[] = []
  let offset = prologue.itemsFrom
  for (let reads = 0; reads < 1000; reads++) {
    const window = bytes.subarray(offset, offset + windowBytes)
    const { spans, consumed, end } = scanItems(window, perRead, prologue.charset)
    for (const s of spans) titles.push(readItem(window.subarray(s.start, s.end), prologue.charset)?.title ?? null)
    offset += consumed
    if (end || offset >= bytes.length) return titles
    if (spans.length === 0) throw new Error(`an item larger than the window at ${offset}`)
  }
  throw new Error('never ended')
}

describe('the WordPress export file (WXR)', () => {
  it('reads the blog from the prologue and each post with its comments, their types as written', () => {
    const file = bytesOf(
      wxr(item(1, comment(11, 'trackback') + comment(12, 'pingback') + comment(13, 'comment')) + item(2, '')),
    )
    const prologue = readPrologue(file)
    expect(prologue).toMatchObject({
      charset: 'utf-8',
      wxrVersion: '1.2',
      title: '店長ブログ',
      blogUrl: 'https://oldblog.example',
    })
    const { spans, end } = scanItems(file.subarray((prologue as Prologue).itemsFrom), 10)
    expect(end).toBe(true)
    expect(spans).toHaveLength(2)
    const first = readItem(
      file.subarray((prologue as Prologue).itemsFrom).subarray(spans[0]!.start, spans[0]!.end),
      'utf-8',
    )
    expect(first).toMatchObject({
      postId: '1',
      title: 'Post 1',
      link: 'https://oldblog.example/2019/04/post-1/',
      postType: 'post',
      status: 'publish',
      content: '<a href="https://shop.example/products/tshirt">T</a>',
    })
    expect(first?.comments.map((c) => c.type)).toEqual(['trackback', 'pingback', 'comment'])
    expect(first?.comments[0]).toEqual({
      id: '11',
      type: 'trackback',
      author: 'Blog 11',
      authorEmail: null,
      authorUrl: 'https://blog11.example/post',
      ip: '198.51.100.11',
      dateGmt: '2019-04-02 01:11:12',
      date: '2019-04-02 10:11:12',
      content: '[&#8230;] good shirt &amp; mug [&#8230;]',
      approved: '1',
      parent: '0',
    })
  })

  it('finds the same items whatever the window, never taking </item> inside CDATA or a comment for the end', () => {
    const tricky = `<p>quoting markup: </item></channel><item></p><!-- not </item> -->`
    const items = Array.from({ length: 30 }, (_, n) =>
      item(n, comment(n, 'pingback', '</item> '), n % 7 === 0 ? tricky : undefined),
    )
    const file = bytesOf(wxr(`<!-- </item> -->${items.join('')}`))
    const expected = Array.from({ length: 30 }, (_, n) => `Post ${n}`)
    for (const window of [3_000, 5_000, 64 * 1024]) expect(readAll(file, window)).toEqual(expected)
    expect(readAll(file, 64 * 1024, 4)).toEqual(expected)
    // A window smaller than one item holds no whole item: the importer says the item is too large.
    expect(() => readAll(file, 1_000)).toThrow(/larger than the window/)
  })

  it('reads a blog exported in EUC-JP or Shift_JIS, as old Japanese WordPress blogs were', () => {
    for (const charset of ['euc-jp', 'shift_jis'] as const) {
      const file = encodeLegacy(wxr(item(1, comment(1, 'trackback')), channelHead(charset.toUpperCase())), charset)
      const prologue = readPrologue(file) as Prologue
      expect(prologue.charset).toBe(charset)
      expect(prologue.title).toBe('店長ブログ')
      expect(readAll(file, 64 * 1024)).toEqual(['Post 1'])
    }
  })

  it('refuses a DOCTYPE, a file that is no WordPress export, a broken prologue, and an unknown encoding', () => {
    const doctype = wxr(item(1, ''), channelHead().replace('<rss', '<!DOCTYPE rss [<!ENTITY x "y">]>\n<rss'))
    expect(readPrologue(bytesOf(doctype))).toEqual({ reason: 'doctype' })
    const plainRss = wxr(item(1, ''), channelHead().replace(/\s*<wp:wxr_version>.*<\/wp:wxr_version>/, ''))
    expect(readPrologue(bytesOf(plainRss))).toEqual({ reason: 'not_wxr' })
    expect(readPrologue(bytesOf('<rss><channel><title>x</title'))).toEqual({ reason: 'malformed' })
    expect(readPrologue(bytesOf('not xml at all'))).toEqual({ reason: 'malformed' })
    expect(readPrologue(bytesOf(wxr('', channelHead('x-klingon'))))).toEqual({ reason: 'unsupported_encoding' })
  })

  it('refuses a DOCTYPE inside an item (its entities are never expanded) and charsets whose bytes it cannot scan', () => {
    const file = bytesOf(
      wxr(item(1, '').replace('<item>', '<item><!DOCTYPE x [<!ENTITY a "EXPANDED">]>').replace('Post 1', '&a;')),
    )
    const prologue = readPrologue(file) as Prologue
    const window = file.subarray(prologue.itemsFrom)
    const [span] = scanItems(window, 1).spans
    expect(readItem(window.subarray(span!.start, span!.end), 'utf-8')).toBeNull()
    for (const charset of ['ISO-2022-JP', 'UTF-16'])
      expect(readPrologue(bytesOf(wxr('', channelHead(charset))))).toEqual({ reason: 'unsupported_encoding' })
    expect(() => scanItems(window, 0)).toThrow(RangeError)
  })

  it('never takes a Shift_JIS character whose second byte is ] for the end of a CDATA section', () => {
    // ゾ is 83 5D in Shift_JIS: "ゾ]>" holds the bytes of "]]>".
    const file = encodeLegacy(
      wxr(item(1, '', '<p>ゾ]></item></p>') + item(2, ''), channelHead('Shift_JIS')),
      'shift_jis',
    )
    const own = readPrologue(file) as Prologue
    expect(own.charset).toBe('shift_jis')
    const window = file.subarray(own.itemsFrom)
    const { spans, end } = scanItems(window, 10, 'shift_jis')
    expect(end).toBe(true)
    expect(spans.map((s) => readItem(window.subarray(s.start, s.end), 'shift_jis')?.content ?? null)).toEqual([
      '<p>ゾ]></item></p>',
      '<a href="https://shop.example/products/tshirt">T</a>',
    ])
  })

  it('gives null for an item that is not well formed, and keeps the items after it', () => {
    const broken = `\n\t<item><title>Broken</title><wp:comment><wp:comment_id>1</wp:comment_id></item>`
    const file = bytesOf(wxr(item(1, '') + broken + item(3, '')))
    const prologue = readPrologue(file) as Prologue
    const window = file.subarray(prologue.itemsFrom)
    const { spans } = scanItems(window, 10)
    expect(spans.map((s) => readItem(window.subarray(s.start, s.end), 'utf-8')?.title ?? null)).toEqual([
      'Post 1',
      null,
      'Post 3',
    ])
  })
})

describe('a WordPress 6.1 export made by WordPress itself (test/fixtures/imports/README.md)', () => {
  it('reads every post and its linkbacks, comments and replies as WordPress wrote them', () => {
    const file = bytesOf(realExport)
    const prologue = readPrologue(file) as Prologue
    expect(prologue).toMatchObject({ charset: 'utf-8', wxrVersion: '1.2', blogUrl: 'https://oldblog.example' })
    const window = file.subarray(prologue.itemsFrom)
    const { spans, end } = scanItems(window, 100)
    expect(end).toBe(true)
    const items = spans.map((s) => readItem(window.subarray(s.start, s.end), 'utf-8'))
    const posts = items.filter((i) => i?.postType === 'post')
    expect(posts).toHaveLength(4)
    expect(posts.map((p) => p?.status).sort()).toEqual(['draft', 'publish', 'publish', 'publish'])
    const types = posts.flatMap((p) => p?.comments.map((c) => c.type) ?? []).sort()
    expect(types).toEqual([
      '',
      'comment',
      'comment',
      'comment',
      'comment',
      'pingback',
      'pingback',
      'pingback',
      'trackback',
      'trackback',
      'trackback',
    ])
    const pingbacks = posts.flatMap((p) => p?.comments.filter((c) => c.type === 'pingback') ?? [])
    // The exporter leaves &amp; escaped in the URL; the XML reader turns it back into &.
    expect(pingbacks.map((c) => c.authorUrl)).toContain('https://othershop.example/blog/?p=12&lang=en')
    expect(pingbacks.map((c) => c.authorUrl)).toContain('http://192.168.1.10/post')
    for (const post of posts) expect(post?.content).toMatch(/https:\/\/shop\.example\/products\/(tshirt|mug)/)
    expect(posts.find((p) => p?.link?.includes('tshirt-and-mug-set'))?.comments.length).toBe(4)
  })

  it('reads the one-post export the same way', () => {
    const file = bytesOf(realOnePost)
    const prologue = readPrologue(file) as Prologue
    const window = file.subarray(prologue.itemsFrom)
    const posts = scanItems(window, 100).spans.map((s) => readItem(window.subarray(s.start, s.end), 'utf-8'))
    expect(posts.map((p) => p?.comments.map((c) => c.type).sort())).toEqual([['', 'comment', 'pingback', 'trackback']])
  })
})
