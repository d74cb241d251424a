/**
 * The hosted review form: a buyer's link opens a form for the order's products; the review
 * is a published, verified-purchase voice whose sentiment comes from its stars; every review
 * gets the thank-you coupon alike; the link then edits, deletes, and answers "did the shop's
 * response resolve it?". Bad links, bad input and bursts.
 */
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'

import { getDb } from '../../src/db/client'
import { invitations, reviewRevisions } from '../../src/db/schema'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, type SiteFixture, unique } from '../helpers/factories'
import { api, call, callAt, rowsRead } from '../helpers/http'
import { eventually } from '../helpers/linkbacks'
import { servePage } from '../helpers/blogs'
import { inboundSecret, invite, order, postForm, reviewPath, runInvitationCron } from '../helpers/reviews'
import { pingVoice } from '../helpers/voices'

type FeedItem = {
  id: string
  title?: string
  content_text: string
  authors?: { name?: string }[]
  _glasshouse: {
    kind: string
    rating: number | null
    sentiment: string | null
    disclosure: string | null
    verified_purchase: boolean
    edited_at: string | null
    author_verdict: { resolved: boolean } | null
    photos: { url: string; type: string }[]
    responses: { content_text: string }[]
  }
}
type Feed = {
  items: FeedItem[]
  _glasshouse: { rating: { count: number; average: number | null; histogram: Record<string, number> } }
}

let site: SiteFixture
let secret: string
let tee: string
let mug: string

const db = () => getDb(env.DB)
const feedOf = async (s: SiteFixture, target?: string) =>
  (await call(`/feeds/${s.slug}.json${target ? `?target=${target}` : ''}`)).json<Feed>()

beforeAll(async () => {
  site = await createSite({ settings: { coupons: { mode: 'pool', offer: '10% off' } } })
  secret = await inboundSecret(site)
  tee = (await createTarget(site, unique('tee'), 'Linen <b>tee</b>')).id
  mug = (await createTarget(site, unique('mug'), 'Mug')).id
  const codes = Array.from({ length: 20 }, (_, i) => `CODE${i}`)
  expect((await api('POST', `/api/sites/${site.slug}/coupons`, { codes }, site.key)).status).toBe(201)
})

async function linkFor(items = [tee, mug], lang?: string) {
  const inv = await invite(site, secret, order(items, lang ? { lang } : {}))
  return { inv, path: await reviewPath(inv.id) }
}

