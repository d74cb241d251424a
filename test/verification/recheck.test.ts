/**
 * Keeping voices honest over time: the cron re-checks published linked voices a week after their
 * last check, a bounded batch a run, least recently checked first, through the real queue. A post
 * that answers 410 or no longer links becomes `gone` (counted in the ledger); a failing server
 * never removes one.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { RECHECK_AFTER_MS, RECHECKS_PER_RUN } from '../../src/verification/queue'
import { hitsOf, html, servePage } from '../helpers/blogs'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { api, call, HOUR } from '../helpers/http'
import { eventually, sendWebmention, settled, statusAt } from '../helpers/linkbacks'
import { runAt } from '../helpers/listening'

const linking = (target: string) => html(`<p>I bought <a href="${target}">the kettle</a>.</p>`)

/** Webmentions from pages that link to `target`, sent one after another (in that order of receipt), each published. */
async function publishedVoices(site: SiteFixture, target: string, n: number) {
  const sent: { source: string; location: string }[] = []
  for (let i = 0; i < n; i++) {
    const source = `https://${unique('blog')}.example/${unique('post')}`
    await servePage(source, { body: linking(target) })
    sent.push({ source, location: (await sendWebmention(site.slug, { source, target })).headers.get('Location')! })
  }
  const checks = await Promise.all(sent.map((v) => settled(v.location, 20_000)))
  for (const check of checks) expect(check).toMatchObject({ status: 'verified', voice: { status: 'published' } })
  return sent
}

/**
 * Moves the voices' last check `ms` into the past: the cron and the queue's consumer share one
 * clock (a re-check is due at the cron's time), so the test ages the checks rather than the cron.
 */
async function checkedAgo(voices: { location: string }[], ms: number) {
  for (const v of voices)
    await env.DB.prepare('UPDATE mentions SET verify_requested_at = verify_requested_at - ? WHERE id = ?')
      .bind(ms, v.location.split('/').pop())
      .run()
}

const goneCount = async (site: SiteFixture) =>
  (await (await call(`/feeds/${site.slug}.json`)).json<{ _glasshouse: { moderation: { gone: number } } }>())._glasshouse
    .moderation.gone

describe('the scheduled re-check of published voices', () => {
  it('a week later: 410 or a lost link makes a voice gone; a page still linking or a failing server leaves it published', async () => {
    const site = await createSite()
    const target = `${site.origin}/products/kettle`
    const [deleted, unlinked, kept, flaky] = await publishedVoices(site, target, 4)
    await servePage(deleted!.source, { status: 410, body: 'gone' })
    await servePage(unlinked!.source, { body: html('<p>I took the link out.</p>') })
    await servePage(flaky!.source, { status: 503, headers: { 'Content-Type': 'text/plain' }, body: 'busy' })

    // The shop's webhook hears of each voice its author took down.
    const hookUrl = `https://${unique('hooks')}.example/in`
    await servePage(hookUrl, { body: 'ok' })
    const hook = await api(
      'POST',
      `/api/sites/${site.slug}/webhooks`,
      { url: hookUrl, events: ['mention.removed'] },
      site.key,
    )
    expect(hook.status).toBe(201)
    const endpoint = (await hook.json<{ id: string }>()).id

    // Within the week nothing is fetched again.
    await runAt(Date.now() + HOUR)
    expect((await hitsOf(kept!.source)).count).toBe(1)

    await checkedAgo([deleted!, unlinked!, kept!, flaky!], RECHECK_AFTER_MS + HOUR)
    await runAt(Date.now())
    expect(
      await eventually(
        () => statusAt(deleted!.location),
        (s) => s.status !== 'queued',
      ),
    ).toMatchObject({
      status: 'deleted',
      reason: 'source_gone',
      voice: { status: 'gone' },
    })
    expect(
      await eventually(
        () => statusAt(unlinked!.location),
        (s) => s.status !== 'queued',
      ),
    ).toMatchObject({
      status: 'deleted',
      reason: 'no_link',
      voice: { status: 'gone' },
    })
    expect(
      await eventually(
        () => statusAt(kept!.location),
        (s) => s.status !== 'queued',
      ),
    ).toMatchObject({
      status: 'verified',
      voice: { status: 'published' },
    })
    expect((await hitsOf(kept!.source)).count).toBe(2)
    // The failing server is retried by the queue; meanwhile, and after, the voice stays published.
    const failing = await eventually(
      () => statusAt(flaky!.location),
      (s) => s.reason === 'source_error',
    )
    expect(failing).toMatchObject({ http_status: 503, voice: { status: 'published' } })
    expect(await goneCount(site)).toBe(2)
    const removed = (
      await (
        await api('GET', `/api/webhooks/${endpoint}/deliveries`, undefined, site.key)
      ).json<{
        items: { event: string; payload: string }[]
      }>()
    ).items
    expect(removed.map((d) => d.event)).toEqual(['mention.removed', 'mention.removed'])
    expect(
      removed.map((d) => (JSON.parse(d.payload) as { data: { mention: { status: string } } }).data.mention.status),
    ).toEqual(['gone', 'gone'])

    // Checked now: the next run leaves them alone.
    await runAt(Date.now() + 10 * 60_000)
    expect((await hitsOf(kept!.source)).count).toBe(2)
  })

  it(
    `takes at most ${RECHECKS_PER_RUN} a run, least recently checked first, the rest at the next run`,
    { timeout: 60_000 },
    async () => {
      const site = await createSite()
      const target = `${site.origin}/products/mug`
      const voices = await publishedVoices(site, target, RECHECKS_PER_RUN + 2)
      await checkedAgo(voices, 2 * RECHECK_AFTER_MS)
      const fetched = async () => (await Promise.all(voices.map((v) => hitsOf(v.source)))).map((h) => h.count)
      await runAt(Date.now())
      await eventually(fetched, (counts) => counts.filter((n) => n === 2).length === RECHECKS_PER_RUN, 20_000)
      expect((await fetched()).slice(RECHECKS_PER_RUN)).toEqual([1, 1])
      await runAt(Date.now())
      await eventually(fetched, (counts) => counts.every((n) => n === 2), 20_000)
    },
  )
})
