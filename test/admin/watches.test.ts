/**
 * Watched feeds in the web UI: added with their keywords (one per line), refused in the page's
 * language (bad address, none, an address the hub must not fetch, a duplicate), listed with how
 * their reading went, stopped — never for another site, never without the CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { backoffMs } from '../../src/listening/schedule'
import { feedErrorWords } from '../../src/listening/feed-errors'
import { servePage } from '../helpers/blogs'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { api, HOUR } from '../helpers/http'
import { runAt, watch } from '../helpers/listening'

let site: SiteFixture
let other: SiteFixture
let staff: Browser

const list = async (s = site) =>
  (await (await api('GET', `/api/sites/${s.slug}/watches`, undefined, s.key)).json<{ items: { id: string }[] }>()).items

beforeAll(async () => {
  site = await createSite()
  other = await createSite()
  staff = await signIn(site.key)
})

describe('/admin/sites/{site}/watches', () => {
  it('adds a feed with its keywords, lists it, and is linked from the inbox', async () => {
    expect(await (await get(staff, `/admin/sites/${site.slug}`)).text()).toContain(
      `href="/admin/sites/${site.slug}/watches"`,
    )
    const res = await post(staff, `/admin/sites/${site.slug}/watches?lang=en`, {
      _csrf: staff.csrf,
      feed_url: 'https://blogsearch.example/rss?q=tanaka',
      keywords: '田中商店\r\nTanaka Goods\n\n',
    })
    expect(res.status).toBe(303)
    const html = await (await follow(staff, res, 'lang=en')).text()
    expect(html).toContain('The feed is watched.')
    expect(html).toContain('<code>https://blogsearch.example/rss?q=tanaka</code>')
    expect(html).toContain('Keywords: 田中商店 · Tanaka Goods')
    expect(html).toContain('not read yet')
    expect(await (await get(staff, `/admin/sites/${site.slug}/watches?lang=ja`)).text()).toContain('未取得')
  })

  it('refuses a bad address, no keywords, a loopback address and a duplicate, in the page’s language', async () => {
    const bad = await post(staff, `/admin/sites/${site.slug}/watches?lang=ja`, {
      _csrf: staff.csrf,
      feed_url: 'not a url',
      keywords: '',
    })
    expect(bad.status).toBe(400)
    const text = await bad.text()
    expect(text).toContain('<a href="#feed_url">フィードのアドレス（RSS・Atom）</a>')
    expect(text).toContain('<a href="#keywords">キーワード</a>: キーワードを1つ以上入力してください')
    expect(text).toContain('value="not a url"')
    const loopback = await post(staff, `/admin/sites/${site.slug}/watches?lang=en`, {
      _csrf: staff.csrf,
      feed_url: 'http://127.0.0.1/feed',
      keywords: 'a',
    })
    expect(loopback.status).toBe(400)
    const twice = await post(staff, `/admin/sites/${site.slug}/watches?lang=ja`, {
      _csrf: staff.csrf,
      feed_url: 'https://blogsearch.example/rss?q=tanaka',
      keywords: 'b',
    })
    expect(twice.status).toBe(409)
    expect(await twice.text()).toContain('このサイトはすでにこのフィードを登録しています')
    expect(await list()).toHaveLength(1)
  })

  it('stops watching a feed; never another site’s, never without the token', async () => {
    const theirs = await (
      await api(
        'POST',
        `/api/sites/${other.slug}/watches`,
        { feed_url: 'https://b.example/feed', keywords: ['b'] },
        other.key,
      )
    ).json<{ id: string }>()
    expect((await get(staff, `/admin/sites/${other.slug}/watches`)).status).toBe(404)
    expect(
      (await post(staff, `/admin/sites/${site.slug}/watches/${theirs.id}/delete`, { _csrf: staff.csrf })).status,
    ).toBe(404)
    expect(
      (
        await post(staff, `/admin/sites/${other.slug}/watches`, {
          _csrf: staff.csrf,
          feed_url: 'https://c.example/',
          keywords: 'c',
        })
      ).status,
    ).toBe(404)
    const [mine] = await list()
    expect((await post(staff, `/admin/sites/${site.slug}/watches/${mine!.id}/delete`, {})).status).toBe(403)
    const stopped = await post(staff, `/admin/sites/${site.slug}/watches/${mine!.id}/delete?lang=en`, {
      _csrf: staff.csrf,
    })
    expect(stopped.status).toBe(303)
    expect(await (await follow(staff, stopped, 'lang=en')).text()).toContain('The feed is no longer watched.')
    expect(await list()).toHaveLength(0)
    expect(await list(other)).toHaveLength(1)
  })

  it('never says “not read yet” of a feed that was read and failed: when it was tried, why, and how long it waits', async () => {
    const s = await createSite()
    const b = await signIn(s.key)
    const feed = `https://${unique('search')}.example/rss`
    await servePage(feed, { status: 500 })
    await watch(s, feed, ['Tanaka'])
    const before = await (await get(b, `/admin/sites/${s.slug}/watches?lang=en`)).text()
    expect(before).toContain('not read yet')
    await runAt(Date.now())
    const en = await (await get(b, `/admin/sites/${s.slug}/watches?lang=en`)).text()
    expect(en).not.toContain('not read yet')
    expect(en).toContain('never read successfully · last tried ')
    expect(en).toContain('failed 1 time in a row</strong>: The feed answered HTTP 500.')
    expect(en).toContain('The next try waits 2 h after the last one.')
    const ja = await (await get(b, `/admin/sites/${s.slug}/watches?lang=ja`)).text()
    expect(ja).not.toContain('未取得')
    expect(ja).toContain('まだ一度も読めていません')
    expect(ja).toContain('1回続けて失敗')
    expect(ja).toContain('次の取得は、前回から2時間後です。')
  })

  it('links to the voices found in the feeds, waiting in the inbox', async () => {
    const html = await (await get(staff, `/admin/sites/${site.slug}/watches?lang=en`)).text()
    const href = /<a href="([^"]+)">Voices found in these feeds/.exec(html)![1]!.replace(/&amp;/g, '&')
    expect((await get(staff, href)).status).toBe(200)
  })
})

describe('the words of the hub’s own failure (internal)', () => {
  it('state the real back-off of a failing feed: 2 h, 4 h, 8 h, 16 h, then once a day', () => {
    const waits = [1, 2, 3, 4, 5, 6].map((failures) => backoffMs(failures) / HOUR)
    expect(waits).toEqual([2, 4, 8, 16, 24, 24])
    const en = feedErrorWords('internal', 'en')
    expect(en).toContain(
      'read again 2 h after the first failure, then 4 h, 8 h and 16 h after the next ones, then once a day',
    )
    expect(en).not.toContain('next run')
    expect(feedErrorWords('internal', 'ja')).toContain(
      '2時間後、続く失敗のあとは4時間後、8時間後、16時間後、その後は1日ごと',
    )
  })
})
