/**
 * Publication numbers (src/voices/numbering.ts): every road that publishes a voice gives it the
 * site's next number in the same write — a TrackBack published at once, a Webmention published by
 * its check, a found voice staff publish, a review written on the form — a voice that is not
 * published has none, a take-down and a restore keep it, and the scheduled run numbers a voice
 * an older release published without one.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { numberLatePublications } from '../../src/voices/numbering'
import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api } from '../helpers/http'
import { sendWebmention, settled } from '../helpers/linkbacks'
import { discover } from '../helpers/listening'
import { inboundSecret, invite, order, postForm, reviewPath } from '../helpers/reviews'
import { pingVoice, voiceIdOf } from '../helpers/voices'

const numberOf = async (id: string) =>
  (await env.DB.prepare('SELECT pub_seq FROM mentions WHERE id = ?').bind(id).first<{ pub_seq: number | null }>())!
    .pub_seq

const numbersOf = async (s: SiteFixture) =>
  (
    await env.DB.prepare(
      `SELECT pub_seq FROM mentions WHERE site_id = (SELECT id FROM sites WHERE slug = ?) AND pub_seq IS NOT NULL
       ORDER BY pub_seq`,
    )
      .bind(s.slug)
      .all<{ pub_seq: number }>()
  ).results.map((r) => r.pub_seq)

describe('publication numbers', () => {
  it('number each voice as it is published, by every road, 1, 2, 3… in each site', async () => {
    const site = await createSite()
    const tee = await createTarget(site, 'tee', 'Tee')

    // A TrackBack on a site that publishes pings at once: numbered as it is stored.
    const quick = await createSite(PUBLISH_PINGS_AT_ONCE)
    const quickTee = await createTarget(quick, 'tee', 'Tee')
    const ping = await voiceIdOf(await pingVoice(quick, quickTee.id))
    expect(await numberOf(ping)).toBe(1)
    expect(await numberOf(await voiceIdOf(await pingVoice(quick, quickTee.id)))).toBe(2)

    // A Webmention waits for its check (no number), and is numbered when the check publishes it.
    const source = `https://${unique('blog')}.example/post`
    await servePage(source, { body: html(`<p>The <a href="${tee.url}">tee</a> is good.</p>`) })
    const sent = await sendWebmention(site.slug, { source, target: tee.url })
    expect(sent.status).toBe(201)
    const checked = await settled(sent.headers.get('Location')!)
    expect(checked.voice.status).toBe('published')
    expect(await numberOf(checked.voice.id)).toBe(1)

    // A voice found in a watched feed: none while it waits, the next number when staff publish it.
    const [found] = await discover(site, [{ title: 'Tanaka Goods tee' }])
    expect(await numberOf(found!.id)).toBeNull()
    const published = await api('POST', `/api/mentions/${found!.id}/publish`, { target: tee.id }, site.key)
    expect(published.status, await published.clone().text()).toBe(200)
    expect(await numberOf(found!.id)).toBe(2)

    // A review written on the hosted form.
    const invitation = await invite(site, await inboundSecret(site), order([tee.id]))
    const form = await postForm(await reviewPath(invitation.id), { name: 'Aki', rating_0: '4', text_0: 'Soft.' })
    expect(form.status, await form.clone().text()).toBe(303)
    expect(await numbersOf(site)).toEqual([1, 2, 3])

    // Spam, then restored: the voice keeps its number (and its place); none is given twice.
    for (const action of ['spam', 'restore'] as const) {
      const step = await api('POST', `/api/mentions/${found!.id}/moderation`, { action, reason: 'check' }, site.key)
      expect(step.status, await step.clone().text()).toBe(200)
      expect(await numberOf(found!.id)).toBe(2)
    }
    expect(await numberOf(await voiceIdOf(await pingVoice(quick, quickTee.id)))).toBe(3)
    expect(await numbersOf(site)).toEqual([1, 2, 3])
  })

  it('number a voice published without a number (by the release before) in the scheduled run', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const tee = await createTarget(site, 'tee', 'Tee')
    const first = await voiceIdOf(await pingVoice(site, tee.id))
    const late = await voiceIdOf(await pingVoice(site, tee.id))
    // As the previous release writes a published voice: no number.
    await env.DB.prepare('UPDATE mentions SET pub_seq = NULL WHERE id = ?').bind(late).run()
    const version = async () =>
      (await env.DB.prepare('SELECT data_version FROM sites WHERE slug = ?')
        .bind(site.slug)
        .first<{ data_version: number }>())!.data_version
    const before = await version()

    expect(await numberLatePublications(getDb(env.DB))).toBeGreaterThanOrEqual(1)
    expect(await numberOf(first)).toBe(1)
    expect(await numberOf(late)).toBe(2)
    // Cached pages of the site make way for the numbered voice.
    expect(await version()).toBeGreaterThan(before)
    expect(await numberLatePublications(getDb(env.DB))).toBe(0)
  })
})
