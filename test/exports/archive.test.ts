/**
 * An export of a shop with a few thousand rows, written across many batches through the export
 * queue's consumer: every kind complete, nothing of another shop, no secrets, the CSV files for
 * spreadsheets (BOM, RFC 4180 quoting, formulas neutralised), and the manifest.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { seedBench } from '../../src/dev/bench-seed'
import { createSite, createTarget, type SiteFixture } from '../helpers/factories'
import { api, testClock } from '../helpers/http'
import { download, exportShop, type ExportJson, fileNamed, jsonLines } from '../helpers/exports'

const VOICES = 2400
const ROWS = 300
const clock = testClock()
let siteId = 0
let secret = ''
let other: SiteFixture
let otherHook = ''
let exported: { id: string; done: ExportJson; messages: number }
const texts = new Map<string, string>()

beforeAll(async () => {
  await seedBench(env.DB, VOICES)
  siteId = (await env.DB.prepare(`SELECT id FROM sites WHERE slug = 'bench'`).first<{ id: number }>())!.id
  const now = clock()
  // A review with a photo, an earlier version and cells a spreadsheet would run as formulas.
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO mentions (id, site_id, target_id, kind, status, title, excerpt, author_name, rating, verified_purchase,
         received_at, updated_at, published_at, rev, photos)
       VALUES ('m_export_review', ?1, 'p0001', 'review', 'published', '=HYPERLINK("https://evil.example")',
         'Good, "really"' || char(10) || 'second line', '@bob', 5, 1, ?2, ?2, ?2, 'x', ?3)`,
    ).bind(siteId, now, JSON.stringify([{ key: 'reviews/m_export_review/0', type: 'image/png' }])),
    env.DB.prepare(
      `INSERT INTO review_revisions (mention_id, rating, title, body, written_at, replaced_at)
       VALUES ('m_export_review', 2, 'First go', 'It was late.', ?1, ?1)`,
    ).bind(now - 1000),
    // An answer corrected once, and one withdrawn.
    env.DB.prepare(
      `INSERT INTO responses (id, site_id, mention_id, stage, body, author_name, created_at, version, edited_at)
       VALUES ('r_export_review', ?1, 'm_export_review', 'reply', '+1 thank you', 'Staff', ?2, 2, ?3)`,
    ).bind(siteId, now + 1, now + 5),
    env.DB.prepare(
      `INSERT INTO response_revisions (response_id, site_id, version, stage, body, author_name, written_at, replaced_at)
       VALUES ('r_export_review', ?1, 1, 'reply', 'thank yuo', 'Staff', ?2, ?3)`,
    ).bind(siteId, now + 1, now + 5),
    env.DB.prepare(
      `INSERT INTO responses (id, site_id, mention_id, stage, body, author_name, created_at, withdrawn_at, withdrawn_reason)
       VALUES ('r_export_withdrawn', ?1, 'm_export_review', 'reply', 'Posted on the wrong review', 'Staff', ?2, ?3, 'wrong review')`,
    ).bind(siteId, now + 2, now + 6),
  ])
  const hook = await api('POST', '/api/sites/bench/webhooks', { url: 'https://hooks.example/in', events: [] })
  expect(hook.status).toBe(201)
  secret = (await hook.json<{ secret: string }>()).secret
  const watch = await api('POST', '/api/sites/bench/watches', {
    feed_url: 'https://search.example/feed',
    keywords: ['Bench'],
  })
  expect(watch.status, await watch.clone().text()).toBe(201)
  // Another shop with rows of every kind it can have: none may appear in the bench's export.
  other = await createSite()
  await createTarget(other, 'other-item')
  const otherHookRes = await api('POST', `/api/sites/${other.slug}/webhooks`, {
    url: 'https://other.example/in',
    events: [],
  })
  otherHook = (await otherHookRes.json<{ id: string }>()).id

  exported = await exportShop('bench', clock, ROWS)
  for (const file of exported.done.files) {
    const res = await download(file, clock)
    expect(res.status, file.name).toBe(200)
    const body = await res.arrayBuffer()
    // Its length is known before the first byte, so a download shows its progress.
    expect(res.headers.get('Content-Length'), file.name).toBe(String(body.byteLength))
    // As a spreadsheet reads it: the byte order mark kept.
    texts.set(file.name, new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body))
  }
}, 120_000)

const count = async (sql: string) => (await env.DB.prepare(sql).bind(siteId).first<{ n: number }>())!.n

describe('an export of a shop with a few thousand rows', () => {
  it('is written a batch at a time, each batch a message of its own', () => {
    // Voices and reviews take their files in batches of ROWS, every other kind at least one.
    expect(exported.messages).toBeGreaterThan(VOICES / ROWS + 8)
    expect(exported.done.progress).toMatchObject({ kind: null, steps: 8 })
    expect(exported.done.progress.batches).toBe(exported.messages - 1)
  })

  it('holds every row of every kind once, and nothing of another shop', async () => {
    const expected = {
      voices: await count('SELECT count(*) AS n FROM mentions WHERE site_id = ?'),
      reviews: await count(`SELECT count(*) AS n FROM mentions WHERE site_id = ? AND kind = 'review'`),
      targets: await count('SELECT count(*) AS n FROM targets WHERE site_id = ?'),
      partners: await count('SELECT count(*) AS n FROM partners WHERE site_id = ?'),
      commissions: await count('SELECT count(*) AS n FROM conversions WHERE site_id = ?'),
      ledger: await count('SELECT count(*) AS n FROM moderation_events WHERE site_id = ?'),
      webhooks: await count('SELECT count(*) AS n FROM webhook_endpoints WHERE site_id = ?'),
      watches: await count('SELECT count(*) AS n FROM watches WHERE site_id = ?'),
    }
    expect(expected.voices).toBe(VOICES + 1)
    expect(exported.done.counts).toEqual(expected)
    for (const [kind, n] of Object.entries(expected)) {
      const lines = jsonLines(texts.get(`${kind}.jsonl`) ?? '')
      expect(lines, kind).toHaveLength(n)
      expect(new Set(lines.map((l) => l.id)).size, kind).toBe(n)
      expect(fileNamed(exported.done, `${kind}.jsonl`).rows).toBe(n)
    }
    const all = [...texts.values()].join('\n')
    expect(all).not.toContain(other.slug)
    expect(all).not.toContain(otherHook)
    expect(all).not.toContain('other-item')
  })

  it('gives each voice its answers, and a review its photos’ URLs and earlier versions', () => {
    const voices = jsonLines(texts.get('voices.jsonl')!)
    const answered = voices.find((v) => v.id === 'm_bench_0000003')
    expect(answered?.answers).toEqual([
      expect.objectContaining({ stage: 'reply', body: 'Thank you for writing about us.' }),
    ])
    expect(voices.find((v) => v.id === 'm_bench_0000001')?.answers).toEqual([])
    const [review] = jsonLines(texts.get('reviews.jsonl')!)
    expect(review).toMatchObject({
      id: 'm_export_review',
      rating: 5,
      photos: ['http://hub.test/photos/m_export_review/0'],
      versions: [expect.objectContaining({ rating: 2, title: 'First go' })],
      answers: [
        expect.objectContaining({
          body: '+1 thank you',
          version: 2,
          edited_at: expect.any(String),
          withdrawn_at: null,
          earlier_versions: [
            expect.objectContaining({ version: 1, body: 'thank yuo', replaced_at: expect.any(String) }),
          ],
        }),
        expect.objectContaining({
          id: 'r_export_withdrawn',
          version: 1,
          withdrawn_at: expect.any(String),
          withdrawn_reason: 'wrong review',
          earlier_versions: [],
        }),
      ],
    })
  })

  it('takes webhook endpoints out without their secrets', () => {
    const text = texts.get('webhooks.jsonl')!
    const [hook] = jsonLines(text)
    expect(Object.keys(hook!).sort()).toEqual(
      ['created_at', 'disabled_at', 'disabled_reason', 'events', 'failing_since', 'id', 'mode', 'url'].sort(),
    )
    expect(text).not.toContain(secret.slice(6))
    const data = [...texts].filter(([name]) => name !== 'manifest.json').map(([, text]) => text)
    expect(data.join('')).not.toMatch(/whsec_|secret|key_hash|email_sealed/)
  })

  it('writes CSV for spreadsheets: a BOM, a header, CRLF lines, quoted cells and formulas neutralised', () => {
    for (const name of ['voices.csv', 'reviews.csv']) {
      const csv = texts.get(name)!
      expect(csv.charCodeAt(0), name).toBe(0xfeff)
      expect(csv.indexOf('\uFEFF', 1), 'one BOM, at the start').toBe(-1)
      expect(csv.slice(1, csv.indexOf('\r\n'))).toMatch(/^id,/)
    }
    const reviews = texts.get('reviews.csv')!
    expect(reviews).toContain(`'=HYPERLINK(""https://evil.example"")`)
    expect(reviews).toContain(`"Good, ""really""\nsecond line"`)
    expect(reviews).toContain(`,'@bob,`)
    expect(reviews).toContain(`,'+1 thank you\r\n`)
    // Every voice is a line of its own (the header and the review's one line break aside).
    expect(texts.get('voices.csv')!.split('\r\n').length - 2).toBe(VOICES + 1)
  })

  it('describes itself in a manifest', () => {
    const manifest = JSON.parse(texts.get('manifest.json')!) as {
      format_version: number
      shop: { slug: string }
      counts: Record<string, number>
      files: { name: string; rows: number; fields?: Record<string, string> }[]
    }
    expect(manifest).toMatchObject({ format_version: 1, shop: { slug: 'bench' }, counts: exported.done.counts })
    expect(manifest.files.map((f) => f.name)).toEqual(
      exported.done.files.map((f) => f.name).filter((n) => n !== 'manifest.json'),
    )
    expect(manifest.files.find((f) => f.name === 'voices.jsonl')?.fields).toHaveProperty('answers')
  })

  it('is served with the right media types, as attachments', async () => {
    const res = await download(fileNamed(exported.done, 'reviews.csv'), clock)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="bench-reviews.csv"')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect((await download(fileNamed(exported.done, 'voices.jsonl'), clock)).headers.get('Content-Type')).toBe(
      'application/jsonl; charset=utf-8',
    )
  })
})
