import { describe, expect, it } from 'vitest'

import { parsePingbackCall } from '../../src/pingback/xmlrpc'

const call = (source: string, declaration = '<?xml version="1.0"?>') =>
  new TextEncoder().encode(
    `${declaration}<methodCall><methodName>pingback.ping</methodName><params>` +
      `<param><value><string>${source}</string></value></param>` +
      `<param><value><string>https://shop.example/p</string></value></param></params></methodCall>`,
  )

describe('parsePingbackCall — entities', () => {
  it('decodes the XML entities and character references, and the common HTML ones as before', () => {
    expect(parsePingbackCall(call('https://b.example/?a=1&amp;b=&#50;&#x33;'), 'text/xml')).toMatchObject({
      ok: true,
      source: 'https://b.example/?a=1&b=23',
    })
    expect(parsePingbackCall(call('https://b.example/&copy;'), 'text/xml')).toMatchObject({
      source: 'https://b.example/©',
    })
  })

  it('reads each call on its own: an XML 1.1 declaration does not carry over to the next body', () => {
    const body = () => call('https://b.example/x&#1;y', '')
    const before = parsePingbackCall(body(), 'text/xml')
    parsePingbackCall(call('https://b.example/x&#1;y', '<?xml version="1.1"?>'), 'text/xml')
    expect(parsePingbackCall(body(), 'text/xml')).toEqual(before)
  })
})
