import { describe, expect, it } from 'vitest'

import { cleanField, toPlainText, truncate } from '../../src/common/plain-text'

describe('toPlainText', () => {
  it('strips tags and decodes entities', () => {
    expect(toPlainText('<p>I <b>love</b> it&#8230; &amp; more&#8217;s</p>')).toBe('I love it… & more’s')
  })

  it('joins what inline elements split, as a browser shows it, and breaks words only at block elements', () => {
    // Hatena's automatic keyword links, <b> and <span> inside a product name, a link inside a sentence.
    expect(
      toPlainText('<p><a class="keyword" href="https://d.hatena.ne.jp/keyword/x">オーガニック</a>Tシャツ</p>'),
    ).toBe('オーガニックTシャツ')
    expect(toPlainText('<B>下町</B><span style="color:red">シャツ</span><Small>工房</Small>で買った')).toBe(
      '下町シャツ工房で買った',
    )
    expect(toPlainText('<a href="https://shop.example/">下町シャツ工房</a>で買った')).toBe('下町シャツ工房で買った')
    expect(toPlainText('<ruby>藍<rp>(</rp><rt>あい</rt><rp>)</rp></ruby>染め<wbr>の<em>T</em><i>シャツ</i>')).toBe(
      '藍染めのTシャツ',
    )
    // A comment inside a word is nothing, as a browser shows it.
    expect(toPlainText('オーガ<!-- -->ニックTシャツ')).toBe('オーガニックTシャツ')
    // Spaces written between inline elements stay; paragraphs, lines, list items, cells and images break.
    expect(toPlainText('I <b>love</b> <i>it</i>')).toBe('I love it')
    expect(toPlainText('<p>一</p><p>二</p>三<br>四<li>五</li><td>六</td><img src="x.png">七<h2>八</h2>')).toBe(
      '一 二 三 四 五 六 七 八',
    )
  })

  it('drops ruby annotations — the reading and its fallback parentheses — and keeps the base text', () => {
    expect(toPlainText('藍<rp>(</rp><rt>あい</rt><rp>)</rp>染め')).toBe('藍染め')
    // End tags HTML leaves out: a reading ends at the next one, or at the ruby's end.
    expect(toPlainText('<ruby>漢<rt>かん</rt>字<rt>じ</ruby>を')).toBe('漢字を')
    expect(toPlainText('<ruby>東京<rtc><rt>とう</rt><rt>きょう</rt></rtc></ruby>都')).toBe('東京都')
    expect(toPlainText('<RUBY>明<RP>(</RP><RT class="r">あ</RT><RP>)</RP></RUBY>日')).toBe('明日')
    expect(toPlainText('a</rt>b<ruby>x<rt>never closed')).toBe('abx')
  })

  it('drops script and style blocks with their content', () => {
    expect(toPlainText('a<script>alert(1)</script>b<style>p{}</style>c')).toBe('a b c')
  })

  it('keeps escaped markup as text, to be escaped again on output', () => {
    expect(toPlainText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('<script>alert(1)</script>')
  })

  it('drops comments, and an unclosed block or comment to the end', () => {
    expect(toPlainText('a<!-- b -->c<!-- d')).toBe('ac')
    expect(toPlainText('a <!-- b --> c')).toBe('a c')
    // A tag inside a comment is part of the comment.
    expect(toPlainText('<!-- <script> -->kept')).toBe('kept')
    expect(toPlainText('a<STYLE type="text/css">p{}</Style >b<script>never closed')).toBe('a b')
  })

  it('reads text made to be slow — many unclosed tags, blocks and comments — in one pass', () => {
    // A quadratic pattern would keep this test running for minutes; one pass takes milliseconds.
    expect(toPlainText('<style>'.repeat(60_000))).toBe('')
    expect(toPlainText('<script x'.repeat(40_000))).toBe('<script x'.repeat(40_000))
    expect(toPlainText('<!--'.repeat(100_000))).toBe('')
    expect(toPlainText('<a '.repeat(130_000))).toBe('<a'.repeat(130_000).replace(/<a/g, '<a ').trim())
    expect(toPlainText(`x${'<style></scrip'.repeat(30_000)}`)).toBe('x')
    expect(toPlainText(`x${'<rt>'.repeat(100_000)}`)).toBe('x')
    expect(toPlainText(`x${'<ruby>y<rt x'.repeat(40_000)}`)).toBe(`x${'y<rt x'.repeat(40_000)}`)
    expect(toPlainText(`x${'<rp><!--'.repeat(50_000)}`)).toBe('x')
    expect(toPlainText(`x${'</rt'.repeat(50_000)}`)).toBe(`x${'</rt'.repeat(50_000)}`)
  })

  it('removes NUL and control characters and collapses whitespace', () => {
    expect(toPlainText('a\u0000b\u0007c \n\t d\u2028e')).toBe('abc de')
  })
})

describe('truncate', () => {
  it('cuts like Movable Type: 252 characters and "..."', () => {
    const cut = truncate('a'.repeat(300), 255)
    expect(cut).toBe('a'.repeat(252) + '...')
  })

  it('counts characters, not UTF-16 units, and never splits a pair', () => {
    const cut = truncate('😀'.repeat(300), 255)
    expect(Array.from(cut)).toHaveLength(255)
    expect(cut.endsWith('😀...')).toBe(true)
  })

  it('leaves short text alone', () => {
    expect(truncate('short', 255)).toBe('short')
  })
})

describe('cleanField', () => {
  it('turns empty results into null', () => {
    expect(cleanField('  <br>  ', 10)).toBeNull()
    expect(cleanField(undefined, 10)).toBeNull()
  })
})
