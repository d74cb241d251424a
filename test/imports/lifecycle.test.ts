/**
 * An import's life through the API: what it refuses (missing and wrong fields, oversize files,
 * other shops' imports, a second running import, a deleted shop), a lost or repeated queue message,
 * a step that keeps failing, and the purge of a deleted shop's imports and files.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { deleteShopFiles, importPrefix } from '../../src/imports/files'
import { consumeImports } from '../../src/imports/run'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { GRACE_MS } from '../../src/sites/deleted'
import { purgeDeletedSites } from '../../src/sites/purge'
import { createSite, unique } from '../helpers/factories'
import { api, callAt, DAY, OPERATOR_TOKEN, testClock } from '../helpers/http'
import {
  drainImport,
  importFile,
  type ImportJson,
  readImport,
  reportOf,
  startImport,
  uploadFile,
} from '../helpers/imports'
import { keepingSenders, outboxRow } from '../helpers/outbox'
import realExport from '../fixtures/imports/wordpress-6.1-export.xml?raw'

const siteIdOf = async (slug: string) =>
  (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?').bind(slug).first<{ id: number }>())?.id

const fileFor = (origin: string) => realExport.replaceAll('https://shop.example', origin)

async function made(slug: string, body: Record<string, unknown>, clock = testClock(), token = OPERATOR_TOKEN) {
  const { res } = await startImport(slug, body, clock, token)
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json<ImportJson>()
}

describe('making an import', () => {
  it('refuses missing and wrong fields with what is wrong', async () => {
    const site = await createSite()
    const clock = testClock()
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /format/],
      [{ format: 'zip' }, /format/],
      [{ format: 'wordpress', trust: 'yes' }, /trust/],
      [{ format: 'wordpress', targets: ['https://a.example/'] }, /targets/],
      [{ format: 'wordpress', targets: { 'https://a.example/': 42 } }, /targets/],
      [{ format: 'wordpress', url: 'ftp://files.example/export.xml' }, /url/],
      [{ format: 'orders_csv', from: '2024-13-01' }, /from/],
      [{ format: 'orders_csv', from: '2024-05-01', to: '2024-04-01' }, /from must not be after to/],
      [{ format: 'wordpress', surprise: true }, /surprise/],
    ]
    for (const [body, message] of cases) {
      const { res } = await startImport(site.slug, body, clock)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(JSON.stringify(await res.json()), JSON.stringify(body)).toMatch(message)
    }
    const huge = {
      format: 'wordpress',
      targets: Object.fromEntries(
        Array.from({ length: 2000 }, (_, i) => [`https://old.example/${'x'.repeat(30)}${i}`, 't_1']),
      ),
    }
    expect((await startImport(site.slug, huge, clock)).res.status).toBe(413)
  })

  it('answers only the shop’s own key and the operator; another shop’s import is not found', async () => {
    const site = await createSite()
    const other = await createSite()
    const clock = testClock()
    const own = await made(site.slug, { format: 'wordpress' }, clock, site.key)
    expect(own).toMatchObject({ state: 'waiting_file', upload_url: `/api/sites/${site.slug}/imports/${own.id}/file` })
    const asOther = (method: string, path: string, body?: unknown) => api(method, path, body, other.key)
    expect((await asOther('POST', `/api/sites/${site.slug}/imports`, { format: 'wordpress' })).status).toBe(404)
    expect((await asOther('GET', `/api/sites/${site.slug}/imports/${own.id}`)).status).toBe(404)
    expect((await asOther('GET', `/api/sites/${other.slug}/imports/${own.id}`)).status).toBe(404)
    expect((await asOther('GET', `/api/sites/${other.slug}/imports/${own.id}/lines`)).status).toBe(404)
    const upload = await uploadFile(other.slug, own.id, fileFor(site.origin), clock, other.key)
    expect(upload.res.status).toBe(404)
    const wrongShop = await uploadFile(site.slug, own.id, fileFor(site.origin), clock, other.key)
    expect(wrongShop.res.status).toBe(404)
    const anonymous = await uploadFile(site.slug, own.id, fileFor(site.origin), clock, 'nope')
    expect(anonymous.res.status).toBe(401)
    expect((await api('GET', `/api/sites/${site.slug}/imports`, undefined, site.key)).status).toBe(200)
  })

  it('takes the file once, with its length, within the format’s limit', async () => {
    const site = await createSite()
    const clock = testClock()
    const imp = await made(site.slug, { format: 'webmention_io' }, clock)
    expect((await uploadFile(site.slug, imp.id, '', clock)).res.status).toBe(400)

    // 200 MB announced: refused before a byte is read.
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => {
        c.enqueue(new Uint8Array(1024 * 1024))
      },
    })
    const tooLarge = await callAt(clock)(`/api/sites/${site.slug}/imports/${imp.id}/file`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Length': String(200 * 1024 * 1024) },
      body: endless,
      // @ts-expect-error -- workerd's fetch takes a streamed body without the duplex option of the DOM typings
      duplex: 'half',
    })
    expect(tooLarge.status).toBe(413)
    expect(await tooLarge.text()).toMatch(/200\.0 MB.*at most 10\.0 MB/)

    const first = await uploadFile(site.slug, imp.id, '{"type":"feed","children":[]}', clock)
    expect(first.res.status).toBe(202)
    const second = await uploadFile(site.slug, imp.id, '{"type":"feed","children":[]}', clock)
    expect(second.res.status).toBe(409)
    await drainImport(first.queue.sent, clock)
    expect((await readImport(site.slug, imp.id, clock)).state).toBe('done')
  })

  it('runs one import per shop at a time', async () => {
    const site = await createSite()
    const clock = testClock()
    const a = await made(site.slug, { format: 'wordpress' }, clock)
    const b = await made(site.slug, { format: 'wordpress' }, clock)
    const up = await uploadFile(site.slug, a.id, fileFor(site.origin), clock)
    expect(up.res.status).toBe(202)
    const refused = await uploadFile(site.slug, b.id, fileFor(site.origin), clock)
    expect(refused.res.status).toBe(409)
    expect(await refused.res.text()).toContain(a.id)
    const byUrl = await startImport(
      site.slug,
      { format: 'webmention_io', url: 'https://webmention.io/api/mentions.jf2' },
      clock,
    )
    expect(byUrl.res.status).toBe(409)
    await drainImport(up.queue.sent, clock)
    // Once it is done the next may go.
    expect((await uploadFile(site.slug, b.id, fileFor(site.origin), clock)).res.status).toBe(202)
  })

  it('fails an import whose URL the hub may not fetch, saying why', async () => {
    const site = await createSite()
    const clock = testClock()
    const { res, queue } = await startImport(
      site.slug,
      { format: 'webmention_io', url: 'http://10.0.0.5/export.json' },
      clock,
    )
    expect(res.status).toBe(201)
    const { id } = await res.json<ImportJson>()
    await drainImport(queue.sent, clock)
    expect(await readImport(site.slug, id, clock)).toMatchObject({ state: 'failed', error: 'fetch_failed' })
  })
})

describe('a lost or repeated message', () => {
  it('is sent again by the cron’s sweep, at the start or part-way, and the import completes once', async () => {
    const site = await createSite()
    const clock = testClock()
    const imp = await made(site.slug, { format: 'wordpress', auto_targets: true }, clock)
    const up = await uploadFile(site.slug, imp.id, fileFor(site.origin), clock)
    up.queue.sent.length = 0 // the first message is lost
    const sweepAt = async (at: number) => {
      const { senders, sent } = keepingSenders()
      await sweepOutbox(getDb(env.DB), senders, at)
      return sent.import.filter((b) => (b as { importId: string }).importId === imp.id)
    }
    expect(await sweepAt(clock() + IN_FLIGHT_MS - 1000)).toEqual([])
    clock.advance(IN_FLIGHT_MS + 1000)
    const resent = await sweepAt(clock())
    expect(resent).toEqual([{ importId: imp.id }])
    // Two steps (a post's comments each), then the next message is lost too.
    await drainImport(resent, clock, 1, 2)
    expect(await readImport(site.slug, imp.id, clock)).toMatchObject({ state: 'running', progress: { steps: 2 } })
    resent.length = 0
    clock.advance(IN_FLIGHT_MS + 1000)
    const again = await sweepAt(clock())
    expect(again).toEqual([{ importId: imp.id }])
    await drainImport(again, clock, 1)
    const done = await readImport(site.slug, imp.id, clock)
    expect(done).toMatchObject({ state: 'done', counts: { added: 5, duplicate: 0, skipped: 5, refused: 1 } })
    expect((await reportOf(site.slug, imp.id, clock)).map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(await outboxRow('import', imp.id)).toMatchObject({ state: 'sent' })
  })

  it('does nothing for a copy of a message whose step was taken', async () => {
    const site = await createSite()
    const clock = testClock()
    const imp = await made(site.slug, { format: 'wordpress', auto_targets: true }, clock)
    const up = await uploadFile(site.slug, imp.id, fileFor(site.origin), clock)
    const copy = [...up.queue.sent]
    await drainImport(up.queue.sent, clock, 1, 1)
    await drainImport(copy, clock, 1, 1)
    expect((await readImport(site.slug, imp.id, clock)).progress).toEqual({ steps: 1, lines: 4 })
    expect(up.queue.sent).toHaveLength(1)
  })

  it('marks the import failed when its step keeps failing (the dead-letter queue)', async () => {
    const site = await createSite()
    const clock = testClock()
    const imp = await made(site.slug, { format: 'wordpress' }, clock)
    await uploadFile(site.slug, imp.id, fileFor(site.origin), clock)
    const batch = createMessageBatch('glasshouse-imports-dlq', [
      { id: unique('msg'), timestamp: new Date(), attempts: 4, body: { importId: imp.id } },
    ])
    await consumeImports(batch, env, clock)
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(1)
    const failed = await readImport(site.slug, imp.id, clock)
    expect(failed).toMatchObject({ state: 'failed', error: 'step_failed', error_text: expect.stringMatching(/retry/) })
    expect(await outboxRow('import', imp.id)).toMatchObject({ state: 'gave_up' })
  })
})

describe('a deleted shop', () => {
  it('takes no import (410); the purge deletes its imports, their reports and files', async () => {
    const site = await createSite()
    const clock = testClock()
    const { id } = await importFile(
      site.slug,
      { format: 'wordpress', auto_targets: true, trust: true },
      fileFor(site.origin),
      clock,
    )
    const siteId = (await siteIdOf(site.slug))!
    expect((await env.PHOTOS.list({ prefix: importPrefix(siteId) })).objects).toHaveLength(1)
    expect((await api('DELETE', `/api/sites/${site.slug}`)).status).toBe(200)
    const deletedAt = Date.now()
    expect((await startImport(site.slug, { format: 'wordpress' }, clock)).res.status).toBe(410)
    expect((await api('GET', `/api/sites/${site.slug}/imports/${id}`)).status).toBe(410)

    const purgeAt = deletedAt + GRACE_MS + DAY
    const deps = {
      d1: env.DB,
      deletePhotos: (keys: string[]) => env.PHOTOS.delete(keys),
      deleteExportFiles: (n: number) => deleteShopFiles(env.PHOTOS, n),
    }
    for (let i = 0; i < 60 && (await siteIdOf(site.slug)) !== undefined; i++) await purgeDeletedSites(deps, purgeAt)
    expect(await siteIdOf(site.slug)).toBeUndefined()
    expect((await env.PHOTOS.list({ prefix: importPrefix(siteId) })).objects).toHaveLength(0)
    for (const table of ['imports', 'import_lines', 'moderation_events'])
      expect(await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE site_id = ?`).bind(siteId).first('n')).toBe(
        0,
      )
  })
})
