/**
 * The voice page in words (no stored codes in its text, in English and Japanese), with the
 * source's site, a moderation form that removes nothing by default, and the responder's name and
 * role remembered for the next answer.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, get, post, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

let site: SiteFixture
let staff: Browser
let id: string

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  staff = await signIn(site.key)
  const target = (await createTarget(site)).id
  const url = await pingVoice(site, target, { title: 'The seams came apart' })
  id = (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id
  expect((await api('PATCH', `/api/mentions/${id}`, { sentiment: 'negative' }, site.key)).status).toBe(200)
})

const voicePage = async (lang: string, cookie = staff.cookie) =>
  (await get({ ...staff, cookie }, `/admin/mentions/${id}?lang=${lang}`)).text()

describe('/admin/mentions/{id} in words', () => {
  it('names the kind, state, sentiment, stage and moderation steps in words, in English and Japanese', async () => {
    expect(
      (
        await post(staff, `/admin/mentions/${id}/responses`, {
          _csrf: staff.csrf,
          stage: 'apology',
          body: 'We are sorry.',
          author_name: 'Aiko',
          author_role: '店長',
        })
      ).status,
    ).toBe(303)
    expect(
      (
        await post(staff, `/admin/mentions/${id}/moderation`, {
          _csrf: staff.csrf,
          action: 'spam',
          category: '',
          reason: 'Test step',
        })
      ).status,
    ).toBe(303)
    const en = await voicePage('en')
    expect(en).toContain('TrackBack · Spam · Negative')
    expect(en).toContain('<strong>Apology</strong>')
    expect(en).toContain('Marked as spam · Spam · Test step (Published → Spam)')
    expect(en).toContain('<option value="negative" selected="">Negative</option>')
    expect(en).not.toMatch(/>\s*(apology|negative|published)\s*</)
    const ja = await voicePage('ja')
    expect(ja).toContain('トラックバック · スパム · 否定的')
    expect(ja).toContain('<strong>お詫び</strong>')
    expect(ja).toContain('スパムに分類 · スパム · Test step（公開中 → スパム）')
    // Restored for the next tests.
    await post(staff, `/admin/mentions/${id}/moderation`, {
      _csrf: staff.csrf,
      action: 'restore',
      category: '',
      reason: 'Back',
    })
  })

  it('shows the site the voice came from', async () => {
    const host = (await env.DB.prepare('SELECT source_host FROM mentions WHERE id = ?')
      .bind(id)
      .first<{ source_host: string }>())!.source_host
    expect(await voicePage('en')).toContain(`(site: <strong>${host}</strong>)`)
  })

  it('starts the moderation form with nothing chosen, and refuses a step without an action', async () => {
    const html = await voicePage('en')
    expect(html).toMatch(/<select id="action" name="action" required=""><option value="" selected="">Choose…<\/option>/)
    const res = await post(staff, `/admin/mentions/${id}/moderation?lang=ja`, {
      _csrf: staff.csrf,
      action: '',
      category: '',
      reason: 'Enter pressed',
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('選択肢から選んでください')
    const status = await env.DB.prepare('SELECT status FROM mentions WHERE id = ?').bind(id).first<{ status: string }>()
    expect(status!.status).toBe('published')
  })

  it('remembers who answered last: the next response form starts with their name and role', async () => {
    const res = await post(staff, `/admin/mentions/${id}/responses`, {
      _csrf: staff.csrf,
      stage: 'resolution',
      body: 'We changed the stitching.',
      author_name: 'Kenji',
      author_role: '作り手',
    })
    expect(res.status).toBe(303)
    const remembered = res.headers.get('Set-Cookie')!
    expect(remembered).toMatch(/^glasshouse_responder=/)
    expect(remembered).toMatch(/Path=\/admin/)
    expect(remembered).toMatch(/HttpOnly/)
    const cookie = `${staff.cookie}; ${remembered.split(';')[0]!}`
    const html = await voicePage('en', cookie)
    expect(html).toContain('id="author_name" name="author_name" required="" maxlength="100" value="Kenji"')
    expect(html).toContain('value="作り手"')
    // Signing out forgets who answered.
    const out = await post({ ...staff, cookie }, '/admin/logout', { _csrf: staff.csrf })
    expect(out.headers.getSetCookie().some((c) => /^glasshouse_responder=;/.test(c))).toBe(true)
    staff = await signIn(site.key)
    // A cookie that is not ours is ignored.
    const forged = await voicePage('en', `${staff.cookie}; glasshouse_responder=%7Bnope`)
    expect(forged).toContain('id="author_name" name="author_name" required="" maxlength="100" value=""')
  })

  it('says the domain’s refusals and a missing voice in the page’s language', async () => {
    const restore = await post(staff, `/admin/mentions/${id}/moderation?lang=ja`, {
      _csrf: staff.csrf,
      action: 'restore',
      reason: '念のため',
    })
    expect(restore.status).toBe(409)
    expect(await restore.text()).toContain('復元できるのはスパムか削除済みの声だけです')
    const missing = await get(staff, '/admin/mentions/m_nosuchvoice?lang=ja')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('声が見つかりません')
    expect(await (await get(staff, '/admin/mentions/m_nosuchvoice?lang=en')).text()).toContain('Mention not found')
  })
})

describe('/admin/mentions/{id}: why the words suggested its sentiment', () => {
  it('quotes the phrases that decided and says why, in English and Japanese, escaped; a mixed voice says so', async () => {
    const target = (await createTarget(site)).id
    const excerpt = '<b>素材は良い</b>けど、問い合わせて5日、返信なし。言い方が高圧的でした'
    const url = await pingVoice(site, target, { title: '正直レビュー', excerpt })
    const voice = (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?')
      .bind(url)
      .first<{ id: string }>())!.id
    const page = async (lang: string) => (await get(staff, `/admin/mentions/${voice}?lang=${lang}`)).text()
    const en = await page('en')
    expect(en).toContain('Negative (suggested)')
    expect(en).toMatch(/Why it was suggested: .*<q><bdi>[^<]*返信なし<\/bdi><\/q> \(no answer\)/)
    expect(en).toContain('(the staff’s manner)')
    expect(en).toContain('praise and a complaint: waits with the complaints')
    expect(en).not.toContain('<b>素材')
    const ja = await page('ja')
    expect(ja).toMatch(/推定の理由：.*<q><bdi>[^<]*返信なし<\/bdi><\/q>（返事がない）/)
    expect(ja).toContain('（スタッフの態度）')
    // Once staff set the sentiment, it is theirs: no suggestion to explain.
    await api('PATCH', `/api/mentions/${voice}`, { sentiment: 'negative' }, site.key)
    expect(await page('en')).not.toContain('Why it was suggested')
  })
})
