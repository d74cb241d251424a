import { describe, expect, it } from 'vitest'

import { outcomeOf } from '../../src/verification/verdict'
import { createSite, type SiteFixture } from '../helpers/factories'
import { api, testClock } from '../helpers/http'
import { importFile, reportOf } from '../helpers/imports'
import { encodeLegacy } from '../helpers/legacy-charsets'
import mtExport from '../fixtures/imports/movable-type-export.txt?raw'
import jf2 from '../fixtures/imports/webmention-io.jf2.json?raw'

type Voice = {
  id: string
  kind: string
  status: string
  type: string | null
  source_url: string | null
  target: string
  received_at: string
  title: string | null
  excerpt: string | null
  author: { name: string | null; url: string | null; photo: string | null }
  imported_by: string | null
}

async function voicesOf(site: SiteFixture) {
  const res = await api('GET', `/api/sites/${site.slug}/mentions?limit=100`, undefined, site.key)
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json<{ items: Voice[] }>()).items
}

const clock = testClock(Date.parse('2026-12-01T00:00:00Z'))

/** The export for the test shop; its wave dash written as CP932 writes it (WHATWG's Shift_JIS reads 0x8160 as U+FF5E). */
const mtFor = (site: SiteFixture) => mtExport.replaceAll('https://shop.example', site.origin).replaceAll('〜', '～')

describe('importing a Movable Type export', () => {
  it('reads a Shift_JIS file: its pings become TrackBacks on the entry’s product, dated in the shop’s zone', async () => {
    const site = await createSite({ settings: { lang: 'ja' } })
    const file = encodeLegacy(mtFor(site), 'shift_jis')
    const { id, done } = await importFile(
      site.slug,
      { format: 'movable_type', auto_targets: true, trust: true },
      file,
      clock,
    )
    expect(done).toMatchObject({ state: 'done', counts: { added: 2, duplicate: 0, skipped: 1, refused: 1 } })
    const lines = await reportOf(site.slug, id, clock, '&lang=ja')
    expect(lines.map((l) => [l.place, l.outcome, l.reason])).toEqual([
      ['entry new_tshirt, ping 1', 'added', null],
      ['entry new_tshirt, ping 2', 'added', null],
      ['entry new_tshirt, comment 1', 'skipped', 'comment_not_asked'],
      ['entry mug, ping 1', 'refused', 'bad_source_url'],
    ])
    expect(lines[2]?.reason_text).toContain('コメント')
    const voices = await voicesOf(site)
    const yuru = voices.find((v) => v.source_url === 'https://blog.example.jp/2011/06/tshirt.html')
    expect(yuru).toMatchObject({
      kind: 'trackback',
      status: 'published',
      title: '夏のTシャツを買ってみた',
      received_at: '2011-06-16T14:45:03.000Z',
      imported_by: id,
    })
    expect(yuru?.excerpt).toContain('洗濯しても縮みませんでした')
    // EUC-JP, the other legacy encoding of Japanese blogs, reads the same; nothing is added twice.
    const again = await importFile(
      site.slug,
      { format: 'movable_type', auto_targets: true, trust: true, comments: true },
      encodeLegacy(mtFor(site), 'euc-jp'),
      clock,
    )
    expect(again.done.counts).toEqual({ added: 1, duplicate: 2, skipped: 0, refused: 1 })
    expect((await voicesOf(site)).find((v) => v.kind === 'comment')?.author.name).toBe('山田')
  })
})

describe('importing webmention.io’s export', () => {
  it('makes Webmention voices with their property as the type, and refuses entries it cannot read', async () => {
    const site = await createSite()
    const file = jf2.replaceAll('https://oldshop.example', site.origin)
    const { id, done, checks } = await importFile(
      site.slug,
      { format: 'webmention_io', auto_targets: true },
      file,
      clock,
    )
    expect(done).toMatchObject({ state: 'done', origin: 'webmention.io' })
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.filter((l) => l.outcome === 'refused').map((l) => l.reason)).toEqual([
      'no_source_or_target',
      'unknown_property',
      'not_an_entry',
    ])
    const voices = await voicesOf(site)
    expect(voices.map((v) => [v.type, v.status]).sort()).toEqual([
      ['like', 'pending'],
      ['mention', 'pending'],
      ['reply', 'pending'],
    ])
    expect(checks).toHaveLength(3)
    expect(voices.find((v) => v.type === 'mention')).toMatchObject({
      title: 'The mug, a year on',
      author: { name: 'Kana Ito', url: 'https://kana.example/' },
      received_at: '2022-03-04T12:15:00.000Z',
    })
  })

  it('refuses a file that is not JSON, or not webmention.io’s', async () => {
    const site = await createSite()
    const notJson = await importFile(site.slug, { format: 'webmention_io' }, '<html>', clock)
    expect(notJson.done).toMatchObject({ state: 'failed', error: 'not_json' })
    const notJf2 = await importFile(site.slug, { format: 'webmention_io' }, '{"hello":1}', clock)
    expect(notJf2.done).toMatchObject({ state: 'failed', error: 'not_jf2' })
  })
})

describe('an imported voice verified later', () => {
  it('takes its place in the feed at its original date, not the day of its check', () => {
    const voice = {
      kind: 'trackback' as const,
      status: 'pending' as const,
      publishedAt: null,
      title: null,
      excerpt: null,
      blogName: null,
      authorName: null,
    }
    const linked = { kind: 'linked' as const, content: {} as never }
    const now = Date.parse('2026-12-01T00:00:00Z')
    const received = Date.parse('2014-05-15T13:10:00Z')
    expect(outcomeOf({ ...voice, importId: 'imp_1', receivedAt: received }, linked, now).publishedAt).toBe(received)
    expect(outcomeOf({ ...voice, importId: null, receivedAt: received }, linked, now).publishedAt).toBe(now)
  })
})

describe('a file larger than one window', () => {
  it('is read to its end across windows and steps, each record once', async () => {
    const site = await createSite()
    const n = 700
    const entry = (i: number) => `AUTHOR: tenchou
TITLE: Entry ${i}
BASENAME: entry_${i}
STATUS: Publish
DATE: 01/02/2015 10:00:00 AM
-----
BODY:
<p><a href="${site.origin}/products/p${i % 7}">product</a> ${'words '.repeat(260)}</p>
-----

PING:
TITLE: Post ${i}
URL: https://blog${i}.example/post
BLOG NAME: Blog ${i}
DATE: 01/03/2015 10:00:00 AM
Ping ${i}.
-----

--------
`
    const file = Array.from({ length: n }, (_, i) => entry(i)).join('')
    expect(file.length).toBeGreaterThan(1024 * 1024)
    const { id, done } = await importFile(
      site.slug,
      { format: 'movable_type', auto_targets: true, trust: true },
      file,
      clock,
      400,
    )
    expect(done).toMatchObject({ state: 'done', counts: { added: n, duplicate: 0, skipped: 0, refused: 0 } })
    const lines = await reportOf(site.slug, id, clock)
    expect(new Set(lines.map((l) => l.place)).size).toBe(n)
  })
})
