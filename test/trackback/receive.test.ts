/**
 * TrackBack 1.2 receiver, driven with the bytes real blog software sends
 * (test vectors TB-V1 … TB-V10).
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { createSite, createTarget, type SiteFixture, unique, PUBLISH_PINGS_AT_ONCE } from '../helpers/factories'
import { servePage } from '../helpers/blogs'
import { api, call } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'

let site: SiteFixture
let target: string
let ipCounter = 0

beforeAll(async () => {
  site = await createSite(PUBLISH_PINGS_AT_ONCE)
  target = (await createTarget(site, 'acme-kettle', 'Acme Kettle')).id
})

/** A fresh client address per ping, so flood limits only bite where a test wants them. */
const freshIp = () => `198.51.100.${++ipCounter % 250}-${ipCounter}`

function ping(body: string | Uint8Array, headers: Record<string, string> = {}, path = `/tb/${site.slug}/${target}`) {
  return call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': freshIp(), ...headers },
    body,
  })
}

const SUCCESS = '<?xml version="1.0" encoding="utf-8"?>\n<response>\n<error>0</error>\n</response>\n'

async function expectSuccess(res: Response) {
  expect(res.status).toBe(200)
  expect(res.headers.get('Content-Type')).toBe('text/xml; charset=utf-8')
  expect(await res.text()).toBe(SUCCESS)
}

/** An error answer: HTTP 200, error 1, a non-empty message (Movable Type reads an empty one as success). */
async function expectError(res: Response, message: RegExp) {
  expect(res.status).toBe(200)
  expect(res.headers.get('Content-Type')).toBe('text/xml; charset=utf-8')
  const text = await res.text()
  expect(text).toMatch(
    /^<\?xml version="1.0" encoding="utf-8"\?>\n<response>\n<error>1<\/error>\n<message>[^<]+<\/message>\n<\/response>\n$/,
  )
  expect(text).toMatch(message)
}

async function storedVoice(sourceUrl: string) {
  return env.DB.prepare('SELECT * FROM mentions WHERE source_url = ?').bind(sourceUrl).all()
}

