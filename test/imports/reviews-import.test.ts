import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

import { hitsOf, servePage } from '../helpers/blogs'
import { exportShop, download, fileNamed } from '../helpers/exports'
import { createSite, createTarget, type SiteFixture } from '../helpers/factories'
import { api, call, testClock } from '../helpers/http'
import { importFile, readImport, reportOf } from '../helpers/imports'
import { encodeLegacy } from '../helpers/legacy-charsets'
import glasshouseFile from '../fixtures/imports/glasshouse-reviews.csv?raw'
import japaneseFile from '../fixtures/imports/japanese-reviews.csv?raw'
import judgeMeFile from '../fixtures/imports/judge-me-reviews.csv?raw'
import okendoFile from '../fixtures/imports/okendo-reviews.csv?raw'

type Review = {
  id: string
  kind: string
  status: string
  target: string
  source_url: string | null
  title: string | null
  excerpt: string | null
  author: { name: string | null }
  rating: number | null
  sentiment: string | null
  sentiment_by: string | null
  verified_purchase: boolean
  received_at: string
  published_at: string | null
  imported_by: string | null
  review: { photos: number } | null
}

async function reviewsOf(site: SiteFixture) {
  const res = await api('GET', `/api/sites/${site.slug}/mentions?limit=100`, undefined, site.key)
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json<{ items: Review[] }>()).items
}

const byAuthor = (reviews: Review[], name: string) =>
  reviews.find((r) => r.author.name === name) ?? expect.fail(`no review by ${name}`)

