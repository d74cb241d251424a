/**
 * The API description against the API itself (test/helpers/openapi.ts): the operations of
 * reviews, the storefront's signed events, affiliates and the partner API, called with what they
 * need seeded through the API, each answer checked against the description.
 */
import { beforeAll, describe, expect, it } from 'vitest'

import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { freshIp } from '../helpers/linkbacks'
import { ANSWER_FILES, apiChecked, checked, loadDescription, uncalledOf } from '../helpers/openapi'
import { inboundSecret, invite, order, postSigned, reviewPath } from '../helpers/reviews'
import { sendWebhook, shopifyProduct, wooOrder } from '../helpers/shops'

/** The smallest PNG the review form takes (it knows images by their first bytes). */
function png(): Uint8Array {
  const chunk = (type: string, data: number[]) => [
    0,
    0,
    0,
    data.length,
    ...new TextEncoder().encode(type),
    ...data,
    0,
    0,
    0,
    0,
  ]
  return new Uint8Array([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
    ...chunk('IDAT', [1, 2, 3]),
    ...chunk('IEND', []),
  ])
}

type FeedPhotos = { items: { content_text: string; _glasshouse: { photos: { url: string }[] } }[] }

beforeAll(loadDescription)

describe('every documented operation of reviews and affiliates answers as described', () => {
  let s: SiteFixture
  let product: { id: string; url: string }

  beforeAll(async () => {
    s = await createSite(PUBLISH_PINGS_AT_ONCE)
    product = await createTarget(s, unique('tee'), 'T-shirt')
  })

  it('reviews: storefront orders, invitations, coupons, erasure, a blog review', async () => {
    const base = `/api/sites/${s.slug}`
    await apiChecked('post', '/api/sites/{site}/inbound-secret', `${base}/inbound-secret`, s.key, undefined, 201)
    const secret = await inboundSecret(s)
    const bought = order([product.id])
    await checked('post', '/hooks/{site}/orders', await postSigned(s, secret, JSON.stringify(bought)))
    await checked('post', '/hooks/{site}/orders', await postSigned(s, secret, JSON.stringify(bought)))
    await apiChecked('get', '/api/sites/{site}/invitations', `${base}/invitations?limit=5`, s.key, undefined, 200)
    const invitation = `${base}/invitations/${bought.order_id}`
    await apiChecked('get', '/api/sites/{site}/invitations/{order}', invitation, s.key, undefined, 200)
    await apiChecked(
      'post',
      '/api/sites/{site}/coupons',
      `${base}/coupons`,
      s.key,
      { codes: ['OA-1', 'OA-2', 'OA-1'] },
      201,
    )
    await apiChecked('get', '/api/sites/{site}/coupons', `${base}/coupons`, s.key, undefined, 200)
    // A review with a photo, written on the hosted review form: the photo is served as an image.
    const reviewed = await invite(s, secret, order([product.id]))
    const form = new FormData()
    form.set('name', 'Pho')
    form.set('rating_0', '4')
    form.set('text_0', 'With a photo')
    form.append('photos_0', new File([png()], 'p.png', { type: 'image/png' }))
    const sent = await call(await reviewPath(reviewed.id), { method: 'POST', body: form, redirect: 'manual' })
    expect(sent.status, await sent.clone().text()).toBe(303)
    const items = (await (await call(`/feeds/${s.slug}.json?target=${product.id}`)).json<FeedPhotos>()).items
    const photo = items.find((i) => i.content_text === 'With a photo')!._glasshouse.photos[0]!
    await checked('get', '/photos/{review}/{n}', await call(new URL(photo.url).pathname))
    await apiChecked('post', '/api/sites/{site}/erasure', `${base}/erasure`, s.key, { order_id: bought.order_id }, 200)
    await apiChecked('get', '/api/sites/{site}/erasure', `${base}/erasure`, s.key, undefined, 200)
    const post = `https://${unique('blog')}.example/review`
    await servePage(post, { body: html(`<p>A good tee: <a href="${product.url}">this one</a>.</p>`) })
    const review = await call(`/reviews/${s.slug}/blog`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshIp() },
      body: JSON.stringify({ source: post, target: product.id, rating: 4, name: 'Ken' }),
    })
    await checked('post', '/reviews/{site}/blog', review)
  })

  it('affiliates: an application, the decision, the partner API, a click, a sale, the ledger', async () => {
    const applied = await call(`/affiliates/${s.slug}/apply`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': freshIp() },
      body: JSON.stringify({
        name: 'Blogger',
        email: `${unique('p')}@blog.example`,
        blog_url: 'https://blog.example/',
      }),
    })
    const { id } = await checked<{ id: string }>('post', '/affiliates/{site}/apply', applied)
    const base = `/api/sites/${s.slug}/partners`
    await apiChecked('get', '/api/sites/{site}/partners', `${base}?state=applied`, s.key, undefined, 200)
    const decided = await apiChecked<{ key: string }>(
      'post',
      '/api/sites/{site}/partners/{id}/decision',
      `${base}/${id}/decision`,
      s.key,
      { decision: 'approve' },
      200,
    )
    const partner = `/partners/${s.slug}/api`
    const link = await apiChecked<{ code: string }>(
      'post',
      '/partners/{site}/api/links',
      `${partner}/links`,
      decided.key,
      { target: product.id },
      201,
    )
    await apiChecked('get', '/partners/{site}/api/links', `${partner}/links`, decided.key, undefined, 200)
    const click = await call(`/r/${link.code}`, {
      redirect: 'manual',
      headers: { 'User-Agent': 'Mozilla/5.0 Chrome/130.0' },
    })
    await checked('get', '/r/{code}', click)
    const clickId = new URL(click.headers.get('Location')!).searchParams.get('gh_click')
    const sale = { order_id: unique('sale'), event: 'sale', amount: 5000, currency: 'JPY', click_id: clickId }
    const secret = await inboundSecret(s)
    await checked(
      'post',
      '/hooks/{site}/conversions',
      await postSigned(s, secret, JSON.stringify(sale), { hook: 'conversions' }),
    )
    await apiChecked('get', '/partners/{site}/api/summary', `${partner}/summary`, decided.key, undefined, 200)
    await apiChecked('get', '/partners/{site}/api/commissions', `${partner}/commissions`, decided.key, undefined, 200)
    const post = { url: `https://${unique('blog')}.example/tee`, target: product.id }
    await apiChecked('post', '/partners/{site}/api/posts', `${partner}/posts`, decided.key, post, 202)
    await apiChecked(
      'delete',
      '/partners/{site}/api/links/{code}',
      `${partner}/links/${link.code}`,
      decided.key,
      undefined,
      200,
    )
    const step = `${base}/${id}/commissions`
    await apiChecked('post', '/api/sites/{site}/partners/{id}/commissions', step, s.key, { action: 'approve' }, 200)
    const csv = await checked<string>(
      'get',
      '/api/sites/{site}/commissions.csv',
      await api('GET', `/api/sites/${s.slug}/commissions.csv`, undefined, s.key),
    )
    expect(csv.split('\n').length).toBeGreaterThan(1)
  })
})

