import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { sha256Hex } from '../../src/common/crypto'
import { createSite, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'

describe('POST /api/sites', () => {
  it('creates a site with canonical origins', async () => {
    const slug = unique('site')
    const res = await api('POST', '/api/sites', {
      slug,
      name: 'My shop',
      origins: ['HTTPS://Shop.Example:443/any/path'],
      embed_origins: ['https://blog.shop.example'],
      settings: { lang: 'en', time_zone: 'UTC' },
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('Location')).toBe(`/api/sites/${slug}`)
    const body = await res.json<Record<string, unknown>>()
    expect(body).toMatchObject({
      slug,
      name: 'My shop',
      origins: ['https://shop.example'],
      embed_origins: ['https://blog.shop.example'],
      settings: { verify_links: true, response_target_hours: 24, time_zone: 'UTC' },
    })
  })

  it('refuses a slug that exists with 409', async () => {
    const slug = unique('dup')
    const settings = { lang: 'ja' }
    expect(
      (await api('POST', '/api/sites', { slug, name: 'A', origins: ['https://a.example'], settings })).status,
    ).toBe(201)
    const res = await api('POST', '/api/sites', { slug, name: 'B', origins: ['https://b.example'], settings })
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: { code: 'conflict' } })
  })

  it('needs the shop’s language and time zone, or one that gives the other: never silently English and UTC', async () => {
    const site = (settings?: Record<string, unknown>) => ({
      slug: unique('locale'),
      name: 'A shop',
      origins: ['https://a.example'],
      ...(settings ? { settings } : {}),
    })
    const refused = async (settings: Record<string, unknown> | undefined, missing: string) => {
      const res = await api('POST', '/api/sites', site(settings))
      expect(res.status).toBe(400)
      const { error } = await res.json<{ error: { code: string; message: string } }>()
      expect(error.code).toBe('invalid_input')
      expect(error.message).toContain(`A new site needs ${missing}:`)
    }
    await refused(undefined, 'settings.lang and settings.time_zone')
    await refused({ verify_links: false }, 'settings.lang and settings.time_zone')
    await refused({ lang: 'en' }, 'settings.time_zone')
    await refused({ time_zone: 'Europe/London' }, 'settings.lang')
    const made = async (settings: Record<string, unknown>) => {
      const res = await api('POST', '/api/sites', site(settings))
      expect(res.status).toBe(201)
      return (await res.json<{ settings: { lang: string; time_zone: string; review_lang: string } }>()).settings
    }
    // A Japanese shop may give either; the other follows.
    expect(await made({ lang: 'ja' })).toMatchObject({ lang: 'ja', time_zone: 'Asia/Tokyo' })
    expect(await made({ time_zone: 'Asia/Tokyo' })).toMatchObject({ lang: 'ja', time_zone: 'Asia/Tokyo' })
    expect(await made({ review_lang: 'ja' })).toMatchObject({ lang: 'ja', review_lang: 'ja', time_zone: 'Asia/Tokyo' })
    expect(await made({ lang: 'en', time_zone: 'Europe/London' })).toMatchObject({
      lang: 'en',
      time_zone: 'Europe/London',
    })
    // What was chosen is kept with the site, not left to the hub's defaults.
    const slug = unique('kept')
    await api('POST', '/api/sites', { ...site({ lang: 'ja' }), slug })
    const stored = await env.DB.prepare('SELECT settings FROM sites WHERE slug = ?')
      .bind(slug)
      .first<{ settings: string }>()
    expect(JSON.parse(stored!.settings)).toMatchObject({ lang: 'ja', time_zone: 'Asia/Tokyo' })
  })

  it.each([
    ['missing fields', {}],
    ['a bad slug', { slug: 'Not A Slug', name: 'x', origins: ['https://a.example'] }],
    ['wrong types', { slug: 'ok-slug', name: 42, origins: 'https://a.example' }],
    ['a non-http origin', { slug: 'ok-slug', name: 'x', origins: ['javascript:alert(1)'] }],
    ['no origins', { slug: 'ok-slug', name: 'x', origins: [] }],
    ['unknown fields', { slug: 'ok-slug', name: 'x', origins: ['https://a.example'], admin: true }],
    ['unknown settings', { slug: 'ok-slug', name: 'x', origins: ['https://a.example'], settings: { evil: 1 } }],
  ])('answers 400 with a JSON error for %s', async (_, body) => {
    const res = await api('POST', '/api/sites', body)
    expect(res.status).toBe(400)
    const json = await res.json<{ error: { code: string; message: string } }>()
    expect(json.error.code).toBe('invalid_input')
    expect(json.error.message).not.toBe('')
  })

  it('answers 400 for malformed JSON, and 415 saying what to send for a body that is not labelled JSON', async () => {
    const headers = { Authorization: 'Bearer test-operator-token', 'Content-Type': 'application/json' }
    const malformed = await call('/api/sites', { method: 'POST', headers, body: '{"slug": ' })
    expect(malformed.status).toBe(400)
    const form = await call('/api/sites', {
      method: 'POST',
      headers: { Authorization: 'Bearer test-operator-token', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'slug=x',
    })
    expect(form.status).toBe(415)
    expect((await form.json<{ error: { code: string; message: string } }>()).error).toMatchObject({
      code: 'unsupported_media_type',
      message:
        'This endpoint takes a JSON body: send it with Content-Type: application/json (got application/x-www-form-urlencoded)',
    })
    // JSON sent as curl -d sends it: the same answer, not a complaint about each field.
    const curl = await call('/api/sites', {
      method: 'POST',
      headers: { Authorization: 'Bearer test-operator-token', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ slug: 'x', name: 'X', origins: ['https://x.example'] }),
    })
    expect(curl.status).toBe(415)
    // A body with no Content-Type at all: not silently read as {} (which an all-optional PATCH would accept).
    const unlabelled = await call('/api/sites/no-such-site', {
      method: 'PATCH',
      headers: { Authorization: 'Bearer test-operator-token' },
      body: new TextEncoder().encode(JSON.stringify({ name: 'Renamed' })),
    })
    expect(unlabelled.status).toBe(415)
    expect((await unlabelled.json<{ error: { message: string } }>()).error.message).toMatch(
      /^This endpoint takes a JSON body/,
    )
    const none = await call('/api/sites', { method: 'POST', headers: { Authorization: 'Bearer test-operator-token' } })
    expect(none.status).toBe(400)
    expect((await none.json<{ error: { message: string } }>()).error.message).toBe(
      'Send a JSON body with Content-Type: application/json (slug: is required; name: is required; origins: is required)',
    )
    const sjis = await call('/api/sites', {
      method: 'POST',
      headers: { Authorization: 'Bearer test-operator-token', 'Content-Type': 'application/json; charset=Shift_JIS' },
      body: new Uint8Array([
        ...new TextEncoder().encode('{"slug":"sj","name":"'),
        0x83,
        0x65,
        ...new TextEncoder().encode('","origins":["https://sj.example"]}'),
      ]),
    })
    expect(sjis.status).toBe(415)
    expect((await sjis.json<{ error: { message: string } }>()).error.message).toBe(
      'JSON is always UTF-8: send the body in UTF-8 (got charset Shift_JIS)',
    )
    const unknown = await api('POST', '/api/sites', {
      slug: 'y',
      name: 'Y',
      origins: ['https://y.example'],
      colour: 'red',
    })
    expect((await unknown.json<{ error: { message: string } }>()).error.message).toBe(
      'colour: is not a field this request takes',
    )
  })

  it('needs the operator token', async () => {
    const site = await createSite()
    const body = { slug: unique('x'), name: 'x', origins: ['https://x.example'] }
    expect((await api('POST', '/api/sites', body, null)).status).toBe(401)
    expect((await api('POST', '/api/sites', body, 'wrong-token')).status).toBe(401)
    expect((await api('POST', '/api/sites', body, site.key)).status).toBe(403)
  })
})

