import { describe, expect, it } from 'vitest'

import mtExport from '../fixtures/imports/movable-type-export.txt?raw'
import { entrySpans, MAX_ENTRY_BYTES, readEntry } from '../../src/imports/formats/movable-type'
import { readLocalDate } from '../../src/imports/formats/dates'
import { detectCharset, decodeStrict } from '../../src/common/charset'
import { encodeLegacy } from '../helpers/legacy-charsets'

const utf8 = new TextEncoder().encode(mtExport)
const entriesOf = (bytes: Uint8Array, charset: string) =>
  entrySpans(bytes, 0, 100).spans.map((s) => readEntry(decodeStrict(bytes.subarray(s.start, s.end), charset) ?? ''))

describe('the Movable Type export format', () => {
  it('reads each entry’s header, its own words and its pings, as Movable Type writes them', () => {
    const [first, second, ...rest] = entriesOf(utf8, 'utf-8')
    expect(rest).toEqual([])
    expect(first).toMatchObject({
      title: '新作Tシャツのご紹介',
      basename: 'new_tshirt',
      author: 'tenchou',
      status: 'Publish',
      date: '06/14/2011 09:30:00 PM',
    })
    expect(first?.body).toContain('href="https://shop.example/products/tshirt"')
    expect(first?.body).toContain('サイズはS〜XLです。')
    expect(first?.comments).toEqual([
      {
        author: '山田',
        email: 'yamada@example.jp',
        url: null,
        ip: '203.0.113.5',
        date: '06/15/2011 08:02:11 AM',
        text: '届きました。生地が厚めで良いです。',
      },
    ])
    expect(first?.pings).toEqual([
      {
        title: '夏のTシャツを買ってみた',
        url: 'https://blog.example.jp/2011/06/tshirt.html',
        ip: '198.51.100.20',
        blogName: 'ゆるゆる日記',
        date: '06/16/2011 11:45:03 PM',
        excerpt: '店長さんおすすめのTシャツ、洗濯しても縮みませんでした。\nでも色落ちが少し気になります。',
      },
      expect.objectContaining({ url: 'http://example.com/blog/tees', blogName: 'Tee Notes' }),
    ])
    // What is wrong in a ping is kept as written, for the importer to refuse with its reason.
    expect(second?.status).toBe('Draft')
    expect(second?.pings).toEqual([
      {
        title: null,
        url: 'javascript:alert(1)',
        ip: '192.0.2.10',
        blogName: null,
        date: '13/45/2012 99:00:00 PM',
        excerpt: '壊れたピング',
      },
    ])
  })

  it('finds the same entries in Shift_JIS and EUC-JP, whose bytes are detected as the TrackBack receiver does', () => {
    for (const charset of ['shift_jis', 'euc-jp'] as const) {
      // 〜 is WAVE DASH, which the legacy charsets write as FULLWIDTH TILDE.
      const bytes = encodeLegacy(mtExport.replaceAll('〜', '～'), charset)
      expect(detectCharset([bytes.subarray(0, 64 * 1024)])).toBe(charset)
      const entries = entriesOf(bytes, charset)
      expect(entries.map((e) => e.title)).toEqual(['新作Tシャツのご紹介', 'マグカップ入荷'])
      expect(entries[0]?.pings[0]?.blogName).toBe('ゆるゆる日記')
    }
  })

  it('reads a long file a few entries at a time from where the last read stopped, with CRLF line ends', () => {
    const crlf = new TextEncoder().encode(mtExport.repeat(3).replaceAll('\n', '\r\n'))
    const titles: string[] = []
    let from: number | null = 0
    let reads = 0
    while (from !== null) {
      const { spans, next } = entrySpans(crlf, from, 2)
      expect(spans.length).toBeLessThanOrEqual(2)
      for (const s of spans) titles.push(readEntry(new TextDecoder().decode(crlf.subarray(s.start, s.end))).title ?? '')
      from = next
      reads++
    }
    expect(titles).toEqual(Array(3).fill(['新作Tシャツのご紹介', 'マグカップ入荷']).flat())
    expect(reads).toBe(3)
  })

  it('marks an entry too large to read, and reads text after the last separator as an entry', () => {
    const huge = new TextEncoder().encode(
      `TITLE: big\n-----\nBODY:\n${'x'.repeat(MAX_ENTRY_BYTES)}\n-----\n--------\nTITLE: tail\n-----\n`,
    )
    const { spans, next } = entrySpans(huge, 0, 10)
    expect(spans.map((s) => s.tooLarge)).toEqual([true, false])
    expect(next).toBeNull()
    expect(entrySpans(new TextEncoder().encode('--------\n\n  \n'), 0, 10).spans).toEqual([])
    expect(entrySpans(utf8, -5, 1).spans[0]?.start).toBe(0)
    expect(() => entrySpans(utf8, 0, 0)).toThrow(RangeError)
  })
})

describe('dates written in the blog’s time zone', () => {
  it('reads Movable Type’s and WordPress’s forms in the given zone, and refuses what is no date', () => {
    expect(readLocalDate('06/16/2011 11:45:03 PM', 'Asia/Tokyo')).toBe(Date.parse('2011-06-16T23:45:03+09:00'))
    expect(readLocalDate('06/16/2011 12:05:00 AM', 'Asia/Tokyo')).toBe(Date.parse('2011-06-16T00:05:00+09:00'))
    expect(readLocalDate('12/01/2012 14:00:00', 'UTC')).toBe(Date.parse('2012-12-01T14:00:00Z'))
    expect(readLocalDate('2019-04-02 10:11:12', 'America/New_York')).toBe(Date.parse('2019-04-02T10:11:12-04:00'))
    for (const bad of [
      '13/45/2012 99:00:00 PM',
      '02/30/2012 10:00:00',
      '',
      null,
      'yesterday',
      '01/01/2012 13:00:00 PM',
    ])
      expect(readLocalDate(bad, 'UTC'), String(bad)).toBeNull()
  })
})
