import { env } from 'cloudflare:workers'
import { expect } from 'vitest'

import type { SiteFixture } from './factories'
import { unique } from './factories'
import { call } from './http'

let ip = 0

/** The id of the voice whose page is `url` (as a ping sent it). */
export const voiceIdOf = async (url: string) =>
  (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id

/** Sends a real TrackBack ping and returns the voice's source URL; `via` another clock's app (`callAt`). */
export async function pingVoice(
  site: SiteFixture,
  target: string,
  fields: { title?: string; excerpt?: string } = {},
  via = call,
) {
  const url = `https://${unique('blog')}.example/${unique('post')}`
  const body = new URLSearchParams({
    url,
    title: fields.title ?? 'A post',
    excerpt: fields.excerpt ?? 'Some text',
    blog_name: 'A blog',
  })
  const res = await via(`/tb/${site.slug}/${target}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      'CF-Connecting-IP': `192.0.2.${++ip % 250}-${ip}`,
    },
    body: body.toString(),
  })
  expect(await res.text()).toContain('<error>0</error>')
  return url
}
