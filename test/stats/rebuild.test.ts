import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { bucketOf, medianHours, parseHistogram, shareWithin } from '../../src/stats/response-time'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE } from '../helpers/factories'
import { api } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

const HOUR = 3_600_000

describe('response-time histogram', () => {
  it('puts delays in buckets and reads the median without a scan', () => {
    expect(bucketOf(0)).toBe(0)
    expect(bucketOf(4 * 60_000)).toBe(0)
    expect(bucketOf(2.5 * HOUR)).toBe(6) // 120–180 minutes
    expect(bucketOf(365 * 24 * HOUR)).toBe(24) // the open-ended last bucket
    const h = new Array<number>(25).fill(0)
    h[bucketOf(2.5 * HOUR)] = 3 // three answers between 2 and 3 hours
    expect(medianHours(h)).toBe(2.5)
    expect(medianHours(new Array<number>(25).fill(0))).toBeNull()
  })

  it('reads the share answered within a target: exact at bucket edges, interpolated inside a bucket', () => {
    const h = new Array<number>(25).fill(0)
    h[bucketOf(20 * HOUR)] = 1 // 16–24 h
    h[bucketOf(30 * HOUR)] = 1 // 24–36 h
    expect(shareWithin(h, 24 * 60)).toBe(0.5)
    expect(shareWithin(h, 30 * 60)).toBe(0.75)
    expect(shareWithin(h, 60)).toBe(0)
    expect(shareWithin(new Array<number>(25).fill(0), 60)).toBeNull()
  })

  it('tolerates a damaged stored value', () => {
    expect(parseHistogram('not json')).toHaveLength(25)
    expect(parseHistogram('[1, -2, "x"]').slice(0, 3)).toEqual([1, 0, 0])
  })
})

describe('POST /api/sites/{site}/stats/rebuild', () => {
  it('recomputes drifted counters to what the writes kept', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const t = (await createTarget(site)).id
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const url = await pingVoice(site, t)
      ids.push(
        (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id,
      )
    }
    await api('PATCH', `/api/mentions/${ids[0]}`, { sentiment: 'negative' }, site.key)
    await api('PATCH', `/api/mentions/${ids[1]}`, { sentiment: 'positive' }, site.key)
    await api(
      'POST',
      `/api/mentions/${ids[0]}/responses`,
      { stage: 'apology', body: 'Sorry', author: { name: 'x' } },
      site.key,
    )
    await api('POST', `/api/mentions/${ids[2]}/moderation`, { action: 'spam', reason: 'x' }, site.key)
    await api(
      'POST',
      `/api/mentions/${ids[3]}/moderation`,
      { action: 'remove', category: 'duplicate', reason: 'x' },
      site.key,
    )
    await api('POST', `/api/mentions/${ids[3]}/moderation`, { action: 'restore', reason: 'y' }, site.key)
    await api(
      'POST',
      `/api/mentions/${ids[0]}/responses`,
      { stage: 'resolution', body: 'Fixed', author: { name: 'x' } },
      site.key,
    )
    await api('PATCH', `/api/mentions/${ids[4]}`, { sentiment: 'negative' }, site.key)
    await api('POST', `/api/mentions/${ids[4]}/moderation`, { action: 'spam', reason: 'x' }, site.key)

    const { id: siteId } = (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?')
      .bind(site.slug)
      .first<{ id: number }>())!
    const kept = (await env.DB.prepare('SELECT * FROM stats WHERE site_id = ? ORDER BY target_id').bind(siteId).all())
      .results
    expect(kept.find((r) => r.target_id === t)).toMatchObject({
      published: 3,
      negative: 1,
      positive: 1,
      // The restored voice's words (a plain report) are suggested neutral.
      neutral: 1,
      unclassified: 0,
      responded: 1,
      spam: 2,
      removed: 1,
      restored: 1,
      negative_responded: 1,
      apologized: 1,
      resolved: 1,
      hidden_negative: 1,
    })

    await env.DB.prepare(
      `UPDATE stats SET published = 999, negative = -4, responded = 0, response_time_histogram = '[]', negative_responded = 7,
         apologized = 0, resolved = 3, hidden_negative = 0 WHERE site_id = ?`,
    )
      .bind(siteId)
      .run()
    const res = await api('POST', `/api/sites/${site.slug}/stats/rebuild`)
    expect(res.status).toBe(200)
    expect(
      (await env.DB.prepare('SELECT * FROM stats WHERE site_id = ? ORDER BY target_id').bind(siteId).all()).results,
    ).toEqual(kept)
  })

  it('is for the operator only', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    expect((await api('POST', `/api/sites/${site.slug}/stats/rebuild`, undefined, site.key)).status).toBe(403)
    const other = await createSite(PUBLISH_PINGS_AT_ONCE)
    expect((await api('POST', `/api/sites/${other.slug}/stats/rebuild`, undefined, site.key)).status).toBe(403)
  })
})
