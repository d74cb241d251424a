/**
 * The scheduled listening run, driven through the Worker's cron handler against real D1: watched
 * feeds (RSS 2.0 in UTF-8, RSS 1.0 in Shift_JIS, Atom in EUC-JP) served by the fixture web are read
 * conditionally; entries naming the shop become pending `discovered` voices once per page; feeds
 * that fail are backed off with their error in words, and each run is logged for the site.
 */
import { describe, expect, it } from 'vitest'

import { env } from 'cloudflare:workers'

import { getDb } from '../../src/db/client'
import { listen, NEW_VOICES_PER_READING, WATCHES_PER_RUN } from '../../src/listening/run'
import { backoffMs, READ_EVERY_MS } from '../../src/listening/schedule'
import { claimWatches } from '../../src/listening/store'
import { watches } from '../../src/db/schema'
import { eq } from 'drizzle-orm'
import { handleScheduled } from '../../src/scheduled'
import { createScheduledController } from 'cloudflare:test'
import { hitsOf, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, HOUR } from '../helpers/http'
import { encodeLegacy } from '../helpers/legacy-charsets'
import { discovered, item, rss2, runAt, watch } from '../helpers/listening'
import { pingVoice } from '../helpers/voices'

type Watch = {
  id: string
  feed_url: string
  failures: number
  last_error: string | null
  last_error_message: string | null
  last_fetched_at: string | null
  next_fetch_at: string
}
type Run = { at: string; fetched: number; unchanged: number; failed: number; voices_added: number; errors: unknown[] }
const watchesOf = async (s: SiteFixture) =>
  (await api('GET', `/api/sites/${s.slug}/watches`, undefined, s.key)).json<{ items: Watch[]; runs: Run[] }>()

const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))

