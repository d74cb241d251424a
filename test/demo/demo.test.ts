import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { seedDemo } from '../../src/demo/seed'
import { servePage } from '../helpers/blogs'
import { call } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'

describe('demo data and GET /', () => {
  it('says how to seed when there is no demo site', async () => {
    const res = await call('/')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('npm run dev')
  })

  it('seeds idempotently: a second run creates nothing and counts stay put', async () => {
    const first = await seedDemo(getDb(env.DB), Date.now())
    expect(first.created).toBe(8)
    const statsBefore = await env.DB.prepare("SELECT * FROM stats WHERE target_id = 'tshirt'").first()
    const second = await seedDemo(getDb(env.DB), Date.now())
    expect(second.created).toBe(0)
    expect(await env.DB.prepare("SELECT * FROM stats WHERE target_id = 'tshirt'").first()).toEqual(statsBefore)
    expect(statsBefore).toMatchObject({ published: 7, negative: 2, positive: 4, neutral: 1, spam: 1 })
    const responses = await env.DB.prepare("SELECT count(*) AS n FROM responses WHERE mention_id LIKE 'm_demo_%'").first<{ n: number }>()
    expect(responses!.n).toBe(4)
  })

  it('shows the demo product with every voice and its responses, negative ones included', async () => {
    await seedDemo(getDb(env.DB), Date.now())
    const res = await call('/')
    expect(res.headers.get('Content-Type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('Organic cotton T-shirt')
    expect(html).toContain('3回洗ったら首元が伸びた')
    expect(html).toContain('11月の生産分から、リブを二重縫いに変更しました。')
    expect(html).toContain('PR / 広告')
    expect(html).not.toContain('Cheap pills')
  })

  it('escapes whatever a blogger sent', async () => {
    await seedDemo(getDb(env.DB), Date.now())
    const evil = 'x"><script>alert(1)</script>'
    const body = new URLSearchParams({ url: 'https://evil.example/post', title: evil, excerpt: '&lt;img src=x onerror=alert(2)&gt;', blog_name: '<b>bold</b>' })
    const ping = await call('/tb/demo/tshirt', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': '192.0.2.99' }, body: body.toString() })
    expect(await ping.text()).toContain('<error>0</error>')
    // Published only once the hub has seen the link back on the (equally hostile) page.
    const page = await (await call('/')).text()
    expect(page).not.toContain('x&quot;&gt;')
    await servePage('https://evil.example/post', {
      body: `<html><head><title>${evil}</title></head><body><a href="https://shop.example/products/tshirt">x</a><script>alert(3)</script></body></html>`,
    })
    await eventually(() => call('/').then((r) => r.text()), (text) => text.includes('x&quot;&gt;'))
    const html = await (await call('/')).text()
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;')
    expect(html).toContain('x&quot;&gt;')
  })
})

describe('development-only routes', () => {
  it('are not served in production', async () => {
    const { createApp } = await import('../../src/app')
    const res = await createApp().request('/__dev/seed', { method: 'POST' }, { ...env, ENVIRONMENT: 'production' })
    expect(res.status).toBe(404)
  })
})
