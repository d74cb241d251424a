/**
 * An export's life: one running per shop, who may start and read it, its signed links, a lost
 * queue message sent again by the cron's sweep, a copy of a message that writes nothing twice, a
 * batch that keeps failing, a deleted shop's export, and the files' end (a week on, or the purge).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { deleteUnder, shopPrefix } from '../../src/exports/archive'
import { consumeExports, EXPORT_KEPT_MS, expireExports } from '../../src/exports/run'
import { getDb } from '../../src/db/client'
import { IN_FLIGHT_MS } from '../../src/outbox/outbox'
import { sweepOutbox } from '../../src/outbox/sweep'
import { GRACE_MS } from '../../src/sites/deleted'
import { purgeDeletedSites } from '../../src/sites/purge'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, unique } from '../helpers/factories'
import { api, callAt, DAY, HOUR, OPERATOR_TOKEN, testClock } from '../helpers/http'
import { download, drain, exportShop, type ExportJson, fileNamed, readExport, startExport } from '../helpers/exports'
import { keepingSenders, outboxRow } from '../helpers/outbox'
import { pingVoice } from '../helpers/voices'

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

/** A small shop: a few targets with a voice each. */
async function smallShop(voices = 3) {
  const site = await createSite(PUBLISH_PINGS_AT_ONCE)
  for (let i = 0; i < voices; i++) await pingVoice(site, (await createTarget(site)).id)
  return site
}