describe('every documented operation of the shop platforms answers as described', () => {
  it('connects a site, takes a Shopify and a WooCommerce webhook, lists them, disconnects', async () => {
    const s = await createSite()
    const base = `/api/sites/${s.slug}/shop`
    expect(await apiChecked('get', '/api/sites/{site}/shop', base, s.key, undefined, 200)).toMatchObject({
      connection: null,
    })
    const clock = () => Date.now()
    const shopify = { platform: 'shopify', shop_address: `${s.slug}.myshopify.com`, secret: 'shpss_openapi-1' }
    await apiChecked('put', '/api/sites/{site}/shop', base, s.key, shopify, 200)
    const one = { ...s, secret: shopify.secret, address: shopify.shop_address }
    await checked(
      'post',
      '/hooks/{site}/shopify',
      (await sendWebhook(one, 'shopify', 'products/create', shopifyProduct(1, 'tee', 'Tee'), { clock })).res,
    )
    await checked(
      'post',
      '/hooks/{site}/shopify',
      (await sendWebhook(one, 'shopify', 'products/create', {}, { clock, secret: 'forged' })).res,
    )
    const woo = { platform: 'woocommerce', shop_address: s.origin, secret: 'wc-secret-openapi' }
    await apiChecked('put', '/api/sites/{site}/shop', base, s.key, woo, 200)
    const two = { ...s, secret: woo.secret, address: s.origin }
    await checked(
      'post',
      '/hooks/{site}/woocommerce',
      (await sendWebhook(two, 'woocommerce', 'order.created', wooOrder(2, [1]), { clock })).res,
    )
    await checked(
      'post',
      '/hooks/{site}/woocommerce',
      (await sendWebhook(two, 'woocommerce', 'order.created', '{', { clock })).res,
    )
    const listed = await apiChecked<{ deliveries: unknown[] }>(
      'get',
      '/api/sites/{site}/shop',
      `${base}?lang=ja`,
      s.key,
      undefined,
      200,
    )
    expect(listed.deliveries.length).toBe(4)
    await apiChecked('put', '/api/sites/{site}/shop', base, s.key, { ...woo, shop_address: 'ftp://x' }, 400)
    await apiChecked('delete', '/api/sites/{site}/shop', base, s.key, undefined, 204)
    await checked(
      'post',
      '/hooks/{site}/woocommerce',
      (await sendWebhook(two, 'woocommerce', 'order.created', wooOrder(2, [1]), { clock })).res,
    )
  })
})

describe('coverage', () => {
  it('called every documented operation of its tags (Reviews, Storefront events, Shop platforms, Affiliates, Partner API) but the ones not called on purpose', () => {
    expect(uncalledOf(ANSWER_FILES['answers-commerce.test.ts'])).toEqual([])
  })
})
