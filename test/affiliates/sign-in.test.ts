/**
 * A blogger applies on the public HTML page (in English or Japanese, refused in words, nothing
 * stored on a refusal); the shop approves in the console, which sends a one-time sign-in link
 * (e-mailed, or shown to pass on when the hub cannot send e-mail); the link signs in once, for
 * 7 days, on its own site only; a partner can ask for a new one by address.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it, vi } from 'vitest'

import { getDb } from '../../src/db/client'
import { partners } from '../../src/db/schema'
import {
  forgetExpiredSignInLinks,
  requestSignInLink,
  sendSignInLink,
  signInMail,
} from '../../src/affiliates/partners/sign-in-links'
import { sha256Hex } from '../../src/common/crypto'
import { type Browser, follow, get, signIn } from '../helpers/admin'
import { createSite, type SiteFixture, unique } from '../helpers/factories'
import { call, type Call, callAt, HUB, testClock } from '../helpers/http'
import { freshIp } from '../helpers/linkbacks'
import { mailbox, siteIdOf } from '../helpers/digest'
import { deliverMail, keptPost } from '../helpers/mail'
import { keepingQueue, outboxRow } from '../helpers/outbox'
import { MAIL_ATTEMPTS } from '../../src/mail/consume'

let site: SiteFixture
let other: SiteFixture
let staff: Browser

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

/** A form as a browser posts it: URL-encoded UTF-8, from this origin, asking for a page. */
const form = (path: string, fields: Record<string, string>, o: { cookie?: string; via?: Call; lang?: string } = {}) =>
  (o.via ?? call)(path, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: HTML,
      Origin: HUB,
      'Accept-Language': o.lang ?? 'en',
      'CF-Connecting-IP': freshIp(),
      ...(o.cookie ? { Cookie: o.cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  })

const application = (extra: Record<string, string> = {}) => ({
  name: 'Aoi Blog',
  email: `${unique('aoi')}@blog.example`,
  blog_url: 'https://aoi.example/',
  disclose: 'on',
  ...extra,
})

const partnerByEmail = (email: string) => getDb(env.DB).select().from(partners).where(eq(partners.email, email)).get()

/** A console form's answer (a redirect), followed to the page it lands on as the browser would. */
const landed = async (b: Browser, answer: Promise<Response>) => follow(b, await answer, 'lang=en')

/** The page the console shows after a decision, made through an app on `via`. */
const decide = (b: Browser, s: SiteFixture, id: string, fields: Record<string, string>, via?: Call) =>
  landed(
    b,
    form(`/admin/sites/${s.slug}/partners/${id}?lang=en`, { _csrf: b.csrf, ...fields }, { cookie: b.cookie, via }),
  )

/** The hub without e-mail: approvals show the link to pass on. */
const noMail = callAt(() => Date.now(), { EMAIL: undefined })

const linkIn = (html: string) => /<code>(https?:\/\/[^<]+\/sign-in\/[a-z0-9]+)<\/code>/.exec(html)?.[1]

async function applied(s: SiteFixture, extra: Record<string, string> = {}) {
  const fields = application(extra)
  const res = await form(`/affiliates/${s.slug}/apply`, fields)
  expect(res.status, await res.clone().text()).toBe(202)
  return (await partnerByEmail(fields.email))!
}

beforeAll(async () => {
  site = await createSite({ settings: { affiliate_commission_percent: 8.5, affiliate_window_days: 14, lang: 'ja' } })
  other = await createSite()
  staff = await signIn(site.key)
})

describe('the public application page', () => {
  it('shows the programme’s terms and the form, in the shop’s language or the one asked for', async () => {
    const ja = await (await call(`/affiliates/${site.slug}/apply`)).text()
    expect(ja).toContain('<html lang="ja">')
    expect(ja).toContain('クリックから14日以内の売上の8.5%')
    expect(ja).toContain('広告であることを必ず明記')
    const en = await (await call(`/affiliates/${site.slug}/apply`, { headers: { 'Accept-Language': 'en-GB' } })).text()
    expect(en).toContain('8.5% of each sale made within 14 days')
    expect(en).toContain('name="disclose"')
    expect(en).toContain('<input type="hidden" name="lang" value="en"/>')
    expect(
      (await call(`/affiliates/${site.slug}/apply?lang=ja`, { headers: { 'Accept-Language': 'en' } })).status,
    ).toBe(200)
    expect((await call(`/affiliates/no-such-shop/apply`)).status).toBe(404)
  })

  it('takes an application from the page: a thank-you page, and the partner stored in the page’s language', async () => {
    const fields = application({ name: '<b>青い</b>ブログ', lang: 'ja' })
    const res = await form(`/affiliates/${site.slug}/apply`, fields, { lang: 'ja' })
    expect(res.status).toBe(202)
    const html = await res.text()
    expect(html).toContain('お申し込みありがとうございます')
    expect(html).toContain(fields.email)
    expect(await partnerByEmail(fields.email)).toMatchObject({
      name: '<b>青い</b>ブログ',
      lang: 'ja',
      state: 'applied',
    })
  })

  it('refuses bad fields all at once in the page’s language, keeps what was typed and stores nothing', async () => {
    const fields = application({ email: 'not-an-address', blog_url: 'ftp://x', name: '', disclose: '' })
    const res = await form(`/affiliates/${site.slug}/apply?lang=ja`, fields)
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('<a href="#name">お名前（記事とともに表示されます）</a>: 入力してください')
    expect(html).toContain('<a href="#email">')
    expect(html).toContain('<a href="#blog_url">')
    expect(html).toContain('<a href="#disclose">')
    expect(html).toContain('value="not-an-address"')
    const long = await form(`/affiliates/${site.slug}/apply?lang=en`, application({ name: 'x'.repeat(101) }))
    expect(long.status).toBe(400)
    expect(await long.text()).toContain('must be at most 100 characters')
    expect(await partnerByEmail('not-an-address')).toBeUndefined()
  })

  it('says in words when the address already applied, and refuses a body that is not UTF-8', async () => {
    const fields = application()
    expect((await form(`/affiliates/${site.slug}/apply`, fields)).status).toBe(202)
    const again = await form(`/affiliates/${site.slug}/apply?lang=en`, fields)
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('This e-mail address has already applied')
    const sjis = await call(`/affiliates/${site.slug}/apply?lang=en`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=Shift_JIS', Accept: HTML },
      body: new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0x82, 0xa0]),
    })
    expect(sjis.status).toBe(400)
    expect(await sjis.text()).toContain('UTF-8')
  })

  it('still answers scripts with JSON', async () => {
    const res = await call(`/affiliates/${site.slug}/apply`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshIp() },
      body: JSON.stringify({ name: 'Script', email: `${unique('s')}@blog.example`, blog_url: 'https://s.example/' }),
    })
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({ state: 'applied' })
  })
})

