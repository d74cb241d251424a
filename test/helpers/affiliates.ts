/** Affiliates in tests: an approved partner of a site, and its key. */
import { expect } from 'vitest'

import { type SiteFixture, unique } from './factories'
import { api, call } from './http'
import { freshIp } from './linkbacks'

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
