import { describe, expect, it } from 'vitest'

import { charsetFromContentType, decodeStrict, detectCharset, normalizeCharset } from '../../src/common/charset'
import { parseFormBytes, percentDecodeBytes } from '../../src/common/form-bytes'

const bytes = (percentEncoded: string) => percentDecodeBytes(new TextEncoder().encode(percentEncoded))

// 新商品レビュー in each charset
const SJIS = bytes('%90V%8F%A4%95i%83%8C%83r%83%85%81%5B')
const EUC = bytes('%BF%B7%BE%A6%C9%CA%A5%EC%A5%D3%A5%E5%A1%BC')
const JIS = bytes('%1B%24B%3F7%3E%26IJ%25l%25S%25e%21%3C%1B%28B')
const UTF8 = new TextEncoder().encode('新商品レビュー')

describe('normalizeCharset', () => {
  it.each([
    ['Shift_JIS', 'shift_jis'],
    ['SJIS', 'shift_jis'],
    ['CP932', 'shift_jis'],
    ['cp932', 'shift_jis'],
    ['Windows-31J', 'shift_jis'],
    ['MS_Kanji', 'shift_jis'],
    [' Shift-JIS ', 'shift_jis'],
    ['x-sjis', 'shift_jis'],
    ['EUC-JP', 'euc-jp'],
    ['EUC_JP', 'euc-jp'],
    ['eucJP-win', 'euc-jp'],
    ['ISO-2022-JP', 'iso-2022-jp'],
    ['JIS', 'iso-2022-jp'],
    ['UTF-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['"UTF-8"', 'utf-8'],
    ['UTF-8, EUC-JP', 'utf-8'],
    ['us-ascii', 'utf-8'],
    ['ISO-8859-1', 'windows-1252'],
  ])('maps %s to %s', (label, expected) => {
    expect(normalizeCharset(label)).toEqual({ ok: true, charset: expected })
  })

  it.each(['UTF-7', 'utf7', 'x-unknown-charset', ''])('refuses %s', (label) => {
    expect(normalizeCharset(label).ok).toBe(false)
  })
})

describe('charsetFromContentType', () => {
  it('reads the charset parameter in any spelling', () => {
    expect(charsetFromContentType('application/x-www-form-urlencoded; charset=Shift_JIS')).toBe('Shift_JIS')
    expect(charsetFromContentType('application/x-www-form-urlencoded;Charset="EUC-JP"')).toBe('EUC-JP')
    expect(charsetFromContentType('application/x-www-form-urlencoded')).toBeNull()
    expect(charsetFromContentType(null)).toBeNull()
  })
})

describe('decodeStrict', () => {
  it('decodes each Japanese charset with real bytes', () => {
    expect(decodeStrict(SJIS, 'shift_jis')).toBe('新商品レビュー')
    expect(decodeStrict(EUC, 'euc-jp')).toBe('新商品レビュー')
    expect(decodeStrict(JIS, 'iso-2022-jp')).toBe('新商品レビュー')
    expect(decodeStrict(UTF8, 'utf-8')).toBe('新商品レビュー')
  })

  it('decodes the Windows (CP932) extensions under the Shift_JIS label', () => {
    expect(decodeStrict(bytes('%87%40'), 'shift_jis')).toBe('①')
    expect(decodeStrict(bytes('%EE%E0%8B%B4'), 'shift_jis')).toBe('髙橋')
    expect(decodeStrict(bytes('%83%5C%83t%83g%95%5C%8E%A6'), 'shift_jis')).toBe('ソフト表示')
  })

  it('returns null for bytes invalid in the charset instead of mojibake', () => {
    expect(decodeStrict(SJIS, 'utf-8')).toBeNull()
    expect(decodeStrict(bytes('%FF%FF'), 'shift_jis')).toBeNull()
  })
})

describe('detectCharset', () => {
  it('tells the charsets apart from the bytes alone', () => {
    expect(detectCharset([UTF8])).toBe('utf-8')
    expect(detectCharset([SJIS])).toBe('shift_jis')
    expect(detectCharset([EUC])).toBe('euc-jp')
    expect(detectCharset([JIS])).toBe('iso-2022-jp')
  })

  it('detects longer real sentences', () => {
    const sjisExcerpt = bytes('%82%B1%82%CC%8F%A4%95i%82%F0%94%83%82%A2%82%DC%82%B5%82%BD')
    const eucExcerpt = bytes('%A4%B3%A4%CE%BE%A6%C9%CA%A4%F2%C7%E3%A4%A4%A4%DE%A4%B7%A4%BF')
    expect(detectCharset([sjisExcerpt])).toBe('shift_jis')
    expect(detectCharset([eucExcerpt])).toBe('euc-jp')
  })

  it('returns null when nothing decodes', () => {
    expect(detectCharset([bytes('%FF%FE%FF')])).toBeNull()
  })
})

describe('parseFormBytes', () => {
  it('keeps values as bytes and treats + as a space', () => {
    const pairs = parseFormBytes(new TextEncoder().encode('title=%90V+x&url=https%3A%2F%2Fa.example%2F&empty=&flag'))
    expect(pairs.map((p) => p.name)).toEqual(['title', 'url', 'empty', 'flag'])
    expect([...pairs[0]!.value]).toEqual([0x90, 0x56, 0x20, 0x78])
    expect(new TextDecoder().decode(pairs[1]!.value)).toBe('https://a.example/')
  })

  it('leaves a stray percent sign as it is', () => {
    const [pair] = parseFormBytes(new TextEncoder().encode('t=100%25+and+50%'))
    expect(new TextDecoder().decode(pair!.value)).toBe('100% and 50%')
  })
})
