import { env } from 'cloudflare:workers'
import { createExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { seedDemo } from '../../src/demo/seed'
import { createApp } from '../../src/app'
import { call, HUB } from '../helpers/http'

describe('demo data and GET /', () => {
  it('says how to seed when there is no demo site', async () => {
    const res = await call('/')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('npm run dev')
  })

  it('seeds idempotently: a second run creates nothing and counts stay put', async () => {
    const first = await seedDemo(getDb(env.DB), Date.now())
    // Eight published voices, and two found in a watched feed that wait for staff.
    expect(first.created).toBe(10)
    const statsBefore = await env.DB.prepare("SELECT * FROM stats WHERE target_id = 'tshirt'").first()
    const second = await seedDemo(getDb(env.DB), Date.now())
    expect(second.created).toBe(0)
    expect(await env.DB.prepare("SELECT * FROM stats WHERE target_id = 'tshirt'").first()).toEqual(statsBefore)
    expect(statsBefore).toMatchObject({ published: 7, negative: 2, positive: 4, neutral: 1, spam: 1 })
    const responses = await env.DB.prepare(
      "SELECT count(*) AS n FROM responses WHERE mention_id LIKE 'm_demo_%'",
    ).first<{ n: number }>()
    expect(responses!.n).toBe(4)
    const found = await env.DB.prepare(
      "SELECT id, status, target_pending FROM mentions WHERE kind = 'discovered' ORDER BY id",
    ).all()
    expect(found.results).toEqual([
      { id: 'm_demo_found', status: 'pending', target_pending: 0 },
      { id: 'm_demo_found_aside', status: 'pending', target_pending: 1 },
    ])
  })

  it('is a storefront page with the widget: the two lines, and nothing outside writers wrote', async () => {
    await seedDemo(getDb(env.DB), Date.now())
    const res = await call('/')
    expect(res.headers.get('Content-Type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('Organic cotton T-shirt')
    expect(html).toContain('<glasshouse-voices site="demo" target="tshirt" jsonld="true">')
    expect(html).toContain('<script type="module" src="/embed.js" async="">')
    // The voices (a negative one among them) are rendered by the widget, from the feed.
    expect(html).not.toContain('3回洗ったら首元が伸びた')
    const feed = await (await call('/feeds/demo.json?target=tshirt')).text()
    expect(feed).toContain('3回洗ったら首元が伸びた')
    expect(feed).toContain('11月の生産分から、リブを二重縫いに変更しました。')
    expect(feed).not.toContain('Cheap pills')
  })

  it('on a deployed hub is a page saying what the hub is, even when a site is called demo', async () => {
    await seedDemo(getDb(env.DB), Date.now())
    const production = { ...env, ENVIRONMENT: 'production' }
    const res = await createApp().fetch(new Request(`${HUB}/`), production, createExecutionContext())
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Glasshouse hub')
    expect(html).toContain('href="/docs"')
    expect(html).not.toContain('glasshouse-voices')
  })
})
