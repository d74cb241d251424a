import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { createSite, createTarget, type SiteFixture, PUBLISH_PINGS_AT_ONCE } from '../helpers/factories'
import { api } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

type Voice = {
  id: string
  status: string
  sentiment: string | null
  source_url: string
  answered: boolean
  responses: { stage: string; body: string; author: { name: string; role: string | null } }[]
}
type Page = { items: Voice[]; next_cursor: string | null }

let site: SiteFixture

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
})

async function newVoice(target?: string) {
  const t = target ?? (await createTarget(site)).id
  const url = await pingVoice(site, t)
  const page = await (
    await api('GET', `/api/sites/${site.slug}/mentions?target=${t}`, undefined, site.key)
  ).json<Page>()
  const m = page.items.find((i) => i.source_url === url)!
  return { id: m.id, target: t }
}

const stats = (targetId: string) =>
  env.DB.prepare(
    'SELECT published, positive, neutral, negative, unclassified, responded, removed, spam, restored FROM stats WHERE target_id = ?',
  )
    .bind(targetId)
    .first<Record<string, number>>()

describe('GET /api/sites/{site}/mentions', () => {
  it('lists voices newest first with keyset pages', async () => {
    const t = (await createTarget(site)).id
    for (let i = 0; i < 3; i++) await pingVoice(site, t)
    const first = await (
      await api('GET', `/api/sites/${site.slug}/mentions?target=${t}&limit=2`, undefined, site.key)
    ).json<Page>()
    expect(first.items).toHaveLength(2)
    expect(first.next_cursor).not.toBeNull()
    const second = await (
      await api(
        'GET',
        `/api/sites/${site.slug}/mentions?target=${t}&limit=2&cursor=${first.next_cursor}`,
        undefined,
        site.key,
      )
    ).json<Page>()
    expect(second.items).toHaveLength(1)
    expect(second.next_cursor).toBeNull()
    const ids = [...first.items, ...second.items].map((m) => m.id)
    expect(new Set(ids).size).toBe(3)
  })

  it('filters by status, kind, sentiment, target and unanswered', async () => {
    const { id, target } = await newVoice()
    const other = await newVoice(target)
    await api('PATCH', `/api/mentions/${id}`, { sentiment: 'negative' }, site.key)
    await api('PATCH', `/api/mentions/${other.id}`, { sentiment: null }, site.key)
    await api(
      'POST',
      `/api/mentions/${other.id}/responses`,
      { stage: 'reply', body: 'Thanks', author: { name: 'Staff' } },
      site.key,
    )

    const q = async (query: string) =>
      (
        await (
          await api('GET', `/api/sites/${site.slug}/mentions?target=${target}&${query}`, undefined, site.key)
        ).json<Page>()
      ).items.map((m) => m.id)
    expect(await q('sentiment=negative')).toEqual([id])
    expect(await q('sentiment=unclassified')).toEqual([other.id])
    expect(await q('unanswered=1')).toEqual([id])
    expect((await q('kind=trackback')).sort()).toEqual([id, other.id].sort())
    expect(await q('kind=review')).toEqual([])
    expect((await q('status=published')).length).toBe(2)
  })

  it.each([
    'status=deleted',
    'kind=tweet',
    'sentiment=angry',
    'limit=0',
    'limit=101',
    'limit=abc',
    'cursor=not-a-cursor',
    'unanswered=maybe',
  ])('answers 400 for %s', async (query) => {
    const res = await api('GET', `/api/sites/${site.slug}/mentions?${query}`, undefined, site.key)
    expect(res.status).toBe(400)
    expect((await res.json<{ error: { code: string } }>()).error.code).toBe('invalid_input')
  })
})

