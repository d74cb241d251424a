import { describe, expect, it } from 'vitest'

import { checkChain } from '../../src/ledger/chain'
import { createSite, createTarget, type SiteFixture } from '../helpers/factories'
import { api, call, testClock } from '../helpers/http'
import { html, servePage } from '../helpers/blogs'
import { importFile, readImport, reportOf } from '../helpers/imports'
import { chainOf, type Ledger } from '../helpers/ledger'
import { consume } from '../helpers/outbox'
import { canonicalUrl } from '../../src/common/url'
import realExport from '../fixtures/imports/wordpress-6.1-export.xml?raw'

/** The real export, its shop's addresses swapped for the test shop's (and the other shop's). */
const exportFor = (site: SiteFixture, other: SiteFixture) =>
  realExport.replaceAll('https://shop.example', site.origin).replaceAll('https://othershop.example', other.origin)

type Voice = {
  id: string
  kind: string
  status: string
  source_url: string | null
  target: string
  received_at: string
  published_at: string | null
  author: { name: string | null }
  title: string | null
  excerpt: string | null
  imported_by: string | null
  verification: { state: string } | null
}

async function voicesOf(site: SiteFixture, query = '') {
  const res = await api('GET', `/api/sites/${site.slug}/mentions?limit=100${query}`, undefined, site.key)
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json<{ items: Voice[] }>()).items
}

const EXPECTED_REPORT = [
  ['post 4, comment 2', 'skipped', 'comment_not_asked'],
  ['post 4, comment 3', 'skipped', 'comment_not_asked'],
  ['post 4, comment 4', 'added', null],
  ['post 4, comment 5', 'added', null],
  ['post 5, comment 7', 'skipped', 'comment_not_asked'],
  ['post 5, comment 8', 'added', null],
  ['post 5, comment 9', 'refused', 'private_address'],
  ['post 6, comment 10', 'refused', 'other_shop'],
  ['post 6, comment 11', 'skipped', 'not_approved'],
  ['post 6, comment 12', 'skipped', 'comment_not_asked'],
  ['post 6, comment 13', 'added', null],
]

