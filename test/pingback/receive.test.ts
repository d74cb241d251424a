/**
 * Pingback 1.0 receiver, driven with the XML-RPC documents WordPress and mention-client-php
 * send.
 */
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'

import { html, servePage } from '../helpers/blogs'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { call } from '../helpers/http'
import { eventually, freshIp, settled, statusAt } from '../helpers/linkbacks'

let site: SiteFixture
let target: string

beforeAll(async () => {
  site = await createSite()
  target = `${site.origin}/products/acme-kettle`
})

const newSource = () => `https://${unique('blog')}.example/2024/05/${unique('kettle-review')}/`
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

/** PB-V1: the exact shape of WordPress's IXR request. */
const wordpressCall = (source: string, to: string) =>
  `<?xml version="1.0"?>\n<methodCall>\n<methodName>pingback.ping</methodName>\n<params>\n<param><value><string>${esc(source)}</string></value></param>\n<param><value><string>${esc(to)}</string></value></param>\n</params></methodCall>`

function ping(body: string | Uint8Array, contentType = 'text/xml', path = `/pingback/${site.slug}`) {
  return call(path, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'User-Agent': 'The Incutio XML-RPC PHP Library -- WordPress/6.8',
      'CF-Connecting-IP': freshIp(),
    },
    body,
  })
}

async function expectFault(res: Response, code: number) {
  expect(res.status).toBe(200)
  expect(res.headers.get('Content-Type')).toBe('text/xml; charset=UTF-8')
  const text = await res.text()
  expect(text).toContain('<fault>')
  expect(text).toContain(`<name>faultCode</name>\n          <value><int>${code}</int></value>`)
  expect(text).toMatch(/<name>faultString<\/name>\n\s*<value><string>[^<]+<\/string><\/value>/)
}

async function expectSuccess(res: Response) {
  expect(res.status).toBe(200)
  expect(res.headers.get('Content-Type')).toBe('text/xml; charset=UTF-8')
  const text = await res.text()
  expect(text).not.toContain('<fault>')
  const location = /queued for verification: (http:\/\/hub\.test\/status\/\S+?)<\/string>/.exec(text)?.[1]
  expect(location).toBeDefined()
  return location!
}