describe('PATCH /api/mentions/{id}', () => {
  it('sets and moves the sentiment, keeping the counters right', async () => {
    const { id, target } = await newVoice()
    // A plain report: suggested neutral.
    expect(await stats(target)).toMatchObject({ published: 1, neutral: 1, negative: 0 })
    const res = await api('PATCH', `/api/mentions/${id}`, { sentiment: 'negative' }, site.key)
    expect(res.status).toBe(200)
    expect((await res.json<Voice>()).sentiment).toBe('negative')
    expect(await stats(target)).toMatchObject({ neutral: 0, negative: 1 })
    await api('PATCH', `/api/mentions/${id}`, { sentiment: 'positive' }, site.key)
    expect(await stats(target)).toMatchObject({ negative: 0, positive: 1, published: 1 })
    await api('PATCH', `/api/mentions/${id}`, { sentiment: null }, site.key)
    expect(await stats(target)).toMatchObject({ positive: 0, unclassified: 1 })
  })

  it('refuses bad values and unknown fields', async () => {
    const { id } = await newVoice()
    expect((await api('PATCH', `/api/mentions/${id}`, { sentiment: 'furious' }, site.key)).status).toBe(400)
    expect(
      (await api('PATCH', `/api/mentions/${id}`, { sentiment: 'positive', status: 'published' }, site.key)).status,
    ).toBe(400)
    expect((await api('PATCH', `/api/mentions/${id}`, {}, site.key)).status).toBe(400)
    expect((await api('PATCH', '/api/mentions/m_nope', { sentiment: 'positive' }, site.key)).status).toBe(404)
  })
})

describe('POST /api/mentions/{id}/responses', () => {
  it('adds staged responses with author and role, and counts the first one', async () => {
    const { id, target } = await newVoice()
    const apology = await api(
      'POST',
      `/api/mentions/${id}/responses`,
      {
        stage: 'apology',
        body: 'We are sorry.\nWe are fixing the seams.',
        author: { name: '山田', role: '店長' },
      },
      site.key,
    )
    expect(apology.status).toBe(201)
    expect(await apology.json()).toMatchObject({
      stage: 'apology',
      body: 'We are sorry.\nWe are fixing the seams.',
      author: { name: '山田', role: '店長' },
    })
    await api(
      'POST',
      `/api/mentions/${id}/responses`,
      { stage: 'resolution', body: 'Fixed from November.', author: { name: 'Aiko', role: '作り手' } },
      site.key,
    )

    const detail = await (await api('GET', `/api/mentions/${id}`, undefined, site.key)).json<Voice>()
    expect(detail.answered).toBe(true)
    expect(detail.responses.map((r) => r.stage)).toEqual(['apology', 'resolution'])
    expect(await stats(target)).toMatchObject({ responded: 1 })
  })

  it.each([
    ['a missing body', { stage: 'reply', author: { name: 'x' } }],
    ['an unknown stage', { stage: 'excuse', body: 'x', author: { name: 'x' } }],
    ['a missing author', { stage: 'reply', body: 'x' }],
    ['an empty body', { stage: 'reply', body: '   ', author: { name: 'x' } }],
    ['an oversize body', { stage: 'reply', body: 'x'.repeat(5001), author: { name: 'x' } }],
    ['a wrong type', { stage: 'reply', body: 42, author: { name: 'x' } }],
  ])('answers 400 for %s', async (_, body) => {
    const { id } = await newVoice()
    expect((await api('POST', `/api/mentions/${id}/responses`, body, site.key)).status).toBe(400)
  })

  it('refuses to answer a voice marked spam (409)', async () => {
    const { id } = await newVoice()
    await api('POST', `/api/mentions/${id}/moderation`, { action: 'spam', reason: 'casino links' }, site.key)
    const res = await api(
      'POST',
      `/api/mentions/${id}/responses`,
      { stage: 'reply', body: 'x', author: { name: 'x' } },
      site.key,
    )
    expect(res.status).toBe(409)
  })
})