describe('approval sends a one-time sign-in link', () => {
  it('e-mails it when the hub can send e-mail: the console shows neither a key nor the link', async () => {
    const p = await applied(site)
    const res = await decide(staff, site, p.id, { decision: 'approve' })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain(`A one-time sign-in link to the partner page was e-mailed to ${p.email}.`)
    expect(html).not.toMatch(/gh_pk_|\/sign-in\//)
    expect((await partnerByEmail(p.email))!.keyHash).toBeNull()
  })

  it('shows the link to pass on when it cannot; the link signs in once, after a button', async () => {
    const p = await applied(site)
    const res = await decide(staff, site, p.id, { decision: 'approve' }, noMail)
    const link = linkIn(await res.text())!
    expect(link).toContain(`/partners/${site.slug}/sign-in/`)
    const path = new URL(link).pathname
    // Opening the link (as a mail scanner would) does not sign in or use it up.
    const opened = await call(path)
    expect(opened.status).toBe(200)
    expect(opened.headers.get('Set-Cookie')).toBeNull()
    expect(opened.headers.get('Referrer-Policy')).toBe('no-referrer')
    expect(await opened.text()).toContain(`<form method="post" action="${path}">`)
    const used = await form(path, {})
    expect(used.status).toBe(303)
    const cookie = used.headers.get('Set-Cookie')!.split(';')[0]!
    const dashboard = await (await call(`/partners/${site.slug}`, { headers: { Cookie: cookie } })).text()
    expect(dashboard).toContain('Aoi Blog')
    expect(dashboard).toContain('Sign out')
    const again = await form(path, {})
    expect(again.status).toBe(410)
    expect(await again.text()).toContain('This sign-in link is not valid')
  })

  it('works for 7 days, on its own site only, and only while the partner is approved', async () => {
    const clock = testClock()
    const at = callAt(clock, { EMAIL: undefined })
    const p = await applied(site)
    const link = linkIn(await (await decide(staff, site, p.id, { decision: 'approve' }, at)).text())!
    const token = new URL(link).pathname.split('/').pop()!
    expect((await form(`/partners/${other.slug}/sign-in/${token}`, {})).status).toBe(410)
    clock.advance(7 * 86400_000 + 1)
    expect((await form(new URL(link).pathname, {}, { via: at })).status).toBe(410)
    const fresh = await landed(
      staff,
      form(
        `/admin/sites/${site.slug}/partners/${p.id}/sign-in-link?lang=en`,
        { _csrf: staff.csrf },
        { cookie: staff.cookie, via: noMail },
      ),
    )
    const second = new URL(linkIn(await fresh.text())!).pathname
    expect((await decide(staff, site, p.id, { decision: 'suspend' })).status).toBe(200)
    expect((await form(second, {})).status).toBe(410)
    expect((await form(`/partners/${site.slug}/sign-in/${'a'.repeat(40)}`, {})).status).toBe(410)
    expect((await form(`/partners/${site.slug}/sign-in/<script>`, {})).status).toBe(410)
  })

  it('sends an approved partner a new link on request, and refuses it for others, another site or no token', async () => {
    const p = await applied(site)
    await decide(staff, site, p.id, { decision: 'approve' })
    const sent = await landed(
      staff,
      form(
        `/admin/sites/${site.slug}/partners/${p.id}/sign-in-link?lang=en`,
        { _csrf: staff.csrf, send: '1' },
        { cookie: staff.cookie, via: noMail },
      ),
    )
    expect(sent.status).toBe(200)
    expect(linkIn(await sent.text())).toBeTruthy()
    const mailed = await landed(
      staff,
      form(
        `/admin/sites/${site.slug}/partners/${p.id}/sign-in-link?lang=en`,
        { _csrf: staff.csrf, send: '1' },
        { cookie: staff.cookie },
      ),
    )
    expect(await mailed.text()).toContain(`A new sign-in link was e-mailed to ${p.email}.`)
    const waiting = await applied(site)
    const refused = await form(
      `/admin/sites/${site.slug}/partners/${waiting.id}/sign-in-link?lang=en`,
      { _csrf: staff.csrf, send: '1' },
      { cookie: staff.cookie },
    )
    expect(refused.status).toBe(409)
    const theirs = await applied(other)
    const elsewhere = await form(
      `/admin/sites/${site.slug}/partners/${theirs.id}/sign-in-link`,
      { _csrf: staff.csrf },
      { cookie: staff.cookie },
    )
    expect(elsewhere.status).toBe(404)
    const forged = await form(`/admin/sites/${site.slug}/partners/${p.id}/sign-in-link`, {}, { cookie: staff.cookie })
    expect(forged.status).toBe(403)
  })
})

describe('approval and suspension keep old credentials dead', () => {
  it('voids the links and the key a partner had before a suspension', async () => {
    const p = await applied(site)
    const first = linkIn(await (await decide(staff, site, p.id, { decision: 'approve' }, noMail)).text())!
    // A link tried under another site's address is refused without being used up.
    const token = new URL(first).pathname.split('/').pop()!
    expect((await form(`/partners/${other.slug}/sign-in/${token}`, {})).status).toBe(410)
    const cookie = (await form(new URL(first).pathname, {})).headers.get('Set-Cookie')!.split(';')[0]!
    const dashboard = await (await call(`/partners/${site.slug}`, { headers: { Cookie: cookie } })).text()
    const csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard)![1]!
    const key = /<code>(gh_pk_[a-z2-9]+)<\/code>/.exec(
      await (await form(`/partners/${site.slug}/key`, { _csrf: csrf }, { cookie })).text(),
    )![1]!
    const spare = linkIn(
      await (
        await landed(
          staff,
          form(
            `/admin/sites/${site.slug}/partners/${p.id}/sign-in-link?lang=en`,
            { _csrf: staff.csrf },
            { cookie: staff.cookie, via: noMail },
          ),
        )
      ).text(),
    )!
    expect((await decide(staff, site, p.id, { decision: 'suspend' })).status).toBe(200)
    const again = linkIn(await (await decide(staff, site, p.id, { decision: 'approve' }, noMail)).text())!
    // Re-approved: the spare link from before and the old key stay dead; the new link works.
    expect((await form(new URL(spare).pathname, {})).status).toBe(410)
    const summary = await call(`/partners/${site.slug}/api/summary`, { headers: { Authorization: `Bearer ${key}` } })
    expect(summary.status).toBe(401)
    // The session opened before the suspension has ended too.
    const before = await (await call(`/partners/${site.slug}?lang=en`, { headers: { Cookie: cookie } })).text()
    expect(before).toContain('Or sign in with a partner key')
    expect((await form(new URL(again).pathname, {})).status).toBe(303)
  })

  it('queues the e-mail in the approval’s request; the partner’s page says whether it went out, the approval standing', async () => {
    const kept = keepingQueue()
    const at = callAt(() => Date.now(), { MAIL_QUEUE: kept.queue })
    const p = await applied(site)
    const html = await (await decide(staff, site, p.id, { decision: 'approve' }, at)).text()
    expect(html).toContain(`A one-time sign-in link to the partner page was e-mailed to ${p.email}.`)
    expect(linkIn(html)).toBeFalsy()
    expect(kept.sent).toHaveLength(1)
    const page = async (lang = 'en') =>
      (await get(staff, `/admin/sites/${site.slug}/partners/${p.id}?lang=${lang}`)).text()
    expect(await page()).toContain('· being e-mailed</dd>')

    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    let now = Date.now()
    const refused = await deliverMail(kept.sent, now, mailbox(true))
    expect(refused).toMatchObject({ acked: 0, retried: 1 })
    const { ref } = kept.sent[0] as { ref: string }
    expect(await outboxRow('mail', ref)).toMatchObject({ state: 'waiting', attempts: 1, last_failure: 'mail_refused' })
    expect(await page()).toContain('not e-mailed yet: the mail service refused it.')
    for (let attempt = 2; attempt <= MAIL_ATTEMPTS; attempt++) {
      now += 3_600_000
      await deliverMail(kept.sent, now, mailbox(true), attempt)
    }
    log.mockRestore()
    expect(await outboxRow('mail', ref)).toMatchObject({ state: 'gave_up', last_failure: 'mail_refused' })
    expect(await page()).toContain(
      '<strong>could not be e-mailed: the mail service refused it. Send a new link, or check the hub’s e-mail settings.</strong>',
    )
    expect(await page('ja')).toContain('メールで送信できませんでした（メールサービスが受け付けませんでした）')
    expect((await partnerByEmail(p.email))!.state).toBe('approved')

    // A link passed on by hand says so.
    const q = await applied(site)
    await decide(staff, site, q.id, { decision: 'approve' }, noMail)
    const passed = await (await get(staff, `/admin/sites/${site.slug}/partners/${q.id}?lang=en`)).text()
    expect(passed).toContain('shown to you to pass on (the hub sent no e-mail)')
  })
})

