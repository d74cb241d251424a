/**
 * A linked voice's life through the real queue (REC §3.2.4): created,
 * updated in place, deleted by 200-without-link, 410 and meta 410, restored, and never
 * deleted by a failing server; retries with backoff and the dead-letter queue. Lost check
 * messages and the sweep: test/outbox/checks.test.ts.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { handleQueue } from '../../src/queues'
import { judgeSource } from '../../src/verification/verdict'
import { html, servePage } from '../helpers/blogs'
import { outboxRow } from '../helpers/outbox'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { eventually, type LinkbackStatus, sendWebmention, settled, statusAt } from '../helpers/linkbacks'

type Feed = {
  items: { id: string; content_text?: string }[]
  _glasshouse: { moderation: { gone: number }; stats: { voices: number } }
}

const feedOf = async (site: SiteFixture) => (await call(`/feeds/${site.slug}.json`)).json<Feed>()

async function resend(site: SiteFixture, source: string, target: string, until: (s: LinkbackStatus) => boolean) {
  const res = await sendWebmention(site.slug, { source, target })
  expect(res.status).toBe(201)
  const location = res.headers.get('Location')!
  return eventually(
    () => statusAt(location),
    (s) => s.status !== 'queued' && until(s),
  )
}

const entry = (target: string, text: string) =>
  html(
    `<article class="h-entry"><p class="e-content">${text} <a class="u-in-reply-to" href="${target}">the kettle</a></p></article>`,
  )

describe('update and delete (WM-V7)', () => {
  it('updates in place, leaves the feed when the link or the page goes, and comes back', async () => {
    const site = await createSite()
    const target = `${site.origin}/products/kettle`
    const source = `https://${unique('blog')}.example/reply`

    await servePage(source, { body: entry(target, 'v1: it leaks') })
    const first = await resend(site, source, target, (s) => s.status === 'verified')
    expect(first.voice.type).toBe('reply')
    expect((await feedOf(site)).items.map((i) => i.content_text)).toEqual(['v1: it leaks the kettle'])

    await servePage(source, { body: entry(target, 'v2: fixed by support') })
    const second = await resend(site, source, target, (s) => s.status === 'verified')
    expect(second.voice.id).toBe(first.voice.id)
    expect((await feedOf(site)).items.map((i) => i.content_text)).toEqual(['v2: fixed by support the kettle'])

    await servePage(source, { body: html('<p>I took the link out.</p>') })
    expect(await resend(site, source, target, () => true)).toMatchObject({
      status: 'deleted',
      reason: 'no_link',
      voice: { status: 'gone' },
    })
    let feed = await feedOf(site)
    expect(feed.items).toEqual([])
    expect(feed._glasshouse.moderation.gone).toBe(1)

    await servePage(source, { body: entry(target, 'v3: back') })
    expect(await resend(site, source, target, (s) => s.status === 'verified')).toMatchObject({
      voice: { status: 'published' },
    })
    feed = await feedOf(site)
    expect(feed.items).toHaveLength(1)
    expect(feed._glasshouse.moderation.gone).toBe(0)

    await servePage(source, { status: 410, body: '' })
    expect(await resend(site, source, target, () => true)).toMatchObject({
      status: 'deleted',
      reason: 'source_gone',
      voice: { status: 'gone' },
    })

    await servePage(source, { body: entry(target, 'v4') })
    await resend(site, source, target, (s) => s.status === 'verified')
    await servePage(source, {
      body: html(`<a href="${target}">still here</a>`, '<meta http-equiv="Status" content="410 Gone">'),
    })
    expect(await resend(site, source, target, () => true)).toMatchObject({ status: 'deleted', reason: 'source_gone' })
    expect((await feedOf(site)).items).toEqual([])
  })

  it('never deletes on a failing server: the voice stays published and the check is retried', async () => {
    const site = await createSite()
    const target = `${site.origin}/products/kettle`
    const source = `https://${unique('blog')}.example/post`
    await servePage(source, { body: entry(target, 'works') })
    const ok = await resend(site, source, target, (s) => s.status === 'verified')

    await servePage(source, { status: 503, body: 'maintenance' })
    const res = await sendWebmention(site.slug, { source, target })
    const retrying = await eventually(
      () => statusAt(res.headers.get('Location')!),
      (s) => s.attempts >= 1 && s.reason !== null,
    )
    expect(retrying).toMatchObject({
      status: 'queued',
      reason: 'source_error',
      voice: { id: ok.voice.id, status: 'published' },
    })
    expect((await feedOf(site)).items).toHaveLength(1)
  })

  it('a first check that finds no link rejects the voice with the reason, and it never reaches the feed', async () => {
    const site = await createSite()
    const target = `${site.origin}/products/kettle`
    const source = `https://${unique('spam')}.example/pills`
    await servePage(source, { body: html('<p>Cheap pills</p>') })
    const res = await sendWebmention(site.slug, { source, target })
    expect(await settled(res.headers.get('Location')!)).toMatchObject({
      status: 'rejected',
      reason: 'no_link',
      voice: { status: 'rejected' },
    })
    expect((await feedOf(site)).items).toEqual([])
    const list = await (
      await api('GET', `/api/sites/${site.slug}/mentions?status=rejected`)
    ).json<{ items: { verification: { state: string; reason: string } }[] }>()
    expect(list.items[0]?.verification).toMatchObject({ state: 'rejected', reason: 'no_link' })
  })

  it('rejects a source that redirects to a private address, without fetching it', async () => {
    const site = await createSite()
    const target = `${site.origin}/products/kettle`
    const source = `https://${unique('blog')}.example/redirect`
    await servePage(source, { status: 302, headers: { Location: 'http://10.0.0.5/admin' } })
    const res = await sendWebmention(site.slug, { source, target })
    expect(await settled(res.headers.get('Location')!)).toMatchObject({ status: 'rejected', reason: 'private_address' })
  })
})

describe('the queue consumer', () => {
  async function queuedVoice() {
    const site = await createSite()
    const target = `${site.origin}/products/kettle`
    const source = `https://${unique('down')}.example/post`
    await servePage(source, { status: 500, body: 'down' })
    const res = await sendWebmention(site.slug, { source, target })
    const location = res.headers.get('Location')!
    await eventually(
      () => statusAt(location),
      (s) => s.attempts >= 1,
    )
    return { location, id: location.split('/').pop()! }
  }

  async function deliver(queue: string, body: unknown, attempts: number, at = Date.now()) {
    const batch = createMessageBatch(queue, [{ id: unique('msg'), timestamp: new Date(), attempts, body }])
    // Note the backoff asked for (the queue result only lists which messages were retried).
    const delays: (number | undefined)[] = []
    const message = batch.messages[0]!
    const retry = message.retry.bind(message)
    Object.defineProperty(message, 'retry', {
      value: (o?: QueueRetryOptions) => {
        delays.push(o?.delaySeconds)
        retry(o)
      },
    })
    const ctx = createExecutionContext()
    await handleQueue(batch, env, () => at)
    return { ...(await getQueueResult(batch, ctx)), delays }
  }

  it('retries a transient failure with backoff, counting the check’s attempts in the outbox', async () => {
    const { id, location } = await queuedVoice()
    // Too early for the retry the first attempt asked for (30 s): acknowledged, nothing fetched.
    const early = await deliver('glasshouse-verify', { mentionId: id }, 2)
    expect(early.explicitAcks).toHaveLength(1)
    expect(early.retryMessages).toEqual([])
    // At its time, whatever the queue counts, it is the second attempt.
    const result = await deliver('glasshouse-verify', { mentionId: id }, 1, Date.now() + 60_000)
    expect(result.explicitAcks).toEqual([])
    expect(result.retryMessages).toHaveLength(1)
    expect(result.delays).toEqual([60])
    const status = await statusAt(location)
    expect(status).toMatchObject({ status: 'queued', attempts: 2, reason: 'source_error', http_status: 500 })
    expect(status.explanation).toEqual({
      en: 'The source’s server answered with an error (500). The hub will try again.',
      ja: 'ソースのサーバーがエラーを返しました（500）。時間をおいて再確認します。',
    })
  })

  it('records the last failure as final when the message reaches the dead-letter queue', async () => {
    const { id, location } = await queuedVoice()
    const result = await deliver('glasshouse-verify-dlq', { mentionId: id }, 1)
    expect(result.explicitAcks).toHaveLength(1)
    const status = await statusAt(location)
    expect(status).toMatchObject({ status: 'rejected', reason: 'source_error', voice: { status: 'rejected' } })
    expect(status.summary).toMatch(/gave up after \d+ attempts?\./)
    expect(await outboxRow('check', id)).toMatchObject({ state: 'gave_up', last_failure: 'source_error' })
    // A browser opening the status URL gets a page in its language.
    const page = await call(new URL(location).pathname, {
      headers: { Accept: 'text/html,application/xhtml+xml', 'Accept-Language': 'ja,en;q=0.8' },
    })
    const html = await page.text()
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(html.startsWith('<!doctype html><html lang="ja">')).toBe(true)
    expect(html).toContain('ソースのサーバーがエラーを返しました')
    expect(html).toContain('回試みたため、確認を終了しました。')
  })

  it('never shows the runtime’s own error text: a failed connection is a reason code and words', async () => {
    const unreachable = await judgeSource(
      { kind: 'unreachable', reason: 'connect_error', detail: 'internal error; reference = 7a4bc' },
      'https://shop.example/p',
    )
    expect(unreachable).toEqual({ kind: 'transient', reason: 'source_unreachable' })
    expect(JSON.stringify(unreachable)).not.toContain('reference')
  })

  it('acknowledges a malformed message instead of retrying it forever, and ignores a settled voice', async () => {
    expect((await deliver('glasshouse-verify', { nope: true }, 1)).explicitAcks).toHaveLength(1)
    expect((await deliver('glasshouse-verify', { mentionId: 'm_unknown' }, 1)).explicitAcks).toHaveLength(1)
  })
})
