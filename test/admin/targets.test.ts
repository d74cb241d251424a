/**
 * A site's targets in the web UI (/admin/sites/{site}/targets): listed with their voices, renamed,
 * an automatic one merged into a registered one, an unused one deleted — through the API's rules,
 * never across sites, never without the session's CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api } from '../helpers/http'
import { sendWebmention, settled } from '../helpers/linkbacks'
import { pingVoice } from '../helpers/voices'

type Target = { id: string; title: string; kind: string; automatic: boolean }

const targetsOf = async (s: SiteFixture) =>
  (await (await api('GET', `/api/sites/${s.slug}/targets?limit=100`, undefined, s.key)).json<{ items: Target[] }>())
    .items

/** A published voice about a page nobody registered: the hub makes an automatic target for it. */
async function automaticTarget(s: SiteFixture) {
  const page = `${s.origin}/blog/${unique('story')}`
  const source = `https://${unique('blog')}.example/post`
  await servePage(source, { body: html(`<p>About <a href="${page}">this</a>.</p>`) })
  const sent = await sendWebmention(s.slug, { source, target: page })
  expect((await settled(sent.headers.get('Location')!)).status).toBe('verified')
  return (await targetsOf(s)).find((t) => t.automatic)!
}

let site: SiteFixture
let other: SiteFixture
let staff: Browser
let kettle: string

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  other = await createSite()
  staff = await signIn(site.key)
  kettle = (await createTarget(site, unique('kettle'), 'Kettle')).id
  await pingVoice(site, kettle)
})

const page = (query = '', lang = 'en') => get(staff, `/admin/sites/${site.slug}/targets?lang=${lang}${query}`)