describe('POST /pingback/{site}', () => {
  it("PB-V1/V2: takes WordPress's call, queues the check and names the status URL", async () => {
    const source = newSource()
    await servePage(source, {
      body: html(`<p>My <a href="${target}">kettle</a> review</p>`, '<title>Kettle review</title>'),
    })
    const location = await expectSuccess(await ping(wordpressCall(source, target)))
    expect(await settled(location)).toMatchObject({
      status: 'verified',
      protocol: 'pingback',
      voice: { status: 'published' },
    })
    const row = await env.DB.prepare('SELECT kind, title, source_url_sent FROM mentions WHERE id = ?')
      .bind(location.split('/').pop())
      .first()
    expect(row).toEqual({ kind: 'pingback', title: 'Kettle review', source_url_sent: source })
  })

  it('accepts application/xml, untyped values, indentation, a query with &amp; and an ISO-8859-1 body', async () => {
    const source = `${newSource()}?p=1&lang=fr`
    await servePage(source, { body: html(`<a href="${target}">k</a>`) })
    const body = `<?xml version="1.0" encoding="ISO-8859-1"?>\n<methodCall>\n  <methodName>pingback.ping</methodName>\n  <params>\n    <param>\n      <value>${esc(source)}</value>\n    </param>\n    <param><value><string>${target}#caf\u00e9</string></value></param>\n  </params>\n</methodCall>`
    const latin1 = Uint8Array.from(body, (ch) => ch.charCodeAt(0))
    expect(await settled(await expectSuccess(await ping(latin1, 'application/xml')))).toMatchObject({
      status: 'verified',
    })
  })

  it('answers 0x30 to a pair already registered, so WordPress stops retrying', async () => {
    const source = newSource()
    await servePage(source, { body: html(`<a href="${target}">k</a>`) })
    await expectSuccess(await ping(wordpressCall(source, target)))
    await expectFault(await ping(wordpressCall(source, target)), 0x30)
  })

  it('records a page without the link as rejected (status URL), and answers 0x11 to a quick repeat', async () => {
    const source = newSource()
    await servePage(source, { body: html('<p>no link here</p>') })
    const location = await expectSuccess(await ping(wordpressCall(source, target)))
    expect(await settled(location)).toMatchObject({ status: 'rejected', reason: 'no_link' })
    await expectFault(await ping(wordpressCall(source, target)), 0x11)
  })

  it('answers the target faults: 0x20 not a URL, 0x21 not this shop or no such site; 0x10 for a bad source; 0x31 for the shop itself', async () => {
    await expectFault(await ping(wordpressCall(newSource(), 'not a url')), 0x20)
    await expectFault(await ping(wordpressCall(newSource(), 'https://elsewhere.example/p')), 0x21)
    await expectFault(await ping(wordpressCall(newSource(), target), 'text/xml', '/pingback/no-such-site'), 0x21)
    await expectFault(await ping(wordpressCall('javascript:alert(1)', target)), 0x10)
    await expectFault(await ping(wordpressCall(`${site.origin}/blog/post`, target)), 0x31)
    await expectFault(await ping(wordpressCall(target, target)), 0)
  })

  it('PB-V4: malformed XML, DOCTYPE with entities, unknown methods, multicall and wrong parameters are faults with HTTP 200', async () => {
    await expectFault(await ping('<methodCall><methodName>pingback.ping</methodName>'), -32700)
    await expectFault(await ping('not xml at all'), -32700)
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><methodCall><methodName>pingback.ping</methodName><params><param><value>&lol2;</value></param><param><value>${target}</value></param></params></methodCall>`
    await expectFault(await ping(bomb), -32700)
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><methodCall><methodName>pingback.ping</methodName></methodCall>`
    await expectFault(await ping(xxe), -32700)
    await expectFault(await ping('<?xml version="1.0"?><methodResponse/>'), -32600)
    await expectFault(
      await ping(wordpressCall(newSource(), target).replace('pingback.ping', 'system.multicall')),
      -32601,
    )
    await expectFault(
      await ping(wordpressCall(newSource(), target).replace('pingback.ping', 'pingback.extensions.getPingbacks')),
      -32601,
    )
    const one = `<?xml version="1.0"?><methodCall><methodName>pingback.ping</methodName><params><param><value><string>${newSource()}</string></value></param></params></methodCall>`
    await expectFault(await ping(one), -32602)
    const ints = `<?xml version="1.0"?><methodCall><methodName>pingback.ping</methodName><params><param><value><int>1</int></value></param><param><value><int>2</int></value></param></params></methodCall>`
    await expectFault(await ping(ints), -32602)
  })

  it('reads the call whatever it is labelled: a form type, no type, JSON, a BOM before the declaration', async () => {
    for (const [label, prefix] of [
      ['application/x-www-form-urlencoded', ''],
      ['application/x-www-form-urlencoded; charset=UTF-8', ''],
      ['', '\ufeff'],
      ['application/json', '\n  '],
    ] as const) {
      const source = newSource()
      await servePage(source, { body: html(`<a href="${target}">k</a>`) })
      const res = await call(`/pingback/${site.slug}`, {
        method: 'POST',
        headers: { ...(label ? { 'Content-Type': label } : {}), 'CF-Connecting-IP': freshIp() },
        body: new TextEncoder().encode(prefix + wordpressCall(source, target)),
      })
      expect(await settled(await expectSuccess(res)), label).toMatchObject({ status: 'verified' })
    }
  })

  it('refuses a body that is not UTF-8 and declares nothing, other content types and bodies over 64 KB', async () => {
    const sjis = new Uint8Array([
      ...new TextEncoder().encode('<?xml version="1.0"?><methodCall><methodName>'),
      0x83,
      0x4c,
      ...new TextEncoder().encode('</methodName></methodCall>'),
    ])
    await expectFault(await ping(sjis), -32700)
    const form = await ping(
      new URLSearchParams({ source: newSource(), target }).toString(),
      'application/x-www-form-urlencoded',
    )
    await expectFault(form.clone(), -32700)
    expect(await form.text()).toContain('not an XML-RPC document')
    await expectFault(await ping(wordpressCall(newSource(), target) + `<!-- ${'x'.repeat(70_000)} -->`), 0)
  })

  it('answers GET with 405 and Allow: POST', async () => {
    const res = await call(`/pingback/${site.slug}`)
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe('POST')
    expect(await res.text()).toBe('XML-RPC server accepts POST requests only.')
  })

  it('limits new pingbacks per blog (0x31), and one burst of the same ping makes one voice', async () => {
    const blog = `https://${unique('busy')}.example`
    const faults: string[] = []
    for (let i = 0; i < 11; i++) faults.push(await (await ping(wordpressCall(`${blog}/p-${i}`, target))).text())
    expect(faults.slice(0, 10).every((t) => !t.includes('<fault>'))).toBe(true)
    expect(faults[10]).toContain('<int>49</int>')
    expect(faults[10]).toContain(`Too many pingbacks from the blog ${new URL(blog).host}: at most 10 a minute.`)

    const source = newSource()
    await servePage(source, { body: html(`<a href="${target}">k</a>`) })
    const answers = await Promise.all(
      Array.from({ length: 5 }, async () => (await ping(wordpressCall(source, target))).text()),
    )
    expect(answers.filter((t) => !t.includes('<fault>'))).toHaveLength(1)
    expect(answers.filter((t) => t.includes('<int>48</int>'))).toHaveLength(4)
    const location = /(http:\/\/hub\.test\/status\/\S+?)<\/string>/.exec(
      answers.find((t) => !t.includes('<fault>'))!,
    )![1]!
    await eventually(
      () => statusAt(location),
      (s) => s.status === 'verified',
    )
  })
})