describe('importing a WordPress export', () => {
  const clock = testClock(Date.parse('2026-12-01T00:00:00Z'))

  it('makes voices of its trackbacks and pingbacks, waiting for their checks, and reports every comment', async () => {
    const site = await createSite()
    const other = await createSite()
    const { id, done, checks } = await importFile(
      site.slug,
      { format: 'wordpress', auto_targets: true },
      exportFor(site, other),
      clock,
      3,
    )
    expect(done).toMatchObject({
      state: 'done',
      origin: 'https://oldblog.example',
      counts: { added: 4, duplicate: 0, skipped: 5, refused: 2 },
      progress: { lines: 11 },
      error: null,
    })
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.map((l) => [l.place, l.outcome, l.reason])).toEqual(EXPECTED_REPORT)
    expect(lines.find((l) => l.reason === 'other_shop')?.reason_text).toMatch(/another shop/)
    const ja = await reportOf(site.slug, id, clock, '&lang=ja&outcome=refused')
    expect(ja.map((l) => l.reason_text)).toEqual([
      expect.stringContaining('プライベート'),
      expect.stringContaining('別のショップ'),
    ])

    // Pending until their sources are checked, like new ones: one check each, with the original dates kept.
    const voices = await voicesOf(site)
    expect(voices).toHaveLength(4)
    expect(checks).toHaveLength(4)
    for (const v of voices)
      expect(v).toMatchObject({ status: 'pending', imported_by: id, verification: { state: 'queued' } })
    const green = voices.find((v) => v.source_url === 'https://greenthreads.example/2014/05/five-organic-tees')
    expect(green).toMatchObject({ kind: 'trackback', received_at: '2014-05-15T13:10:00.000Z', published_at: null })
    const style = voices.find((v) => v.source_url?.startsWith('https://stylenotes.example'))
    expect(style).toMatchObject({ kind: 'pingback', title: 'Summer wardrobe picks – Style Notes' })

    // Every voice is about a product page the post linked to, made as an automatic target.
    const targets = new Set(voices.map((v) => v.target))
    expect(targets.size).toBe(2)

    // The same file again adds nothing: each line names the voice that is already there.
    const again = await importFile(
      site.slug,
      { format: 'wordpress', auto_targets: true },
      exportFor(site, other),
      clock,
    )
    expect(again.done.counts).toEqual({ added: 0, duplicate: 4, skipped: 5, refused: 2 })
    expect(again.checks).toEqual([])
    const dupes = await reportOf(site.slug, again.id, clock, '&outcome=duplicate')
    expect(dupes.map((l) => l.ref).sort()).toEqual(voices.map((v) => v.id).sort())
    expect(await voicesOf(site)).toHaveLength(4)
  })

  it('publishes the voices at their original dates when the shop trusts its history, and the ledger says so', async () => {
    const site = await createSite()
    const other = await createSite()
    const { id, done, checks } = await importFile(
      site.slug,
      { format: 'wordpress', auto_targets: true, trust: true, comments: true },
      exportFor(site, other),
      clock,
    )
    // Comments asked for: the four approved ones (one with an empty type, as before WordPress 5.5) too.
    expect(done.counts).toEqual({ added: 8, duplicate: 0, skipped: 1, refused: 2 })
    expect(checks).toEqual([])
    const voices = await voicesOf(site)
    expect(voices.every((v) => v.status === 'published' && v.published_at === v.received_at)).toBe(true)
    expect(
      voices
        .filter((v) => v.kind === 'comment')
        .map((v) => v.author.name)
        .sort(),
    ).toEqual(expect.arrayContaining(['山田花子']))

    // The public feed has them, oldest last.
    const feed = await (await call(`/feeds/${site.slug}.json`)).json<{ items: { published: string }[] }>()
    expect(feed.items).toHaveLength(8)

    // The ledger: one entry naming the import, chained like every other.
    const ledger = await (await call(`/feeds/${site.slug}/ledger.json`)).json<Ledger>()
    expect(ledger.entries).toEqual([
      expect.objectContaining({ voice: id, action: 'trust_import', category: 'import', to_status: 'published' }),
    ])
    const chain = chainOf(ledger)
    expect(await checkChain(chain)).toEqual({ ok: true, head: ledger.head })

    // Comments have no source page: a second import knows them by their old ids.
    const again = await importFile(
      site.slug,
      { format: 'wordpress', auto_targets: true, trust: true, comments: true },
      exportFor(site, other),
      clock,
    )
    expect(again.done.counts).toEqual({ added: 0, duplicate: 8, skipped: 1, refused: 2 })
  })

  it('puts voices on the targets the shop maps its old posts to, and refuses the posts it left unmapped', async () => {
    const site = await createSite()
    const other = await createSite()
    const tee = await createTarget(site, 'tee', 'Organic tee')
    const { id, done } = await importFile(
      site.slug,
      {
        format: 'wordpress',
        targets: { 'https://oldblog.example/2014/05/meet-our-organic-cotton-t-shirt': tee.id },
      },
      // The posts' words link nowhere in the shop: only the map can place their voices.
      exportFor(site, other).replaceAll(`${site.origin}/products/`, 'https://elsewhere.example/'),
      clock,
    )
    expect(done.counts).toMatchObject({ added: 2 })
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.filter((l) => l.outcome === 'added').map((l) => l.place)).toEqual([
      'post 4, comment 4',
      'post 4, comment 5',
    ])
    expect(lines.filter((l) => l.reason === 'not_mapped').map((l) => l.place)).toEqual([
      'post 5, comment 8',
      'post 6, comment 13',
    ])
    expect((await voicesOf(site)).map((v) => v.target)).toEqual([tee.id, tee.id])
  })

  it('stops a file with a DOCTYPE, or one that is no WordPress export, saying why', async () => {
    const site = await createSite()
    const doctype = realExport.replace('<rss', '<!DOCTYPE rss [<!ENTITY x "boom">]>\n<rss')
    const refused = await importFile(site.slug, { format: 'wordpress' }, doctype, clock)
    expect(refused.done).toMatchObject({ state: 'failed', error: 'doctype', counts: { added: 0 } })
    expect(refused.done.error_text).toMatch(/DOCTYPE/)
    const ja = await readImport(site.slug, refused.id, clock, undefined, 'ja')
    expect(ja.error_text).toMatch(/DOCTYPE を宣言/)

    const notWxr = await importFile(
      site.slug,
      { format: 'wordpress' },
      '<rss><channel><item></item></channel></rss>',
      clock,
    )
    expect(notWxr.done).toMatchObject({ state: 'failed', error: 'not_wxr' })
    const notXml = await importFile(site.slug, { format: 'wordpress' }, 'AUTHOR: me\n--------\n', clock)
    expect(notXml.done).toMatchObject({ state: 'failed', error: 'malformed' })
    expect(await voicesOf(site)).toEqual([])
  })

  it('reports a broken item and goes on with the next', async () => {
    const site = await createSite()
    const other = await createSite()
    const broken = exportFor(site, other).replace(
      '<wp:comment_id>8</wp:comment_id>',
      '<wp:comment_id>8</wp:comment_id><oops>',
    )
    const { id, done } = await importFile(site.slug, { format: 'wordpress', auto_targets: true }, broken, clock)
    expect(done.state).toBe('done')
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.filter((l) => l.outcome === 'refused').map((l) => l.reason)).toEqual(['malformed_item', 'other_shop'])
    expect(done.counts.added).toBe(3)
  })
})