describe('/admin/sites/{site}/targets', () => {
  it('lists the targets with their voices, in English and Japanese, linked from the inbox', async () => {
    const res = await page()
    expect(res.status).toBe(200)
    const en = await res.text()
    expect(en).toContain('<strong>Kettle</strong>')
    expect(en).toContain('Voices: 1 (of them negative: 0)')
    expect(en).toContain('<option value="product" selected="">Product</option>')
    const ja = await (await page('', 'ja')).text()
    expect(ja).toContain('声：1（うち否定的：0）')
    expect(ja).toContain('>商品</option>')
    expect(await (await get(staff, `/admin/sites/${site.slug}`)).text()).toContain(
      `href="/admin/sites/${site.slug}/targets"`,
    )
  })

  it('renames a target and changes its kind; refuses an empty title or an unknown kind, saying which', async () => {
    const saved = await post(staff, `/admin/sites/${site.slug}/targets/${kettle}?lang=en`, {
      _csrf: staff.csrf,
      title: 'Iron kettle',
      kind: 'post',
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('Location')).toBe(`/admin/sites/${site.slug}/targets`)
    expect(await (await follow(staff, saved, 'lang=en')).text()).toContain('Saved.')
    expect((await targetsOf(site)).find((t) => t.id === kettle)).toMatchObject({ title: 'Iron kettle', kind: 'post' })

    const refused = await post(staff, `/admin/sites/${site.slug}/targets/${kettle}?lang=ja`, {
      _csrf: staff.csrf,
      title: ' ',
      kind: 'teapot',
    })
    expect(refused.status).toBe(400)
    const text = await refused.text()
    expect(text).toContain('タイトル</a>: 入力してください')
    expect(text).toContain('種類</a>: 選択肢から選んでください')
    expect((await targetsOf(site)).find((t) => t.id === kettle)!.title).toBe('Iron kettle')
  })

  it('merges a target the hub made into a registered one, and refuses to merge a registered one', async () => {
    const auto = await automaticTarget(site)
    const list = await (await page()).text()
    expect(list).toContain(`action="/admin/sites/${site.slug}/targets/${auto.id}/merge"`)
    const merged = await post(staff, `/admin/sites/${site.slug}/targets/${auto.id}/merge?lang=en`, {
      _csrf: staff.csrf,
      into: kettle,
    })
    expect(merged.status).toBe(303)
    expect(await (await follow(staff, merged, 'lang=en')).text()).toContain('Merged: 1 voice moved.')
    expect((await targetsOf(site)).map((t) => t.id)).not.toContain(auto.id)

    const other = (await createTarget(site, unique('cup'), 'Cup')).id
    const refused = await post(staff, `/admin/sites/${site.slug}/targets/${kettle}/merge?lang=en`, {
      _csrf: staff.csrf,
      into: other,
    })
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('Only an automatic target can be merged')
    // The domain's refusals speak the page's language too.
    const inJapanese = await post(staff, `/admin/sites/${site.slug}/targets/${kettle}/merge?lang=ja`, {
      _csrf: staff.csrf,
      into: other,
    })
    expect(inJapanese.status).toBe(409)
    expect(await inJapanese.text()).toContain('統合できるのはハブが作った対象ページだけです')
  })

  it('deletes a target nothing uses, and says why not for one in use', async () => {
    const unused = (await createTarget(site, unique('spoon'), 'Spoon')).id
    const deleted = await post(staff, `/admin/sites/${site.slug}/targets/${unused}/delete?lang=en`, {
      _csrf: staff.csrf,
    })
    expect(deleted.status).toBe(303)
    expect(await (await follow(staff, deleted, 'lang=en')).text()).toContain('The target was deleted.')
    const inUse = await post(staff, `/admin/sites/${site.slug}/targets/${kettle}/delete?lang=en`, {
      _csrf: staff.csrf,
    })
    expect(inUse.status).toBe(409)
    expect(await inUse.text()).toContain('This target is in use')
    const inUseJa = await post(staff, `/admin/sites/${site.slug}/targets/${kettle}/delete?lang=ja`, {
      _csrf: staff.csrf,
    })
    expect(await inUseJa.text()).toContain('この対象ページは使われています（声')
    expect((await targetsOf(site)).map((t) => t.id)).toContain(kettle)
  })

  it('never reaches another site’s targets, and needs the CSRF token', async () => {
    const theirs = (await createTarget(other, unique('bowl'), 'Bowl')).id
    expect((await get(staff, `/admin/sites/${other.slug}/targets`)).status).toBe(404)
    const viaMySite = await post(staff, `/admin/sites/${site.slug}/targets/${theirs}?lang=en`, {
      _csrf: staff.csrf,
      title: 'Mine now',
      kind: 'product',
    })
    expect(viaMySite.status).toBe(404)
    const direct = await post(staff, `/admin/sites/${other.slug}/targets/${theirs}/delete`, { _csrf: staff.csrf })
    expect(direct.status).toBe(404)
    expect((await targetsOf(other)).find((t) => t.id === theirs)!.title).toBe('Bowl')

    const forged = await post(staff, `/admin/sites/${site.slug}/targets/${kettle}`, {
      title: 'Forged',
      kind: 'product',
    })
    expect(forged.status).toBe(403)
    expect((await targetsOf(site)).find((t) => t.id === kettle)!.title).not.toBe('Forged')
  })

  it('keeps a later page of the list: its forms carry it, a refusal shows it as typed, a change comes back to it', async () => {
    const shop = await createSite(PUBLISH_PINGS_AT_ONCE)
    const owner = await signIn(shop.key)
    // 50 a page: the 51st target by id is on the second page.
    for (let i = 0; i <= 50; i++) await createTarget(shop, `t-${String(i).padStart(3, '0')}`, `Target ${i}`)
    const list = `/admin/sites/${shop.slug}/targets`
    const first = await (await get(owner, `${list}?lang=en`)).text()
    const cursor = new RegExp(`href="${list}\\?cursor=([^"]+)"`).exec(first)![1]!
    const second = await (await get(owner, `${list}?cursor=${cursor}&lang=en`)).text()
    expect(second).toContain('<strong>Target 50</strong>')
    expect(second).toContain(`action="${list}/t-050?cursor=${cursor}"`)
    expect(second).toContain(`action="${list}/t-050/delete?cursor=${cursor}"`)

    const refused = await post(owner, `${list}/t-050?cursor=${cursor}&lang=en`, {
      _csrf: owner.csrf,
      title: 'Cast-iron teapot',
      kind: 'teapot',
    })
    expect(refused.status).toBe(400)
    const again = await refused.text()
    expect(again).toContain('<strong>Target 50</strong>')
    expect(again).not.toContain('<strong>Target 0</strong>')
    expect(again).toMatch(/<input id="title_t-050" name="title"[^>]* value="Cast-iron teapot"/)

    // A refused merge (a registered target cannot be merged) shows the same page too.
    const merge = await post(owner, `${list}/t-050/merge?cursor=${cursor}&lang=en`, {
      _csrf: owner.csrf,
      into: 't-000',
    })
    expect(merge.status).toBe(409)
    const merged = await merge.text()
    expect(merged).toContain('Only an automatic target can be merged')
    expect(merged).toContain('<strong>Target 50</strong>')
    expect(merged).not.toContain('<strong>Target 0</strong>')

    const saved = await post(owner, `${list}/t-050?cursor=${cursor}&lang=en`, {
      _csrf: owner.csrf,
      title: 'Cast-iron teapot',
      kind: 'product',
    })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('Location')).toBe(`${list}?cursor=${cursor}`)
    const landed = await (await follow(owner, saved, 'lang=en')).text()
    expect(landed).toContain('Saved.')
    expect(landed).toContain('<strong>Cast-iron teapot</strong>')
  })

  it('refuses a page link it did not issue', async () => {
    expect((await page('&cursor=not-a-cursor')).status).toBe(400)
  })
})