describe('a partner signed in with a link makes their own API key', () => {
  it('shows it once, it works on the partner API, and a new one replaces it', async () => {
    const p = await applied(site)
    const link = linkIn(await (await decide(staff, site, p.id, { decision: 'approve' }, noMail)).text())!
    const cookie = (await form(new URL(link).pathname, {})).headers.get('Set-Cookie')!.split(';')[0]!
    const page = await (await call(`/partners/${site.slug}`, { headers: { Cookie: cookie } })).text()
    expect(page).toContain('You have none yet.')
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!
    const made = async () => {
      const res = await form(`/partners/${site.slug}/key`, { _csrf: csrf }, { cookie })
      expect(res.status).toBe(200)
      return /<code>(gh_pk_[a-z2-9]+)<\/code>/.exec(await res.text())![1]!
    }
    const first = await made()
    const summary = (key: string) =>
      call(`/partners/${site.slug}/api/summary`, { headers: { Authorization: `Bearer ${key}` } })
    expect((await summary(first)).status).toBe(200)
    const second = await made()
    expect((await summary(first)).status).toBe(401)
    expect((await summary(second)).status).toBe(200)
    expect((await form(`/partners/${site.slug}/key`, {}, { cookie })).status).toBe(403)
    expect((await form(`/partners/${site.slug}/key`, { _csrf: csrf })).status).toBe(401)
  })
})

