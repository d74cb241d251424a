import { describe, expect, it } from 'vitest'

import { cleanField, toPlainText, truncate } from '../../src/common/plain-text'

describe('toPlainText', () => {
  it('strips tags and decodes entities', () => {
    expect(toPlainText('<p>I <b>love</b> it&#8230; &amp; more&#8217;s</p>')).toBe('I love it… & more’s')
  })

  it('drops script and style blocks with their content', () => {
    expect(toPlainText('a<script>alert(1)</script>b<style>p{}</style>c')).toBe('a b c')
  })

  it('keeps escaped markup as text, to be escaped again on output', () => {
    expect(toPlainText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('<script>alert(1)</script>')
  })

  it('drops comments, and an unclosed block or comment to the end', () => {
    expect(toPlainText('a<!-- b -->c<!-- d')).toBe('a c')
    expect(toPlainText('a<STYLE type="text/css">p{}</Style >b<script>never closed')).toBe('a b')
  })

  it('reads text made to be slow — many unclosed tags, blocks and comments — in one pass', () => {
    // A quadratic pattern would keep this test running for minutes; one pass takes milliseconds.
    expect(toPlainText('<style>'.repeat(60_000))).toBe('')
    expect(toPlainText('<script x'.repeat(40_000))).toBe('<script x'.repeat(40_000))
    expect(toPlainText('<!--'.repeat(100_000))).toBe('')
    expect(toPlainText('<a '.repeat(130_000))).toBe('<a'.repeat(130_000).replace(/<a/g, '<a ').trim())
    expect(toPlainText(`x${'<style></scrip'.repeat(30_000)}`)).toBe('x')
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
