/**
 * One response on several voices from the inbox: once anything was published the answer is a
 * redirect (303) back to the inbox as it was filtered, so a reload publishes nothing twice; a
 * voice that could not be answered (it changed meanwhile) is named with why, in the page's
 * language, and the response stays in the form to answer it again.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, signIn } from '../helpers/admin'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture } from '../helpers/factories'
import { api, call, HUB } from '../helpers/http'
import { pingVoice } from '../helpers/voices'

let site: SiteFixture
let target: string
let staff: Browser

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  target = (await createTarget(site)).id
  staff = await signIn(site.key)
})

async function voice(title: string) {
  const url = await pingVoice(site, target, { title })
  return (await env.DB.prepare('SELECT id FROM mentions WHERE source_url = ?').bind(url).first<{ id: string }>())!.id
}

const responsesOf = async (id: string) =>
  (await (await api('GET', `/api/mentions/${id}`, undefined, site.key)).json<{ responses: { body: string }[] }>())
    .responses

/** The inbox's "answer several" form sent with `ids` ticked, from the inbox filtered by `query`. */
function answer(ids: readonly string[], query: string, body: string) {
  const fields = new URLSearchParams({ _csrf: staff.csrf, stage: 'resolution', body, author_name: 'Aiko' })
  for (const id of ids) fields.append('ids', id)
  return call(`/admin/sites/${site.slug}/responses${query}`, {
    method: 'POST',
    headers: { Cookie: staff.cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: HUB },
    body: fields.toString(),
    redirect: 'manual',
  })
}

/** `act` while answering `first` turns `second` into spam: a voice that changes while several are answered. */
async function racing<T>(first: string, second: string, act: () => Promise<T>): Promise<T> {
  await env.DB.prepare(
    `CREATE TRIGGER answer_many_race AFTER INSERT ON responses WHEN NEW.mention_id = '${first}'
     BEGIN UPDATE mentions SET status = 'spam' WHERE id = '${second}'; END`,
  ).run()
  try {
    return await act()
  } finally {
    await env.DB.prepare('DROP TRIGGER answer_many_race').run()
  }
}

describe('answering several voices at once', () => {
  it('comes back to the inbox as it was filtered, whose form carries the filters', async () => {
    const id = await voice('Loose stitching')
    const query = `?kind=trackback&target=${target}`
    const inbox = await (await get(staff, `/admin/sites/${site.slug}${query}&lang=en`)).text()
    expect(inbox).toContain(`action="/admin/sites/${site.slug}/responses?kind=trackback&amp;target=${target}"`)
    const res = await answer([id], query, 'We changed the stitching.')
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe(`/admin/sites/${site.slug}${query}`)
    const page = await (await follow(staff, res, 'lang=en')).text()
    expect(page).toContain('Published on 1 voice.')
    expect(page).toContain(`<option value="${target}" selected="">`)
  })

  for (const [lang, says] of [
    ['en', (id: string) => `Not published on 1 voice (${id}: A spam voice cannot be answered; restore it first).`],
    ['ja', (id: string) => `1件の声には公開できませんでした（${id}: この声は公開されていないため回答できません。`],
  ] as const) {
    it(`redirects after answering some when another could not be, saying which and why (${lang})`, async () => {
      const [first, second] = [await voice('Stitching 1'), await voice('Stitching 2')]
      const query = '?kind=trackback&sentiment=unclassified'
      const res = await racing(first, second, () => answer([first, second], query, 'We changed the stitching (2).'))
      expect(res.status).toBe(303)
      expect(res.headers.get('Location')).toBe(`/admin/sites/${site.slug}${query}`)
      expect(await responsesOf(first)).toEqual([expect.objectContaining({ body: 'We changed the stitching (2).' })])
      expect(await responsesOf(second)).toEqual([])

      const page = await (await follow(staff, res, `lang=${lang}`)).text()
      expect(page).toContain('role="alert"')
      expect(page).toContain(lang === 'en' ? 'Published on 1 voice.' : '1件の声に公開しました。')
      expect(page).toContain(says(second))
      // The response as typed, to answer the one left again.
      expect(page).toMatch(/<textarea id="body" name="body"[^>]*>We changed the stitching \(2\)\.<\/textarea>/)
      // A reload shows the inbox, publishes nothing and says nothing again.
      const reload = await (await follow(staff, res, `lang=${lang}`)).text()
      expect(reload).not.toContain('role="alert"')
      expect(await responsesOf(first)).toHaveLength(1)
    })
  }

  it('refuses in place, with what was typed, when a ticked voice cannot be answered before anything is written', async () => {
    const [first, second] = [await voice('Stitching 3'), await voice('Stitching 4')]
    await env.DB.prepare(`UPDATE mentions SET status = 'spam' WHERE id = ?`).bind(second).run()
    // Refused before anything is written: the page itself, with what was typed, nothing done.
    const refused = await answer([first, second], '', 'Fixed.')
    expect(refused.status).toBe(409)
    expect(await refused.text()).toMatch(/>Fixed\.<\/textarea>/)
    expect(await responsesOf(first)).toEqual([])
  })
})