/** A 2×2 PNG with a text chunk ("taken at home") that the hub must cut out. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFXRFWHRDb21tZW50AHRha2VuIGF0IGhvbWV2YxoJAAAAEElEQVR4nGP438AARAwQCgAt7gX9iz9uhAAAAABJRU5ErkJggg=='
const servePng = (url: string) => servePage(url, { headers: { 'Content-Type': 'image/png' }, bodyBase64: PNG_BASE64 })

describe('importing reviews from another service (CSV)', () => {
  const clock = testClock(Date.parse('2026-12-01T00:00:00Z'))

  it('imports Judge.me’s review CSV: published reviews with their stars, dates, names and photos, once', async () => {
    const site = await createSite()
    await servePng('https://photos.example/judgeme/mug-1.png')
    // The second "photo" is a web page: the review comes without it, and its line says so.
    await servePage('https://photos.example/judgeme/mug-2.png', { body: '<p>not found</p>' })
    const { id, done, checks } = await importFile(
      site.slug,
      { format: 'reviews_csv', file_name: 'judgeme.csv', auto_targets: true },
      judgeMeFile,
      clock,
    )
    expect(done).toMatchObject({
      state: 'done',
      origin: 'judge.me',
      counts: { added: 4, duplicate: 0, skipped: 0, refused: 0 },
      error: null,
    })
    expect(checks).toEqual([])
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.map((l) => [l.place, l.outcome, l.subject, l.reason])).toEqual([
      ['row 2', 'added', 'Aiko Tanaka', null],
      ['row 3', 'added', 'Ben Carter', null],
      // A row is a record: the line break inside row 3's quoted cell does not count.
      ['row 4', 'added', 'Chloé Martin', 'photo_not_image'],
      ['row 5', 'added', 'Dan', null],
    ])
    expect(lines[2]?.reason_text).toMatch(/without a photo that is not a JPEG, PNG or WebP/)
    const ja = await reportOf(site.slug, id, clock, '&lang=ja')
    expect(ja[2]?.reason_text).toMatch(/JPEG・PNG・WebP 画像ではない写真は除きました/)

    const reviews = await reviewsOf(site)
    expect(reviews).toHaveLength(4)
    for (const r of reviews)
      expect(r).toMatchObject({ kind: 'review', status: 'published', source_url: null, imported_by: id })
    // The stars decide the sentiment, as for a review written today.
    expect(byAuthor(reviews, 'Aiko Tanaka')).toMatchObject({
      rating: 5,
      sentiment: 'positive',
      sentiment_by: 'rating',
      title: 'Great tee',
      received_at: '2021-08-02T10:00:00.000Z',
      published_at: '2021-08-02T10:00:00.000Z',
      verified_purchase: false,
    })
    expect(byAuthor(reviews, 'Ben Carter')).toMatchObject({
      rating: 2,
      sentiment: 'negative',
      // A voice's excerpt keeps its words on one line, as every voice's does.
      excerpt: 'It shrank a full size after one wash. The colour faded too.',
    })
    expect(byAuthor(reviews, 'Dan')).toMatchObject({ rating: 3, sentiment: 'neutral', title: null })
    // Shopify handles are placed on {storefront}/products/{handle}: two automatic targets.
    const targets = await (
      await api('GET', `/api/sites/${site.slug}/targets?limit=10`, undefined, site.key)
    ).json<{ items: { id: string; url: string }[] }>()
    expect(targets.items.map((t) => t.url).sort()).toEqual([
      `${site.origin}/products/mug`,
      `${site.origin}/products/tshirt`,
    ])

    // The photo is fetched once, cleaned of its text chunk and served while the review is published.
    const mug = byAuthor(reviews, 'Chloé Martin')
    expect(mug.review).toMatchObject({ photos: 1 })
    const photo = await call(`/photos/${mug.id}/0`)
    expect(photo.status).toBe(200)
    expect(photo.headers.get('Content-Type')).toBe('image/png')
    const bytes = new Uint8Array(await photo.arrayBuffer())
    expect(new TextDecoder('latin1').decode(bytes)).not.toContain('taken at home')
    expect(new TextDecoder('latin1').decode(bytes)).toContain('IDAT')
    expect((await hitsOf('https://photos.example/judgeme/mug-1.png')).count).toBe(1)

    // The counters and the stars' histogram moved.
    const trust = await (await call(`/feeds/${site.slug}/trust.json`)).json<{ rating: unknown }>()
    expect(trust.rating).toEqual({ count: 4, average: 3.5, histogram: { 1: 0, 2: 1, 3: 1, 4: 1, 5: 1 } })

    // The same file again adds nothing, fetches no photo and stores no object: each line names its review.
    const stored = await env.PHOTOS.list({ prefix: 'reviews/imported/' })
    const again = await importFile(site.slug, { format: 'reviews_csv', auto_targets: true }, judgeMeFile, clock)
    expect(again.done.counts).toEqual({ added: 0, duplicate: 4, skipped: 0, refused: 0 })
    const dupes = await reportOf(site.slug, again.id, clock)
    expect(dupes.map((l) => l.reason)).toEqual(['already_here', 'already_here', 'already_here', 'already_here'])
    expect(dupes.map((l) => l.ref).sort()).toEqual(reviews.map((r) => r.id).sort())
    expect(await reviewsOf(site)).toHaveLength(4)
    expect((await hitsOf('https://photos.example/judgeme/mug-1.png')).count).toBe(1)
    expect((await env.PHOTOS.list({ prefix: 'reviews/imported/' })).objects.length).toBe(stored.objects.length)
  })

  it('imports Okendo’s template, placing each review by its handle, product id or SKU through the shop’s map', async () => {
    const site = await createSite()
    await createTarget(site, 'tshirt', 'Organic tee')
    await createTarget(site, 'mug', 'Mug')
    const file = `${okendoFile}Zoe,Lovely.,,9999,5,,2020-05-01,us,,\n`
    const { id, done } = await importFile(
      site.slug,
      { format: 'reviews_csv', targets: { '8802': 'mug', 'MUG-BLUE': `${site.origin}/products/mug` } },
      file,
      clock,
    )
    expect(done).toMatchObject({ state: 'done', origin: 'okendo', counts: { added: 3, refused: 1 } })
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.map((l) => [l.place, l.outcome, l.reason])).toEqual([
      ['row 2', 'added', null],
      ['row 3', 'added', null],
      ['row 4', 'added', null],
      ['row 5', 'refused', 'product_not_found'],
    ])
    const reviews = await reviewsOf(site)
    expect(byAuthor(reviews, 'Ken')).toMatchObject({
      target: 'tshirt',
      rating: 2,
      sentiment: 'negative',
      received_at: '2020-01-05T00:00:00.000Z',
      excerpt: '色落ちしました。洗濯で他の服に色が移りました。',
    })
    expect(byAuthor(reviews, 'Sara')).toMatchObject({ target: 'mug', received_at: '2020-03-10T08:15:00.000Z' })
    expect(byAuthor(reviews, 'Lee')).toMatchObject({ target: 'mug', rating: 4 })
  })

  it('reads a Glasshouse export’s reviews.csv back, and the export neutralises a formula again on the way out', async () => {
    const site = await createSite()
    await createTarget(site, 'tee', 'Tee')
    await createTarget(site, 'mug', 'Mug')
    const { id, done } = await importFile(site.slug, { format: 'reviews_csv' }, glasshouseFile, clock)
    expect(done).toMatchObject({ origin: 'glasshouse', counts: { added: 3, skipped: 1, refused: 0 } })
    const skipped = await reportOf(site.slug, id, clock, '&outcome=skipped')
    expect(skipped.map((l) => [l.place, l.reason])).toEqual([['row 4', 'not_published']])
    expect(skipped[0]?.reason_text).toMatch(/not public on the other service/)

    // The export's apostrophes are taken off: the words are stored as the reviewer wrote them, as text.
    const reviews = await reviewsOf(site)
    const formula = byAuthor(reviews, '@ken')
    expect(formula).toMatchObject({
      title: '-5 stars if I could',
      excerpt: '=HYPERLINK("https://evil.example/refund","Click for a refund")',
      rating: 1,
      received_at: '2024-01-03T00:00:00.000Z',
    })
    expect(byAuthor(reviews, 'Aiko')).toMatchObject({ verified_purchase: true, target: 'tee' })

    // Exported again, every such cell starts with an apostrophe: no spreadsheet runs it.
    const exported = await exportShop(site.slug, clock)
    const csv = await (await download(fileNamed(exported.done, 'reviews.csv'), clock)).text()
    expect(csv).toContain(`'=HYPERLINK(""https://evil.example/refund"",""Click for a refund"")`)
    expect(csv).toContain(",'@ken,")
    expect(csv).not.toMatch(/,=HYPERLINK/)

    // And that file moves the reviews to another shop with the same words.
    const other = await createSite()
    await createTarget(other, 'tee', 'Tee')
    await createTarget(other, 'mug', 'Mug')
    const moved = await importFile(other.slug, { format: 'reviews_csv' }, csv, clock)
    expect(moved.done.counts).toMatchObject({ added: 3 })
    expect(byAuthor(await reviewsOf(other), '@ken')).toMatchObject({ excerpt: formula.excerpt, title: formula.title })
  })

  it('reads a Shift_JIS file with Japanese reviews, its dates in the shop’s time zone', async () => {
    const site = await createSite({ settings: { lang: 'ja' } })
    await createTarget(site, 'tee', 'Tシャツ')
    await createTarget(site, 'mug', 'マグカップ')
    const bytes = encodeLegacy(japaneseFile.replaceAll('\n', '\r\n'), 'shift_jis')
    const { done } = await importFile(site.slug, { format: 'reviews_csv' }, bytes, clock)
    expect(done).toMatchObject({ state: 'done', counts: { added: 3, duplicate: 0, skipped: 0, refused: 0 } })
    const reviews = await reviewsOf(site)
    expect(byAuthor(reviews, '山田花子')).toMatchObject({
      title: '最高の着心地',
      rating: 5,
      sentiment: 'positive',
      verified_purchase: true,
      received_at: '2019-04-21T01:15:00.000Z',
    })
    expect(byAuthor(reviews, '佐藤')).toMatchObject({ rating: 1, sentiment: 'negative', verified_purchase: false })
    expect(byAuthor(reviews, 'ｶﾀｶﾅ太郎')).toMatchObject({
      target: 'mug',
      excerpt: '取っ手が少し小さいですが、保温は十分です。 電子レンジも使えます。',
      received_at: '2019-05-31T15:00:00.000Z',
    })
  })

  it('refuses each row it cannot use with why, in English and Japanese, and goes on', async () => {
    const site = await createSite()
    const other = await createSite()
    await createTarget(site, 'tee', 'Tee')
    const theirs = await createTarget(other, 'their-tee', 'Their tee')
    const file = [
      'product,rating,body,author_name,date',
      ',5,No product,A,',
      'tee,0,Zero stars,B,',
      'tee,4.5,Half stars,C,',
      'tee,five,Words,D,',
      'tee,3,   ,E,',
      `${theirs.id},5,Another shop’s target id,F,`,
      `${other.origin}/products/their-tee,5,Another shop’s page,G,`,
      'tee,4,Nice,H,yesterday',
    ].join('\n')
    const { id, done } = await importFile(site.slug, { format: 'reviews_csv' }, file, clock)
    expect(done.counts).toEqual({ added: 1, duplicate: 0, skipped: 0, refused: 7 })
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.map((l) => [l.place, l.outcome, l.reason])).toEqual([
      ['row 2', 'refused', 'no_product'],
      ['row 3', 'refused', 'rating_not_1_to_5'],
      ['row 4', 'refused', 'rating_not_1_to_5'],
      ['row 5', 'refused', 'rating_not_1_to_5'],
      ['row 6', 'refused', 'no_body'],
      ['row 7', 'refused', 'product_not_found'],
      ['row 8', 'refused', 'other_shop'],
      ['row 9', 'added', 'date_unreadable'],
    ])
    expect(lines.slice(0, 5).map((l) => l.reason_text)).toEqual([
      'the row names no product',
      'the rating is not a whole number of stars from 1 to 5',
      'the rating is not a whole number of stars from 1 to 5',
      'the rating is not a whole number of stars from 1 to 5',
      'the review has no text',
    ])
    const ja = await reportOf(site.slug, id, clock, '&lang=ja')
    expect(ja.map((l) => l.reason_text)).toEqual([
      '商品が書かれていません',
      '評価が 1〜5 の整数ではありません',
      '評価が 1〜5 の整数ではありません',
      '評価が 1〜5 の整数ではありません',
      'レビューの本文がありません',
      expect.stringContaining('商品に対応するターゲットがありません'),
      expect.stringContaining('別のショップ'),
      expect.stringContaining('日付を読み取れなかった'),
    ])
    // Undated: the import's time.
    expect(await reviewsOf(site)).toEqual([expect.objectContaining({ received_at: '2026-12-01T00:00:00.000Z' })])
    expect(await reviewsOf(other)).toEqual([])
  })

  it('stops a file whose header lacks the columns a review needs, naming them', async () => {
    const site = await createSite()
    const { id, done } = await importFile(site.slug, { format: 'reviews_csv' }, 'name,comment\nAiko,Nice\n', clock)
    expect(done).toMatchObject({
      state: 'failed',
      error: 'missing_columns:product,rating,body',
      error_text: 'The file’s header lacks columns this format needs: product, rating, body',
      counts: { added: 0 },
    })
    const ja = await readImport(site.slug, id, clock, undefined, 'ja')
    expect(ja.error_text).toBe('ファイルの見出し行に、この形式に必要な列がありません：product, rating, body')
    const noRating = await importFile(site.slug, { format: 'reviews_csv' }, 'product,body\ntee,Nice\n', clock)
    expect(noRating.done).toMatchObject({ state: 'failed', error: 'missing_columns:rating' })
    const notCsv = await importFile(
      site.slug,
      { format: 'reviews_csv' },
      new Uint8Array([0xff, 0xfe, 0x00, 0x81]),
      clock,
    )
    expect(notCsv.done.state).toBe('failed')
    expect(await reviewsOf(site)).toEqual([])
  })

  it('fetches photos through the guarded fetcher: never a private address, at most 3 a review, a few rows a step', async () => {
    const site = await createSite()
    await createTarget(site, 'tee', 'Tee')
    const base = 'https://photos.example/bounded'
    for (const n of [1, 2, 3, 4]) await servePng(`${base}/${n}.png`)
    const rows = [
      // A private address is refused without a request; the public photo beside it is kept.
      `p1,tee,5,Private,"http://192.168.1.20/p.png ${base}/1.png"`,
      `p2,tee,4,Gone,${base}/missing.png`,
      `p3,tee,5,Four photos,"${base}/1.png,${base}/2.png,${base}/3.png,${base}/4.png"`,
      ...[4, 5, 6, 7].map((n) => `p${n},tee,5,Three,"${base}/1.png ${base}/2.png ${base}/3.png"`),
    ]
    const file = ['id,product,rating,body,photo_urls', ...rows].join('\n')
    const { id, done } = await importFile(site.slug, { format: 'reviews_csv' }, file, clock)
    expect(done.counts).toMatchObject({ added: 7, refused: 0 })
    // 1 + 0 + 3 + 3 + 3 photos fit a step (12); the rows after wait for the next one.
    expect(done.progress.steps).toBe(2)
    expect((await hitsOf('http://192.168.1.20/p.png')).count).toBe(0)
    const lines = await reportOf(site.slug, id, clock)
    expect(lines.map((l) => l.reason)).toEqual([
      'photo_refused',
      'photo_not_fetched',
      'too_many_photos',
      null,
      null,
      null,
      null,
    ])
    const ja = await reportOf(site.slug, id, clock, '&lang=ja')
    expect(ja[0]?.reason_text).toMatch(/ハブが取得しないアドレス/)
    const reviews = await reviewsOf(site)
    expect(reviews.map((r) => [r.excerpt, r.review?.photos]).sort()).toEqual([
      ['Four photos', 3],
      ['Gone', 0],
      ['Private', 1],
      ['Three', 3],
      ['Three', 3],
      ['Three', 3],
      ['Three', 3],
    ])
    expect((await hitsOf(`${base}/4.png`)).count).toBe(0)
  })
})
