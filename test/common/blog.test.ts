import { describe, expect, it } from 'vitest'

import { blogOf } from '../../src/common/blog'

describe('blogOf', () => {
  it('is the host for blogs with a host of their own', () => {
    expect(blogOf('https://example.hatenablog.com/entry/2024/05/01/kettle')).toBe('example.hatenablog.com')
    expect(blogOf('https://blog.example/2024/05/kettle/')).toBe('blog.example')
    expect(blogOf('http://someone.blog.fc2.com/blog-entry-12.html')).toBe('someone.blog.fc2.com')
    expect(blogOf('https://someone.tumblr.com/post/1')).toBe('someone.tumblr.com')
  })

  it('is host/{first segment} on platforms that put many blogs under one host', () => {
    const cases: [string, string][] = [
      ['https://ameblo.jp/hanako-diary/entry-12834567890.html', 'ameblo.jp/hanako-diary'],
      ['https://note.com/taro_cooks/n/n1a2b3c4d5e6f', 'note.com/taro_cooks'],
      ['http://blog.livedoor.jp/kettle_fan/archives/52012345.html', 'blog.livedoor.jp/kettle_fan'],
      ['https://blog.goo.ne.jp/goo-writer/e/0123456789abcdef', 'blog.goo.ne.jp/goo-writer'],
      ['https://plaza.rakuten.co.jp/rakutenwriter/diary/202405010000/', 'plaza.rakuten.co.jp/rakutenwriter'],
      ['https://medium.com/@writer/my-kettle-1a2b3c', 'medium.com/@writer'],
      ['https://medium.com/some-publication/a-post-1a2b3c', 'medium.com/some-publication'],
      ['https://www.tumblr.com/someblog/123456/post', 'tumblr.com/someblog'],
      ['https://Ameblo.JP/Hanako-Diary/entry-1.html?frm=top', 'ameblo.jp/hanako-diary'],
      ['https://www.note.com/taro_cooks/n/n1', 'note.com/taro_cooks'],
      ['https://note.com/', 'note.com'],
      ['https://note.com/%E5%A4%AA%E9%83%8E/n/n1', 'note.com/%e5%a4%aa%e9%83%8e'],
      ['https://note.com/太郎/n/n1', 'note.com/%e5%a4%aa%e9%83%8e'],
      ['https://medium.com/%40writer/post', 'medium.com/%40writer'],
      ['https://note.com/?utm=x', 'note.com'],
      ['https://www.note.com/', 'note.com'],
    ]
    for (const [url, blog] of cases) expect(blogOf(url), url).toBe(blog)
  })

  it('is null for what is not an http(s) URL', () => {
    expect(blogOf('javascript:alert(1)')).toBeNull()
    expect(blogOf('not a url')).toBeNull()
  })
})