describe('POST /api/mentions/{id}/moderation', () => {
  it('removes with a category and reason, logs it, and restores it', async () => {
    const { id, target } = await newVoice()
    const removed = await api(
      'POST',
      `/api/mentions/${id}/moderation`,
      {
        action: 'remove',
        category: 'personal_data',
        reason: 'Contains a phone number',
      },
      site.key,
    )
    expect(removed.status).toBe(200)
    expect((await removed.json<Voice>()).status).toBe('removed')
    expect(await stats(target)).toMatchObject({ published: 0, removed: 1 })

    const restored = await api(
      'POST',
      `/api/mentions/${id}/moderation`,
      { action: 'restore', reason: 'Author edited the post' },
      site.key,
    )
    expect((await restored.json<Voice>()).status).toBe('published')
    expect(await stats(target)).toMatchObject({ published: 1, removed: 1, restored: 1 })

    const detail = await (
      await api('GET', `/api/mentions/${id}`)
    ).json<{
      moderation: {
        action: string
        category: string
        reason: string
        actor: string
        from_status: string
        to_status: string
      }[]
    }>()
    expect(detail.moderation).toMatchObject([
      {
        action: 'remove',
        category: 'personal_data',
        reason: 'Contains a phone number',
        from_status: 'published',
        to_status: 'removed',
      },
      { action: 'restore', category: 'restore', from_status: 'removed', to_status: 'published' },
    ])
    expect(detail.moderation[0]!.actor).toMatch(/^key_/)
  })

  it('marks spam and counts it in the ledger', async () => {
    const { id, target } = await newVoice()
    const res = await api('POST', `/api/mentions/${id}/moderation`, { action: 'spam', reason: 'pills' }, site.key)
    expect((await res.json<Voice>()).status).toBe('spam')
    expect(await stats(target)).toMatchObject({ published: 0, spam: 1, unclassified: 0 })
  })

  it("keeps an answered voice's response figures consistent through removal and restore", async () => {
    const { id, target } = await newVoice()
    await api(
      'POST',
      `/api/mentions/${id}/responses`,
      { stage: 'reply', body: 'Thanks', author: { name: 'x' } },
      site.key,
    )
    expect(await stats(target)).toMatchObject({ published: 1, responded: 1 })
    await api(
      'POST',
      `/api/mentions/${id}/moderation`,
      { action: 'remove', category: 'duplicate', reason: 'posted twice' },
      site.key,
    )
    expect(await stats(target)).toMatchObject({ published: 0, responded: 0 })
    await api(
      'POST',
      `/api/mentions/${id}/moderation`,
      { action: 'restore', reason: 'not a duplicate after all' },
      site.key,
    )
    expect(await stats(target)).toMatchObject({ published: 1, responded: 1 })
  })

  it.each([
    ['remove without a category', { action: 'remove', reason: 'x' }],
    ['remove filed as spam', { action: 'remove', category: 'spam', reason: 'x' }],
    ['spam under another category', { action: 'spam', category: 'illegal', reason: 'x' }],
    ['a missing reason', { action: 'remove', category: 'illegal' }],
    ['an unknown action', { action: 'hide', category: 'illegal', reason: 'x' }],
  ])('answers 400 for %s', async (_, body) => {
    const { id } = await newVoice()
    expect((await api('POST', `/api/mentions/${id}/moderation`, body, site.key)).status).toBe(400)
  })

  it('answers 409 for a transition that makes no sense', async () => {
    const { id } = await newVoice()
    expect(
      (await api('POST', `/api/mentions/${id}/moderation`, { action: 'restore', reason: 'x' }, site.key)).status,
    ).toBe(409)
    await api('POST', `/api/mentions/${id}/moderation`, { action: 'spam', reason: 'x' }, site.key)
    expect(
      (await api('POST', `/api/mentions/${id}/moderation`, { action: 'spam', reason: 'again' }, site.key)).status,
    ).toBe(409)
  })

  it('counts once when two moderators act at the same moment', async () => {
    const { id, target } = await newVoice()
    const answers = await Promise.all([
      api('POST', `/api/mentions/${id}/moderation`, { action: 'spam', reason: 'a' }, site.key),
      api('POST', `/api/mentions/${id}/moderation`, { action: 'spam', reason: 'b' }, site.key),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409])
    expect(await stats(target)).toMatchObject({ published: 0, spam: 1 })
  })
})

describe('tenancy of voices', () => {
  it("another site's key can neither read nor change a voice", async () => {
    const { id } = await newVoice()
    const intruder = await createSite(PUBLISH_PINGS_AT_ONCE)
    const calls = [
      api('GET', `/api/mentions/${id}`, undefined, intruder.key),
      api('PATCH', `/api/mentions/${id}`, { sentiment: 'negative' }, intruder.key),
      api('POST', `/api/mentions/${id}/responses`, { stage: 'reply', body: 'x', author: { name: 'x' } }, intruder.key),
      api('POST', `/api/mentions/${id}/moderation`, { action: 'spam', reason: 'x' }, intruder.key),
    ]
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: { code: 'not_found', message: 'Mention not found' } })
    }
    const mine = await (await api('GET', `/api/mentions/${id}`, undefined, site.key)).json<Voice>()
    expect(mine).toMatchObject({ sentiment: 'neutral', sentiment_by: 'suggested', status: 'published', responses: [] })
  })
})