describe('the form', () => {
  it('shows each product of the order, privately (no cache, no referrer, no index), escaped', async () => {
    const { path } = await linkFor()
    const res = await call(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer')
    expect(res.headers.get('X-Robots-Tag')).toBe('noindex')
    const page = await res.text()
    expect(page).toContain('Linen &lt;b&gt;tee&lt;/b&gt;')
    expect(page).toContain('name="rating_0"')
    expect(page).toContain('name="rating_1"')
    expect(page).toContain('whatever the rating. (10% off)')
    expect(page).toContain('<meta name="viewport"')
    expect(page).not.toContain('<script')
    const ja = await (await call(`${path}?lang=ja`)).text()
    expect(ja).toContain('評価の内容にかかわらず')
  })

  it('opens in the order’s language', async () => {
    const { path } = await linkFor([tee], 'ja')
    expect(await (await call(path)).text()).toContain('レビューを公開する')
  })

  it('refuses forged, altered and expired links', async () => {
    const { inv, path } = await linkFor([tee])
    expect((await call(`/review/${inv.id}.AAAA`)).status).toBe(404)
    expect((await call(`${path}x`)).status).toBe(404)
    expect((await call('/review/inv_aaaaaaaaaaaaaaaa.forged')).status).toBe(404)
    expect((await call('/review/garbage')).status).toBe(404)
    expect((await postForm('/review/garbage', { name: 'x', rating_0: '5', text_0: 'x' })).status).toBe(404)
    // The same link, on the hub's clock: open until its expiry, gone after it (no row changes).
    const expiresAt = Date.parse(inv.expires_at)
    expect((await callAt(expiresAt - 1000)(path)).status).toBe(200)
    const later = callAt(expiresAt + 1000)
    const expired = await later(path)
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('expired')
    expect((await postForm(path, { name: 'x', rating_0: '5', text_0: 'late' }, later)).status).toBe(410)
    expect((await call(path)).status).toBe(200)
  })
})

describe('submitting', () => {
  it('publishes a verified-purchase review with sentiment from the stars, and the coupon', async () => {
    const { inv, path } = await linkFor()
    const res = await postForm(path, {
      name: 'Aki',
      rating_0: '1',
      title_0: 'Shrank',
      text_0: 'It shrank after one wash.',
      rating_1: '5',
      text_1: 'Lovely mug.',
    })
    expect(res.status, await res.clone().text()).toBe(303)
    expect(res.headers.get('Location')).toBe(`${path}?thanks=1`)

    const page = await (await call(`${path}?thanks=1`)).text()
    expect(page).toContain('Thank you')
    const code = /class="coupon">([^<]+)</.exec(page)?.[1]
    expect(code).toMatch(/^CODE\d+$/)

    const feed = await feedOf(site)
    const one = feed.items.find((i) => i.content_text === 'It shrank after one wash.')!
    expect(one._glasshouse).toMatchObject({
      kind: 'review',
      rating: 1,
      sentiment: 'negative',
      verified_purchase: true,
      disclosure: 'incentivized',
    })
    expect(one.title).toBe('Shrank')
    expect(one.authors?.[0]?.name).toBe('Aki')
    const five = feed.items.find((i) => i.content_text === 'Lovely mug.')!
    expect(five._glasshouse).toMatchObject({ rating: 5, sentiment: 'positive' })

    const row = await db().select().from(invitations).where(eq(invitations.id, inv.id)).get()
    expect(row).toMatchObject({ state: 'used', emailSealed: null, customerName: null, couponCode: code })
  })

  it('gives a 1-star review exactly the coupon a 5-star one gets', async () => {
    const low = await linkFor([tee])
    const high = await linkFor([tee])
    await postForm(low.path, { name: 'Low', rating_0: '1', text_0: 'Bad.' })
    await postForm(high.path, { name: 'High', rating_0: '5', text_0: 'Great.' })
    const rows = await db()
      .select()
      .from(invitations)
      .where(
        eq(
          invitations.siteId,
          (await db().select().from(invitations).where(eq(invitations.id, low.inv.id)).get())!.siteId,
        ),
      )
      .all()
    const lowRow = rows.find((r) => r.id === low.inv.id)!
    const highRow = rows.find((r) => r.id === high.inv.id)!
    expect(lowRow.couponCode).toMatch(/^CODE\d+$/)
    expect(highRow.couponCode).toMatch(/^CODE\d+$/)
    const lowPage = (await (await call(low.path)).text()).replace(/CODE\d+/, 'CODE')
    const highPage = (await (await call(high.path)).text()).replace(/CODE\d+/, 'CODE')
    const couponLine = (p: string) => /<p>Your thank-you coupon[^]*?<\/p>/.exec(p)?.[0]
    expect(couponLine(lowPage)).toBe(couponLine(highPage))
  })

  it('makes one set of reviews from a burst of submissions', async () => {
    const { inv, path } = await linkFor([tee])
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => postForm(path, { name: `Burst ${i}`, rating_0: '4', text_0: `burst ${inv.id}` })),
    )
    expect(results.every((r) => r.status === 303)).toBe(true)
    const feed = await feedOf(site, tee)
    expect(feed.items.filter((i) => i.content_text === `burst ${inv.id}`)).toHaveLength(1)
    // A later post of the used link changes nothing.
    expect((await postForm(path, { name: 'Again', rating_0: '1', text_0: `again ${inv.id}` })).status).toBe(303)
    expect((await feedOf(site, tee)).items.some((i) => i.content_text === `again ${inv.id}`)).toBe(false)
  })

  it('refuses bad input with the form again, keeping what was typed, and stores nothing', async () => {
    const { path } = await linkFor([tee])
    const cases: [Record<string, string>, RegExp][] = [
      [{ name: 'A', rating_0: '0', text_0: 'kept text zero' }, /from 1 to 5/],
      [{ name: 'A', rating_0: '6', text_0: 'kept text six' }, /from 1 to 5/],
      [{ name: 'A', rating_0: 'five', text_0: 'x' }, /whole number/],
      [{ name: 'A', rating_0: '3', text_0: '   ' }, /must not be empty/],
      [{ name: 'A', rating_0: '3', text_0: 'x'.repeat(100_000) }, /at most 5000/],
      [{ name: '', rating_0: '3', text_0: 'no name' }, /must not be empty/],
      [{ name: 'A', rating_0: '', text_0: '' }, /Rating/],
    ]
    for (const [fields, message] of cases) {
      const res = await postForm(path, fields)
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(400)
      const page = await res.text()
      expect(page).toMatch(message)
      if (fields.text_0?.startsWith('kept')) expect(page).toContain(fields.text_0)
    }
    // Still open: nothing was used up.
    expect(await (await call(path)).text()).toContain('name="rating_0"')
  })

  it('refuses a body that is not UTF-8 and a product that is not in the order', async () => {
    const { path } = await linkFor([tee])
    // "とても良い" in Shift_JIS, as an old phone would send it.
    const sjis = 'name=A&rating_0=5&text_0=%82%C6%82%C4%82%E0%97%C7%82%A2'
    const res = await call(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: sjis,
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('not sent as UTF-8')
    const declared = await call(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=Shift_JIS' },
      body: 'name=A&rating_0=5&text_0=ok',
    })
    expect(declared.status).toBe(400)
    const json = await call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    expect(json.status).toBe(415)
    expect(await (await call(path)).text()).toContain('name="rating_0"')
  })

  it('keeps markup and scripts as text everywhere', async () => {
    const { path } = await linkFor([tee])
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    const name = '<script>alert(3)</script>'
    const res = await postForm(path, { name, rating_0: '2', title_0: evil, text_0: `${evil} body` })
    expect(res.status).toBe(303)
    const page = await (await call(path)).text()
    expect(page).not.toContain('<script>alert')
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    const item = (await feedOf(site, tee)).items.find(
      (i) => i.content_text.endsWith(' body') && i.content_text.includes('alert(2)'),
    )!
    expect(item.authors?.[0]?.name).toBe(name)
    expect(item.title).toBe(evil)
    // JSON-LD is pasted into a <script> element by storefronts: no reviewer can close it.
    const ld = await (await call(`/feeds/${site.slug}/jsonld?target=${tee}`)).text()
    expect(ld).not.toMatch(/[<>]/)
    expect(JSON.stringify(JSON.parse(ld))).toContain('</script>')
  })
})

