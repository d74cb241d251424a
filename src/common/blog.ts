/**
 * Which blog a post belongs to, for every per-blog limit (new voices a blog may bring in a
 * minute, an hour, a day) and its message. A blog is its host — except on platforms that put
 * many writers' blogs under one host, where the first path segment names the blog: every
 * Ameba writer is `ameblo.jp/{id}`, not one blog called `ameblo.jp`.
 *
 * The list is short on purpose: platforms that give each blog its own host (Hatena Blog,
 * FC2, Seesaa, JUGEM, Blogger, WordPress.com, Substack …) need no entry.
 */
import { parseHttpUrl } from './url'

/** Hosts where the first path segment is the blog (an id, `@user` or a publication). */
export const SHARED_BLOG_HOSTS: ReadonlySet<string> = new Set([
  'ameblo.jp', // Ameba: ameblo.jp/{id}/entry-….html
  'note.com', // note: note.com/{user}/n/…
  'blog.livedoor.jp', // livedoor Blog: blog.livedoor.jp/{id}/archives/….html
  'blog.goo.ne.jp', // goo blog: blog.goo.ne.jp/{id}/e/…
  'plaza.rakuten.co.jp', // Rakuten Blog: plaza.rakuten.co.jp/{id}/diary/…
  'medium.com', // Medium: medium.com/@{user}/… or medium.com/{publication}/…
  'blog.naver.com', // NAVER Blog: blog.naver.com/{id}/…
  'qiita.com', // Qiita: qiita.com/{user}/items/…
  'zenn.dev', // Zenn: zenn.dev/{user}/articles/…
  'dev.to', // DEV: dev.to/{user}/…
  'tumblr.com', // Tumblr's new addresses: www.tumblr.com/{blog}/…
])

/**
 * The blog of a post's URL, lower-case, or null when it is not an http(s) URL. The segment
 * keeps its percent-escapes (as the URL parser wrote them), so a blog is always printable ASCII.
 */
export function blogOf(url: string): string | null {
  const parsed = parseHttpUrl(url)
  if (!parsed) return null
  const host = parsed.hostname.replace(/\.$/, '')
  const bare = host.replace(/^www\./, '')
  if (!SHARED_BLOG_HOSTS.has(bare)) return host
  const first = parsed.pathname.split('/')[1] ?? ''
  return first === '' ? bare : `${bare}/${first.toLowerCase()}`
}
