/** `GET /feeds/{site}.jf2`: the feed in the shape webmention.io's API returns, for webmention.js and similar widgets. */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { seedDemo } from '../../src/demo/seed'
import { call, rowsRead } from '../helpers/http'

type Entry = Record<string, unknown> & { author: { type: string; name: string }; content: { text: string } }
type Jf2 = { type: string; name: string; children: Entry[]; next_url?: string }

beforeAll(async () => {
  await seedDemo(getDb(env.DB), Date.now())
})

describe('GET /feeds/{site}.jf2', () => {
  it('answers webmention.js’s own query (target[] for http and https, per-page, sort) with jf2 entries', async () => {
    const query =
      'per-page=30&sort-by=published&sort-dir=up&target[]=http%3A%2F%2Fshop.example%2Fproducts%2Ftshirt&target[]=https%3A%2F%2Fshop.example%2Fproducts%2Ftshirt'
    const res = await call(`/feeds/demo.jf2?${query}`, { headers: { Origin: 'https://blog.example' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    const doc = await res.json<Jf2>()
    expect(doc.type).toBe('feed')
    expect(doc.children).toHaveLength(7)
    // Oldest first, as webmention.io's sort-dir=up.
    const times = doc.children.map((e) => Date.parse(String(e['wm-received'])))
    expect(times).toEqual([...times].sort((a, b) => a - b))
    const webmention = doc.children.find((e) => e['wm-source'] === 'https://alice.example.org/notes/2026/11/tee')!
    expect(webmention).toMatchObject({
      type: 'entry',
      url: 'https://alice.example.org/notes/2026/11/tee',
      'wm-target': 'https://shop.example/products/tshirt',
      'wm-property': 'mention-of',
      'mention-of': 'https://shop.example/products/tshirt',
      author: { type: 'card', name: 'Alice' },
      content: { text: 'Bought the tshirt from the demo shop. The fit is great and the seams are neat.' },
      name: 'Finally a tee that fits',
      'wm-private': false,
    })
    expect(typeof webmention['wm-received']).toBe('string')
    // A TrackBack names the blog, not the writer: the blog stands in as the author, as in the JSON Feed.
    const trackback = doc.children.find((e) => e['wm-source'] === 'https://kurashi.example.net/2026/10/tshirt-review')!
    expect(trackback.author).toMatchObject({ type: 'card', url: 'https://kurashi.example.net' })
    // A review written on the hub has no page of its own: the product page, with its id.
    const review = doc.children.find((e) => e.name === 'Colour faded')!
    expect(review).toMatchObject({ url: 'https://shop.example/products/tshirt#m_demo_review_negative', rating: 2 })
    expect(JSON.stringify(doc)).not.toContain('Cheap pills')
  })

  it('pages with a cursor, newest first by default (sort-dir=down, as webmention.io), by target id too, and reads one page of rows', async () => {
    const newest = await (await call('/feeds/demo.jf2?target=tshirt&per-page=3&sort-dir=down')).json<Jf2>()
    const first = await call('/feeds/demo.jf2?target=tshirt&per-page=3')
    const page = await first.json<Jf2>()
    expect(page.children).toHaveLength(3)
    expect(page.children.map((e) => e['wm-id'])).toEqual(newest.children.map((e) => e['wm-id']))
    expect(rowsRead(first)).toBeLessThanOrEqual(20)
    const second = await (await call(new URL(page.next_url!).pathname + new URL(page.next_url!).search)).json<Jf2>()
    expect(second.children).toHaveLength(3)
    expect(second.children.map((e) => e['wm-id'])).not.toContain(page.children[0]!['wm-id'])
  })

  it('is empty for a storefront page nobody wrote about, and refuses what it cannot answer', async () => {
    const empty = await (await call('/feeds/demo.jf2?target=https%3A%2F%2Fshop.example%2Fproducts%2Fnew')).json<Jf2>()
    expect(empty.children).toEqual([])
    // As webmention.js asks: the page's http and https addresses, of which only https is the storefront's.
    const twins = await call(
      '/feeds/demo.jf2?target[]=http%3A%2F%2Fshop.example%2Fproducts%2Fnew&target[]=https%3A%2F%2Fshop.example%2Fproducts%2Fnew',
    )
    expect(twins.status).toBe(200)
    expect((await twins.json<Jf2>()).children).toEqual([])
    // A numbered page past the last is empty, however far; a page number of ten digits is refused.
    const far = await call('/feeds/demo.jf2?target=tshirt&page=100')
    expect(far.status).toBe(200)
    expect((await far.json<Jf2>()).children).toEqual([])
    expect((await call('/feeds/demo.jf2?target=tshirt&page=1000000000')).status).toBe(400)
    expect((await call('/feeds/demo.jf2?target=tshirt&since=nope%21')).status).toBe(400)
    expect((await call('/feeds/demo.jf2?target=a&target=b&target=c&target=d&target=e')).status).toBe(400)
    expect((await call('/feeds/demo.jf2?target=a&target=b&target[]=c&target[]=d&target[]=e')).status).toBe(400)
    expect((await call('/feeds/demo.jf2?target=tshirt&per-page=1001')).status).toBe(400)
    expect((await call('/feeds/demo.jf2?target=tshirt&cursor=nope')).status).toBe(400)
    expect((await call('/feeds/demo.jf2?target=https%3A%2F%2Felsewhere.example%2Fp')).status).toBe(404)
    expect((await call('/feeds/nosuch.jf2?target=tshirt')).status).toBe(404)
  })
})