describe('after submitting', () => {
  it('lets the reviewer edit within the window, keeping the history, the responses and the counters right', async () => {
    const { path } = await linkFor([tee])
    await postForm(path, { name: 'Edi', rating_0: '1', text_0: 'first words' })
    const item = (await feedOf(site, tee)).items.find((i) => i.content_text === 'first words')!
    const answered = await api(
      'POST',
      `/api/mentions/${item.id}/responses`,
      { stage: 'apology', body: 'We are sorry.', author: { name: 'Shop' } },
      site.key,
    )
    expect(answered.status).toBe(201)
    const before = (await feedOf(site, tee))._glasshouse.rating

    const edit = await postForm(`${path}/reviews/${item.id}`, {
      rating: '4',
      title: 'Better now',
      text: 'second words',
    })
    expect(edit.status).toBe(303)
    const after = await feedOf(site, tee)
    const edited = after.items.find((i) => i.id === item.id)!
    expect(edited._glasshouse).toMatchObject({ rating: 4, sentiment: 'positive' })
    expect(edited.content_text).toBe('second words')
    expect(edited._glasshouse.edited_at).not.toBeNull()
    expect(edited._glasshouse.responses[0]?.content_text).toBe('We are sorry.')
    expect(after._glasshouse.rating.histogram['1']).toBe(before.histogram['1']! - 1)
    expect(after._glasshouse.rating.histogram['4']).toBe(before.histogram['4']! + 1)
    const history = await db().select().from(reviewRevisions).where(eq(reviewRevisions.voiceId, item.id)).all()
    expect(history).toMatchObject([{ rating: 1, body: 'first words' }])
    const detail = await (
      await api('GET', `/api/mentions/${item.id}`, undefined, site.key)
    ).json<{ revisions: unknown[]; review: { edited_at: string | null } }>()
    expect(detail.revisions).toMatchObject([{ rating: 1, body: 'first words' }])
    expect(detail.review.edited_at).not.toBeNull()

    expect((await postForm(`${path}/reviews/${item.id}`, { rating: '9', text: 'x' })).status).toBe(400)
    // The rebuild agrees with the counters kept on write.
    const rebuilt = await api('POST', `/api/sites/${site.slug}/stats/rebuild`)
    expect(rebuilt.status).toBe(200)
    expect((await feedOf(site, tee))._glasshouse.rating).toEqual(after._glasshouse.rating)
  })

  it('closes editing after the window, and another link cannot touch the review', async () => {
    const { inv, path } = await linkFor([tee])
    await postForm(path, { name: 'Late', rating_0: '3', text_0: `window ${inv.id}` })
    const item = (await feedOf(site, tee)).items.find((i) => i.content_text === `window ${inv.id}`)!
    const other = await linkFor([tee])
    await postForm(other.path, { name: 'Other', rating_0: '3', text_0: `other ${inv.id}` })
    expect((await postForm(`${other.path}/reviews/${item.id}`, { rating: '1', text: 'hijack' })).status).toBe(404)
    expect((await postForm(`${other.path}/reviews/${item.id}/delete`, {})).status).toBe(404)
    // Once the hub's clock is past the edit window, the review stays as it is.
    const { editUntil } = (await db()
      .select({ editUntil: invitations.editUntil })
      .from(invitations)
      .where(eq(invitations.id, inv.id))
      .get())!
    const later = callAt(editUntil! + 1000)
    expect((await postForm(`${path}/reviews/${item.id}`, { rating: '1', text: 'too late' }, later)).status).toBe(409)
    expect(await (await later(path)).text()).toContain('The time to edit has passed')
  })

  it('lets the reviewer say whether the answer resolved it, shown in the feed', async () => {
    const { path } = await linkFor([tee])
    await postForm(path, { name: 'Ver', rating_0: '2', text_0: 'verdict please' })
    const item = (await feedOf(site, tee)).items.find((i) => i.content_text === 'verdict please')!
    expect((await postForm(`${path}/reviews/${item.id}/verdict`, { resolved: 'yes' })).status).toBe(409)
    const answered = await api(
      'POST',
      `/api/mentions/${item.id}/responses`,
      { stage: 'resolution', body: 'Replaced it.', author: { name: 'Shop' } },
      site.key,
    )
    expect(await (await call(path)).text()).toContain('Did this answer resolve your problem?')
    expect((await postForm(`${path}/reviews/${item.id}/verdict`, { resolved: 'maybe' })).status).toBe(400)
    expect((await postForm(`${path}/reviews/${item.id}/verdict`, { resolved: 'yes' })).status).toBe(303)
    const shown = (await feedOf(site, tee)).items.find((i) => i.id === item.id)!
    expect(shown._glasshouse.author_verdict).toMatchObject({ resolved: true })
    // The shop withdraws the answer: the verdict on it goes, and the reviewer sees the tombstone, when and why.
    const { id: answer } = await answered.json<{ id: string }>()
    expect(
      (await api('POST', `/api/responses/${answer}/withdraw`, { reason: 'Sent too early' }, site.key)).status,
    ).toBe(200)
    expect((await feedOf(site, tee)).items.find((i) => i.id === item.id)!._glasshouse.author_verdict).toBeNull()
    const page = await (await call(path)).text()
    expect(page).toMatch(/The shop withdrew this answer on \d{1,2} \w{3} \d{4}, \d{2}:\d{2}: Sent too early/)
    expect(page).not.toContain('Replaced it.')
    expect(page).not.toContain('Did this answer resolve your problem?')
  })

  it('lets the reviewer delete the review: out of the feed, "author_request" in the public ledger', async () => {
    const { path } = await linkFor([tee])
    await postForm(path, { name: 'Del', rating_0: '1', text_0: 'delete me' })
    const item = (await feedOf(site, tee)).items.find((i) => i.content_text === 'delete me')!
    const res = await postForm(`${path}/reviews/${item.id}/delete`, {})
    expect(res.status).toBe(303)
    expect((await feedOf(site, tee)).items.some((i) => i.id === item.id)).toBe(false)
    const ledger = await (
      await call(`/feeds/${site.slug}/ledger.json`)
    ).json<{ entries: { voice: string; category: string; action: string }[] }>()
    expect(ledger.entries.find((e) => e.voice === item.id)).toMatchObject({
      action: 'remove',
      category: 'author_request',
    })
    expect(await (await call(path)).text()).toContain('You deleted this review')
  })
})