describe('site keys', () => {
  it('shows a key once and stores only its hash', async () => {
    const site = await createSite()
    const res = await api('POST', `/api/sites/${site.slug}/keys`, { label: 'storefront' })
    expect(res.status).toBe(201)
    const { id, key, prefix } = await res.json<{ id: string; key: string; prefix: string }>()
    expect(key).toMatch(/^gh_sk_[a-z2-9]{32}$/)
    expect(key.startsWith(prefix)).toBe(true)

    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?').bind(id).first<Record<string, string>>()
    expect(row!.key_hash).toBe(await sha256Hex(key))
    expect(JSON.stringify(row)).not.toContain(key)

    const list = await api('GET', `/api/sites/${site.slug}/keys`)
    expect(JSON.stringify(await list.json())).not.toContain(key)
  })

  it('stops accepting a revoked key', async () => {
    const site = await createSite()
    const created = await (await api('POST', `/api/sites/${site.slug}/keys`, {})).json<{ id: string; key: string }>()
    expect((await api('GET', `/api/sites/${site.slug}`, undefined, created.key)).status).toBe(200)
    expect((await api('DELETE', `/api/sites/${site.slug}/keys/${created.id}`)).status).toBe(204)
    expect((await api('GET', `/api/sites/${site.slug}`, undefined, created.key)).status).toBe(401)
  })

  it('only the operator creates keys', async () => {
    const site = await createSite()
    expect((await api('POST', `/api/sites/${site.slug}/keys`, {}, site.key)).status).toBe(403)
  })
})

