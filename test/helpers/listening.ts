/** Watched feeds for tests: a feed served by the fixture web, a watch of it, and the cron run that reads it. */
import { createScheduledController } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'

import { handleScheduled } from '../../src/scheduled'
import { servePage } from './blogs'
import { type SiteFixture, unique } from './factories'
import { api } from './http'

/** A run of the cron at `time` (the sweeps look at the scheduled time). */
export const runAt = (time: number) =>
  handleScheduled(createScheduledController({ cron: '*/10 * * * *', scheduledTime: time }), env)

export const rss2 = (items: string, channel = 'Blog search: 田中商店') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>${channel}</title><link>https://search.example/</link><description>results</description>
${items}
</channel></rss>`

export const item = (url: string, title: string, body: string, extra = '') =>
  `<item><title>${title}</title><link>${url}</link><description><![CDATA[${body}]]></description>${extra}</item>`

export async function watch(s: SiteFixture, feedUrl: string, keywords: string[]) {
  const res = await api('POST', `/api/sites/${s.slug}/watches`, { feed_url: feedUrl, keywords }, s.key)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<{ id: string }>()
}

export type FoundVoice = {
  id: string
  kind: string
  status: string
  target: string
  target_pending: boolean
  source_url: string
  title: string | null
  excerpt: string | null
  blog_name: string | null
  author: { name: string | null }
  source_published: string | null
  sentiment: string | null
  published_at: string | null
}

export const discovered = async (s: SiteFixture) =>
  (
    await (
      await api('GET', `/api/sites/${s.slug}/mentions?kind=discovered&limit=50`, undefined, s.key)
    ).json<{
      items: FoundVoice[]
    }>()
  ).items

/** Pages about the shop, found by the cron in a feed the site watches: the voices, in the pages' order. */
export async function discover(s: SiteFixture, entries: { title: string; body?: string }[]) {
  const feedUrl = `https://${unique('search')}.example/rss`
  const urls = entries.map(() => `https://${unique('blog')}.example/${unique('post')}`)
  await servePage(feedUrl, {
    headers: { 'Content-Type': 'application/rss+xml' },
    body: rss2(entries.map((e, i) => item(urls[i]!, e.title, e.body ?? 'Tanaka Goods')).join('')),
  })
  await watch(s, feedUrl, ['Tanaka Goods'])
  await runAt(Date.now())
  const found = new Map((await discovered(s)).map((v) => [v.source_url, v]))
  return urls.map((url) => {
    const v = found.get(url)
    if (!v) throw new Error(`${url} was not discovered`)
    return v
  })
}
