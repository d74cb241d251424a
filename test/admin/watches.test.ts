/**
 * Watched feeds in the web UI: added with their keywords (one per line), refused in the page's
 * language (bad address, none, an address the hub must not fetch, a duplicate), listed with how
 * their reading went, stopped — never for another site, never without the CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { createSite, type SiteFixture } from '../helpers/factories'
import { api } from '../helpers/http'

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
})
