import { describe, expect, it } from 'vitest'

import { canonicalUrl, isUnderOrigins } from '../../src/common/url'

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://Shop.Example/products/tshirt', 'https://shop.example/products/tshirt'],
    ['https://shop.example:443/products/tshirt', 'https://shop.example/products/tshirt'],
    ['http://shop.example:80/a', 'http://shop.example/a'],
    ['http://shop.example:8080/a', 'http://shop.example:8080/a'],
    ['https://shop.example/products/tshirt#reviews', 'https://shop.example/products/tshirt'],
    ['https://shop.example/products/tshirt/', 'https://shop.example/products/tshirt'],
    ['https://shop.example/products/tshirt//', 'https://shop.example/products/tshirt'],
    ['https://shop.example', 'https://shop.example/'],
    ['https://shop.example/', 'https://shop.example/'],
    ['https://shop.example/p?utm_source=x&utm_medium=y', 'https://shop.example/p'],
    ['https://shop.example/p?color=red&UTM_Campaign=z&fbclid=1&gclid=2', 'https://shop.example/p?color=red'],
    ['https://shop.example/p?b=2&a=1', 'https://shop.example/p?b=2&a=1'],
    ['https://shop.example/p?gh_click=c_1&size=m', 'https://shop.example/p?size=m'],
    ['https://shop.example/%7Euser/a%2fb', 'https://shop.example/~user/a%2Fb'],
    ['https://shop.example/%e5%95%86%e5%93%81', 'https://shop.example/%E5%95%86%E5%93%81'],
    ['https://shop.example/商品', 'https://shop.example/%E5%95%86%E5%93%81'],
    ['https://ショップ.example/', 'https://xn--xckya1d0c.example/'],
    ['  https://shop.example/p  ', 'https://shop.example/p'],
  ])('canonicalises %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected)
  })

  it.each([
    'ftp://shop.example/p',
    'javascript:alert(1)',
    'mailto:a@example.com',
    '/relative/path',
    'https://user:pass@shop.example/',
    'https://user@shop.example/',
    '',
    'not a url',
  ])('refuses %s', (input) => {
    expect(canonicalUrl(input)).toBeNull()
  })

  it('refuses URLs over 2048 characters', () => {
    expect(canonicalUrl('https://shop.example/' + 'a'.repeat(2100))).toBeNull()
  })

  it('treats equivalent spellings as the same page', () => {
    const a = canonicalUrl('HTTPS://Shop.Example:443/Products/Tshirt/?utm_source=blog#top')
    const b = canonicalUrl('https://shop.example/Products/Tshirt')
    expect(a).toBe(b)
  })
})

describe('isUnderOrigins', () => {
  it('matches scheme, host and port exactly', () => {
    const origins = ['https://shop.example']
    expect(isUnderOrigins('https://shop.example/p', origins)).toBe(true)
    expect(isUnderOrigins('http://shop.example/p', origins)).toBe(false)
    expect(isUnderOrigins('https://shop.example.evil.example/p', origins)).toBe(false)
    expect(isUnderOrigins('https://shop.example:8443/p', origins)).toBe(false)
  })
})
