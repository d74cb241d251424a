/**
 * Watched feeds in the API: registered with their keywords, the feed's address checked by the
 * outbound address policy, changed and deleted — refused in words for bad input, duplicates,
 * more than 20, and never for another site.
 */
import { describe, expect, it } from 'vitest'

import { createSite } from '../helpers/factories'
import { api } from '../helpers/http'

type Watch = { id: string; feed_url: string; keywords: string[]; failures: number; last_error: string | null }

describe('/api/sites/{site}/watches', () => {
  it('registers a feed with its keywords, lists, changes and deletes it', async () => {
    const s = await createSite()
    const made = await api(
      'POST',
      `/api/sites/${s.slug}/watches`,
      {
        feed_url: 'https://blogsearch.example/rss?q=%E7%94%B0%E4%B8%AD',
        keywords: [' 田中商店 ', 'タナカ', '田中商店'],
      },
      s.key,
    )
    expect(made.status, await made.clone().text()).toBe(201)
    const watch = await made.json<Watch>()
    expect(watch).toMatchObject({ keywords: ['田中商店', 'タナカ'], failures: 0, last_error: null })
    expect(watch.id).toMatch(/^wt_/)
    const list = await (await api('GET', `/api/sites/${s.slug}/watches`, undefined, s.key)).json<{ items: Watch[] }>()
    expect(list.items.map((w) => w.id)).toEqual([watch.id])
    const changed = await api(
      'PATCH',
      `/api/sites/${s.slug}/watches/${watch.id}`,
      { keywords: ['Tanaka Goods'] },
      s.key,
    )
    expect(await changed.json()).toMatchObject({ keywords: ['Tanaka Goods'], feed_url: watch.feed_url })
    expect((await api('DELETE', `/api/sites/${s.slug}/watches/${watch.id}`, undefined, s.key)).status).toBe(204)
    expect((await api('DELETE', `/api/sites/${s.slug}/watches/${watch.id}`, undefined, s.key)).status).toBe(404)
  })

  it('refuses bad input, addresses the hub must not fetch, a feed watched twice, and a 21st feed', async () => {
    const s = await createSite()
    const post = (body: unknown) => api('POST', `/api/sites/${s.slug}/watches`, body, s.key)
    expect((await post({ feed_url: 'https://a.example/feed' })).status).toBe(400)
    expect((await post({ feed_url: 'https://a.example/feed', keywords: [] })).status).toBe(400)
    expect((await post({ feed_url: 'https://a.example/feed', keywords: ['x'.repeat(101)] })).status).toBe(400)
    expect((await post({ feed_url: 'https://a.example/feed', keywords: 'tanaka' })).status).toBe(400)
    expect((await post({ feed_url: 'ftp://a.example/feed', keywords: ['a'] })).status).toBe(400)
    expect((await post({ feed_url: 'https://a.example/feed', keywords: ['a'], extra: 1 })).status).toBe(400)
    for (const inside of [
      'http://127.0.0.1/feed',
      'http://10.0.0.5/rss',
      'http://[::1]/atom',
      'http://user:pw@a.example/',
    ]) {
      const refused = await post({ feed_url: inside, keywords: ['a'] })
      expect(refused.status, inside).toBe(400)
      expect((await refused.json<{ error: { message: string } }>()).error.message).toMatch(/^feed_url: /)
    }
    expect((await post({ feed_url: 'https://a.example/feed', keywords: ['a'] })).status).toBe(201)
    const twice = await post({ feed_url: 'https://a.example/feed', keywords: ['b'] })
    expect(twice.status).toBe(409)
    for (let i = 1; i < 20; i++)
      expect((await post({ feed_url: `https://a.example/feed/${i}`, keywords: ['a'] })).status).toBe(201)
    expect((await post({ feed_url: 'https://a.example/feed/21', keywords: ['a'] })).status).toBe(409)
    const big = await api(
      'POST',
      `/api/sites/${s.slug}/watches`,
      { feed_url: 'https://a.example/x', keywords: ['k'.repeat(70_000)] },
      s.key,
    )
    expect(big.status).toBe(413)
  })

  it('never reads or changes another site’s watches', async () => {
    const mine = await createSite()
    const theirs = await createSite()
    const made = await (
      await api(
        'POST',
        `/api/sites/${theirs.slug}/watches`,
        { feed_url: 'https://b.example/feed', keywords: ['b'] },
        theirs.key,
      )
    ).json<Watch>()
    expect((await api('GET', `/api/sites/${theirs.slug}/watches`, undefined, mine.key)).status).toBe(404)
    expect(
      (await api('PATCH', `/api/sites/${mine.slug}/watches/${made.id}`, { keywords: ['x'] }, mine.key)).status,
    ).toBe(404)
    expect((await api('DELETE', `/api/sites/${mine.slug}/watches/${made.id}`, undefined, mine.key)).status).toBe(404)
    expect((await api('DELETE', `/api/sites/${theirs.slug}/watches/${made.id}`, undefined, mine.key)).status).toBe(404)
    const still = await (
      await api('GET', `/api/sites/${theirs.slug}/watches`, undefined, theirs.key)
    ).json<{ items: Watch[] }>()
    expect(still.items).toHaveLength(1)
  })
})
