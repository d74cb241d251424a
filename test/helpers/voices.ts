import { env } from 'cloudflare:workers'
import { expect } from 'vitest'

import type { SiteFixture } from './factories'
import { unique } from './factories'
import { html, servePage } from './blogs'
import { call } from './http'
import { sendWebmention, settled } from './linkbacks'

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
    // A plain report: its suggested sentiment is neutral (a test that needs another says so).
    excerpt: fields.excerpt ?? 'The shop opens at ten on Saturdays.',
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

/**
 * A verified voice of `site` from a blog post (on the fixture web) whose Webmention endpoint answers
 * `status`: one the shop's answers are announced to. Its id and the endpoint's address.
 */
export async function announceableVoice(site: SiteFixture, status = 202) {
  const blog = `https://${unique('blog')}.example`
  const post = `${blog}/kettle`
  const endpoint = `${blog}/webmention`
  const target = `${site.origin}/products/kettle`
  await servePage(post, {
    body: html(`<p>The <a href="${target}">kettle</a> leaks.</p>`, `<link rel="webmention" href="${endpoint}">`),
  })
  await servePage(endpoint, { status, body: 'ok', headers: { 'Content-Type': 'text/plain' } })
  const res = await sendWebmention(site.slug, { source: post, target })
  return { voice: (await settled(res.headers.get('Location')!)).voice.id, endpoint }
}