describe('the partner’s page speaks their language', () => {
  it('in the language they applied in, with money in the shop’s currency; ?lang= switches', async () => {
    const p = await applied(site, { lang: 'ja' })
    const link = linkIn(await (await decide(staff, site, p.id, { decision: 'approve' }, noMail)).text())!
    const cookie = (await form(new URL(link).pathname, {})).headers.get('Set-Cookie')!.split(';')[0]!
    const ja = await (await call(`/partners/${site.slug}`, { headers: { Cookie: cookie } })).text()
    expect(ja).toContain('<html lang="ja">')
    expect(ja).toMatch(/<dt>承認待ちの報酬<\/dt><dd>[￥¥]0<\/dd>/)
    expect(ja).toContain(`action="/partners/${site.slug}/links?lang=ja"`)
    const en = await (await call(`/partners/${site.slug}?lang=en`, { headers: { Cookie: cookie } })).text()
    expect(en).toContain('<dt>Commission waiting for approval</dt><dd>JP¥0</dd>')
    const csrf = /name="_csrf" value="([^"]+)"/.exec(ja)![1]!
    const refused = await form(`/partners/${site.slug}/links?lang=ja`, { _csrf: csrf, target: '' }, { cookie })
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('<a href="#target">商品</a>: 入力してください')
  })
})

