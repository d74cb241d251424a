/**
 * Blog reviews: a blogger submits their post's URL, the product, a rating and a name. The
 * post must link to the product (the Webmention verification pipeline); with a valid review
 * link it is a verified purchase. Also: Turnstile when configured, erasure requests, and the
 * Worker's real send_email binding.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { createApp } from '../../src/app'
import { getDb } from '../../src/db/client'
import { invitations, voices } from '../../src/db/schema'
import { mailerOf } from '../../src/common/mail'
import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, type SiteFixture, unique } from '../helpers/factories'
import { api, call, HUB } from '../helpers/http'
import { freshIp, settled } from '../helpers/linkbacks'
import { inboundSecret, invite, order, postForm, reviewPath, tokenOf } from '../helpers/reviews'

let site: SiteFixture
let secret: string
let product: { id: string; url: string }

const db = () => getDb(env.DB)

beforeAll(async () => {
  site = await createSite({ settings: { coupons: { mode: 'generated', prefix: 'BLOG' } } })
  secret = await inboundSecret(site)
  product = await createTarget(site, unique('kettle'), 'Kettle')
})

async function post(linkTo: string | null, words = 'I tried the kettle for a month.') {
  const url = `https://${unique('blog')}.example/kettle-review`
  await servePage(url, {
    body: html(
      `<article class="h-entry"><h1 class="p-name">Kettle review</h1><p class="e-content">${words} ${linkTo ? `<a href="${linkTo}">the kettle</a>` : ''}</p></article>`,
    ),
  })
  return url
}

const submit = (fields: Record<string, unknown>, json = true) =>
  call(`/reviews/${site.slug}/blog`, {
    method: 'POST',
    headers: {
      'Content-Type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      'CF-Connecting-IP': freshIp(),
    },
    body: json ? JSON.stringify(fields) : new URLSearchParams(fields as Record<string, string>).toString(),
  })

describe('POST /reviews/{site}/blog', () => {
  it('publishes the post as a review once it is found to link to the product', async () => {
    const source = await post(product.url)
    const res = await submit({ source, target: product.id, rating: 2, name: 'Blogger Ken' })
    expect(res.status, await res.clone().text()).toBe(202)
    const out = await res.json<{ id: string; location: string; verified_purchase: boolean }>()
    expect(out.verified_purchase).toBe(false)
    expect((await settled(out.location)).status).toBe('verified')
    const m = await db().select().from(voices).where(eq(voices.id, out.id)).get()
    expect(m).toMatchObject({
      kind: 'review',
      status: 'published',
      rating: 2,
      sentiment: 'negative',
      sentimentBy: 'rating',
      authorName: 'Blogger Ken',
      verifiedPurchase: false,
      title: 'Kettle review',
    })
    const rating = (
      await (await call(`/feeds/${site.slug}/trust.json?target=${product.id}`)).json<{ rating: { count: number } }>()
    ).rating
    expect(rating.count).toBeGreaterThanOrEqual(1)
  })

  it('takes a form post too, with the product named by URL; a post without the link is rejected', async () => {
    const source = await post(null)
    const res = await submit({ source, target: product.url, rating: '5', name: 'No Link' }, false)
    expect(res.status).toBe(202)
    const status = await settled((await res.json<{ location: string }>()).location)
    expect(status.status).toBe('rejected')
  })

  it('is a verified purchase with a valid review link, which it uses up (and gives the coupon)', async () => {
    const inv = await invite(site, secret, order([product.id]))
    const source = await post(product.url)
    const res = await submit({
      source,
      target: product.id,
      rating: 4,
      name: 'Buyer Blog',
      token: await tokenOf(inv.id),
    })
    expect(res.status, await res.clone().text()).toBe(202)
    const out = await res.json<{
      id: string
      location: string
      verified_purchase: boolean
      coupon_code: string | null
    }>()
    expect(out.verified_purchase).toBe(true)
    expect(out.coupon_code).toMatch(/^BLOG-/)
    await settled(out.location)
    const m = await db().select().from(voices).where(eq(voices.id, out.id)).get()
    expect(m).toMatchObject({
      verifiedPurchase: true,
      invitationId: inv.id,
      disclosure: 'incentivized',
      status: 'published',
    })
    expect((await db().select().from(invitations).where(eq(invitations.id, inv.id)).get())?.state).toBe('used')
    // The link now shows that review, and cannot be used again.
    expect(await (await call(await reviewPath(inv.id))).text()).toContain('Your reviews')
    const again = await submit({
      source: await post(product.url),
      target: product.id,
      rating: 4,
      name: 'Again',
      token: await tokenOf(inv.id),
    })
    expect(again.status).toBe(409)
  })

  it('refuses another shop’s link, a link for another product, forged links and bad fields', async () => {
    const other = await createSite()
    const otherSecret = await inboundSecret(other)
    const otherProduct = (await createTarget(other)).id
    const foreign = await invite(other, otherSecret, order([otherProduct]))
    const source = await post(product.url)
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [
        { source, target: product.id, rating: 4, name: 'X', token: await tokenOf(foreign.id) },
        400,
        /not a valid review link of this shop/,
      ],
      [
        { source, target: product.id, rating: 4, name: 'X', token: `${foreign.id}.forged` },
        400,
        /not a valid review link/,
      ],
      [{ source, target: product.id, rating: 0, name: 'X' }, 400, /from 1 to 5/],
      [{ source, target: product.id, rating: 6, name: 'X' }, 400, /from 1 to 5/],
      [{ source, target: product.id, rating: '4.5', name: 'X' }, 400, /whole number/],
      [{ source, target: product.id, rating: 4 }, 400, /name/],
      [{ source: 'not a url', target: product.id, rating: 4, name: 'X' }, 400, /absolute http/],
      [{ source: `${site.origin}/own-page`, target: product.id, rating: 4, name: 'X' }, 400, /own storefront/],
      [{ source, target: 'no-such-product', rating: 4, name: 'X' }, 400, /no such product/],
      [{ source, target: 'https://elsewhere.example/p', rating: 4, name: 'X' }, 400, /not on this site/],
    ]
    const unrelated = (await createTarget(site)).id
    const inv = await invite(site, secret, order([unrelated]))
    cases.push([
      { source, target: product.id, rating: 4, name: 'X', token: await tokenOf(inv.id) },
      400,
      /not part of that order/,
    ])
    for (const [fields, status, message] of cases) {
      const res = await submit(fields)
      expect(res.status, JSON.stringify(fields)).toBe(status)
      expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(message)
    }
    expect(await db().select().from(voices).where(eq(voices.sourceUrl, source)).all()).toHaveLength(0)
    expect((await submit({ source, target: product.id, rating: 4, name: 'X' }, true)).status).toBe(202)
    const dup = await submit({ source, target: product.id, rating: 1, name: 'X' })
    expect(dup.status).toBe(409)
  })

  it('refuses non-UTF-8 bodies, other content types, oversize bodies and unknown sites', async () => {
    const sjis = await call(`/reviews/${site.slug}/blog`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'source=https%3A%2F%2Fb.example%2F&target=x&rating=5&name=%82%A0',
    })
    expect(sjis.status).toBe(400)
    expect((await sjis.json<{ error: { message: string } }>()).error.message).toMatch(/UTF-8/)
    expect(
      (
        await call(`/reviews/${site.slug}/blog`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: 'hi',
        })
      ).status,
    ).toBe(415)
    expect(
      (
        await call(`/reviews/${site.slug}/blog`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '[1,2]',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await call(`/reviews/${site.slug}/blog`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ pad: 'x'.repeat(20_000) }),
        })
      ).status,
    ).toBe(413)
    const source = await post(product.url)
    expect(
      (
        await call('/reviews/no-such-site/blog', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ source, target: 'x', rating: 3, name: 'X' }),
        })
      ).status,
    ).toBe(404)
  })
})

describe('Turnstile, when TURNSTILE_SECRET is set', () => {
  const SITEVERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'
  const withTurnstile = async (path: string, init: RequestInit) => {
    const ctx = createExecutionContext()
    const res = await createApp().fetch(
      new Request(HUB + path, init),
      { ...env, TURNSTILE_SECRET: 'test-secret', TURNSTILE_SITE_KEY: '0xSITEKEY' },
      ctx,
    )
    await waitOnExecutionContext(ctx)
    return res
  }

  it('shows the widget and refuses a submission that fails Siteverify', async () => {
    await servePage(SITEVERIFY, {
      body: JSON.stringify({ success: false }),
      headers: { 'Content-Type': 'application/json' },
    })
    const inv = await invite(site, secret, order([product.id]))
    const path = await reviewPath(inv.id)
    const page = await (await withTurnstile(path, {})).text()
    expect(page).toContain('data-sitekey="0xSITEKEY"')
    const form = new URLSearchParams({
      name: 'T',
      rating_0: '5',
      text_0: 'with turnstile',
      'cf-turnstile-response': 'token',
    }).toString()
    const refused = await withTurnstile(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    })
    expect(refused.status).toBe(400)
    const blog = await withTurnstile(`/reviews/${site.slug}/blog`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ source: await post(product.url), target: product.id, rating: 3, name: 'T' }),
    })
    expect(blog.status).toBe(403)

    await servePage(SITEVERIFY, {
      body: JSON.stringify({ success: true }),
      headers: { 'Content-Type': 'application/json' },
    })
    const passed = await withTurnstile(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    })
    expect(passed.status).toBe(303)
  })
})

describe('erasure on request', () => {
  it('erases a buyer’s address, name and photos, found by address or order; optionally removes the reviews', async () => {
    const inv = await invite(
      site,
      secret,
      order([product.id], { customer: { email: 'Erase.Me@mail.example', name: 'Erase Me' } }),
    )
    await postForm(await reviewPath(inv.id), { name: 'Erase Me', rating_0: '3', text_0: 'to be erased' })
    const other = await createSite()
    expect(
      (await api('POST', `/api/sites/${site.slug}/erasure`, { email: 'erase.me@mail.example' }, other.key)).status,
    ).toBe(404)
    expect((await api('POST', `/api/sites/${site.slug}/erasure`, {}, site.key)).status).toBe(400)
    expect((await api('POST', `/api/sites/${site.slug}/erasure`, { email: 'nope' }, site.key)).status).toBe(400)

    const res = await api('POST', `/api/sites/${site.slug}/erasure`, { email: ' ERASE.me@mail.example ' }, site.key)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ invitations: 1, reviews: 1 })
    const row = await db().select().from(invitations).where(eq(invitations.id, inv.id)).get()
    expect(row).toMatchObject({ emailHash: null, emailSealed: null, customerName: null })
    expect(row?.erasedAt).not.toBeNull()
    const review = await db().select().from(voices).where(eq(voices.invitationId, inv.id)).get()
    expect(review).toMatchObject({ authorName: null, status: 'published' })

    const byOrder = await api(
      'POST',
      `/api/sites/${site.slug}/erasure`,
      { order_id: inv.order_id, remove_reviews: true },
      site.key,
    )
    expect(await byOrder.json()).toEqual({ invitations: 1, reviews: 1 })
    expect((await db().select().from(voices).where(eq(voices.invitationId, inv.id)).get())?.status).toBe('removed')
  })
})

describe('the send_email binding', () => {
  it('sends the invitation through the Worker’s EMAIL binding when configured', async () => {
    const mailer = mailerOf(env)
    expect(mailer).not.toBeNull()
    await mailer!('buyer@mail.example', {
      subject: 'How was your order from Shop?',
      text: 'Hello,\nhttps://hub.test/review/x',
    })
    expect(mailerOf({ ...env, EMAIL: undefined })).toBeNull()
  })
})