describe('a WordPress export larger than one window', () => {
  it('is read to its end across windows and steps, each trackback once', async () => {
    const clock = testClock(Date.parse('2026-12-01T00:00:00Z'))
    const site = await createSite()
    const head = realExport.slice(0, realExport.indexOf('<item>'))
    const n = 600
    const item = (i: number) => `<item>
		<title><![CDATA[Post ${i}]]></title>
		<link>https://oldblog.example/post-${i}/</link>
		<content:encoded><![CDATA[<p><a href="${site.origin}/products/p${i % 5}">A product</a> ${'words '.repeat(300)}</p>]]></content:encoded>
		<wp:post_id>${i + 100}</wp:post_id>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:comment>
			<wp:comment_id>${i + 1000}</wp:comment_id>
			<wp:comment_author><![CDATA[Blog ${i}]]></wp:comment_author>
			<wp:comment_author_url>https://blog${i}.example/post</wp:comment_author_url>
			<wp:comment_date_gmt><![CDATA[2015-01-02 03:04:05]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[<strong>Post on blog ${i}</strong>\n\nAn excerpt.]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[trackback]]></wp:comment_type>
		</wp:comment>
	</item>
	`
    const file = head + Array.from({ length: n }, (_, i) => item(i)).join('') + '</channel>\n</rss>\n'
    expect(file.length).toBeGreaterThan(1024 * 1024)
    const { id, done } = await importFile(
      site.slug,
      { format: 'wordpress', auto_targets: true, trust: true },
      file,
      clock,
      250,
    )
    expect(done).toMatchObject({ state: 'done', counts: { added: n, duplicate: 0, skipped: 0, refused: 0 } })
    expect(done.progress.steps).toBeGreaterThan(2)
    const lines = await reportOf(site.slug, id, clock)
    expect(new Set(lines.map((l) => l.place)).size).toBe(n)
  })
})

const canonical = (url: string) => canonicalUrl(url) ?? url

describe('an imported linkback checked like a new one', () => {
  it('is published at its original date when its source still links to the old post (or the product), and not when it does not', async () => {
    const clock = testClock(Date.parse('2026-12-01T00:00:00Z'))
    const site = await createSite()
    const other = await createSite()
    const green = 'https://greenthreads.example/2014/05/five-organic-tees/'
    const style = 'https://stylenotes.example/2014/06/summer-wardrobe-picks/'
    await servePage(green, {
      body: html('<a href="https://oldblog.example/2014/05/meet-our-organic-cotton-t-shirt/">their post</a>'),
    })
    await servePage(style, { body: html('<p>No links here any more.</p>') })
    const { checks } = await importFile(
      site.slug,
      { format: 'wordpress', auto_targets: true },
      exportFor(site, other),
      clock,
    )
    await consume('check', checks, clock)
    const voices = await voicesOf(site)
    expect(voices.find((v) => v.source_url === canonical(green))).toMatchObject({
      status: 'published',
      published_at: '2014-05-15T13:10:00.000Z',
    })
    expect(voices.find((v) => v.source_url === canonical(style))?.status).toBe('rejected')
  })
})
