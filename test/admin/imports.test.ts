/**
 * Bringing history in from the console (/admin/sites/{site}/imports): the form sent as a browser
 * sends it (multipart/form-data with the file), answered with a redirect to the import's report;
 * the report read a page and an outcome at a time, in English and Japanese; every refusal said at
 * its field; never another shop's imports, never without the CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { type Browser, follow, get, post, signIn } from '../helpers/admin'
import { createSite, type SiteFixture } from '../helpers/factories'
import { callAt, HUB, OPERATOR_TOKEN, testClock } from '../helpers/http'
import { drainImport, readImport, startImport } from '../helpers/imports'
import { keepingQueue } from '../helpers/outbox'
import realExport from '../fixtures/imports/wordpress-6.1-export.xml?raw'

const clock = testClock()

/** The real export, its shop's addresses swapped for the test shop's (and the other shop's). */
const exportFor = (site: SiteFixture, other: SiteFixture) =>
  realExport.replaceAll('https://shop.example', site.origin).replaceAll('https://othershop.example', other.origin)

type Upload = { name: string; bytes: string | Uint8Array; type?: string }

/** The import form as a browser sends it: multipart/form-data, the file as a part of its own. */
async function send(b: Browser, slug: string, fields: Record<string, string>, file?: Upload, lang = 'en') {
  const queue = keepingQueue()
  const form = new FormData()
  form.set('_csrf', b.csrf)
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  if (file) form.set('file', new File([file.bytes], file.name, { type: file.type ?? 'text/xml' }))
  const res = await callAt(clock, { IMPORT_QUEUE: queue.queue })(`/admin/sites/${slug}/imports?lang=${lang}`, {
    method: 'POST',
    headers: { Cookie: b.cookie, Origin: HUB },
    body: form,
    redirect: 'manual',
  })
  return { res, queue }
}

let site: SiteFixture
let other: SiteFixture
let staff: Browser

beforeAll(async () => {
  site = await createSite()
  other = await createSite()
  staff = await signIn(site.key)
})

const page = (path = '', lang = 'en') =>
  get(staff, `/admin/sites/${site.slug}/imports${path}`, { 'Accept-Language': lang })

