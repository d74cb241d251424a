/** Affiliates in tests: an approved partner of a site, and its key. */
import { expect } from 'vitest'

import { type SiteFixture, unique } from './factories'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'

import { getDb } from '../../src/db/client'
import { clicks } from '../../src/db/schema'
import { api, call, type Call } from './http'
import { eventually, freshIp } from './linkbacks'

export async function approvedPartner(s: SiteFixture, name = 'Blogger'): Promise<{ id: string; key: string }> {
  const res = await call(`/affiliates/${s.slug}/apply`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshIp() },
    body: JSON.stringify({ name, email: `${unique('p')}@blog.example`, blog_url: `https://${unique('b')}.example/` }),
  })
  expect(res.status, await res.clone().text()).toBe(202)
  const { id } = await res.json<{ id: string }>()
  const decided = await api('POST', `/api/sites/${s.slug}/partners/${id}/decision`, { decision: 'approve' }, s.key)
  expect(decided.status).toBe(200)
  return { id, key: (await decided.json<{ key: string }>()).key }
}

/** A real click through /r/{code} (`via` another clock's app: a click at that time); its id once the consumer has stored it. */
export async function clickOn(
  s: SiteFixture,
  key: string,
  target: string,
  ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0',
  via: Call = call,
) {
  const link = await (
    await call(`/partners/${s.slug}/api/links`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ target }),
    })
  ).json<{ code: string }>()
  const res = await via(`/r/${link.code}`, {
    redirect: 'manual',
    headers: { 'User-Agent': ua, 'CF-Connecting-IP': `198.51.100.${Math.floor(Math.random() * 200)}` },
  })
  const clickId = new URL(res.headers.get('Location')!).searchParams.get('gh_click')!
  await eventually(
    () => getDb(env.DB).select().from(clicks).where(eq(clicks.id, clickId)).get(),
    (c) => c !== undefined,
  )
  return { code: link.code, clickId }
}