describe('PATCH /api/sites/:site', () => {
  it('changes name, origins and settings, merging settings', async () => {
    const site = await createSite()
    const res = await api(
      'PATCH',
      `/api/sites/${site.slug}`,
      {
        name: 'Renamed',
        settings: { verify_links: false },
      },
      site.key,
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      name: 'Renamed',
      settings: { verify_links: false, response_target_hours: 24 },
    })
    const again = await api('PATCH', `/api/sites/${site.slug}`, { settings: { time_zone: 'Asia/Tokyo' } }, site.key)
    expect(await again.json()).toMatchObject({ settings: { verify_links: false, time_zone: 'Asia/Tokyo' } })
  })

  it('refuses an unknown time zone', async () => {
    const site = await createSite()
    const res = await api('PATCH', `/api/sites/${site.slug}`, { settings: { time_zone: 'Mars/Base' } })
    expect(res.status).toBe(400)
  })
})

describe('tenancy', () => {
  it('a site key cannot read or change another site, and cannot tell it exists', async () => {
    const mine = await createSite()
    const theirs = await createSite()
    const missing = await api('GET', `/api/sites/no-such-site-${Date.now()}`, undefined, mine.key)
    const other = await api('GET', `/api/sites/${theirs.slug}`, undefined, mine.key)
    expect(other.status).toBe(404)
    // The same answer as for a site that does not exist (but for the request's own id).
    const withoutId = async (res: Response) => ({
      ...(await res.json<{ error: object }>()).error,
      request_id: undefined,
    })
    expect(await withoutId(other)).toEqual(await withoutId(missing))
    expect((await api('PATCH', `/api/sites/${theirs.slug}`, { name: 'pwned' }, mine.key)).status).toBe(404)
    expect((await api('GET', `/api/sites/${theirs.slug}/mentions`, undefined, mine.key)).status).toBe(404)
    expect((await api('GET', `/api/sites/${theirs.slug}/targets`, undefined, mine.key)).status).toBe(404)
    const target = { url: `${theirs.origin}/p`, title: 'x', kind: 'product' }
    expect((await api('POST', `/api/sites/${theirs.slug}/targets`, target, mine.key)).status).toBe(404)

    const list = await (await api('GET', '/api/sites', undefined, mine.key)).json<{ items: { slug: string }[] }>()
    expect(list.items.map((s) => s.slug)).toEqual([mine.slug])
  })
})

describe('GET /api/sites', () => {
  it('pages every site for the operator by cursor, and refuses a cursor it did not issue', async () => {
    await createSite()
    await createSite()
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await api('GET', `/api/sites?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.status).toBe(200)
      const page = await res.json<{ items: { slug: string }[]; next_cursor: string | null }>()
      expect(page.items.length).toBeLessThanOrEqual(1)
      seen.push(...page.items.map((s) => s.slug))
      cursor = page.next_cursor
    } while (cursor)
    const all = await env.DB.prepare('SELECT slug FROM sites ORDER BY id').all<{ slug: string }>()
    expect(seen).toEqual(all.results.map((r) => r.slug))
    expect((await api('GET', '/api/sites?cursor=abc')).status).toBe(400)
    expect((await api('GET', '/api/sites?limit=0')).status).toBe(400)
  })
})

describe('API request bodies', () => {
  it('refuses an oversize body with 413 and a JSON error', async () => {
    const res = await api('POST', '/api/sites', {
      slug: unique('big'),
      name: 'x'.repeat(70 * 1024),
      origins: ['https://a.example'],
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({
      error: { code: 'payload_too_large', message: 'Request body is too large' },
    })
  })
})