/** The control of a field, as the page draws it (its attributes in order). */
const control = (html: string, id: string) => new RegExp(`<(input|textarea)[^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? ''

describe('/admin/sites/{site}/imports', () => {
  it('offers the form in English and Japanese, linked from the shop’s page, with the upload’s cap and the API for larger files', async () => {
    const en = await (await page('?lang=en')).text()
    expect(en).toContain('<h1>Bring history in: ')
    expect(en).toContain('enctype="multipart/form-data"')
    for (const format of ['wordpress', 'movable_type', 'webmention_io', 'reviews_csv', 'orders_csv'])
      expect(en).toContain(`value="${format}"`)
    expect(en).toContain('Movable Type export: the trackbacks and comments of an old blog')
    expect(control(en, 'file')).toContain('type="file"')
    expect(control(en, 'file')).toContain('aria-describedby="file_help"')
    expect(en).toContain('At most 25 MB here.')
    expect(en).toContain('href="/docs#put_api_sites_site_imports_id_file"')
    expect(en).toContain('The shop’s public ledger records that you chose this.')
    expect(control(en, 'trust')).toContain('aria-describedby="trust_help"')
    expect(en).toContain('No imports yet.')
    const ja = await (await page('?lang=ja')).text()
    expect(ja).toContain('<h1>過去の声の取り込み：')
    expect(ja).toContain('ここでは25 MBまでです。')
    expect(ja).toContain('ショップの公開台帳に記録されます')
    expect(await (await get(staff, `/admin/sites/${site.slug}?lang=en`)).text()).toContain(
      `<a href="/admin/sites/${site.slug}/imports">Bring history in</a>`,
    )
    // The docs link works: the API reference has the upload.
    const docs = await (await get(staff, '/docs')).text()
    expect(docs).toContain('id="put_api_sites_site_imports_id_file"')
  })

  it('imports an uploaded WordPress export: a redirect to its report, read by the queue, each line in the page’s language', async () => {
    const s = await createSite()
    const b = await signIn(s.key)
    const started = await send(
      b,
      s.slug,
      { format: 'wordpress', auto_targets: 'on' },
      { name: 'oldblog.wordpress.2014-06-01.xml', bytes: exportFor(s, other) },
    )
    expect(started.res.status, await started.res.clone().text()).toBe(303)
    const location = started.res.headers.get('Location')!
    expect(location).toMatch(new RegExp(`^/admin/sites/${s.slug}/imports/imp_[a-z0-9]+$`))
    const id = location.split('/').pop()!
    const landed = await (await follow(b, started.res, 'lang=en')).text()
    expect(landed).toContain('The import started: its file is queued to be read.')
    expect(landed).toContain('<h2>oldblog.wordpress.2014-06-01.xml</h2>')
    expect(landed).toContain('State: <strong>waiting to begin</strong>')
    expect(landed).toContain('The import is still running: reload this page to see it move on.')
    expect(landed).toContain(`<a href="${location}">Reload now</a>`)

    await drainImport(started.queue.sent, clock, 3)
    const done = await readImport(s.slug, id, clock, OPERATOR_TOKEN)
    expect(done).toMatchObject({ state: 'done', file_name: 'oldblog.wordpress.2014-06-01.xml' })
    expect(done.counts).toEqual({ added: 4, duplicate: 0, skipped: 5, refused: 2 })

    const en = await (await get(b, `${location}?lang=en`)).text()
    expect(en).toContain('State: <strong>done</strong>')
    expect(en).not.toContain('still running')
    expect(en).toMatch(/11 lines read in \d+ steps/)
    expect(en).toContain('4 added, 0 already here, 5 skipped, 2 refused')
    expect(en).toContain('checked like new voices')
    expect(en).toContain('Line 1 · post 4, comment 2 · <strong>skipped</strong>')
    expect(en).toContain('an ordinary comment: imported only when the import asks for comments')
    const voices = [...en.matchAll(/<a href="\/admin\/mentions\/(m_[a-z0-9]+)">/g)].map((m) => m[1])
    expect(voices).toHaveLength(4)
    // Each added line's voice has its console page.
    expect((await get(b, `/admin/mentions/${voices[0]!}`)).status).toBe(200)

    const refused = await (await get(b, `${location}?outcome=refused&lang=ja`)).text()
    expect(refused).toContain('状態：<strong>完了</strong>')
    expect(refused).toContain('追加 4件、既存 0件、スキップ 5件、拒否 2件')
    expect(refused).toContain('プライベート／ローカルのアドレスです')
    expect(refused).toContain('別のショップのストアフロントについてのもの')
    expect(refused).not.toContain('<strong>スキップ</strong>')
    expect(refused).toContain('aria-current="page">拒否（2）</a>')

    // The list: the import with its state and counts, linked to its report.
    const list = await (await get(b, `/admin/sites/${s.slug}/imports?lang=en`)).text()
    expect(list).toContain(`<a href="${location}">oldblog.wordpress.2014-06-01.xml</a>`)
    expect(list).toContain('(WordPress export)')
    expect(list).toContain('4 added, 0 already here, 5 skipped, 2 refused')

    // The same file again: every voice already here, each line naming it.
    const again = await send(
      b,
      s.slug,
      { format: 'wordpress', auto_targets: 'on' },
      { name: 'again.xml', bytes: exportFor(s, other) },
    )
    expect(again.res.status).toBe(303)
    await drainImport(again.queue.sent, clock)
    const dupes = await (await get(b, `${again.res.headers.get('Location')!}?outcome=duplicate&lang=en`)).text()
    const named = [...dupes.matchAll(/<a href="\/admin\/mentions\/(m_[a-z0-9]+)">/g)].map((m) => m[1])
    expect(named.sort()).toEqual(voices.sort())
    expect(dupes).toContain('<strong>already here</strong>')
  })

  it('reads the report a page at a time', async () => {
    const s = await createSite()
    const b = await signIn(s.key)
    // webmention.io's export of 60 entries its author sent privately: 60 refused lines.
    const children = Array.from({ length: 60 }, (_, i) => ({
      type: 'entry',
      'wm-id': 9000 + i,
      'wm-source': `https://blog${i}.example/post`,
      'wm-target': `${s.origin}/products/mug`,
      'wm-property': 'mention-of',
      'wm-private': true,
    }))
    const started = await send(
      b,
      s.slug,
      { format: 'webmention_io' },
      {
        name: 'mentions.jf2.json',
        bytes: JSON.stringify({ type: 'feed', name: 'Webmentions', children }),
        type: 'application/json',
      },
    )
    expect(started.res.status, await started.res.clone().text()).toBe(303)
    await drainImport(started.queue.sent, clock)
    const location = started.res.headers.get('Location')!
    const first = await (await get(b, `${location}?lang=en`)).text()
    expect(first).toContain('Line 50 · ')
    expect(first).not.toContain('Line 51 · ')
    expect(first).toContain(`<a href="${location}?after=50">Next lines →</a>`)
    const second = await (await get(b, `${location}?after=50&lang=en`)).text()
    expect(second).toContain('Line 51 · ')
    expect(second).toContain('Line 60 · ')
    expect(second).not.toContain('Next lines →')
    const refused = await (await get(b, `${location}?outcome=refused&lang=en`)).text()
    expect(refused).toContain(`<a href="${location}?outcome=refused&amp;after=50">Next lines →</a>`)
    expect(await (await get(b, `${location}?outcome=added&lang=en`)).text()).toContain('No lines to show.')
    // An odd query is read as no filter, never a failure.
    expect((await get(b, `${location}?outcome=nonsense&after=-1`)).status).toBe(200)
  })

  it('says each refusal at its field, in the page’s language, and keeps what was typed', async () => {
    const none = await send(staff, site.slug, { format: 'wordpress', targets: 'https://old.example/a → kettle' })
    expect(none.res.status).toBe(400)
    const text = await none.res.text()
    expect(text).toContain('href="#file">The file</a>: choose a file, or give its address — one of the two')
    expect(control(text, 'file')).toContain('aria-invalid="true"')
    expect(control(text, 'file')).toContain('aria-describedby="file_error file_help"')
    expect(text).toContain('id="file_error"')
    expect(text).toContain('https://old.example/a → kettle</textarea>')

    const both = await send(
      staff,
      site.slug,
      { format: 'wordpress', url: 'https://old.example/export.xml' },
      { name: 'a.xml', bytes: '<rss/>' },
      'ja',
    )
    expect(both.res.status).toBe(400)
    expect(await both.res.text()).toContain('ファイルを選ぶか、アドレスを入力してください（どちらか一方）')

    const badMap = await send(
      staff,
      site.slug,
      {
        format: 'movable_type',
        url: 'https://old.example/export.txt',
        targets: 'https://old.example/a → kettle\n\njust-one-word\nhttps://old.example/a -> teapot',
        from: '2024-02-01',
        to: '2024-01-01',
      },
      undefined,
      'ja',
    )
    expect(badMap.res.status).toBe(400)
    const ja = await badMap.res.text()
    expect(ja).toContain(
      '旧アドレスとその対象ページ</a>: 3行目：旧アドレス、→、対象ページの ID かストアフロントの URL の順に書いてください',
    )
    expect(control(ja, 'targets')).toContain('aria-invalid="true"')
    expect(ja).toContain('終了日（YYYY-MM-DD）</a>: 開始日より前の日付にはできません')
    expect(control(ja, 'to')).toContain('aria-invalid="true"')
    expect(ja).toContain('value="movable_type" checked=""')

    const twice = await send(staff, site.slug, {
      format: 'wordpress',
      url: 'https://old.example/export.xml',
      targets: 'https://old.example/a kettle\nhttps://old.example/a\tteapot',
    })
    expect(await twice.res.text()).toContain('line 2: this old address is already on line 1')

    const wrong = await send(staff, site.slug, { format: 'blogger', url: 'https://old.example/x', from: '2024-13-45' })
    expect(wrong.res.status).toBe(400)
    const wrongText = await wrong.res.text()
    expect(wrongText).toContain('href="#format">What the file is</a>')
    expect(wrongText).toContain('aria-describedby="format_error"')
    expect(wrongText).toContain('href="#from">From (YYYY-MM-DD)</a>')

    // A mapped address too long for the API is refused at the box, naming its line.
    const long = await send(staff, site.slug, {
      format: 'wordpress',
      url: 'https://old.example/x',
      targets: `a b\nhttps://old.example/${'x'.repeat(2100)} kettle`,
    })
    expect(await long.res.text()).toContain('line 2: ')

    // Nothing was made.
    const listed = await (await page('?lang=en')).text()
    expect(listed).toContain('No imports yet.')
  })

  it('refuses a file larger than the console takes, at the file field, pointing to the API', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x20)
    const format = await send(staff, site.slug, { format: 'webmention_io' }, { name: 'wm.json', bytes: big })
    expect(format.res.status).toBe(400)
    const text = await format.res.text()
    expect(text).toContain('the file is 10 MB: at most 10 MB here — send larger files through the API')

    const huge = new Uint8Array(26 * 1024 * 1024).fill(0x20)
    const refused = await send(staff, site.slug, { format: 'wordpress' }, { name: 'huge.xml', bytes: huge }, 'ja')
    expect(refused.res.status).toBe(413)
    const ja = await refused.res.text()
    expect(ja).toContain('ここでは25 MBまでなので、大きいファイルは API で送ってください')
    expect(control(ja, 'file')).toContain('aria-invalid="true"')
    expect(ja).toContain('取り込みはまだありません。')
  })

  it('trusts imported history when asked (the ledger records it), fetches from a URL, and runs one import at a time', async () => {
    const s = await createSite()
    const b = await signIn(s.key)
    const started = await send(b, s.slug, {
      format: 'webmention_io',
      url: 'https://webmention.example/api/mentions.jf2',
      trust: 'on',
    })
    expect(started.res.status).toBe(303)
    const location = started.res.headers.get('Location')!
    const landed = await (await follow(b, started.res, 'lang=en')).text()
    expect(landed).toContain('<h2>https://webmention.example/api/mentions.jf2</h2>')
    expect(landed).toContain('published without checking (recorded in the ledger)')
    const ledger = await (await callAt(clock)(`/feeds/${s.slug}/ledger.json`)).json<{ entries: { action: string }[] }>()
    expect(ledger.entries.map((e) => e.action)).toContain('trust_import')

    // Queued: a second is refused on the page, saying which one runs.
    const second = await send(b, s.slug, { format: 'wordpress' }, { name: 'b.xml', bytes: '<rss/>' }, 'ja')
    expect(second.res.status).toBe(409)
    expect(await second.res.text()).toContain(`このショップの取り込みがすでに実行中です: ${location.split('/').pop()!}`)
  })

  it('never shows or starts another shop’s imports, and needs the form’s token', async () => {
    const theirs = await startImport(other.slug, { format: 'wordpress' }, clock, other.key)
    const { id } = await theirs.res.json<{ id: string }>()
    expect((await get(staff, `/admin/sites/${other.slug}/imports`)).status).toBe(404)
    expect((await get(staff, `/admin/sites/${site.slug}/imports/${id}`)).status).toBe(404)
    expect((await get(staff, `/admin/sites/${site.slug}/imports/imp_nothing`)).status).toBe(404)
    const started = await send(staff, other.slug, { format: 'wordpress' }, { name: 'a.xml', bytes: '<rss/>' })
    expect(started.res.status).toBe(404)
    const noToken = await post(staff, `/admin/sites/${site.slug}/imports`, { format: 'wordpress' })
    expect(noToken.status).toBe(403)
  })
})