describe('coupon codes', () => {
  it('uploads a pool in bulk, counts duplicates, refuses bad codes and other sites’ keys', async () => {
    const s = await createSite()
    const codes = Array.from({ length: 250 }, (_, i) => `BULK-${i}`)
    const res = await api('POST', `/api/sites/${s.slug}/coupons`, { codes }, s.key)
    expect(res.status, await res.clone().text()).toBe(201)
    expect(await res.json()).toEqual({ added: 250, duplicates: 0, available: 250, issued: 0 })
    const again = await api('POST', `/api/sites/${s.slug}/coupons`, { codes: ['BULK-1', 'NEW-1'] }, s.key)
    expect(await again.json()).toEqual({ added: 1, duplicates: 1, available: 251, issued: 0 })
    expect((await api('POST', `/api/sites/${s.slug}/coupons`, { codes: ['has space'] }, s.key)).status).toBe(400)
    expect((await api('POST', `/api/sites/${s.slug}/coupons`, { codes: [] }, s.key)).status).toBe(400)
    expect((await api('POST', `/api/sites/${s.slug}/coupons`, { codes: ['OK'] }, site.key)).status).toBe(404)
    expect((await api('GET', `/api/sites/${s.slug}/coupons`, undefined, s.key)).status).toBe(200)
  })

  it('lets the review through when the pool is empty, saying the shop will send the coupon', async () => {
    const s = await createSite({ settings: { coupons: { mode: 'pool' } } })
    const t = (await createTarget(s)).id
    const inv = await invite(s, await inboundSecret(s), order([t]))
    const path = await reviewPath(inv.id)
    expect((await postForm(path, { name: 'E', rating_0: '4', text_0: 'empty pool' })).status).toBe(303)
    expect(await (await call(path)).text()).toContain('will send your thank-you coupon separately')
    expect((await feedOf(s)).items[0]?._glasshouse.disclosure).toBe('incentivized')
  })
})

