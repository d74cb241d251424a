/**
 * Correcting and withdrawing an answer from the voice's page: the edit form carries the version
 * it shows, a stale edit is refused at the body with the current text in the box (and what was
 * typed in the message), the withdrawal needs its reason and a ticked box, both languages, and a
 * change done answers with a redirect to the page.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api } from '../helpers/http'
import { pingVoice, voiceIdOf } from '../helpers/voices'

let site: SiteFixture
let staff: Browser
let target: string

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  staff = await signIn(site.key)
  target = (await createTarget(site)).id
})

async function answeredVoice(body = 'We are sorry.') {
  const voice = await voiceIdOf(await pingVoice(site, target))
  const res = await api(
    'POST',
    `/api/mentions/${voice}/responses`,
    { stage: 'apology', body, author: { name: 'Aiko', role: '店長' } },
    site.key,
  )
  expect(res.status).toBe(201)
  return { voice, answer: (await res.json<{ id: string }>()).id }
}

const editFields = (version: string, body: string) => ({
  _csrf: staff.csrf,
  version,
  edit_stage: 'apology',
  edit_body: body,
  edit_author_name: 'Aiko',
  edit_author_role: '店長',
})

const stored = (id: string) =>
  env.DB.prepare('SELECT version, body, withdrawn_reason FROM responses WHERE id = ?')
    .bind(id)
    .first<{ version: number; body: string; withdrawn_reason: string | null }>()

describe('editing an answer on the voice page', () => {
  it('offers the form with the version it shows, saves a new version and lands on the page', async () => {
    const { voice, answer } = await answeredVoice()
    const page = await (await get(staff, `/admin/mentions/${voice}`)).text()
    expect(page).toContain('Edit this answer')
    expect(page).toContain(`action="/admin/mentions/${voice}/responses/${answer}/edit"`)
    expect(page).toContain('<input type="hidden" name="version" value="1"')
    expect(page).toContain(`id="edit_body_${answer}"`)

    const res = await post(staff, `/admin/mentions/${voice}/responses/${answer}/edit`, editFields('1', 'Sorry: fixed.'))
    const landed = await (await follow(staff, res)).text()
    expect(landed).toContain('The answer was corrected.')
    expect(landed).toContain('(version 2)')
    expect(landed).toContain('<input type="hidden" name="version" value="2"')
    expect(await stored(answer)).toMatchObject({ version: 2, body: 'Sorry: fixed.' })
  })

  it('refuses a stale edit at the body, with the current text in the box and what was typed kept in the message', async () => {
    const { voice, answer } = await answeredVoice()
    expect((await api('PATCH', `/api/responses/${answer}`, { version: 1, body: 'Ken’s fix.' }, site.key)).status).toBe(
      200,
    )
    const res = await post(staff, `/admin/mentions/${voice}/responses/${answer}/edit`, editFields('1', 'Aiko’s fix.'))
    expect(res.status).toBe(409)
    const html = await res.text()
    const box = new RegExp(
      `<textarea id="edit_body_${answer}"[^>]*aria-invalid="true"[^>]*aria-describedby="edit_body_${answer}_error"[^>]*>Ken’s fix.</textarea>`,
    )
    expect(html).toMatch(box)
    expect(html).toContain(`id="edit_body_${answer}_error"`)
    expect(html).toContain('it is now version 2')
    expect(html).toContain('“Aiko’s fix.”')
    expect(html).toContain('<input type="hidden" name="version" value="2"')
    expect(await stored(answer)).toMatchObject({ version: 2, body: 'Ken’s fix.' })
  })

  it('refuses an empty body at its field, keeps what was typed, and says so in Japanese', async () => {
    const { voice, answer } = await answeredVoice()
    const res = await post(staff, `/admin/mentions/${voice}/responses/${answer}/edit?lang=ja`, editFields('1', '   '))
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('入力内容を確認してください')
    expect(html).toMatch(new RegExp(`<textarea id="edit_body_${answer}"[^>]*aria-invalid="true"`))
    expect(html).toContain('この回答を編集')
    expect(await stored(answer)).toMatchObject({ version: 1 })
  })

  it('answers an answer of another voice as not found', async () => {
    const one = await answeredVoice()
    const other = await answeredVoice()
    const res = await post(staff, `/admin/mentions/${one.voice}/responses/${other.answer}/edit`, editFields('1', 'x'))
    expect(res.status).toBe(404)
    expect(await stored(other.answer)).toMatchObject({ version: 1 })
  })
})

describe('withdrawing an answer on the voice page', () => {
  it('needs a reason and the box ticked, refused at each field', async () => {
    const { voice, answer } = await answeredVoice()
    const res = await post(staff, `/admin/mentions/${voice}/responses/${answer}/withdraw`, {
      _csrf: staff.csrf,
      withdraw_reason: '',
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toMatch(new RegExp(`id="withdraw_reason_${answer}"[^>]*aria-invalid="true"`))
    expect(html).toMatch(
      new RegExp(`id="confirm_${answer}"[^>]*aria-invalid="true"[^>]*aria-describedby="confirm_${answer}_error"`),
    )
    expect(html).toContain('tick the box to confirm the withdrawal')
    expect(await stored(answer)).toMatchObject({ withdrawn_reason: null })
  })

  it('withdraws with a reason, shows the tombstone, and offers no more forms for it (in Japanese too)', async () => {
    const { voice, answer } = await answeredVoice('Rude words we regret.')
    const res = await post(staff, `/admin/mentions/${voice}/responses/${answer}/withdraw`, {
      _csrf: staff.csrf,
      withdraw_reason: 'Unkind; we apologise.',
      confirm: 'on',
    })
    const landed = await (await follow(staff, res)).text()
    expect(landed).toContain('The answer was withdrawn.')
    expect(landed).toMatch(/Withdrawn on .+: Unkind; we apologise\./)
    expect(landed).not.toContain('Rude words we regret.')
    expect(landed).not.toContain(`/responses/${answer}/edit"`)
    expect(landed).toContain('Answer withdrawn · Official answer · Unkind; we apologise.')
    const ja = await (await get(staff, `/admin/mentions/${voice}?lang=ja`)).text()
    expect(ja).toMatch(/に取り下げ：Unkind; we apologise\./)
    expect(ja).toContain('回答の取り下げ')
    // A second withdrawal from a page left open is refused on the page.
    const again = await post(staff, `/admin/mentions/${voice}/responses/${answer}/withdraw`, {
      _csrf: staff.csrf,
      withdraw_reason: 'Again',
      confirm: 'on',
    })
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('withdrawn')
  })
})