describe('a partner asks for a new link by address', () => {
  it('answers the same whoever asks, and mails only an approved partner of this site', async () => {
    const page = await (await call(`/partners/${site.slug}`, { headers: { 'Accept-Language': 'en' } })).text()
    expect(page).toContain('E-mail me a sign-in link')
    const unknown = await form(`/partners/${site.slug}/sign-in`, { email: 'nobody@blog.example' })
    const p = await applied(site)
    await decide(staff, site, p.id, { decision: 'approve' })
    const known = await form(`/partners/${site.slug}/sign-in`, { email: p.email.toUpperCase() })
    expect(unknown.status).toBe(200)
    expect(known.status).toBe(200)
    const said = (html: string) => /<p class="ok" role="status">([^<]+)<\/p>/.exec(html)?.[1]
    expect(said(await unknown.text())).toBe(said(await known.text()))

    const kept = keptPost()
    const deps = { db: getDb(env.DB), mail: kept.post, hubOrigin: HUB }
    await requestSignInLink(deps, site.slug, 'nobody@blog.example', Date.now())
    await requestSignInLink(deps, other.slug, p.email, Date.now())
    expect(kept.sent).toHaveLength(0)
    await requestSignInLink(deps, site.slug, ` ${p.email.toUpperCase()} `, Date.now() + 10 * 60_000)
    // Asking again within five minutes sends nothing more.
    await requestSignInLink(deps, site.slug, p.email, Date.now() + 12 * 60_000)
    expect(kept.sent).toHaveLength(1)
    const box = mailbox()
    await deliverMail(kept.sent, Date.now() + 10 * 60_000, box)
    expect(box.sent).toHaveLength(1)
    expect(box.sent[0]!.to).toBe(p.email)
    const link = /https?:\/\/\S+\/sign-in\/[a-z0-9]+/.exec(box.sent[0]!.text)![0]
    expect((await form(new URL(link).pathname, {}, { via: callAt(Date.now() + 11 * 60_000) })).status).toBe(303)
    // A day after they expire, links are deleted by the cron.
    const tokenHash = await sha256Hex(new URL(link).pathname.split('/').pop()!)
    const stored = () =>
      env.DB.prepare('SELECT 1 FROM partner_sign_in_links WHERE token_hash = ?').bind(tokenHash).first()
    expect(await stored()).not.toBeNull()
    await forgetExpiredSignInLinks(getDb(env.DB), Date.now() + 9 * 86400_000)
    expect(await stored()).toBeNull()
  })

  it('writes the e-mail in the partner’s language and says posts must be marked as advertising', async () => {
    const ja = signInMail('ja', { shop: '田中商店', name: 'あおい', link: 'https://hub.example/x' })
    expect(ja.subject).toContain('田中商店')
    expect(ja.text).toContain('1回だけ使えます')
    expect(ja.text).toContain('広告であることを必ず明記')
    const en = signInMail('en', { shop: 'Tanaka', name: 'Aoi', link: 'https://hub.example/x' })
    expect(en.text).toContain('It works once, for 7 days.')
    const p = await applied(site)
    const approvedRow = { ...p, state: 'approved' as const }
    const out = await sendSignInLink(
      { db: getDb(env.DB), mail: null, hubOrigin: HUB },
      { id: await siteIdOf(site.slug), slug: site.slug, name: 'Shop' },
      approvedRow,
      Date.now(),
    )
    expect(out.emailed).toBe(false)
  })
})