describe('ratings and search engines', () => {
  it('serves schema.org Product + AggregateRating + recent Reviews for one product, reviews only', async () => {
    const s = await createSite(PUBLISH_PINGS_AT_ONCE)
    const sec = await inboundSecret(s)
    const t = (await createTarget(s, unique('lamp'), 'Desk lamp')).id
    for (const stars of [5, 4, 2]) {
      const inv = await invite(s, sec, order([t]))
      await postForm(await reviewPath(inv.id), {
        name: `R${stars}`,
        rating_0: String(stars),
        title_0: `${stars} stars`,
        text_0: `I give it ${stars}.`,
      })
    }
    // A TrackBack about the product is a voice, not a rating.
    await pingVoice(s, t, { title: 'Lamp post', excerpt: 'Five stars from me!' })
    const res = await call(`/feeds/${s.slug}/jsonld?target=${t}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toContain('application/ld+json')
    const doc = await res.json<{
      '@type': string
      name: string
      aggregateRating: { ratingValue: number; reviewCount: number }
      review: { reviewRating: { ratingValue: number } }[]
    }>()
    expect(doc['@type']).toBe('Product')
    expect(doc.name).toBe('Desk lamp')
    expect(doc.aggregateRating).toMatchObject({ ratingValue: 3.67, reviewCount: 3, bestRating: 5, worstRating: 1 })
    expect(doc.review.map((r) => r.reviewRating.ratingValue)).toEqual([2, 4, 5])
    expect((await feedOf(s, t)).items).toHaveLength(4)
    expect(rowsRead(res)).toBeLessThan(30)

    const empty = (await createTarget(s, unique('none'), 'Nothing yet')).id
    const none = await (await call(`/feeds/${s.slug}/jsonld?target=${empty}`)).json<Record<string, unknown>>()
    expect(none.aggregateRating).toBeUndefined()
    expect((await call(`/feeds/${s.slug}/jsonld`)).status).toBe(400)
    expect((await call(`/feeds/${s.slug}/jsonld?target=nope`)).status).toBe(404)
    expect((await call(`/feeds/no-such-site/jsonld?target=${t}`)).status).toBe(404)
    const trust = await (
      await call(`/feeds/${s.slug}/trust.json?target=${t}`)
    ).json<{ rating: { count: number; average: number; histogram: Record<string, number> } }>()
    expect(trust.rating).toEqual({ count: 3, average: 3.67, histogram: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } })
  })
})

describe('webhooks', () => {
  it('tells the storefront that an invitation is due (with the link) and which coupon was issued', async () => {
    const s = await createSite({ settings: { coupons: { mode: 'generated', prefix: 'GH' } } })
    const sec = await inboundSecret(s)
    const t = (await createTarget(s)).id
    const url = `https://${unique('store')}.example/hooks`
    await servePage(url, { body: 'ok' })
    const ep = await api(
      'POST',
      `/api/sites/${s.slug}/webhooks`,
      { url, events: ['review.invitation.due', 'review.coupon.issued'] },
      s.key,
    )
    expect(ep.status).toBe(201)
    const { id: endpoint } = await ep.json<{ id: string }>()
    const inv = await invite(s, sec, order([t]))
    await runInvitationCron()
    const path = await reviewPath(inv.id)
    await postForm(path, { name: 'W', rating_0: '3', text_0: 'fine' })
    const log = await eventually(
      async () =>
        (
          await (
            await api('GET', `/api/webhooks/${endpoint}/deliveries`, undefined, s.key)
          ).json<{ items: { event: string; payload: string }[] }>()
        ).items,
      (items) => items.length >= 2,
    )
    const due = JSON.parse(log.find((d) => d.event === 'review.invitation.due')!.payload)
    expect(due.data.invitation).toMatchObject({ id: inv.id, link: `https://hub.test${path}`, targets: [t] })
    const coupon = JSON.parse(log.find((d) => d.event === 'review.coupon.issued')!.payload)
    expect(coupon.data.coupon.code).toMatch(/^GH-[A-Z2-9]{10}$/)
  })
})
