/**
 * The console's offer to take a shop's data out: on the settings page (a site key's session too)
 * and on the delete page, a button that starts an export and lands back on the page, which shows
 * the export's state and, once the real export queue has written it, its files' links.
 */
import { describe, expect, it } from 'vitest'

import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE } from '../helpers/factories'
import { api, call, OPERATOR_TOKEN } from '../helpers/http'
import { get, post, signIn } from '../helpers/admin'
import { pingVoice } from '../helpers/voices'

/** The page, read again until `done` says it shows what the test waits for (the queue works in the background). */
async function pageUntil(read: () => Promise<string>, done: (page: string) => boolean) {
  let page = ''
  for (let i = 0; i < 100; i++) {
    page = await read()
    if (done(page)) return page
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return page
}

describe('the console’s export', () => {
  it('is offered on the delete page, started by its button, and shows the files’ links once done', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    await pingVoice(site, (await createTarget(site)).id)
    const b = await signIn(OPERATOR_TOKEN)
    const path = `/admin/sites/${site.slug}/delete`
    const before = await (await get(b, `${path}?lang=en`)).text()
    expect(before).toContain('Download the shop’s data')
    expect(before).not.toContain('not available yet')
    expect(before).toContain(`action="/admin/sites/${site.slug}/exports"`)

    const started = await post(b, `/admin/sites/${site.slug}/exports`, { _csrf: b.csrf, back: 'delete' })
    expect(started.status).toBe(303)
    expect(started.headers.get('Location')).toBe(`${path}#export_heading`)

    const page = await pageUntil(
      async () => (await get(b, path)).text(),
      (p) => p.includes('is ready'),
    )
    expect(page).toContain('is ready')
    const link = /<a href="(http:\/\/hub\.test\/exports\/[^"]+voices\.jsonl[^"]*)"/.exec(page)?.[1]
    expect(link).toBeDefined()
    const url = new URL(link!.replace(/&amp;/g, '&'))
    const file = await call(url.pathname + url.search)
    expect(file.status).toBe(200)
    expect(await file.text()).toContain('"kind":"trackback"')
    // Done, the button is offered again.
    expect(page).toContain(`action="/admin/sites/${site.slug}/exports"`)
  })

  it('is on the settings page for the shop’s own key, in Japanese too, and refuses a form without its token', async () => {
    const site = await createSite()
    const b = await signIn(site.key)
    const path = `/admin/sites/${site.slug}/settings`
    const ja = await (await get(b, `${path}?lang=ja`)).text()
    expect(ja).toContain('ショップのデータをダウンロード')
    expect((await post(b, `/admin/sites/${site.slug}/exports`, { back: 'settings' })).status).toBe(403)
    const started = await post(b, `/admin/sites/${site.slug}/exports`, { _csrf: b.csrf, back: 'settings' })
    expect(started.status).toBe(303)
    expect(started.headers.get('Location')).toBe(`${path}#export_heading`)
    const page = await pageUntil(
      async () => (await get(b, `${path}?lang=ja`)).text(),
      (p) => p.includes('書き出しができました'),
    )
    expect(page).toContain('manifest.json')
    // Another shop's page is not this key's.
    const other = await createSite()
    expect((await post(b, `/admin/sites/${other.slug}/exports`, { _csrf: b.csrf, back: 'settings' })).status).toBe(404)
  })

  it('is offered for a deleted shop while it can be restored, on the list of sites', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    await pingVoice(site, (await createTarget(site)).id)
    expect((await api('DELETE', `/api/sites/${site.slug}`)).status).toBe(200)
    const b = await signIn(OPERATOR_TOKEN)
    const list = await (await get(b, '/admin?lang=en')).text()
    expect(list).toContain(`aria-label="Download the shop’s data: Shop ${site.slug}"`)
    const started = await post(b, `/admin/sites/${site.slug}/exports`, { _csrf: b.csrf, back: 'sites' })
    expect(started.status).toBe(303)
    expect(started.headers.get('Location')).toBe('/admin')
    const page = await pageUntil(
      async () => (await get(b, '/admin?lang=en')).text(),
      (p) => p.includes(`/exports/`) && p.includes('is ready'),
    )
    expect(page).toMatch(/<a href="http:\/\/hub\.test\/exports\/exp_[^"]+\/voices\.jsonl/)
  })
})
