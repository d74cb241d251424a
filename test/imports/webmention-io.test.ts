import { describe, expect, it } from 'vitest'

import jf2Export from '../fixtures/imports/webmention-io.jf2.json'
import { readWebmentionIo } from '../../src/imports/formats/webmention-io'

describe('webmention.io’s export', () => {
  it('reads its jf2 feed: every mention with its property, and what it cannot use refused with its place and why', () => {
    const read = readWebmentionIo(jf2Export)
    expect(read?.mentions).toEqual([
      {
        id: '1402216',
        property: 'mention-of',
        source: 'https://kana.example/2022/03/mug-review',
        target: 'https://oldshop.example/products/mug',
        published: '2022-03-04T21:15:00+09:00',
        received: '2022-03-04T12:20:41Z',
        author: {
          name: 'Kana Ito',
          url: 'https://kana.example/',
          photo: 'https://webmention.io/avatar/kana.example/1f0e.png',
        },
        name: 'The mug, a year on',
        text: 'Still my favourite mug.',
        html: '<p>Still my favourite <b>mug</b>.</p>',
      },
      expect.objectContaining({ id: '1402990', property: 'like-of', author: null, published: '2022-05-01T08:00:00Z' }),
      expect.objectContaining({ property: 'in-reply-to', text: 'The sizes run small, order one up.', html: null }),
    ])
    expect(read?.refused).toEqual([
      { index: 3, reason: 'no_source_or_target' },
      { index: 4, reason: 'unknown_property' },
      { index: 5, reason: 'not_an_entry' },
    ])
  })

  it('reads the older JSON API’s links, and a bare array of entries', () => {
    const old = {
      links: [
        {
          source: 'https://old.example/post',
          verified: true,
          verified_date: '2015-06-01T10:00:00+00:00',
          id: 201,
          private: false,
          data: {
            author: { name: 'Old Blogger', url: 'https://old.example/', photo: null },
            url: 'https://old.example/post',
            name: null,
            content: '<p>hi</p>',
            published: null,
          },
          activity: { type: 'reply', sentence: '…', sentence_html: '…' },
          target: 'https://oldshop.example/products/mug',
        },
        { source: 'https://x.example/', target: 'https://oldshop.example/', activity: { type: 'tag' } },
      ],
    }
    const read = readWebmentionIo(old)
    expect(read?.mentions).toEqual([
      {
        id: '201',
        property: 'in-reply-to',
        source: 'https://old.example/post',
        target: 'https://oldshop.example/products/mug',
        published: '2015-06-01T10:00:00+00:00',
        received: '2015-06-01T10:00:00+00:00',
        author: { name: 'Old Blogger', url: 'https://old.example/', photo: null },
        name: null,
        text: null,
        html: '<p>hi</p>',
      },
    ])
    expect(read?.refused).toEqual([{ index: 1, reason: 'unknown_property' }])
    expect(readWebmentionIo(jf2Export.children.slice(0, 1))?.mentions).toHaveLength(1)
  })

  it('refuses what webmention.io marked private, and what the older format says it never verified', () => {
    const priv = { ...(jf2Export.children[0] as object), 'wm-private': true }
    expect(readWebmentionIo({ children: [priv] })).toEqual({ mentions: [], refused: [{ index: 0, reason: 'private' }] })
    const link = { source: 'https://a.example/', target: 'https://oldshop.example/', activity: { type: 'link' } }
    expect(
      readWebmentionIo({
        links: [
          { ...link, private: true },
          { ...link, verified: false },
        ],
      })?.refused,
    ).toEqual([
      { index: 0, reason: 'private' },
      { index: 1, reason: 'unverified' },
    ])
  })

  it('is null for JSON that is neither format', () => {
    for (const json of [null, 42, 'feed', { type: 'feed' }, { children: 'x' }, { links: {} }])
      expect(readWebmentionIo(json)).toBeNull()
  })
})
