/**
 * Correcting an official answer through the operator API: a new version with the old one kept and
 * readable on the answer's public page, optimistic concurrency on the version (a stale edit refused
 * with the current answer; of two at once exactly one wins), the stage order, the refusals, and a
 * first-answer time an edit never resets.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { type Answer, answer, edit, newVoice, openShop, ownShop, shop, trust, withdraw } from '../helpers/corrections'
import { createSite, createTarget } from '../helpers/factories'
import { api, call, callAt, HOUR } from '../helpers/http'

beforeAll(openShop)

describe('PATCH /api/responses/{id}', () => {
  it('makes a new version, keeps the old one readable on the public page, and says "edited"', async () => {
    const voice = await newVoice()
    const first = await answer(voice)
    const res = await edit(first.id, { version: 1, body: 'We are sorry: a new seal and a refund are on their way.' })
    expect(res.status, await res.clone().text()).toBe(200)
    const edited = await res.json<Answer>()
    expect(edited).toMatchObject({
      id: first.id,
      version: 2,
      body: 'We are sorry: a new seal and a refund are on their way.',
      created_at: first.created_at,
      withdrawn: null,
    })
    expect(edited.edited_at).not.toBeNull()

    const page = await call(`/responses/${first.id}`)
    expect(page.status).toBe(200)
    const text = await page.text()
    expect(text).toContain('a refund are on their way')
    expect(text).toContain('edited')
    expect(text).toContain('class="dt-updated"')
    expect(text).toContain('Earlier versions')
    expect(text).toContain('Version 1')
    expect(text).toContain('We are sorry: a new seal is on its way.')

    // The operator's voice detail and the public feed say the same.
    const detail = await (
      await api('GET', `/api/mentions/${voice}`, undefined, shop.site.key)
    ).json<{ responses: Answer[] }>()
    expect(detail.responses[0]).toMatchObject({ version: 2, withdrawn: null })
    const feed = await (
      await call(`/feeds/${shop.site.slug}.json?target=${shop.target}`)
    ).json<{ items: { id: string; _glasshouse: { responses: Record<string, unknown>[] } }[] }>()
    const shown = feed.items.find((i) => i.id === voice)!._glasshouse.responses[0]!
    expect(shown).toMatchObject({ version: 2, date_modified: edited.edited_at, withdrawn: null })
  })

  it('speaks the shop’s language and time zone on the page: edited, the earlier versions, the tombstone', async () => {
    const ja = await createSite({ settings: { lang: 'ja', verify_links: false } })
    const t = (await createTarget(ja)).id
    const voice = await newVoice(ja, t)
    const first = await answer(voice, 'apology', '申し訳ありません。', ja)
    // Edited at 20:00 UTC on 31 January: 1 February in Tokyo.
    const at = Date.UTC(2026, 0, 31, 20)
    const res = await callAt(at)(`/api/responses/${first.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${ja.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ version: 1, body: '申し訳ありません。交換品をお送りしました。' }),
    })
    expect(res.status).toBe(200)
    const page = await (await call(`/responses/${first.id}`)).text()
    expect(page).toContain('<html lang="ja">')
    expect(page).toContain('編集済み')
    expect(page).toContain('2026/02/01')
    expect(page).toContain('以前の版')
    expect(page).toContain('第1版')
    expect((await withdraw(first.id, { reason: '誤って投稿しました' }, ja.key)).status).toBe(200)
    const gone = await call(`/responses/${first.id}`)
    expect(gone.status).toBe(410)
    expect(await gone.text()).toMatch(/にこの回答を取り下げました。理由：<span[^>]*>誤って投稿しました<\/span>/)
  })

  it('escapes every earlier version on the page', async () => {
    const first = await answer(await newVoice(), 'reply', '<script>alert(1)</script> thanks')
    expect((await edit(first.id, { version: 1, body: 'Thanks!' })).status).toBe(200)
    const text = await (await call(`/responses/${first.id}`)).text()
    expect(text).not.toContain('<script>alert')
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; thanks')
  })

  it('refuses a stale version with the current answer, so the second editor loses nothing', async () => {
    const first = await answer(await newVoice())
    expect((await edit(first.id, { version: 1, body: 'First correction.' })).status).toBe(200)
    const stale = await edit(first.id, { version: 1, body: 'Second correction.' })
    expect(stale.status).toBe(409)
    const refusal = await stale.json<{ error: { code: string; message: string }; current: Answer }>()
    expect(refusal.error.code).toBe('conflict')
    expect(refusal.error.message).toContain('version 2')
    expect(refusal.current).toMatchObject({ version: 2, body: 'First correction.' })
  })

  it('lets exactly one of two edits made on the same version win', async () => {
    const first = await answer(await newVoice())
    const results = await Promise.all([
      edit(first.id, { version: 1, body: 'Aiko’s correction.' }),
      edit(first.id, { version: 1, body: 'Ken’s correction.' }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    const lost = results.find((r) => r.status === 409)!
    const { current } = await lost.json<{ current: Answer }>()
    const won = await results.find((r) => r.status === 200)!.json<Answer>()
    expect(current).toMatchObject({ version: 2, body: won.body })
    const versions = await env.DB.prepare('SELECT count(*) AS n FROM response_revisions WHERE response_id = ?')
      .bind(first.id)
      .first<{ n: number }>()
    expect(versions!.n).toBe(1)
  })

  it('makes no version of an edit that changes nothing', async () => {
    const first = await answer(await newVoice())
    const res = await edit(first.id, { version: 1, body: first.body, author: { name: 'Aiko' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ version: 1, edited_at: null })
    expect((await call(`/responses/${first.id}`)).status).toBe(200)
  })

  it('refuses missing and wrong fields, oversize bodies, and unknown or other shops’ answers', async () => {
    const first = await answer(await newVoice())
    expect((await edit(first.id, { body: 'No version' })).status).toBe(400)
    expect((await edit(first.id, { version: '1', body: 'x' })).status).toBe(400)
    expect((await edit(first.id, { version: 1.5, body: 'x' })).status).toBe(400)
    expect((await edit(first.id, { version: 1, body: '' })).status).toBe(400)
    expect((await edit(first.id, { version: 1, stage: 'refund' })).status).toBe(400)
    expect((await edit(first.id, { version: 1, author: { role: 'x' } })).status).toBe(400)
    expect((await edit(first.id, { version: 1, extra: true })).status).toBe(400)
    expect((await edit(first.id, { version: 1, body: 'x'.repeat(5001) })).status).toBe(400)
    expect((await edit(first.id, { version: 1, body: 'x'.repeat(70_000) })).status).toBe(413)
    const notJson = await call(`/api/responses/${first.id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${shop.site.key}`, 'Content-Type': 'application/json' },
      body: '{"version":',
    })
    expect(notJson.status).toBe(400)
    expect((await edit('r_doesnotexist', { version: 1, body: 'x' })).status).toBe(404)
    expect((await edit(first.id, { version: 1, body: 'x' }, null)).status).toBe(401)
    // Another shop's key does not reach this shop's answer, for editing or withdrawing.
    const other = await createSite()
    expect((await edit(first.id, { version: 1, body: 'x' }, other.key)).status).toBe(404)
    expect((await withdraw(first.id, { reason: 'x' }, other.key)).status).toBe(404)
    // Nothing changed.
    const row = await env.DB.prepare('SELECT version, body FROM responses WHERE id = ?')
      .bind(first.id)
      .first<{ version: number; body: string }>()
    expect(row).toEqual({ version: 1, body: first.body })
  })

  it('changes a stage only where stages keep their order', async () => {
    const voice = await newVoice()
    const apology = await answer(voice, 'apology')
    const report = await answer(voice, 'resolution', 'We changed the seal supplier.')
    const reply = await answer(voice, 'reply', 'One more thing.')
    // An apology given after the resolution report would break reply → apology → resolution.
    const refused = await edit(reply.id, { version: 1, stage: 'apology' })
    expect(refused.status).toBe(409)
    expect((await refused.json<{ error: { message: string } }>()).error.message).toMatch(/^stage: /)
    // The apology may become the report (no apology then comes after one).
    expect((await edit(apology.id, { version: 1, stage: 'resolution' })).status).toBe(200)
    expect((await edit(report.id, { version: 1, stage: 'reply' })).status).toBe(200)
    const figures = await env.DB.prepare(
      'SELECT apologized_at, resolved_at, first_response_at FROM mentions WHERE id = ?',
    )
      .bind(voice)
      .first<{ apologized_at: number | null; resolved_at: number | null; first_response_at: number }>()
    // The apology became a report when it was edited: the voice counts as resolved from then, not from the apology.
    expect(figures?.apologized_at).toBeNull()
    expect(figures?.resolved_at).toBeGreaterThanOrEqual(Date.parse(reply.created_at))
    expect(figures?.first_response_at).toBe(Date.parse(apology.created_at))
  })

  it('lets staff change a stage on a voice whose answers were added out of order, as long as the edit breaks nothing more', async () => {
    const voice = await newVoice()
    await answer(voice, 'resolution', 'Fixed.')
    await answer(voice, 'apology', 'Sorry, we should have said so first.')
    const reply = await answer(voice, 'reply', 'Thanks again.')
    expect((await edit(reply.id, { version: 1, stage: 'resolution' })).status).toBe(200)
  })

  it('keeps the first-answer time of an edited answer', async () => {
    const { s, t } = await ownShop()
    // A complaint of 30 hours ago answered at once, then corrected now: still answered within the target.
    const at = Date.now() - 30 * HOUR
    const voice = await newVoice(s, t, 'negative', callAt(at))
    const res = await callAt(at + HOUR)(`/api/mentions/${voice}/responses`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ stage: 'apology', body: 'Sorry.', author: { name: 'Aiko' } }),
    })
    const first = await res.json<Answer>()
    const before = await trust(s)
    expect(before.answered_within_target.share).toBe(1)
    expect((await edit(first.id, { version: 1, body: 'We are sorry.' }, s.key)).status).toBe(200)
    expect(await trust(s)).toEqual(before)
    const row = await env.DB.prepare('SELECT first_response_at FROM mentions WHERE id = ?')
      .bind(voice)
      .first<{ first_response_at: number }>()
    expect(row!.first_response_at).toBe(at + HOUR)
  })
})