describe('the scheduled listening run', () => {
  it('reads RSS 2.0, RSS 1.0 in Shift_JIS and Atom in EUC-JP; entries naming the shop become pending discovered voices', async () => {
    const s = await createSite()
    const product = await createTarget(s, unique('kettle'), 'Kettle')
    // A diary's own Atom feed: its entries are on its host, and its title is the blog's name.
    const diary = `https://${unique('diary')}.example`
    const posts = {
      utf8: `https://${unique('blog')}.example/entry/1`,
      linked: `https://${unique('blog')}.example/entry/2`,
      sjis: `https://${unique('ameblo')}.example/entry-1.html`,
      euc: `${diary}/d/20261120`,
      other: `https://${unique('blog')}.example/entry/3`,
    }
    const rssUrl = `https://${unique('search')}.example/rss`
    await servePage(rssUrl, {
      headers: { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: '"v1"' },
      body: rss2(
        [
          item(
            posts.utf8,
            'ＴＡＮＡＫＡ ＧＯＯＤＳで買ったもの',
            '<p>とても良い買い物でした。</p>',
            '<dc:creator>Aki</dc:creator><pubDate>Fri, 20 Nov 2026 09:00:00 +0900</pubDate>',
          ),
          item(posts.linked, 'A kettle review', `<p>My <a href="${product.url}">Tanaka Goods kettle</a> broke.</p>`),
          item(posts.other, 'Nothing about the shop', '<p>Weather today.</p>'),
          // The shop's own page is never its own voice.
          item(`${s.origin}/blog/news`, 'Tanaka Goods news', '<p>New in.</p>'),
        ].join('\n'),
      ),
    })
    const rdfUrl = `https://${unique('antenna')}.example/index.rdf`
    await servePage(rdfUrl, {
      headers: { 'Content-Type': 'application/rdf+xml' },
      bodyBase64: base64(
        encodeLegacy(
          `<?xml version="1.0" encoding="Shift_JIS"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://antenna.example/"><title>アンテナ</title><link>https://antenna.example/</link><description>新着</description></channel>
<item rdf:about="${posts.sjis}"><title>たなか商店の湯のみ</title><link>${posts.sjis}</link><description>ひらがなで書いても見つかります。</description><dc:date>2026-11-21T10:00:00+09:00</dc:date></item>
</rdf:RDF>`,
          'shift_jis',
        ),
      ),
    })
    const atomUrl = `${diary}/atom.xml`
    await servePage(atomUrl, {
      headers: { 'Content-Type': 'application/atom+xml', 'Last-Modified': 'Sat, 21 Nov 2026 01:00:00 GMT' },
      bodyBase64: base64(
        encodeLegacy(
          `<?xml version="1.0" encoding="EUC-JP"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>日記</title><id>urn:x</id><updated>2026-11-21T00:00:00Z</updated>
<entry><title>ﾀﾅｶ商店に行った</title><link href="${posts.euc}"/><id>urn:y</id><updated>2026-11-21T00:00:00Z</updated>
<summary>半角カナでも。</summary><author><name>日記の人</name></author></entry>
</feed>`,
          'euc-jp',
        ),
      ),
    })
    await watch(s, rssUrl, ['Tanaka Goods', '田中商店'])
    await watch(s, rdfUrl, ['タナカ商店'])
    await watch(s, atomUrl, ['タナカ商店'])

    await runAt(Date.now())

    const found = await discovered(s)
    expect(found.map((v) => v.source_url).sort()).toEqual([posts.utf8, posts.linked, posts.sjis, posts.euc].sort())
    for (const v of found) expect(v).toMatchObject({ kind: 'discovered', status: 'pending' })
    const byUrl = new Map(found.map((v) => [v.source_url, v]))
    expect(byUrl.get(posts.utf8)).toMatchObject({
      title: 'ＴＡＮＡＫＡ ＧＯＯＤＳで買ったもの',
      excerpt: 'とても良い買い物でした。',
      // A search's feed: its title is not the post's blog.
      blog_name: null,
      author: { name: 'Aki' },
      source_published: '2026-11-20T00:00:00.000Z',
      // No link to the shop: about the shop as a whole, its home page (a target once published).
      target: `${s.origin}/`,
      target_pending: true,
    })
    // A link to a product page makes the voice that product's.
    expect(byUrl.get(posts.linked)).toMatchObject({ target: product.id, target_pending: false, sentiment: 'negative' })
    expect(byUrl.get(posts.sjis)).toMatchObject({ title: 'たなか商店の湯のみ', blog_name: null })
    expect(byUrl.get(posts.euc)).toMatchObject({
      title: 'ﾀﾅｶ商店に行った',
      author: { name: '日記の人' },
      blog_name: '日記',
    })

    const { items, runs } = await watchesOf(s)
    for (const w of items) expect(w).toMatchObject({ failures: 0, last_error: null })
    expect(items.every((w) => w.last_fetched_at !== null)).toBe(true)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ fetched: 3, unchanged: 0, failed: 0, voices_added: 4, errors: [] })
    // Discovered voices wait for the operator: the public feed shows none of them.
    const feed = await (await api('GET', `/feeds/${s.slug}.json`, undefined, null)).json<{ items: unknown[] }>()
    expect(feed.items).toEqual([])
  })

  it('reads again an hour later with If-None-Match / If-Modified-Since; an unchanged feed adds nothing, a changed one only its new pages', async () => {
    const s = await createSite()
    const first = `https://${unique('blog')}.example/p/1`
    const feedUrl = `https://${unique('search')}.example/feed`
    const page = (items: string, etag: string) => ({
      headers: { 'Content-Type': 'application/rss+xml', ETag: etag, 'Last-Modified': 'Sat, 21 Nov 2026 01:00:00 GMT' },
      body: rss2(items),
    })
    await servePage(feedUrl, page(item(first, 'Tanaka Goods', 'ok'), '"a"'))
    await watch(s, feedUrl, ['Tanaka Goods'])
    const start = Date.now()
    await runAt(start)
    expect((await discovered(s)).map((v) => v.source_url)).toEqual([first])

    // Not due yet: not read.
    await runAt(start + READ_EVERY_MS / 2)
    expect((await hitsOf(feedUrl)).count).toBe(1)

    await runAt(start + READ_EVERY_MS + 1000)
    const hit = await hitsOf(feedUrl)
    expect(hit.count).toBe(2)
    expect(hit.headers).toMatchObject({ 'if-none-match': '"a"', 'if-modified-since': 'Sat, 21 Nov 2026 01:00:00 GMT' })
    expect((await watchesOf(s)).runs[0]).toMatchObject({ fetched: 0, unchanged: 1, voices_added: 0 })

    // The feed changes: the page it listed before is not added twice.
    const second = `https://${unique('blog')}.example/p/2`
    await servePage(feedUrl, page(item(second, 'Tanaka Goods again', 'ok') + item(first, 'Tanaka Goods', 'ok'), '"b"'))
    await runAt(start + 2 * READ_EVERY_MS + 2000)
    expect((await discovered(s)).map((v) => v.source_url).sort()).toEqual([first, second].sort())
    expect((await watchesOf(s)).runs.map((r) => r.voices_added)).toEqual([1, 0, 1])
  })

  it('adds a page once, whatever feed lists it or whatever kind of voice it already is', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = await createTarget(s)
    const pinged = await pingVoice(s, target.id, { title: 'Tanaka Goods by TrackBack' })
    const shared = `https://${unique('blog')}.example/p`
    const feeds = [`https://${unique('a')}.example/rss`, `https://${unique('b')}.example/rss`]
    for (const url of feeds) {
      await servePage(url, {
        headers: { 'Content-Type': 'text/xml' },
        body: rss2(item(shared, 'Tanaka Goods', 'x') + item(pinged, 'Tanaka Goods by TrackBack', 'x')),
      })
      await watch(s, url, ['tanaka goods'])
    }
    await runAt(Date.now())
    expect((await discovered(s)).map((v) => v.source_url)).toEqual([shared])
  })

  it('backs off a feed that fails — malformed, 20 MB, redirected to loopback, a server error, not a feed — and says why', async () => {
    const s = await createSite()
    const feeds = {
      malformed: `https://${unique('bad')}.example/rss`,
      huge: `https://${unique('huge')}.example/rss`,
      loopback: `https://${unique('sly')}.example/rss`,
      broken: `https://${unique('down')}.example/rss`,
      html: `https://${unique('page')}.example/`,
      port: `https://${unique('ssh')}.example/rss`,
    }
    await servePage(feeds.malformed, {
      headers: { 'Content-Type': 'application/rss+xml' },
      body: '<rss version="2.0"><channel><title>x</title><item><title>Tanaka</item></channel>',
    })
    await servePage(feeds.huge, { headers: { 'Content-Type': 'application/rss+xml' }, generateBytes: 20 * 1024 * 1024 })
    await servePage(feeds.loopback, { status: 302, headers: { Location: 'http://127.0.0.1/feed' } })
    await servePage(feeds.broken, { status: 503, headers: { 'Content-Type': 'text/plain' }, body: 'down' })
    await servePage(feeds.html, { body: '<!doctype html><title>Tanaka</title><p>Tanaka Goods</p>' })
    await servePage(feeds.port, { status: 301, headers: { Location: 'http://feeds.example:22/rss' } })
    for (const url of Object.values(feeds)) await watch(s, url, ['Tanaka'])

    const start = Date.now()
    await runAt(start)
    const { items, runs } = await watchesOf(s)
    const byUrl = new Map(items.map((w) => [w.feed_url, w]))
    expect(byUrl.get(feeds.malformed)).toMatchObject({ failures: 1, last_error: 'malformed' })
    expect(byUrl.get(feeds.huge)).toMatchObject({ failures: 1, last_error: 'too_large' })
    expect(byUrl.get(feeds.loopback)).toMatchObject({ failures: 1, last_error: 'private_address' })
    expect(byUrl.get(feeds.broken)).toMatchObject({ failures: 1, last_error: 'http_503' })
    expect(byUrl.get(feeds.html)).toMatchObject({ failures: 1, last_error: 'unsupported_content' })
    expect(byUrl.get(feeds.port)).toMatchObject({ failures: 1, last_error: 'forbidden_port' })
    expect(byUrl.get(feeds.loopback)?.last_error_message).toMatch(/private, loopback or reserved/)
    expect(byUrl.get(feeds.huge)?.last_error_message).toMatch(/larger than 2 MB/)
    for (const w of items) {
      expect(w.last_fetched_at).toBeNull()
      // Tried again in two hours, not at the next run.
      expect(Date.parse(w.next_fetch_at)).toBe(start + 2 * HOUR)
    }
    expect(runs[0]).toMatchObject({ fetched: 0, failed: 6, voices_added: 0 })
    expect(runs[0]?.errors).toHaveLength(6)
    expect(await discovered(s)).toEqual([])

    // Not read again within the back-off; after it, a recovered feed clears its error.
    await runAt(start + HOUR + 1000)
    expect((await hitsOf(feeds.broken)).count).toBe(1)
    await servePage(feeds.broken, {
      headers: { 'Content-Type': 'application/rss+xml' },
      body: rss2(item(`https://${unique('blog')}.example/x`, 'Tanaka', 'back')),
    })
    await runAt(start + 2 * HOUR + 1000)
    const after = new Map((await watchesOf(s)).items.map((w) => [w.feed_url, w]))
    expect(after.get(feeds.broken)).toMatchObject({ failures: 0, last_error: null })
    expect(after.get(feeds.malformed)).toMatchObject({ failures: 2, last_error: 'malformed' })
    // The second failure in a row waits twice as long.
    expect(Date.parse(after.get(feeds.malformed)!.next_fetch_at)).toBe(start + 2 * HOUR + 1000 + 4 * HOUR)
    expect(await discovered(s)).toHaveLength(1)
  })

  it(`reads at most ${WATCHES_PER_RUN} feeds a run, longest waiting first, and the rest at the next runs`, async () => {
    const sites = [await createSite(), await createSite()]
    const urls: string[] = []
    for (let i = 0; i < WATCHES_PER_RUN + 5; i++) {
      const url = `https://${unique('many')}.example/rss`
      urls.push(url)
      await servePage(url, { headers: { 'Content-Type': 'application/rss+xml' }, body: rss2('') })
      await watch(sites[i % 2]!, url, ['Tanaka'])
    }
    const start = Date.now()
    await runAt(start)
    const readOnce = async () => (await Promise.all(urls.map(hitsOf))).map((h) => h.count)
    expect((await readOnce()).filter((n) => n === 1)).toHaveLength(WATCHES_PER_RUN)
    await runAt(start + 10 * 60_000)
    expect((await readOnce()).every((n) => n === 1)).toBe(true)
    // Each site has its own line per run.
    const [a, b] = await Promise.all(sites.map(watchesOf))
    expect(
      (a?.runs ?? []).reduce((n, r) => n + r.fetched, 0) + (b?.runs ?? []).reduce((n, r) => n + r.fetched, 0),
    ).toBe(WATCHES_PER_RUN + 5)
    // Stopped, so they do not crowd the later tests' runs.
    for (const [i, site] of sites.entries())
      for (const w of [a, b][i]?.items ?? [])
        await api('DELETE', `/api/sites/${site.slug}/watches/${w.id}`, undefined, site.key)
  })

  it(`takes at most ${NEW_VOICES_PER_READING} new voices from a reading and the rest at the next (the validators are not kept meanwhile); keywords anywhere in the text`, async () => {
    const s = await createSite()
    const feedUrl = `https://${unique('busy')}.example/rss`
    const long = `${'Words of a long post. '.repeat(100)} And then Tanaka Goods, far down.`
    const items = Array.from({ length: 60 }, (_, i) =>
      item(`https://${unique('blog')}.example/${i}`, `Post ${i}`, long),
    )
    await servePage(feedUrl, {
      headers: { 'Content-Type': 'application/rss+xml', ETag: '"all"' },
      body: rss2(items.join('')),
    })
    await watch(s, feedUrl, ['Tanaka Goods'])
    const start = Date.now()
    await runAt(start)
    expect(await discovered(s)).toHaveLength(NEW_VOICES_PER_READING)
    await runAt(start + READ_EVERY_MS + 1000)
    // No If-None-Match: the feed was read whole again, and the last ten were taken.
    expect((await hitsOf(feedUrl)).headers?.['if-none-match']).toBeUndefined()
    expect(await discovered(s)).toHaveLength(50) // the list's page; the run log says how many more
    expect((await watchesOf(s)).runs[0]).toMatchObject({ fetched: 1, voices_added: 10 })
  })

  it('gives up on a feed that does not answer within its time, and two runs at once read a feed once', async () => {
    const s = await createSite()
    const slow = `https://${unique('slow')}.example/rss`
    await servePage(slow, { headers: { 'Content-Type': 'application/rss+xml' }, body: rss2(''), delayMs: 1500 })
    await watch(s, slow, ['Tanaka'])
    const deps = {
      db: getDb(env.DB),
      policy: { allowLoopback: false },
      limits: { maxRedirects: 5, maxBytes: 2 ** 21, timeoutMs: 300 },
    }
    const now = Date.now() + 1000
    // Two runs at the same moment: the watch is claimed by one of them.
    await Promise.all([listen(deps, now), listen(deps, now)])
    expect((await hitsOf(slow)).count).toBe(1)
    expect((await watchesOf(s)).runs).toHaveLength(1)
    const [w] = (await watchesOf(s)).items
    expect(w).toMatchObject({ failures: 1, last_error: 'timeout' })
    expect(w?.last_error_message).toMatch(/did not answer completely/)
  })

  it('reads no feed on a deployed hub that does not know its own address (HUB_ORIGIN), which it must never fetch', async () => {
    const s = await createSite()
    const feedUrl = `https://${unique('feed')}.example/rss`
    await servePage(feedUrl, { headers: { 'Content-Type': 'application/rss+xml' }, body: rss2('') })
    await watch(s, feedUrl, ['Tanaka'])
    const deployed = { ...env, ENVIRONMENT: 'production', HUB_ORIGIN: '' }
    await handleScheduled(
      createScheduledController({ cron: '*/10 * * * *', scheduledTime: Date.now() + 1000 }),
      deployed,
    )
    expect((await hitsOf(feedUrl)).count).toBe(0)
    await handleScheduled(createScheduledController({ cron: '*/10 * * * *', scheduledTime: Date.now() + 2000 }), {
      ...deployed,
      HUB_ORIGIN: 'https://hub.example',
    })
    expect((await hitsOf(feedUrl)).count).toBe(1)
  })

  it('reads a feed given a new address at the next run, whatever its back-off', async () => {
    const s = await createSite()
    const wrong = `https://${unique('blog')}.example/`
    const right = `https://${unique('blog')}.example/feed`
    await servePage(wrong, { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'no' })
    await servePage(right, { headers: { 'Content-Type': 'application/rss+xml' }, body: rss2('') })
    const { id } = await watch(s, wrong, ['Tanaka'])
    const start = Date.now()
    await runAt(start)
    expect((await watchesOf(s)).items[0]).toMatchObject({ failures: 1, last_error: 'http_404' })
    const moved = await api('PATCH', `/api/sites/${s.slug}/watches/${id}`, { feed_url: right }, s.key)
    expect(await moved.json()).toMatchObject({ feed_url: right, failures: 0, last_error: null })
    await runAt(Date.now() + 10 * 60_000)
    expect((await hitsOf(right)).count).toBe(1)
    expect((await watchesOf(s)).items[0]).toMatchObject({ failures: 0, last_error: null })
  })

  it('puts a found voice on the page it links to, registered or not, before the home page', async () => {
    const s = await createSite()
    const home = await api(
      'POST',
      `/api/sites/${s.slug}/targets`,
      { id: 'home', url: `${s.origin}/`, title: 'Home', kind: 'page' },
      s.key,
    )
    expect(home.status, await home.clone().text()).toBe(201)
    const [linked, plain] = [`https://${unique('blog')}.example/a`, `https://${unique('blog')}.example/b`]
    const feedUrl = `https://${unique('search')}.example/rss`
    await servePage(feedUrl, {
      headers: { 'Content-Type': 'application/rss+xml' },
      body: rss2(
        item(linked, 'Tanaka Goods sale', `<a href="${s.origin}/sale/winter">the sale</a>`) +
          item(plain, 'Tanaka Goods', 'no link'),
      ),
    })
    await watch(s, feedUrl, ['Tanaka Goods'])
    await runAt(Date.now())
    const byUrl = new Map((await discovered(s)).map((v) => [v.source_url, v]))
    expect(byUrl.get(linked)).toMatchObject({ target: `${s.origin}/sale/winter`, target_pending: true })
    expect(byUrl.get(plain)).toMatchObject({ target: 'home', target_pending: false })
  })

  it('finds a keyword split by inline markup (Hatena’s keyword links, <b>, <span>) or named only in the summary beside full content', async () => {
    const s = await createSite()
    const posts = ['keyword-link', 'bold-span', 'summary-only', 'unrelated'].map(
      (name) => `https://${unique('hatena')}.example/entry/${name}`,
    )
    /** An entry as Hatena Blog's RSS gives it: a plain summary in description, the post's HTML in content:encoded. */
    const hatena = (url: string, summary: string, html: string) =>
      `<item><title>今日の買い物</title><link>${url}</link><description>${summary}</description>` +
      `<content:encoded><![CDATA[${html}]]></content:encoded></item>`
    const feedUrl = `https://${unique('hatenablog')}.example/rss`
    await servePage(feedUrl, {
      headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' },
      body: rss2(
        [
          hatena(
            posts[0]!,
            '買ったものの記録です。',
            `<p><a class="keyword" href="https://d.hatena.example/keyword/%E3%82%AA">オーガニック</a>Tシャツを<a href="${s.origin}/">お店</a>で買った。</p>`,
          ),
          hatena(
            posts[1]!,
            '買ったものの記録です。',
            '<p><b>下町</b><span class="brand">シャツ</span>工房の肌着。</p>',
          ),
          hatena(
            posts[2]!,
            '下町シャツ工房のセールに行った。',
            '<p><img src="https://img.example/1.jpg">写真だけ。</p>',
          ),
          hatena(posts[3]!, '天気の話。', '<p><b>晴れ</b>でした。</p>'),
        ].join(''),
      ),
    })
    await watch(s, feedUrl, ['オーガニックTシャツ', '下町シャツ工房'])
    await runAt(Date.now())

    const found = new Map((await discovered(s)).map((v) => [v.source_url, v]))
    expect([...found.keys()].sort()).toEqual(posts.slice(0, 3).sort())
    // The excerpt reads as the post does: no space where a link or <b> was.
    expect(found.get(posts[0]!)?.excerpt).toBe('オーガニックTシャツをお店で買った。')
    expect(found.get(posts[1]!)?.excerpt).toBe('下町シャツ工房の肌着。')
  })

  it('leaves a watch whose run died while reading it backed off as a failure, not due at once', async () => {
    const s = await createSite()
    const { id } = await watch(s, `https://${unique('feed')}.example/rss`, ['Tanaka'])
    const db = getDb(env.DB)
    const now = Date.now() + 1000
    const [row] = await db.select().from(watches).where(eq(watches.id, id)).all()
    // The claim alone, as a run that never got to record its reading leaves it.
    expect(await claimWatches(db, [row!], now, (failures) => now + backoffMs(failures))).toHaveLength(1)
    expect((await watchesOf(s)).items[0]).toMatchObject({
      failures: 1,
      last_error: 'internal',
      next_fetch_at: new Date(now + 2 * HOUR).toISOString(),
    })
    // Claimed once only.
    expect(await claimWatches(db, [row!], now, () => now)).toEqual([])
  })
})