const siteIdOf = async (slug: string) =>
  (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?').bind(slug).first<{ id: number }>())?.id

const objectsUnder = async (prefix: string) => (await env.PHOTOS.list({ prefix })).objects.length

describe('starting an export', () => {
  it('runs one export per shop: a second is answered 409 with the running one, a third after it ends is taken', async () => {
    const site = await smallShop(1)
    const clock = testClock()
    const first = await startExport(site.slug, clock, site.key)
    expect(first.res.status).toBe(202)
    const started = await first.res.json<ExportJson>()
    expect(started).toMatchObject({ state: 'queued', files: [], progress: { step: 1, steps: 8, batches: 0 } })
    expect(first.res.headers.get('Location')).toBe(`/api/sites/${site.slug}/exports/${started.id}`)

    const second = await startExport(site.slug, clock)
    expect(second.res.status).toBe(409)
    expect(second.res.headers.get('Location')).toBe(`/api/sites/${site.slug}/exports/${started.id}`)
    expect((await second.res.json<{ error: { message: string } }>()).error.message).toContain(started.id)
    expect(second.queue.sent).toEqual([])

    await drain(first.queue.sent, clock, 100)
    clock.advance(1000)
    const third = await startExport(site.slug, clock)
    expect(third.res.status).toBe(202)
    const list = await api('GET', `/api/sites/${site.slug}/exports`, undefined, site.key)
    const { items } = await list.json<{ items: ExportJson[] }>()
    expect(items.map((e) => [e.id, e.state])).toEqual([
      [(await third.res.json<ExportJson>()).id, 'queued'],
      [started.id, 'done'],
    ])
  })

  it('answers only the shop’s own key and the operator', async () => {
    const site = await smallShop(1)
    const other = await createSite()
    const clock = testClock()
    const { res } = await startExport(site.slug, clock)
    const { id } = await res.json<ExportJson>()
    // Another shop's key: its own path does not have this export, and this shop's path is not its.
    expect((await api('GET', `/api/sites/${site.slug}/exports/${id}`, undefined, other.key)).status).toBe(404)
    expect((await api('GET', `/api/sites/${other.slug}/exports/${id}`, undefined, other.key)).status).toBe(404)
    expect((await api('GET', `/api/sites/${site.slug}/exports`, undefined, other.key)).status).toBe(404)
    expect((await api('POST', `/api/sites/${site.slug}/exports`, undefined, other.key)).status).toBe(404)
    expect((await api('POST', `/api/sites/${site.slug}/exports`, undefined, null)).status).toBe(401)
    expect((await api('POST', `/api/sites/${unique('nope')}/exports`)).status).toBe(404)
    expect((await api('GET', `/api/sites/${site.slug}/exports/exp_nothing`)).status).toBe(404)
    expect((await api('GET', `/api/sites/${site.slug}/exports/${'x'.repeat(5000)}`)).status).toBe(404)
    const big = await api('POST', `/api/sites/${site.slug}/exports`, { pad: 'x'.repeat(70_000) })
    expect(big.status).toBe(413)
    expect((await api('GET', `/api/sites/${site.slug}/exports/${id}`, undefined, site.key)).status).toBe(200)
  })
})

describe('download links', () => {
  it('work for an hour; a tampered link, another export’s or another file’s is refused', async () => {
    const site = await smallShop(2)
    const clock = testClock()
    const { id, done } = await exportShop(site.slug, clock)
    const other = await exportShop((await smallShop(1)).slug, clock)
    const file = fileNamed(done, 'voices.jsonl')
    expect(Date.parse(file.url_expires_at!) - clock()).toBeLessThanOrEqual(HOUR)
    const url = new URL(file.url!)
    const path = url.pathname + url.search
    expect((await download(file, clock)).status).toBe(200)

    const tampered = path.replace(/sig=(.)/, (_, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`)
    expect((await callAt(clock)(tampered)).status).toBe(403)
    expect((await callAt(clock)(path.replace(/expires=\d+/, (e) => e + '0'))).status).toBe(403)
    expect((await callAt(clock)(path.replace(id, other.id))).status).toBe(403)
    expect((await callAt(clock)(path.replace('voices.jsonl', 'reviews.jsonl'))).status).toBe(403)
    expect((await callAt(clock)(url.pathname)).status).toBe(403)
    expect((await callAt(clock() + HOUR + 1000)(path)).status).toBe(410)
    // Whatever a link says, the answer is a refusal, never a failure of the hub.
    for (const odd of [
      `/exports/${id}/voices.jsonl?expires=abc&sig=x`,
      `/exports/${id}/voices.jsonl?expires=${'9'.repeat(40)}&sig=x`,
      `/exports/${id}/voices.jsonl?expires=1&sig=${'x'.repeat(5000)}`,
      `/exports/${id}/..%2F..%2Fmanifest.json?expires=1&sig=x`,
      `/exports/${'x'.repeat(3000)}/voices.jsonl`,
      `/exports/${id}/voices.jsonl?expires=1&expires=2&sig=a&sig=b`,
    ])
      expect((await callAt(clock)(odd)).status, odd).toBe(403)
  })

  it('end a week after the export finished: the cron deletes its files and the export says expired', async () => {
    const site = await smallShop(1)
    const clock = testClock()
    const { id, done } = await exportShop(site.slug, clock)
    const siteId = (await siteIdOf(site.slug))!
    const prefix = `${shopPrefix(siteId)}${id}/`
    expect(await objectsUnder(prefix)).toBeGreaterThan(3)

    const db = getDb(env.DB)
    await expireExports(db, env.PHOTOS, clock() + EXPORT_KEPT_MS - 1000)
    expect((await readExport(site.slug, id, clock)).state).toBe('done')
    const later = clock() + EXPORT_KEPT_MS + 1000
    await expireExports(db, env.PHOTOS, later)
    expect(await objectsUnder(prefix)).toBe(0)
    const expired = await readExport(site.slug, id, () => later)
    expect(expired).toMatchObject({ state: 'expired' })
    expect(expired.files.every((f) => f.url === null)).toBe(true)
    // A link given before the files went now meets 410.
    expect((await download(fileNamed(done, 'voices.jsonl'), clock)).status).toBe(410)
  })
})

describe('a lost or repeated message', () => {
  it('is sent again by the cron’s sweep once its lease ends, at the start or part-way, and the export completes', async () => {
    const site = await smallShop(5)
    const clock = testClock()
    const { res, queue } = await startExport(site.slug, clock)
    const { id } = await res.json<ExportJson>()
    queue.sent.length = 0 // the first message is lost

    const sweepAt = async (at: number) => {
      const { senders, sent } = keepingSenders()
      await sweepOutbox(getDb(env.DB), senders, at)
      return sent.export.filter((b) => (b as { exportId: string }).exportId === id)
    }
    expect(await sweepAt(clock() + IN_FLIGHT_MS - 1000)).toEqual([])
    clock.advance(IN_FLIGHT_MS + 1000)
    const resent = await sweepAt(clock())
    expect(resent).toEqual([{ exportId: id }])

    // Three batches (of 2 rows), then the next message is lost too.
    await drain(resent, clock, 2, 3)
    expect(resent).toHaveLength(1)
    const partWay = await readExport(site.slug, id, clock)
    expect(partWay).toMatchObject({ state: 'running', progress: { batches: 3 } })
    resent.length = 0
    clock.advance(IN_FLIGHT_MS + 1000)
    const again = await sweepAt(clock())
    expect(again).toEqual([{ exportId: id }])
    await drain(again, clock, 2)
    const done = await readExport(site.slug, id, clock)
    expect(done.state).toBe('done')
    expect(done.counts.voices).toBe(5)
    expect(await outboxRow('export', id)).toMatchObject({ state: 'sent' })
  })

  it('does nothing for a copy of a message whose batch was written', async () => {
    const site = await smallShop(1)
    const clock = testClock()
    const { res, queue } = await startExport(site.slug, clock)
    const { id } = await res.json<ExportJson>()
    const copy = [...queue.sent]
    await drain(queue.sent, clock, 100, 1)
    await drain(copy, clock, 100, 1) // the same message again: its batch is written
    expect((await readExport(site.slug, id, clock)).progress.batches).toBe(1)
    expect(queue.sent).toHaveLength(1) // the next batch's message, from the first copy only
  })

  it('marks the export failed when its batch keeps failing (the dead-letter queue)', async () => {
    const site = await smallShop(1)
    const clock = testClock()
    const { res } = await startExport(site.slug, clock)
    const { id } = await res.json<ExportJson>()
    const batch = createMessageBatch('glasshouse-exports-dlq', [
      { id: unique('msg'), timestamp: new Date(), attempts: 4, body: { exportId: id } },
    ])
    await consumeExports(batch, env, clock)
    expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(1)
    const failed = await readExport(site.slug, id, clock)
    expect(failed).toMatchObject({ state: 'failed', error: expect.stringContaining('failed') })
    expect(await outboxRow('export', id)).toMatchObject({ state: 'gave_up' })
    // The shop may start another.
    expect((await startExport(site.slug, clock)).res.status).toBe(202)
  })
})

describe('a deleted shop', () => {
  it('may be exported by the operator while it can be restored; the purge deletes its exports and their files', async () => {
    const site = await smallShop(2)
    const other = await smallShop(1)
    const clock = testClock()
    const kept = await exportShop(other.slug, clock)
    expect((await api('DELETE', `/api/sites/${site.slug}`)).status).toBe(200)
    const deletedAt = Date.now()
    const { id, done } = await exportShop(site.slug, clock)
    expect(done.counts.voices).toBe(2)
    expect((await download(fileNamed(done, 'voices.jsonl'), clock)).status).toBe(200)
    // Its key stopped working with the deletion.
    expect((await api('GET', `/api/sites/${site.slug}/exports/${id}`, undefined, site.key)).status).toBe(401)

    const siteId = (await siteIdOf(site.slug))!
    const purgeAt = deletedAt + GRACE_MS + DAY
    const purging = await callAt(purgeAt)(`/api/sites/${site.slug}/exports`, {
      method: 'POST',
      headers: bearer(OPERATOR_TOKEN),
    })
    expect(purging.status).toBe(410)

    const deps = {
      d1: env.DB,
      deletePhotos: (keys: string[]) => env.PHOTOS.delete(keys),
      deleteExportFiles: (n: number) => deleteUnder(env.PHOTOS, shopPrefix(n)),
    }
    for (let i = 0; i < 50 && (await siteIdOf(site.slug)) !== undefined; i++) await purgeDeletedSites(deps, purgeAt)
    expect(await siteIdOf(site.slug)).toBeUndefined()
    expect(await objectsUnder(shopPrefix(siteId))).toBe(0)
    expect(await env.DB.prepare('SELECT count(*) AS n FROM exports WHERE site_id = ?').bind(siteId).first('n')).toBe(0)
    // Another shop's export is untouched.
    expect((await download(fileNamed(kept.done, 'voices.jsonl'), clock)).status).toBe(200)
  })
})
