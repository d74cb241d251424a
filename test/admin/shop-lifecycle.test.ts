import { describe, expect, it } from 'vitest'

import { createSite, createTarget, unique } from '../helpers/factories'
import { api, OPERATOR_TOKEN } from '../helpers/http'
import { follow, get, post, signIn } from '../helpers/admin'

describe('a new shop in the console', () => {
  it('proposes Asia/Tokyo and JPY for a Japanese shop and asks an English one for its zone, never UTC', async () => {
    const b = await signIn(OPERATOR_TOKEN)
    const ja = await (await get(b, '/admin/sites/new', { 'Accept-Language': 'ja' })).text()
    expect(ja).toMatch(/<option value="Asia\/Tokyo" selected/)
    expect(ja).toContain('value="JPY"')
    const en = await (await get(b, '/admin/sites/new?lang=en')).text()
    expect(en).not.toMatch(/<option value="[^"]*" selected="?"?>[A-Z][a-z]+\//)
    expect(en).not.toContain('value="JPY"')
  })

  it('refuses at the field, in the page’s language, with the API’s rules', async () => {
    const b = await signIn(OPERATOR_TOKEN)
    const slug = unique('new')
    const fields = { _csrf: b.csrf, name: 'A shop', slug, origins: 'https://a.example', lang: 'en', time_zone: '' }
    const noZone = await post(b, '/admin/sites/new?lang=en', fields)
    expect(noZone.status).toBe(400)
    const page = await noZone.text()
    expect(page).toMatch(/id="time_zone"[^>]*aria-invalid="true"[^>]*aria-describedby="time_zone_error/)
    expect(page).toContain('choose the shop’s time zone')

    const badSlug = await post(b, '/admin/sites/new?lang=ja', { ...fields, slug: 'Not A Slug', lang: 'ja' })
    expect(badSlug.status).toBe(400)
    const refused = await badSlug.text()
    expect(refused).toMatch(/id="slug"[^>]*aria-invalid="true"/)
    expect(refused).toContain('lang="ja"')

    const taken = await createSite()
    const conflict = await post(b, '/admin/sites/new', { ...fields, slug: taken.slug, time_zone: 'Europe/London' })
    expect(conflict.status).toBe(409)

    // The console's own address (/admin/sites/new) is never a shop's.
    const reserved = await post(b, '/admin/sites/new?lang=en', { ...fields, slug: 'new', time_zone: 'Europe/London' })
    expect(reserved.status).toBe(400)
    expect(await reserved.text()).toContain('a word the hub keeps for itself')
  })

  it('creates the shop, and its embed page shows its first key once and the snippet', async () => {
    const b = await signIn(OPERATOR_TOKEN)
    const slug = unique('new')
    const made = await post(b, '/admin/sites/new', {
      _csrf: b.csrf,
      name: '新しい店',
      slug,
      origins: 'https://new.example',
      lang: 'ja',
      time_zone: '',
      currency: '',
    })
    expect(made.status).toBe(303)
    expect(made.headers.get('Location')).toBe(`/admin/sites/${slug}/embed`)
    const landed = await (await follow(b, made)).text()
    const key = /<code>(gh_sk_[^<]+)<\/code>/.exec(landed)?.[1]
    expect(key).toBeDefined()
    expect(landed).toContain(`&lt;glasshouse-voices site=&quot;${slug}&quot;`)
    expect((await api('GET', `/api/sites/${slug}`, undefined, key)).status).toBe(200)
    const site = await (
      await api('GET', `/api/sites/${slug}`)
    ).json<{ settings: { time_zone: string; lang: string } }>()
    expect(site.settings).toMatchObject({ lang: 'ja', time_zone: 'Asia/Tokyo' })
    // Shown once: a reload has no key.
    expect(await (await get(b, `/admin/sites/${slug}/embed`)).text()).not.toContain('gh_sk_')
  })

  it('is the operator’s: a site key’s session cannot create a shop', async () => {
    const site = await createSite()
    const b = await signIn(site.key)
    expect((await get(b, '/admin/sites/new')).status).toBe(403)
  })
})

describe('the embed page', () => {
  it('gives the two lines for a chosen product, the real widget, and says when a storefront may not embed it', async () => {
    const site = await createSite({ embed_origins: ['https://elsewhere.example'] })
    const one = await createTarget(site, 'mug', 'A mug')
    await createTarget(site, 'cap', 'A cap')
    const b = await signIn(OPERATOR_TOKEN)
    const page = await (await get(b, `/admin/sites/${site.slug}/embed?target=${one.id}`)).text()
    expect(page).toContain(`target=&quot;mug&quot;&gt;&lt;/glasshouse-voices&gt;`)
    expect(page).toContain('<option value="mug" selected')
    expect(page).toContain(`<glasshouse-voices site="${site.slug}" target="mug"`)
    expect(page).toContain('<script type="module" src="/embed.js"')
    expect(page).toContain(`Your storefront ${site.origin} is not in the allowed origins`)
    expect(page).toContain(`/admin/sites/${site.slug}/settings#embed_origins`)

    const fine = await createSite()
    const ok = await (await get(b, `/admin/sites/${fine.slug}/embed`)).text()
    expect(ok).toContain('Every storefront origin may embed the widget')
  })
})

describe('deleting and restoring a shop in the console', () => {
  it('asks for the slug, lists the deleted shop with its state, and restores it', async () => {
    const site = await createSite()
    const b = await signIn(OPERATOR_TOKEN)
    const page = await (await get(b, `/admin/sites/${site.slug}/delete`)).text()
    expect(page).toContain('export')

    const wrong = await post(b, `/admin/sites/${site.slug}/delete`, { _csrf: b.csrf, confirm: 'nope' })
    expect(wrong.status).toBe(400)
    expect(await wrong.text()).toMatch(/id="confirm"[^>]*aria-invalid="true"/)
    expect((await api('GET', `/api/sites/${site.slug}/mentions`)).status).toBe(200)

    const done = await post(b, `/admin/sites/${site.slug}/delete`, { _csrf: b.csrf, confirm: site.slug })
    expect(done.status).toBe(303)
    const list = await (await follow(b, done)).text()
    expect(list).toContain('was deleted. It can be restored until')
    expect(list).toContain('deleted; restorable until')
    expect((await api('GET', `/api/sites/${site.slug}/mentions`)).status).toBe(410)

    const ja = await (await get(b, '/admin?lang=ja')).text()
    expect(ja).toContain('まで元に戻せます')

    const restored = await post(b, `/admin/sites/${site.slug}/restore`, { _csrf: b.csrf })
    expect(await (await follow(b, restored)).text()).toContain('was restored')
    expect((await api('GET', `/api/sites/${site.slug}/mentions`)).status).toBe(200)
  })

  it('is refused to a site key', async () => {
    const site = await createSite()
    const b = await signIn(site.key)
    expect((await post(b, `/admin/sites/${site.slug}/delete`, { _csrf: b.csrf, confirm: site.slug })).status).toBe(403)
  })
})