/** A post on a blog of its own, so per-blog limits only bite where a test wants them. */
const postUrl = (name: string) => `https://${unique('blog')}.example.jp/archives/${unique(name)}.html`
const enc = (s: string) => encodeURIComponent(s)
/** Movable Type's encode_url: every byte outside [A-Za-z0-9_.~-] as upper-case %XX. */
const mtEncode = (s: string) =>
  Array.from(new TextEncoder().encode(s), (b) =>
    /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
      ? String.fromCharCode(b)
      : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('')

describe('POST /tb/{site}/{target} — charsets', () => {
  it('TB-V1: stores a UTF-8 Movable Type ping', async () => {
    const url = postUrl('v1')
    const body = `title=%E6%96%B0%E5%95%86%E5%93%81%E3%83%AC%E3%83%93%E3%83%A5%E3%83%BC&url=${mtEncode(url)}&excerpt=%E3%81%93%E3%81%AE%E5%95%86%E5%93%81%E3%82%92%E8%B2%B7%E3%81%84%E3%81%BE%E3%81%97%E3%81%9F&blog_name=%E3%83%86%E3%82%B9%E3%83%88%E6%97%A5%E8%A8%98`
    await expectSuccess(await ping(body, { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }))
    const { results } = await storedVoice(url)
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({
      kind: 'trackback',
      status: 'published',
      title: '新商品レビュー',
      excerpt: 'この商品を買いました',
      blog_name: 'テスト日記',
      target_id: target,
    })
  })

  const SJIS_FIELDS =
    'title=%90V%8F%A4%95i%83%8C%83r%83%85%81%5B&excerpt=%82%B1%82%CC%8F%A4%95i%82%F0%94%83%82%A2%82%DC%82%B5%82%BD&blog_name=%83e%83X%83g%93%FA%8BL'
  const EUC_FIELDS =
    'title=%BF%B7%BE%A6%C9%CA%A5%EC%A5%D3%A5%E5%A1%BC&excerpt=%A4%B3%A4%CE%BE%A6%C9%CA%A4%F2%C7%E3%A4%A4%A4%DE%A4%B7%A4%BF&blog_name=%A5%C6%A5%B9%A5%C8%C6%FC%B5%AD'
  // ISO-2022-JP: ESC $ B, the JIS codes (EUC-JP bytes minus 0x80), ESC ( B.
  const JIS_FIELDS =
    'title=%1B%24B%3F7%3E%26IJ%25l%25S%25e%21%3C%1B%28B&excerpt=%1B%24B%243%24N%3E%26IJ%24rGc%24%24%24%5E%24%37%24%3F%1B%28B&blog_name=%1B%24B%25F%259%25HF%7C5-%1B%28B'

  it.each([
    [
      'Shift_JIS in the Content-Type (MT, PublishCharset Shift_JIS)',
      SJIS_FIELDS,
      'application/x-www-form-urlencoded; charset=Shift_JIS',
      '',
    ],
    [
      'Shift_JIS in a charset field, no header charset (Japanese convention)',
      SJIS_FIELDS,
      'application/x-www-form-urlencoded',
      '&charset=Shift_JIS',
    ],
    ['the CP932 label TextDecoder does not know', SJIS_FIELDS, 'application/x-www-form-urlencoded', '&charset=CP932'],
    ['undeclared Shift_JIS (detected)', SJIS_FIELDS, 'application/x-www-form-urlencoded', ''],
    ['EUC-JP in the Content-Type', EUC_FIELDS, 'application/x-www-form-urlencoded; charset=EUC-JP', ''],
    ['EUC_JP, a spelling blog software sends', EUC_FIELDS, 'application/x-www-form-urlencoded', '&charset=EUC_JP'],
    ['undeclared EUC-JP (detected)', EUC_FIELDS, 'application/x-www-form-urlencoded', ''],
    ['ISO-2022-JP declared', JIS_FIELDS, 'application/x-www-form-urlencoded', '&charset=ISO-2022-JP'],
    ['undeclared ISO-2022-JP (detected by its escapes)', JIS_FIELDS, 'application/x-www-form-urlencoded', ''],
    [
      'the charset field winning over a wrong header charset',
      SJIS_FIELDS,
      'application/x-www-form-urlencoded; charset=UTF-8',
      '&charset=sjis',
    ],
  ])('TB-V2: decodes %s', async (_, fields, contentType, extra) => {
    const url = postUrl('v2')
    await expectSuccess(await ping(`${fields}&url=${enc(url)}${extra}`, { 'Content-Type': contentType }))
    const { results } = await storedVoice(url)
    expect(results[0]).toMatchObject({
      title: '新商品レビュー',
      excerpt: 'この商品を買いました',
      blog_name: 'テスト日記',
    })
  })

  it('TB-V3: keeps 0x5C trail bytes and the Windows-31J extensions', async () => {
    const url = postUrl('v3')
    await expectSuccess(
      await ping(`title=%83%5C%83t%83g%95%5C%8E%A6&excerpt=%87%40%EE%E0%8B%B4&url=${enc(url)}&charset=Shift_JIS`),
    )
    const { results } = await storedVoice(url)
    expect(results[0]).toMatchObject({ title: 'ソフト表示', excerpt: '①髙橋' })
  })

  it('TB-V4: accepts a WordPress ping (no charset anywhere, entities in the excerpt)', async () => {
    const url = `https://blog.example.com/2024/05/${unique('kettle-review')}/`
    const body = `title=Review%3A+Acme+Kettle+%E2%80%93+worth+it%3F&url=${enc(url)}&blog_name=Example+Blog&excerpt=I+bought+the+Acme+Kettle+last+week%26%238230%3B`
    await expectSuccess(
      await ping(body, {
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': 'WordPress/6.8; https://blog.example.com',
      }),
    )
    const { results } = await storedVoice(url.replace(/\/$/, ''))
    expect(results[0]).toMatchObject({
      title: 'Review: Acme Kettle – worth it?',
      excerpt: 'I bought the Acme Kettle last week…',
      blog_name: 'Example Blog',
    })
  })

  it('TB-V9: refuses UTF-7 with a message', async () => {
    const url = postUrl('v9')
    await expectError(
      await ping(`title=%2BADw-script%2BAD4-&url=${enc(url)}&charset=UTF-7`),
      /Unsupported charset &apos;UTF-7&apos;/,
    )
    expect((await storedVoice(url)).results).toHaveLength(0)
  })

  it('refuses an unknown charset label', async () => {
    await expectError(
      await ping(`title=x&url=${enc(postUrl('x'))}&charset=klingon-8`),
      /Unsupported charset &apos;klingon-8&apos;/,
    )
  })

  it('refuses bytes that are not valid in the declared charset, storing nothing', async () => {
    const url = postUrl('corrupt')
    // Shift_JIS bytes declared as UTF-8: storing them would be mojibake.
    await expectError(
      await ping(`title=%90V%8F%A4%95i&url=${enc(url)}&charset=UTF-8`),
      /corrupt character data for character set utf-8/,
    )
    expect((await storedVoice(url)).results).toHaveLength(0)
  })

  it('refuses undeclared bytes that no Japanese charset decodes', async () => {
    await expectError(await ping(`title=%FF%FF%FF%FE&url=${enc(postUrl('ff'))}`), /corrupt character data/)
  })
})

describe('POST /tb/{site}/{target} — fields and errors', () => {
  it('TB-V5: answers a missing url with the Movable Type message', async () => {
    await expectError(
      await ping('title=Foo&blog_name=Bar'),
      /<message>You need to provide a Source URL \(url\).<\/message>/,
    )
  })

  it.each(['javascript:alert(1)', 'ftp://blog.example/x', '/relative', 'https://user:pw@blog.example/x', '   '])(
    'refuses the url %s',
    async (bad) => {
      await expectError(await ping(`title=x&url=${enc(bad)}`), /url|Source URL/)
    },
  )

  it('TB-V7: answers a GET with an XML error and Allow: POST', async () => {
    const res = await call(`/tb/${site.slug}/${target}?url=https://x.example/`)
    expect(res.headers.get('Allow')).toBe('POST')
    await expectError(res, /TrackBack pings must use HTTP POST/)
  })

  it('answers unknown sites and targets with an XML error that escapes the id', async () => {
    await expectError(await ping(`url=${enc(postUrl('u'))}`, {}, `/tb/no-such-site/${target}`), /Invalid TrackBack ID/)
    await expectError(
      await ping(`url=${enc(postUrl('u'))}`, {}, `/tb/${site.slug}/%3Cscript%3E`),
      /Invalid TrackBack ID &apos;&lt;script&gt;&apos;/,
    )
  })

  it('answers an oversize body with an XML error, not a 413 page', async () => {
    const big = `url=${enc(postUrl('big'))}&excerpt=${'a'.repeat(70 * 1024)}`
    await expectError(await ping(big), /too large/)
  })

  it('answers an empty body and garbage with a missing-url error', async () => {
    await expectError(await ping(''), /Source URL/)
    await expectError(await ping(new Uint8Array([0, 1, 2, 0xff, 0x26, 0x3d])), /Source URL|corrupt/)
  })

  it('refuses multipart and JSON bodies with a message', async () => {
    await expectError(
      await ping(JSON.stringify({ url: 'https://x.example' }), { 'Content-Type': 'application/json' }),
      /application\/x-www-form-urlencoded/,
    )
  })

  it('TB-V10: cuts an over-long excerpt to 255 characters like Movable Type', async () => {
    const url = postUrl('v10')
    await expectSuccess(await ping(`url=${enc(url)}&excerpt=${'a'.repeat(300)}`))
    const { results } = await storedVoice(url)
    expect(results[0]!.excerpt).toBe('a'.repeat(252) + '...')
  })

  it('stores plain text: tags stripped, entities decoded, control characters removed, spaces collapsed', async () => {
    const url = postUrl('plain')
    const title = '<b>Great</b>\u0000 kettle &amp; <script>alert(1)</script>lid'
    const excerpt = 'Line one\r\n\tline\u0007 two &lt;img src=x onerror=alert(1)&gt;'
    await expectSuccess(
      await ping(`url=${enc(url)}&title=${enc(title)}&excerpt=${enc(excerpt)}&blog_name=${enc('  My   blog ')}`),
    )
    const { results } = await storedVoice(url)
    expect(results[0]).toMatchObject({
      title: 'Great kettle & lid',
      excerpt: 'Line one line two <img src=x onerror=alert(1)>',
      blog_name: 'My blog',
    })
  })

  it('stores the canonical source URL', async () => {
    const raw = `HTTPS://Blog.Example.JP/archives/${unique('canon')}.html?utm_source=feed#more`
    await expectSuccess(await ping(`url=${enc(raw)}`))
    const canonical = raw.replace('HTTPS://Blog.Example.JP', 'https://blog.example.jp').replace(/\?.*$/, '')
    expect((await storedVoice(canonical)).results).toHaveLength(1)
  })
})

describe('POST /tb/{site}/{target} — duplicates and throttling', () => {
  it('TB-V6: a repeated ping answers success and updates the voice instead of duplicating it', async () => {
    const url = postUrl('dup')
    await expectSuccess(await ping(`url=${enc(url)}&title=First`))
    await expectSuccess(await ping(`url=${enc(url + '#again')}&title=Second&excerpt=edited`))
    const { results } = await storedVoice(url)
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({ title: 'Second', excerpt: 'edited' })
  })

  it('makes one voice and counts it once under concurrent delivery', async () => {
    const t = await createTarget(site)
    const url = postUrl('race')
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => ping(`url=${enc(url)}&title=Race`, {}, `/tb/${site.slug}/${t.id}`)),
    )
    for (const res of answers) await expectSuccess(res)
    expect((await storedVoice(url)).results).toHaveLength(1)
    // Counted once, under the one sentiment its words suggest.
    const stats = await env.DB.prepare(
      'SELECT published, positive + neutral + negative + unclassified AS by_sentiment FROM stats WHERE target_id = ?',
    )
      .bind(t.id)
      .first()
    expect(stats).toEqual({ published: 1, by_sentiment: 1 })
  })

  it('throttles a flood from one client with a TrackBack error', async () => {
    const ip = `203.0.113.${Date.now() % 200}`
    const results: string[] = []
    while (results.length < 41 && !results.some((r) => r.includes('<error>1</error>'))) {
      const res = await ping(`url=${enc(`https://flood${results.length}.example/p`)}`, { 'CF-Connecting-IP': ip })
      results.push(await res.text())
    }
    // One-minute windows: one may turn during the loop, so the first refusal comes after 20 pings, or 40 at most.
    const refused = results.findIndex((r) => r.includes('<error>1</error>'))
    expect(refused).toBeGreaterThanOrEqual(20)
    expect(refused).toBeLessThanOrEqual(40)
    expect(results.slice(0, refused).every((r) => r.includes('<error>0</error>'))).toBe(true)
    expect(results[refused]).toContain(
      'Too many TrackBack pings from this address: at most 20 a minute. Please try again in a minute.',
    )
  })

  /** Voices a blog brought earlier (`blog` is a host, or host/{id} on a shared platform such as Ameba). */
  async function seedRecentVoices(blog: string, count: number, ageMs: (i: number) => number) {
    const { id: siteId } = (await env.DB.prepare('SELECT id FROM sites WHERE slug = ?')
      .bind(site.slug)
      .first<{ id: number }>())!
    const now = Date.now()
    await env.DB.batch(
      Array.from({ length: count }, (_, i) =>
        env.DB.prepare(
          `INSERT INTO mentions (id, site_id, target_id, kind, status, source_url, source_host, source_blog, received_at, updated_at, rev)
           VALUES (?, ?, ?, 'trackback', 'published', ?, ?, ?, ?, ?, 'seed')`,
        ).bind(
          unique('m'),
          siteId,
          target,
          `https://${blog}/old/${i}`,
          blog.split('/')[0],
          blog,
          now - ageMs(i),
          now - ageMs(i),
        ),
      ),
    )
  }

  it("throttles a blog that sent 10 new pings in the last hour (Movable Type's default)", async () => {
    const host = `${unique('busy')}.example`
    await seedRecentVoices(host, 10, (i) => (i + 1) * 60_000)
    await expectError(
      await ping(`url=${enc(`https://${host}/post/new`)}`),
      new RegExp(`The blog ${host} has brought 10 new voices to this shop in the last hour`),
    )
    // A re-ping of a post it already sent is an update, not a new voice: still accepted.
    await expectSuccess(await ping(`url=${enc(`https://${host}/old/3`)}&title=edited`))
  })

  it('throttles a blog that sent 50 new pings in the last day, and forgets older ones', async () => {
    const host = `${unique('daily')}.example`
    await seedRecentVoices(host, 50, (i) => (2 + (i % 20)) * 3_600_000)
    await expectError(
      await ping(`url=${enc(`https://${host}/post/new`)}`),
      new RegExp(`The blog ${host} has brought 50 new voices to this shop in the last day`),
    )

    const calm = `${unique('calm')}.example`
    await seedRecentVoices(calm, 60, () => 30 * 3_600_000)
    await expectSuccess(await ping(`url=${enc(`https://${calm}/post/new`)}`))
  })

  it('throttles a flood from one source host across many clients', async () => {
    const host = `${unique('storm')}.example`
    const answers: string[] = []
    for (let i = 0; i < 12; i++) answers.push(await (await ping(`url=${enc(`https://${host}/p/${i}`)}`)).text())
    expect(answers.slice(0, 10).every((a) => a.includes('<error>0</error>'))).toBe(true)
    expect(answers[11]).toContain(`Too many TrackBack pings from the blog ${host}: at most 10 a minute.`)
  })

  it('counts each writer of a shared blog platform as a blog of their own, in the limits and their messages', async () => {
    // Eleven Ameba writers in one hour: each is a blog, none is refused.
    for (let i = 0; i < 11; i++) {
      await expectSuccess(await ping(`url=${enc(`https://ameblo.jp/${unique('writer')}/entry-1234.html`)}`))
    }
    // One note writer who already brought ten voices this hour is refused, by name; another note writer is not.
    const writer = unique('busywriter')
    await seedRecentVoices(`note.com/${writer}`, 10, (i) => (i + 1) * 60_000)
    await expectError(
      await ping(`url=${enc(`https://note.com/${writer}/n/n0123abc`)}`),
      new RegExp(`The blog note.com/${writer} has brought 10 new voices`),
    )
    await expectSuccess(await ping(`url=${enc(`https://note.com/${unique('calmwriter')}/n/n0123abc`)}`))
  })
})

describe('TrackBack discovery through the API', () => {
  it('gives each target its ping URL and RDF block', async () => {
    const res = await api('GET', `/api/sites/${site.slug}/targets/${target}`, undefined, site.key)
    const t = await res.json<{ discovery: { trackback_url: string; trackback_rdf: string } }>()
    expect(t.discovery.trackback_url).toBe(`http://hub.test/tb/${site.slug}/${target}`)
    expect(t.discovery.trackback_rdf).toContain(
      'xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/"',
    )
  })
})

describe('POST /tb/{site}/{target} — link-back verification (verify_links, on by default)', () => {
  it('answers success at once, keeps the ping pending, and publishes it only when its page links back', async () => {
    const s = await createSite()
    const t = await createTarget(s, 'kettle', 'Kettle')
    const linked = postUrl('linked')
    const spam = postUrl('spam')
    await servePage(linked, { body: `<html><body><a href="${t.url}">my kettle</a></body></html>` })
    await servePage(spam, { body: '<html><body>Cheap pills, no link</body></html>' })
    for (const url of [linked, spam]) {
      await expectSuccess(
        await ping(`url=${enc(url)}&title=${enc('About the kettle')}&blog_name=Blog`, {}, `/tb/${s.slug}/${t.id}`),
      )
    }
    const [row] = (await storedVoice(linked)).results
    expect(row).toMatchObject({ status: 'pending', verify_state: 'queued', kind: 'trackback' })

    const feedIds = async () =>
      (await (await call(`/feeds/${s.slug}.json`)).json<{ items: { id: string }[] }>()).items.map((i) => i.id)
    await eventually(feedIds, (ids) => ids.length === 1)
    expect(await feedIds()).toEqual([row!.id])
    await eventually(
      async () => (await storedVoice(spam)).results[0],
      (r) => r?.status === 'rejected',
    )
    expect((await storedVoice(spam)).results[0]).toMatchObject({
      verify_state: 'rejected',
      verify_reason: expect.stringMatching(/^no_link/),
    })
    const published = (await storedVoice(linked)).results[0]
    // The ping's own title stays; the page only fills what the ping lacked.
    expect(published).toMatchObject({ status: 'published', title: 'About the kettle', blog_name: 'Blog' })
  })
})
